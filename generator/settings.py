"""polydigest's tunables, read from settings.toml: the thresholds and pattern lists of its
text rules, one section per stage, and one ``[language.<code>]`` block per language
(``languages.LANGUAGES``)."""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

SETTINGS_FILE = Path(__file__).with_name("settings.toml")


@functools.cache
def settings() -> dict[str, Any]:
    return tomllib.loads(SETTINGS_FILE.read_text(encoding="utf-8"))


def section(name: str) -> dict[str, Any]:
    return settings()[name]


def pattern(alternatives: list[str], anchored: bool = False) -> re.Pattern:
    """One case-insensitive regular expression matching any of ``alternatives``."""
    joined = "|".join(f"(?:{a})" for a in alternatives)
    return re.compile(rf"^\s*(?:{joined})\s*$" if anchored else joined, re.IGNORECASE)
