"""Text cleaning: lines to paragraphs, web boilerplate, header lines, titles.

General rules, for any site and several languages: comment sections end the text; short
lines of page furniture ("READ MORE:", share/subscribe lines, bylines) are dropped;
hard-wrapped lines are joined into paragraphs.
"""

from __future__ import annotations

import re

from . import settings
from .dates import DATE_HEADER
from .languages import split_sentences

_RULES = settings.section("cleaning")
# A comment section starts here; nothing after it is article text.
_COMMENT_SECTION = re.compile(r"^\s*(?:" + "|".join(_RULES["comment_section"]) + ")", re.IGNORECASE)
# Single lines of page furniture (only short lines are tested).
_BOILERPLATE_LINE = settings.pattern(_RULES["boilerplate_line"], anchored=True)
_MAX_BOILERPLATE_LINE = _RULES["max_boilerplate_line"]

SOURCE_HEADER = re.compile(r"^\s*(source|fonte|fuente|url|link)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
URL_LINE = re.compile(r"^\s*(?P<value>https?://\S+)\s*$")

_WRAP_WIDTH = _RULES["wrap_width"]


def split_paragraphs(text: str) -> list[str]:
    """Lines to paragraphs. A line joins the previous one only when that one was hard-wrapped
    (long, and not ending a sentence) and it is no header line; blank lines always separate."""
    paragraphs: list[str] = []
    previous = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            previous = ""
            continue
        if (previous and len(previous) >= _WRAP_WIDTH and not re.search(r"[.!?:;\"”’)\]]$", previous)
                and not any(p.match(line) for p in (DATE_HEADER, SOURCE_HEADER, URL_LINE))):
            paragraphs[-1] = paragraphs[-1] + " " + line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def remove_boilerplate(paragraphs: list[str]) -> list[str]:
    kept = []
    for paragraph in paragraphs:
        if _COMMENT_SECTION.match(paragraph):
            break
        if len(paragraph) <= _MAX_BOILERPLATE_LINE and _BOILERPLATE_LINE.match(paragraph):
            continue
        kept.append(paragraph)
    return kept


def take_header(paragraphs: list[str], pattern: re.Pattern) -> tuple[re.Match | None, list[str]]:
    """Find a header line (first or last three paragraphs) and remove it from the body."""
    candidates = list(range(min(3, len(paragraphs)))) + list(range(max(3, len(paragraphs) - 3), len(paragraphs)))
    for i in candidates:
        if len(paragraphs[i]) <= 300:
            match = pattern.match(paragraphs[i])
            if match:
                return match, paragraphs[:i] + paragraphs[i + 1 :]
    return None, paragraphs


def looks_like_headline(line: str) -> bool:
    return len(line) <= 150 and len(line.split()) <= 20 and not line.endswith((".", ",", ";", ":"))


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def make_title(paragraphs: list[str], language: str) -> tuple[str, list[str]]:
    """The first line when it reads as a headline; otherwise the first sentence, shortened."""
    if len(paragraphs) > 1 and looks_like_headline(paragraphs[0]) and has_words(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    sentences = (s for p in paragraphs for s in split_sentences(p, language))
    first = next(s for s in sentences if has_words(s)).rstrip(".")
    if len(first) > 90:
        first = first[:90].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first, paragraphs
