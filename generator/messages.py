"""Every text polydigest writes on a page, in the page's language.

The English texts below are the source; translations live in gettext catalogs, one per
language, ``generator/locale/<lang>/LC_MESSAGES/polydigest.po`` (read with Babel, like the
catalogs MkDocs themes ship). Each entry's ``msgctxt`` is the key the code uses and its
``msgid`` the English text, so a translator sees what to translate. A language without a
catalog, or an entry a catalog lacks, falls back to English, and ``missing_messages`` says
which, so the build can report it. Language names and dates come from CLDR (Babel) for
every language CLDR knows, catalog or not.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "polydigest"

# key -> English text. Placeholders are Python format fields; translations keep them.
MESSAGES = {
    "home_title": "News digest",
    "home_intro": "Summaries of the latest articles, in every language of this site.",
    "source": "Source",
    "file": "file",
    "undated": "Undated: the article states no date; {date} is when it was added.",
    "translated": "Machine-translated from {language} with Argos Translate.",
    "untranslated": "Parts that could not be machine-translated reliably and are shown in the original "
                    "language: {count}.",
    "not_reliable": "original text: the machine translation was not reliable",
    "original": "Original text ({language})",
    "no_model": "No translation model for {language} is installed: shown in the original language.",
    "author": "By",
    "related": "Related coverage",
    "sources": "{count} sources",
    "story_count": "{articles} articles · {outlets} sources",
    "story_one_outlet": "{articles} articles · one source",
    "story_summary": "Story summary",
    "story_summary_intro": "Sentences from the summaries of this story's articles, those the coverage agrees on most "
                           "first, each followed by the outlet that wrote it.",
    "story_articles": "Articles of this story",
    "thread_title": "Timeline: {subject}",
    "thread_intro": "The events of this ongoing story, oldest first; each links to its newest article.",
    "thread_intro_undated": "The events of this ongoing story, each linking its newest article: those that state a "
                            "date, oldest first, then those that state none.",
    "thread_link": "Timeline of this subject",
    "thread_earlier": "Earlier on this subject",
    "thread_later": "Later on this subject",
    "thread_more": "More on this subject",
    "editions_title": "Daily editions",
    "editions_intro": "The stories of each day, newest day first.",
    "edition_title": "Edition of {date}",
    "undated_title": "Undated articles",
    "undated_intro": "These articles state no date.",
    "tags_title": "Topics",
    "tags_intro": "The most covered topics, with their number of articles.",
    "tag_intro": "Articles about {topic}, newest first.",
    "earlier_editions": "Earlier editions",
    "editions_of_year": "Daily editions of {year}",
    "newer": "Newer",
    "older": "Older",
    "more_results": "More results",
    "made_with": "Made with",
    "not_found": "Page not found",
    "archive": "Archive",
    "categories": "Categories",
    "category_intro": "Articles first written in {language}, newest first.",
    "more_editions": "All daily editions",
    "feed_title": "News digest ({language})",
    "blog_title": "Articles",
    "empty": "No articles yet.",
    "read_original": "Read the original article",
    "reading_time": "{minutes} min read",
    "more_from_source": "All articles from {source}",
    "sources_title": "Sources",
    "sources_intro": "Every source on this site, with its number of articles.",
    "source_intro": "Articles from {source}, newest first.",
    "subscriptions": "Follow the same feeds: subscription list (OPML)",
    "feeds": "Feeds of this site",
}


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """key -> translated text of ``lang``'s catalog (empty when it has none). An entry whose
    English text changed since it was translated is not used: it would say something else."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not path.is_file():
        return {}
    with path.open("rb") as handle:
        entries = read_po(handle, locale=lang, domain=DOMAIN)
    return {
        message.context: str(message.string)
        for message in entries
        if message.context in MESSAGES and message.id == MESSAGES[message.context] and message.string
        and not message.fuzzy
    }


def message(lang: str, key: str, **values: str) -> str:
    """The text ``key`` in ``lang``, else in English; ``values`` fill its placeholders."""
    return catalog(lang).get(key, MESSAGES[key]).format(**values)


def missing_messages(lang: str) -> list[str]:
    """Keys that ``lang`` shows in English for want of a translation."""
    if lang == "en":
        return []
    translated = catalog(lang)
    return [key for key in MESSAGES if key not in translated]


@functools.cache
def locale_of(lang: str):
    """Babel's locale for ``lang``; English for a language CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@functools.lru_cache(maxsize=65536)  # pages repeat the same days and names
def language_name(code: str, in_language: str = "en") -> str:
    """Name of language ``code`` as written in ``in_language`` (CLDR): 'inglês', 'Englisch'."""
    return locale_of(in_language).languages.get(code) or locale_of("en").languages.get(code) or code


@functools.lru_cache(maxsize=65536)  # pages repeat the same days and names
def language_title(code: str, in_language: str = "en") -> str:
    """The name as a label or heading starts: 'Inglês', 'Português'."""
    name = language_name(code, in_language)
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=65536)  # pages repeat the same days and names
def format_month(day: dt.date, lang: str) -> str:
    """The month of ``day`` with its year, as ``lang`` names it in a heading: 'Dezembro de 2026'."""
    from babel.dates import format_skeleton

    name = format_skeleton("yMMMM", day, locale=locale_of(lang))
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=65536)  # pages repeat the same days and names
def format_day(day: dt.date, lang: str) -> str:
    """A day as ``lang`` writes it in running text: '1 de dezembro de 2026', 'December 1, 2026'."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale_of(lang))


