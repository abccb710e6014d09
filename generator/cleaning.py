"""Text cleaning: lines to paragraphs, web boilerplate, header lines, titles.

General rules, for any site and several languages: comment sections end the text; short
lines of page furniture ("READ MORE:", share/subscribe lines, bylines) are dropped;
hard-wrapped lines are joined into paragraphs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

from . import settings
from .dates import _NUMERIC_DATE, _YEAR, DATE_LABEL, is_date_line
from .languages import MAX_SENTENCE_CHARS, split_sentences, stop_words
from .names import NAME_PARTICLES, OUTLETS

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
RECOMMENDATION_HEADING = settings.pattern(_RULES["recommendation_heading"], anchored=True)
MAX_HEADING = _RULES["max_heading"]  # characters: a recommendation heading is a few words
_FURNITURE_PARAGRAPH = settings.pattern(_RULES["furniture_paragraph"])
_MAX_FURNITURE_PARAGRAPH = _RULES["max_furniture_paragraph"]
_AUTHOR_BIO = settings.pattern(_RULES["author_bio"], anchored=True)
_MAX_AUTHOR_BIO = _RULES["max_author_bio"]
_BIO_ZONE = _RULES["bio_zone"]  # an author's bio is among the last paragraphs

SOURCE_HEADER = re.compile(r"^\s*(source|fonte|fuente|url|link)\s*:\s*(?P<value>\S.*?)\s*$", re.IGNORECASE)
URL_LINE = re.compile(r"^\s*(?P<value>https?://\S+)\s*$")

_WRAP_WIDTH = _RULES["wrap_width"]


# A sentence's end doubled, as texts flattened from a headline and its subhead are ("do mundo..
# O que", "informado. . O", "aos EUA?. Mega": 1,496 of the corpus's 5,213 articles); not "..." or ". . .".
_DOUBLED_STOP = re.compile(r"(?<![.\s])([.?!]) ?\.(?!\.| \.)(?=\s|$)")
# A space before a full stop or a comma, where a link was taken out of the text ("disse Maia .",
# "Principalmente as mulheres , mas": 6,478 in 1,841 of the corpus's 3,211 Brazilian articles);
# not a spaced ellipsis (". . .").
_SPACE_BEFORE_STOP = re.compile(r"(?<=[^\W_]|[)\]”\"’'])\s+([.,])(?! \.)(?=\s|$)")
# A subhead and the body it opens run into one line, two spaces or more between them and an
# agency dateline opening the body ("… sanções da ONU.  SEUL - A Coreia do Norte …": 194 of the
# corpus's Estadão texts): two paragraphs, so that the dateline rule cuts it. One space is not
# enough, nor a question before it: interviews name their speakers so ("… o senhor? CRESPO - Pode").
_SUBHEAD_RUN_IN = re.compile(r"(?<=\.)\s{2,}(?=" + _RULES["dateline"].removeprefix("^") + ")")


def subheads_apart(text: str) -> str:
    """``text`` with a subhead run into the text it opens before an agency dateline (two spaces
    or more between them: ``_SUBHEAD_RUN_IN``) a paragraph of its own, a blank line between."""
    return _SUBHEAD_RUN_IN.sub("\n\n", text)


def split_paragraphs(text: str, hard_wrapped: bool = True) -> list[str]:
    """Lines to paragraphs. In text that may be hard-wrapped (plain text files), a line joins
    the previous one when that one was wrapped (long, and not ending a sentence) and it is no
    header line; blank lines always separate. Text from markup (pages, feeds, Markdown) has
    one block per line: joining would glue a subhead to the sentence after it. A sentence's end
    written twice is written once, a space before it taken out; a subhead run into the text it
    opens before an agency dateline is a paragraph of its own."""
    paragraphs: list[str] = []
    previous = ""
    for raw in subheads_apart(text).splitlines():
        line = _SPACE_BEFORE_STOP.sub(r"\1", _DOUBLED_STOP.sub(r"\1", " ".join(raw.split())))
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


def is_recommendation_heading(text: str) -> bool:
    """'You may also be interested in', 'Leia também', 'Mehr zum Thema' … (a line of its own)."""
    return len(text) <= MAX_HEADING and bool(RECOMMENDATION_HEADING.match(text.rstrip(":»›>→ ")))


def _listed_item(paragraph: str) -> bool:
    """A line of a list of other articles: a headline (no closing stop) or a date."""
    short = len(paragraph) <= 150 and len(paragraph.split()) <= 16
    return short and (not paragraph.endswith((".", "!", "?", "…", '"', "”")) or bool(
        len(paragraph) <= 40 and (_NUMERIC_DATE.search(paragraph) or _YEAR.search(paragraph))))


def remove_boilerplate(paragraphs: list[str]) -> list[str]:
    """Page furniture out: comment sections, furniture lines, paywall notices, photo credits,
    agency datelines, recommendation blocks (a heading and the headlines listed under it),
    newsletter and "write to us" invitations, agency footers, and an author's bio at the end."""
    kept: list[str] = []
    listing = False  # inside a block of other articles' headlines
    for paragraph in paragraphs:
        if _COMMENT_SECTION.match(paragraph):
            break
        if is_recommendation_heading(paragraph):
            listing = True
            continue
        if listing and _listed_item(paragraph):
            continue
        listing = False
        if _INLINE_CREDIT.search(paragraph):
            paragraph = " ".join(_INLINE_CREDIT.sub(" ", paragraph).split())
        paragraph = _DATELINE.sub("", paragraph, count=1)
        if not paragraph or len(paragraph) <= _MAX_BOILERPLATE_LINE and _BOILERPLATE_LINE.match(paragraph):
            continue
        if len(paragraph) <= _MAX_PAYWALL_NOTICE and _PAYWALL.search(paragraph):
            continue
        if len(paragraph) <= _MAX_FURNITURE_PARAGRAPH and _FURNITURE_PARAGRAPH.search(paragraph):
            continue
        kept.append(paragraph)
    while len(kept) > 1:  # an author's bio closes the article (as do credits after it)
        tail = [i for i in range(max(1, len(kept) - _BIO_ZONE), len(kept))
                if len(kept[i]) <= _MAX_AUTHOR_BIO and _AUTHOR_BIO.match(kept[i])]
        if not tail:
            break
        del kept[tail[0]]
    return kept


MAX_TRAILING_SOURCE_WORDS = 6
"""A "Source:" line among an article's last paragraphs names its outlet ("Fonte: Agência
Brasil") when it is this short; a longer one cites the article's data ("Fonte: Processos na
13a Vara Federal de Curitiba e na 7a Vara Federal do Rio", a Folha infographic's source,
became the article's outlet, with a page of its own) and stays in the text."""


def take_header(paragraphs: list[str], pattern: re.Pattern) -> tuple[re.Match | None, list[str]]:
    """Find a header line (first or last three paragraphs) and remove it from the body; among
    the last ones (in a short text, every one), a value of at most MAX_TRAILING_SOURCE_WORDS words."""
    candidates = list(range(min(3, len(paragraphs)))) + list(range(max(3, len(paragraphs) - 3), len(paragraphs)))
    leading = min(3, len(paragraphs) - 3)
    for i in candidates:
        if len(paragraphs[i]) <= 300:
            match = pattern.match(paragraphs[i])
            if match and (i < leading or len(match.group("value").split()) <= MAX_TRAILING_SOURCE_WORDS):
                return match, paragraphs[:i] + paragraphs[i + 1 :]
    return None, paragraphs


def looks_like_headline(line: str) -> bool:
    return len(line) <= 150 and len(line.split()) <= 20 and not line.endswith((".", ",", ";", ":"))


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def make_title(paragraphs: list[str], language: str) -> tuple[str, list[str]]:
    """The first line when it reads as a headline; otherwise the first sentence, out of the body
    when it is short enough to be the title whole (so that the summary does not repeat it), else
    shortened and left in the body."""
    if len(paragraphs) > 1 and looks_like_headline(paragraphs[0]) and has_words(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    index, first = _first_sentence(paragraphs, language)
    paragraph = paragraphs[index]
    title = first.rstrip(".")
    if len(title) > _MADE_TITLE_CHARS:
        return _shortened(title, language), paragraphs
    start = paragraph.find(first)
    rest = paragraph[start + len(first):].strip()
    # not where a sentence ends ("Uma pausa . . . e outra", "Gov. Smith signed …"): the body keeps it
    if start < 0 or rest[:1].islower() or len(title.split()) < 4:
        return title, paragraphs
    body = [*paragraphs[:index], *([rest] if rest else []), *paragraphs[index + 1:]]
    return title, (body if any(has_words(p) for p in body) else paragraphs)


def _first_sentence(paragraphs: list[str], language: str) -> tuple[int, str]:
    """The first sentence with words, and the number of its paragraph."""
    for index, paragraph in enumerate(paragraphs):
        # Only a paragraph's start can hold its first sentence (at most MAX_SENTENCE_CHARS long):
        # splitting a long paragraph whole cost more than the rest of reading the article.
        first = next((s for s in split_sentences(paragraph[: 3 * MAX_SENTENCE_CHARS], language) if has_words(s)), None)
        if first is not None:
            return index, first
    raise ValueError("no words to make a title of")  # ingest refuses such a text first


_MADE_TITLE_CHARS = 130
"""Whole up to this: 553 of the corpus's 3,211 untitled Brazilian texts open with a headline of
91-130 characters ("Em decisão unânime, tribunal condena Lula em segunda instância e aumenta
pena de 9 para 12 anos", 96), which a cut at 90 lost the point of; a first sentence of the body
is mostly longer."""


def _shortened(sentence: str, language: str) -> str:
    """A sentence too long for a title, cut after its last word in the room that ends a phrase:
    not 'fiança de R$ 1,5…', 'Fidel Castro a…', 'pena de 9 para 12…', nor inside a name ('contra
    Luiz…' of Luiz Inácio Lula da Silva, 'em Porto…' of Porto Alegre) (453 of the corpus's 3,211
    Portuguese titles made from a first sentence ended on a small word, a currency or a figure).
    Not at its last comma: that cut 'provaram minha inocência, diz Lula …' before who said it."""
    head = sentence[:_MADE_TITLE_CHARS + 1]
    words = (head.rsplit(" ", 1)[0] if " " in head else head[:_MADE_TITLE_CHARS]).split()
    following = (sentence.split()[len(words):] or [""])[0]
    small = stop_words(language)
    while len(words) > 1 and (words[-1].lower() in small or unicodedata.category(words[-1][-1]) == "Sc"
                              or not any(ch.isalpha() for ch in words[-1])  # a figure cut from its unit
                              or words[-1][:1].isupper() and following[:1].isupper()):  # a name cut: "em Porto…"
        following = words.pop()
    return " ".join(words).rstrip(",;:") + "…"


_SEPARATOR = r"[|\-–—·•»:~/]{1,2}"
_TITLE_SPLIT = re.compile(rf"\s+{_SEPARATOR}\s+")
_SEPARATOR_AT_END = re.compile(rf"\s+{_SEPARATOR}\s*$")
_SEPARATOR_AT_START = re.compile(rf"^\s*{_SEPARATOR}\s+")
_NOT_NAME = re.compile(r"[\W_]+")
# "E" between names in capitals is "and" too; "E." is an initial ("Jane E. Brody").
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,;|/&]|\band\b|\be\b(?!\.)|\by\b(?!\.)|\bund\b|\bet\b)\s*", re.IGNORECASE)
_AUTHOR_JUNK = settings.pattern(_RULES["author_junk"], anchored=False)
_BYLINE = re.compile(r"^\s*(?:by|por|von|par|di|da)\s+", re.IGNORECASE)
# Words in capitals run into a name, or two spaces after it: the byline's place ("Fabio
# SerapiãoBRASÍLIA", "Teo Cury  BRASÍLIA"; Estadão's). One space is not enough: French bylines
# write surnames so ("Jean DUPONT").
_PLACE_AFTER_NAME = re.compile(r"(?<=[a-zà-ÿ])(?:\s{2,})?[A-ZÀ-Ý]{3,}(?:\s[A-ZÀ-Ý]{2,})*(?=\s*(?:[,;|/]|\s[eE]\s|$))")
# A role in capitals after a name ("Cláudia Trevisan CORRESPONDENTE").
_ROLE_AFTER_NAME = re.compile(r"(?<=[a-zà-ÿ])\s+[A-ZÀ-Ý][A-ZÀ-Ý ]{3,}$")
# Names run together ("Tânia MonteiroCarla AraújoVera Rosa"): a surname after a first name with
# the next name glued to it; not "McDonald", "DiCaprio", "MacArthur", nor a brand ("e GloboNews").
_GLUED_NAMES = re.compile(r"(\b[A-ZÀ-Ý][\w'’-]* [A-ZÀ-Ý][a-zà-ÿ]{3,})(?=[A-ZÀ-Ý][a-zà-ÿ])")
# A role after a dash ("Ricardo Galhardo - enviado especial a Florianópolis").
_ROLE_AFTER_DASH = re.compile(r"\s+[-–—]\s+[a-zà-ÿ].*$")


@functools.lru_cache(maxsize=50_000)
def registered_domain(url_or_host: str) -> str:
    """The site an address or host belongs to, by the public-suffix list (the ``tld`` package
    ships it; never fetched): 'https://politica.estadao.com.br/x' -> 'estadao.com.br',
    'www.bbc.co.uk' -> 'bbc.co.uk'; '' for a host with no known suffix ('localhost')."""
    from tld import get_fld

    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    host = (host or "").strip(".").lower()
    return (get_fld(host, fix_protocol=True, fail_silently=True, search_private=False) or "") if host else ""


# Host labels that name no site ("news.sky.com" is Sky, not "news").
_GENERIC_HOST_LABELS = {"www", "www1", "www2", "m", "amp", "mobile", "edition", "news", "en", "com", "co", "org",
                        "net", "gov", "edu", "int"}


def site_names(source_name: str, url: str) -> list[str]:
    """Ways a page's title may name its site: the declared site name, its registered domain
    ('dailycourier.co.uk') and that domain's name ('dailycourier'), and the other labels of its
    host that name something ('edition.cnn.com' -> 'cnn', 'edition')."""

    names = [source_name] if source_name.strip() else []
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        host = ""
    if not host:
        return names
    domain = registered_domain(host) or host
    labels = [label for label in host.split(".")[:-1] if label not in _GENERIC_HOST_LABELS]
    return [*names, domain, *(label for label in [domain.split(".")[0], *labels] if len(label) >= 3)]


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
    archive', 'Account You're logged'), a 'By' prefix, a role ('enviado especial a Curitiba')
    or the place a byline ends with after its outlet ('Por Renan Ramalho, G1, Brasília'); ''
    when nothing looks like a name."""
    names: list[str] = []
    raw = _BYLINE.sub("", " ".join(_PLACE_AFTER_NAME.sub("", raw).split()))
    while _GLUED_NAMES.search(raw):  # one at a time: the next name starts where the last one ends
        raw = _GLUED_NAMES.sub(r"\1, ", raw, count=1)
    parts = [_ROLE_AFTER_DASH.sub("", part).strip(" .:-") for part in _AUTHOR_SEPARATOR.split(raw)]
    after_outlet = False
    for number, part in enumerate(parts):
        role = _ROLE_AFTER_NAME.search(part)
        if role and _AUTHOR_JUNK.search(role.group(0)):
            part = part[:role.start()]
        words = part.split()
        outlet = bool(words) and (fold(part) in _OUTLETS or fold(words[0]) in _OUTLETS)  # 'G1', 'G1 São Paulo'
        # after an outlet, the last part is where the byline was written unless it names another
        # outlet ('RBS TV', 'O Estado de S. Paulo'): an outlet or an acronym in it
        if not words or after_outlet and number == len(parts) - 1 and not outlet \
                and not any(len(w) > 1 and w.isupper() for w in words):
            continue
        lower = [w for w in words if w[:1].islower() and fold(w) not in NAME_PARTICLES]
        if (len(words) > 5 or _AUTHOR_JUNK.search(part) or any(ch.isdigit() for ch in part) and not outlet
                or not any(w[:1].isupper() for w in words) or len(lower) >= 2):
            continue
        names.append(part)
        after_outlet = after_outlet or outlet
    return ", ".join(dict.fromkeys(names[:MAX_AUTHORS]))


MAX_AUTHORS = 5
"""Names kept of a byline: 310 of the corpus's 3,211 Brazilian bylines have four parts or more
(Estadão's teams of reporters); three lost the fourth reporter, or the outlet after them."""


# Separators between the segments of a page's <title> ("Headline | Section | Site").
_SEGMENT_SEPARATOR = re.compile(r"\s+(?:[|–—»«·•~/>]|::|-{1,2}|:)\s+")
_ELLIPSIS = ("…", "...")
_HOST = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.IGNORECASE)


def fold(text: str) -> str:
    """Text compared without case, accents or punctuation: 'Économie' == 'economie'."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.sub(r"[\W_]+", " ", "".join(ch for ch in decomposed if not unicodedata.combining(ch))).split())


_OUTLETS = frozenset(fold(outlet) for outlet in OUTLETS)  # as fold writes them ('folha de s paulo')


def _segments(title: str) -> tuple[list[str], list[str]]:
    """A title's segments and the separators between them."""
    parts = _SEGMENT_SEPARATOR.split(title)
    separators = _SEGMENT_SEPARATOR.findall(title)
    return parts, separators


def truncated(title: str) -> bool:
    return title.rstrip().endswith(_ELLIPSIS)


def _stem(title: str) -> str:
    return fold(title.rstrip().removesuffix("...").removesuffix("…"))


def _names_segment(part: str, names: list[str]) -> bool:
    """A segment that is the site's name (or its host) and no more."""
    return len(part.split()) <= 6 and (_names_site(part, names) or bool(_HOST.fullmatch(part.strip())))


def strip_title_segments(title: str, names: list[str], sections: set[str], language: str) -> str:
    """The headline of a chained title: segments that name the site (with anything beyond
    them: a tagline), a host, a section of the site or a date are dropped from either end;
    at least one segment is kept. 'Headline - Politics - Site | Tagline' -> 'Headline'."""
    parts, separators = _segments(title)
    if len(parts) < 2:
        return title

    def furniture(part: str) -> bool:
        return (_names_segment(part, names) or fold(part) in sections or not fold(part)
                or is_date_line(part, language))

    start, end = 0, len(parts)
    # the site's name after the headline: it and everything after it (a tagline) go
    for i in range(1, end):
        if _names_segment(parts[i], names):
            end = i
            break
    while end - start > 1 and furniture(parts[start]):
        start += 1
    while end - start > 1 and furniture(parts[end - 1]):
        end -= 1
    kept = parts[start]
    for i in range(start + 1, end):
        kept += separators[i - 1] + parts[i]
    return kept


def _agrees(headline: str, other: str) -> bool:
    """``headline`` is ``other``, one of its segments (or a run of them), or what a title
    ``other`` cut short with an ellipsis begins."""
    mine = fold(headline)
    if not mine:
        return False
    if truncated(other):
        stem = _stem(other)
        return len(stem) >= 10 and mine.startswith(stem)
    parts, _ = _segments(other)
    folded = [fold(p) for p in parts]
    return any(" ".join(folded[i:j]) == mine for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))


def choose_title(meta_titles: list[str], headings: list[str], names: list[str], sections: set[str],
                 language: str) -> str:
    """A page's headline by agreement of what it declares: ``meta_titles`` (og:title, then
    <title>) and its ``headings`` (<h1>s). An <h1> that a declared title holds (or that a cut
    title begins) is the headline; else the declared title without its site name, section,
    host and date segments. A title cut short (ending in an ellipsis) is never chosen when
    another holds it whole, and a word it cut in half is dropped."""
    meta_titles = [t for t in (" ".join(m.split()) for m in meta_titles) if t]
    headings = [h for h in (" ".join(h.split()) for h in headings)  # not a logo, a section's name or a date
                if h and not _names_segment(h, names) and fold(h) not in sections and not is_date_line(h, language)]
    for heading in headings:
        if not truncated(heading) and any(_agrees(heading, m) for m in meta_titles):
            return heading
    stripped = [strip_title_segments(m, names, sections, language) for m in meta_titles]
    whole = [t for t in stripped if not truncated(t)]
    for title in stripped:
        if truncated(title):
            longer = [t for t in whole + headings if fold(t).startswith(_stem(title))]
            if longer:
                return longer[0]
    if whole:
        # og:title is the publisher's headline; <title> is more often a chain of segments
        return whole[0]
    if headings:
        return headings[0]
    return uncut(stripped[0]) if stripped else ""


def uncut(title: str) -> str:
    """A title cut short by its site without the word it may have cut in half:
    'No seasonal lift for house m…' -> 'No seasonal lift for house…'."""
    if not truncated(title):
        return title
    stem = title.rstrip().removesuffix("...").removesuffix("…").rstrip()
    if " " not in stem:
        return title
    return stem.rsplit(" ", 1)[0].rstrip(" ,;:-–—|") + "…"
