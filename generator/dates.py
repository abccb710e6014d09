"""Dates an article states, and the stand-in day for one that states none.

A date is taken only from what the article says: a 'Published:'-style line or a line that is
only a date, near the top. An article that states no date gets a reproducible stand-in (the
day its file was first committed to git), marked as such wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "janeiro"), ("february", "feb", "fevereiro"), ("march", "mar", "março", "marco"),
            ("april", "apr", "abril"), ("may", "maio"), ("june", "jun", "junho"), ("july", "jul", "julho"),
            ("august", "aug", "agosto"), ("september", "sep", "sept", "setembro"), ("october", "oct", "outubro"),
            ("november", "nov", "novembro"), ("december", "dec", "dezembro"),
        ],
        start=1,
    )
    for name in names
}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "m", "d")),
    (re.compile(MONTH + r"\s+(\d{1,2}),?\s+(\d{4})\b", re.IGNORECASE), ("mn", "d", "y")),
    (re.compile(r"\b(\d{1,2})\s+(?:de\s+)?" + MONTH + r",?\s+(?:de\s+)?(\d{4})\b", re.IGNORECASE), ("d", "mn", "y")),
)
DATE_HEADER = re.compile(
    r"^\s*(date|dated|published|posted|updated|data|publicado( em)?)\b\s*(on\s*)?:?\s*", re.IGNORECASE
)

def parse_date(text: str) -> dt.date | None:
    for pattern, order in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = MONTHS[parts["mn"].lower()] if "mn" in parts else int(parts["m"])
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"]))
        except ValueError:
            continue
    return None


def find_date(paragraphs: list[str]) -> tuple[dt.date | None, list[str]]:
    """A date the article states: a 'Published:'-style line, or a line that is only a date."""
    for i, paragraph in enumerate(paragraphs[:4]):
        if len(paragraph) > 80:
            continue
        header = DATE_HEADER.match(paragraph)
        date = parse_date(paragraph)
        rest = paragraph[header.end() :] if header else paragraph
        if date and (header or len(rest.split()) <= 5):
            return date, paragraphs[:i] + paragraphs[i + 1 :]
    return None, paragraphs


def git_added_dates(folder: Path) -> dict[str, dt.date]:
    """Day each file under ``folder`` was first committed, by path relative to ``folder``."""
    try:
        out = subprocess.run(
            ["git", "log", "--diff-filter=A", "--format=%x00%ad", "--date=short", "--name-only",
             "--relative", "--", "."],
            cwd=folder, capture_output=True, text=True, timeout=60, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, dt.date] = {}
    for block in out.split("\x00")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0].strip())
        for name in lines[1:]:
            dates[name] = day  # log is newest first: the last write is the first addition
    return dates
