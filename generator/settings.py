"""polydigest's tunables, read from settings.toml: the thresholds and pattern lists of its
text rules, one section per stage, and one ``[language.<code>]`` block per language
(``languages.LANGUAGES``)."""

from __future__ import annotations

import functools
import hashlib
import json
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


@functools.cache
def digest(*names: str) -> str:
    """A digest of the named sections (and of every ``[language.<code>]`` block when "language"
    is named): part of the cache key of each stage that reads them, so a changed rule here
    recomputes exactly what it can change."""
    data = {name: settings().get(name) for name in names}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def pattern(alternatives: list[str], anchored: bool = False) -> re.Pattern:
    """One case-insensitive regular expression matching any of ``alternatives``."""
    joined = "|".join(f"(?:{a})" for a in alternatives)
    return re.compile(rf"^\s*(?:{joined})\s*$" if anchored else joined, re.IGNORECASE)
