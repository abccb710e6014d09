"""Text cleaning: lines to paragraphs, web boilerplate, header lines, titles.

General rules, for any site and several languages: comment sections end the text; short
lines of page furniture ("READ MORE:", share/subscribe lines, bylines) are dropped;
hard-wrapped lines are joined into paragraphs.
"""

from __future__ import annotations

import re

from . import settings
from .dates import DATE_LABEL
from .languages import MAX_SENTENCE_CHARS, split_sentences

_RULES = settings.section("cleaning")
# A comment section starts here; nothing after it is article text.
_COMMENT_SECTION = re.compile(r"^\s*(?:" + "|".join(_RULES["comment_section"]) + ")", re.IGNORECASE)
# Single lines of page furniture (only short lines are tested).
_BOILERPLATE_LINE = settings.pattern(_RULES["boilerplate_line"], anchored=True)
_MAX_BOILERPLATE_LINE = _RULES["max_boilerplate_line"]
_INLINE_CREDIT = settings.pattern(_RULES["inline_credit"])
_PAYWALL = settings.pattern(_RULES["paywall"])
_MAX_PAYWALL_NOTICE = _RULES["max_paywall_notice"]
_DATELINE = re.compile(_RULES["dateline"])

SOURCE_HEADER = re.compile(r"^\s*(source|fonte|fuente|url|link)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
URL_LINE = re.compile(r"^\s*(?P<value>https?://\S+)\s*$")

_WRAP_WIDTH = _RULES["wrap_width"]


def split_paragraphs(text: str, hard_wrapped: bool = True) -> list[str]:
    """Lines to paragraphs. In text that may be hard-wrapped (plain text files), a line joins
    the previous one when that one was wrapped (long, and not ending a sentence) and it is no
    header line; blank lines always separate. Text from markup (pages, feeds, Markdown) has
    one block per line: joining would glue a subhead to the sentence after it."""
    paragraphs: list[str] = []
    previous = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            previous = ""
            continue
        if (hard_wrapped and previous and len(previous) >= _WRAP_WIDTH and not re.search(r"[.!?:;\"”’)\]]$", previous)
                and not any(p.match(line) for p in (DATE_LABEL, SOURCE_HEADER, URL_LINE))):
            paragraphs[-1] = paragraphs[-1] + " " + line
        else:
            paragraphs.append(line)
        previous = line
    return paragraphs


def remove_boilerplate(paragraphs: list[str]) -> list[str]:
    """Page furniture out: comment sections, furniture lines, paywall notices, photo credits,
    agency datelines."""
    kept = []
    for paragraph in paragraphs:
        if _COMMENT_SECTION.match(paragraph):
            break
        if _INLINE_CREDIT.search(paragraph):
            paragraph = " ".join(_INLINE_CREDIT.sub(" ", paragraph).split())
        paragraph = _DATELINE.sub("", paragraph, count=1)
        if not paragraph or len(paragraph) <= _MAX_BOILERPLATE_LINE and _BOILERPLATE_LINE.match(paragraph):
            continue
        if len(paragraph) <= _MAX_PAYWALL_NOTICE and _PAYWALL.search(paragraph):
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
    # Only a paragraph's start can hold its first sentence (at most MAX_SENTENCE_CHARS long):
    # splitting a long paragraph whole cost more than the rest of reading the article.
    sentences = (s for p in paragraphs for s in split_sentences(p[: 3 * MAX_SENTENCE_CHARS], language))
    first = next(s for s in sentences if has_words(s)).rstrip(".")
    if len(first) > 90:
        first = first[:90].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first, paragraphs


_SEPARATOR = r"[|\-–—·•»:~/]{1,2}"
_TITLE_SPLIT = re.compile(rf"\s+{_SEPARATOR}\s+")
_SEPARATOR_AT_END = re.compile(rf"\s+{_SEPARATOR}\s*$")
_SEPARATOR_AT_START = re.compile(rf"^\s*{_SEPARATOR}\s+")
_NOT_NAME = re.compile(r"[\W_]+")
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;|/&]|\band\b|\be\b|\by\b|\bund\b|\bet\b)\s*", re.IGNORECASE)
_AUTHOR_JUNK = settings.pattern(_RULES["author_junk"], anchored=False)
_BYLINE = re.compile(r"^\s*(?:by|por|von|par|di|da)\s+", re.IGNORECASE)


_SECOND_LEVEL = {"com", "co", "org", "net", "gov", "edu", "ac", "gob", "gouv", "or", "ne"}


def registered_domain(host: str) -> str:
    """The site a host belongs to: 'politica.estadao.com.br' -> 'estadao.com.br',
    'www.bbc.co.uk' -> 'bbc.co.uk' (without a public-suffix list: a short second-level
    label such as 'com' or 'co' keeps one more)."""
    labels = host.lower().strip(".").split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


# Host labels that name no site ("news.sky.com" is Sky, not "news").
_GENERIC_HOST_LABELS = {"www", "www1", "www2", "m", "amp", "mobile", "edition", "news", "en", "com", "co", "org",
                        "net", "gov", "edu", "int"}


def site_names(source_name: str, url: str) -> list[str]:
    """Ways a page's title may name its site: the declared site name and its address's labels
    ('edition.cnn.com' -> 'cnn', 'edition'; 'www.bbc.co.uk' -> 'bbc')."""
    from urllib.parse import urlsplit

    names = [source_name] if source_name.strip() else []
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".")[:-1] if label not in _GENERIC_HOST_LABELS]
    return names + [label for label in labels if len(label) >= 3]


def _names_site(part: str, names: list[str]) -> bool:
    key = _NOT_NAME.sub("", part.casefold())
    if not key or len(part.split()) > 6:
        return False
    for name in names:
        other = _NOT_NAME.sub("", name.casefold())
        if other and (key == other or key.startswith(other) or other.startswith(key) and len(key) >= 3
                      or len(other) >= 5 and other in key):  # "DER SPIEGEL" on spiegel.de
            return True
    return False


def strip_site_name(title: str, names: list[str]) -> str:
    """The title without the site's name and its separator ('… | CNN Politics', 'WIRED - …')."""
    while names:
        parts = _TITLE_SPLIT.split(title)
        if len(parts) < 2:
            break
        if _names_site(parts[-1], names):
            title = _SEPARATOR_AT_END.sub("", title[: title.rindex(parts[-1])])
        elif _names_site(parts[0], names):
            title = _SEPARATOR_AT_START.sub("", title[len(parts[0]):])
        else:
            break
    return title


def clean_author(raw: str) -> str:
    """A person's or agency's name from an author field, without page chrome ('View author
    archive', 'Account You're logged') or a 'By' prefix; '' when nothing looks like a name."""
    names = []
    for part in _AUTHOR_SEPARATOR.split(_BYLINE.sub("", " ".join(raw.split()))):
        part = part.strip(" .:-")
        words = part.split()
        if (not words or len(words) > 5 or _AUTHOR_JUNK.search(part) or any(ch.isdigit() for ch in part)
                or not any(w[:1].isupper() for w in words)):
            continue
        names.append(part)
    return ", ".join(dict.fromkeys(names[:3]))
