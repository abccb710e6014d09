"""Stage 5: Markdown pages (and a feed) for every site language, under ``docs/<lang>/``.

Layout per language (the same paths in every language, so the language switcher can
keep a reader on the same page):

- ``index.md``: the digest: the newest ``HOME_STORIES`` stories, each once, with its
  number of sources (older ones are in the editions);
- ``articles/index.md``: the newest articles, the months of the archive and the categories
  (the articles' original languages);
- ``articles/<slug>.md``: one page per article, with its date, category, topics and
  related articles;
- ``articles/archive/<yyyy-mm>.md``, ``articles/category/<language>.md``: a month's
  articles, and those first written in one language; with a size budget (budget.py), an
  article too old to keep its page is listed on its month's page alone, with its title, date,
  source and a link to the original;
- ``editions/index.md`` (the latest days), ``editions/<year>.md``, ``editions/<date>.md``,
  ``editions/undated.md``: daily editions;
- ``tags/index.md``, ``tags/<topic>.md``: the most covered topics, and each topic's articles;
- ``sources/index.md``, ``sources/<source>.md``: every source, and its articles;
- ``feed.xml``, ``atom.xml``, ``feed.json``: RSS 2.0, Atom and JSON Feed 1.1 of the newest
  summaries; ``subscriptions.opml``: the feeds the articles came from (copied as is by MkDocs).

No page grows with the archive, and adding articles changes few pages (publish rebuilds
only the pages whose Markdown changed): a list of 2 × ``PAGE_SIZE`` entries or more shows its
newest entries, and the older ones sit on numbered pages (``<page>.1.md`` the oldest) filled
from the oldest entry on, so a numbered page never changes again (see paginated).

Article text is untrusted: every character that could start HTML or Markdown markup is
written as an HTML entity, so the text is shown exactly and never becomes markup.
Front matter is written by a YAML dumper with known keys only.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import posixpath
import re
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import overload
from urllib.parse import urlsplit

import yaml

from . import paths, settings
from .cleaning import registered_domain
from .faults import describe, failed, is_whole_build_failure
from .languages import word_count
from .messages import format_day, format_month, language_name, language_title
from .messages import message as label
from .mkdocs_hooks import ORIGINAL_PAGE
from .records import Article, LocalizedArticle, Problem
from .rendered import RenderedPages
from .slugs import slugify
from .stories import Digest, Story

BLOG_DIR = "articles"
SOURCES_DIR = "sources"
TAGS_DIR = "tags"
# How much each list holds: settings.toml [render], where each is explained.
_LIMITS = settings.section("render")
PAGE_SIZE: int = _LIMITS["page_size"]
HOME_STORIES: int = _LIMITS["home_stories"]
INDEX_ARTICLES: int = _LIMITS["index_articles"]
EDITION_DAYS: int = _LIMITS["edition_days"]
LISTED_TOPICS: int = _LIMITS["listed_topics"]
MIN_TOPIC_ARTICLES: int = _LIMITS["min_topic_articles"]
MAX_LISTED_SOURCES: int = _LIMITS["max_listed_sources"]
FEED_ITEMS: int = _LIMITS["feed_items"]
WORDS_PER_MINUTE: int = _LIMITS["words_per_minute"]

# Characters that can open markup in Python-Markdown, its extensions or HTML.
_MARKUP_CHARACTERS = set("\\`*_{}[]()<>#+-!|~&^=")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\\]+\Z", re.IGNORECASE)


_MARKUP = re.compile("[" + re.escape("".join(sorted(_MARKUP_CHARACTERS))) + "]")


def escape_text(text: str) -> str:
    """Inline text that renders as exactly these characters, never as markup."""
    return _MARKUP.sub(lambda match: f"&#{ord(match.group())};", " ".join(text.split()))


def escape_paragraph(text: str) -> str:
    """A paragraph of text: also neutralizes block syntax at its start (lists, numbers)."""
    return _inline_only(escape_text(text))


_NUMBERED = re.compile(r"^(\d+)\.")


def _inline_only(markdown: str) -> str:
    """Escaped inline Markdown that cannot start a block (a numbered list) either."""
    return _NUMBERED.sub(r"\1&#46;", markdown)


def safe_url(url: str) -> str | None:
    """The URL when it is plain http(s); anything else is not linked."""
    return url if _SAFE_URL.match(url or "") else None


# libyaml's dumper when PyYAML has it (the same output, many times faster: a page each).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def front_matter(data: dict) -> str:
    return "---\n" + yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def in_language(markdown: str, language: str, page_language: str) -> str:
    """Inline Markdown marked as written in ``language`` when that is not the page's, so that
    screen readers read it in its own language (WCAG 3.1.2, language of parts)."""
    if language == page_language:
        return markdown
    return f'<span lang="{html.escape(language, quote=True)}">{markdown}</span>'


def title_language(item: LocalizedArticle) -> str:
    """The language the article's title is shown in on its page's site."""
    return item.article.language if item.missing_model or item.original_title else item.language


def sentence_language(item: LocalizedArticle, index: int) -> str:
    """The language the summary's sentence ``index`` is shown in on its page's site."""
    shown_in_original = item.missing_model or index in item.original_sentences
    return item.article.language if shown_in_original else item.language


def _title(item: LocalizedArticle) -> str:
    return in_language(escape_text(item.title), title_language(item), item.language)


def _link(item: LocalizedArticle, prefix: str = "") -> str:
    """A link to the article's page from a page ``prefix`` away from the language's root."""
    return f"[{_title(item)}]({prefix}{BLOG_DIR}/{item.article.slug}.md)"


SEARCH_TEXT_END = "<!-- polydigest: end of the searchable text -->"
"""Marks the end of what Pagefind indexes of an article's page (theme/partials/content.html):
its title, date and summary, not the labels, links and notes after them (a fifth of the
words, and Pagefind's memory grows with words indexed: ~900 MB at 10,000 articles)."""


def render_post(item: LocalizedArticle, related: Sequence[LocalizedArticle] = (),
                topics_with_pages: frozenset[str] | set[str] = frozenset(),
                story_links: Sequence[tuple[str, str]] = (), original_on_site: bool = False) -> str:
    """An article's page; a topic in ``topics_with_pages`` links to its page; ``story_links``
    ((text, path from the language's root)) to its story's summary and thread. With
    ``original_on_site`` (the article's own language is another language of the site), the
    page shows the opening of the original text and links the rest on that language's page."""
    article, lang = item.article, item.language
    original_language = language_name(article.language, lang)
    meta = {
        # MkDocs and Material put the page title into <title>, navigation and attributes
        # without escaping it; written pre-escaped, it shows as the text it is everywhere.
        "title": html.escape(" ".join(item.title.split()), quote=True),
        "date": article.date,  # marks an article's page (theme/partials/content.html)
    }
    category = f"[{escape_text(language_title(article.language, lang))}](category/{article.language}.md)"
    dated = "" if article.date_is_stand_in else f"*{escape_text(format_day(article.date, lang))}* · "
    lines = [front_matter(meta), f"# {_title(item)}", "", f"{dated}{category}", "",
             summary_paragraph(item), "", SEARCH_TEXT_END, ""]
    url = safe_url(article.source_url)
    minutes = html.escape(label(lang, "reading_time", minutes=str(reading_minutes(article))))
    if url:  # raw HTML: a button, which Markdown alone cannot make without attr_list
        lines += [f'<p class="pd-original-link"><a class="md-button md-button--primary" href="{html.escape(url)}" '
                  f'rel="noopener">{html.escape(label(lang, "read_original"))}</a> '
                  f'<span class="pd-reading-time">{minutes}</span></p>', ""]
    else:
        lines += [f'<p class="pd-reading-time">{minutes}</p>', ""]
    known = source_of(article)
    source = escape_text(known[1]) if known else ""
    if url:
        source = f"[{source}](<{url}>)"
    if not source:
        source = f"{label(lang, 'file')} {escape_text(article.source_file)}"
    if known:
        source += (f" · [{escape_text(label(lang, 'more_from_source', source=known[1]))}]"
                   f"(../{SOURCES_DIR}/{known[0]}.md)")
    lines += [f"**{label(lang, 'source')}:** {source}", ""]
    if article.author:
        lines += [f"*{label(lang, 'author')} {escape_text(article.author)}*", ""]
    if article.date_is_stand_in:
        lines += [f"*{escape_text(label(lang, 'undated', date=format_day(article.date, lang)))}*", ""]
    if item.translated_from:
        lines += [f"*{escape_text(label(lang, 'translated', language=original_language))}*", ""]
    if item.missing_model:
        lines += [f"*{escape_text(label(lang, 'no_model', language=original_language))}*", ""]
    if item.untranslated:
        lines += [f"*{escape_text(label(lang, 'untranslated', count=str(item.untranslated)))}*", ""]
    if item.tags:
        lines += [f"**{escape_text(label(lang, 'tags_title'))}:** " + " · ".join(
            f"[{escape_text(tag)}](../{TAGS_DIR}/{page}.md)" if page in topics_with_pages
            else escape_text(tag) for tag, page in topic_pages(item)), ""]
    if related:
        lines += [f"**{escape_text(label(lang, 'related'))}:**", ""]
        lines += [f"- {_link(other, '../')} ({escape_text(_source_label(other))})" for other in related] + [""]
    if story_links:
        lines += [" · ".join(f"[{escape_text(text)}](../{path})" for text, path in story_links), ""]
    lines += [f'??? quote "{escape_text(label(lang, "original", language=original_language))}"', ""]
    # The original text is in the article's language: marked so when that is not the page's.
    if article.title != item.title or item.translated_from:
        lines += [f"    {in_language(f'**{escape_text(article.title)}**', article.language, lang)}", ""]
    elsewhere = f"<{url}>" if url else f"{ORIGINAL_PAGE}{article.language}" if original_on_site else ""
    shown = original_excerpt(article.paragraphs) if elsewhere else list(article.paragraphs)
    for paragraph in shown:
        lines += [f"    {in_language(escape_paragraph(paragraph), article.language, lang)}", ""]
    if elsewhere and shown != list(article.paragraphs):
        lines += [f"    [{escape_text(label(lang, 'read_original'))}]({elsewhere})", ""]
    return "\n".join(lines)


ORIGINAL_EXCERPT_CHARACTERS = 800
"""An article whose original is linked shows this much of its original text (its opening, whole
paragraphs, the last one cut at a space), then the link to the rest: its whole text was most of
a median page (4.4 of 6.1 KB of the article at 1,000 real articles, issue #29). The link is the
source's address, else the article's page in its own language when the site has that language
(an archive of files in three languages had each text whole on three pages). Without either,
the page is the one place to read the original, and shows all of it."""


def original_excerpt(paragraphs: Sequence[str], limit: int = ORIGINAL_EXCERPT_CHARACTERS) -> list[str]:
    """The opening paragraphs of ``paragraphs`` up to ``limit`` characters, the last one cut
    at a space before the limit (at the limit in text without spaces) and ended with '…'."""
    shown: list[str] = []
    left = limit
    for paragraph in paragraphs:
        if len(paragraph) <= left:
            shown.append(paragraph)
            left -= len(paragraph)
            continue
        cut = paragraph[:left].rsplit(" ", 1)[0] if " " in paragraph[:left] else paragraph[:left]
        if cut or not shown:
            shown.append(cut.rstrip() + "…")
        break
    return shown


def summary_paragraph(item: LocalizedArticle) -> str:
    """The summary; a sentence shown in the original because its translation failed the
    checks is set in italics, in its own language, followed by a note in the page's language.
    A summary shown as is (no model translates it) is marked as in its own language."""
    if item.missing_model:
        return in_language(_inline_only(escape_text(" ".join(item.sentences))), item.article.language,
                           item.language)
    parts = []
    for index, sentence in enumerate(item.sentences):
        if index in item.original_sentences:
            language = html.escape(item.article.language)
            parts.append(f'<span lang="{language}" class="pd-original">*{escape_text(sentence)}*</span> '
                         f"*({escape_text(label(item.language, 'not_reliable'))})*")
        else:
            parts.append(escape_text(sentence))
    return _inline_only(" ".join(parts))


def reading_minutes(article: Article) -> int:
    """Reading time of the original article, in whole minutes (at least one)."""
    return max(1, round(word_count(article.text) / WORDS_PER_MINUTE))


def source_of(article: Article) -> tuple[str, str] | None:
    """(slug, name) of the article's source: its declared name, else the site its address
    belongs to ('politica.estadao.com.br' -> 'estadao.com.br'); None for a file that names
    neither."""
    host = (urlsplit(article.source_url).hostname or "") if safe_url(article.source_url) else ""
    name = article.source_name or (registered_domain(host) or host if host else "")
    if not name.strip():
        return None
    slug = slugify(name)
    return (slug if slug != "index" else "index-source"), " ".join(name.split())


def _source_label(item: LocalizedArticle) -> str:
    known = source_of(item.article)
    return known[1] if known else item.article.source_file


def _story_lines(story: list[LocalizedArticle], lang: str, prefix: str = "",
                 links: dict[str, list[tuple[str, str]]] | None = None) -> list[str]:
    """A story in a list: the lead article, its first sentence, and the other sources;
    ``links`` (by lead article: see story_links) adds its summary's and thread's pages."""
    lead = story[0]
    date = "" if lead.article.date_is_stand_in else f"*{escape_text(format_day(lead.article.date, lang))}* · "
    lines = [f"## {_link(lead, prefix)}", ""]
    first = in_language(escape_paragraph(lead.sentences[0]), sentence_language(lead, 0), lang) if lead.sentences else ""
    from .outlets import count_outlets  # "3 articles · 2 sources": outlets, not articles

    outlets = count_outlets([item.article for item in story])
    counted = label(lang, "story_count" if outlets > 1 else "story_one_outlet", articles=str(len(story)),
                    outlets=str(outlets))
    count = f" · **{escape_text(counted)}**" if len(story) > 1 else ""
    count += "".join(f" · [{escape_text(text)}]({prefix}{path})"
                     for text, path in (links or {}).get(lead.article.slug, []))
    lines += [f"{date}{first}{count}", ""]
    if len(story) > 1:
        lines += [f"- {_link(other, prefix)} ({escape_text(_source_label(other))})"
                  for other in story[1 : 1 + MAX_LISTED_SOURCES]] + [""]
    return lines


def render_home(stories: list[list[LocalizedArticle]], lang: str,
                links: dict[str, list[tuple[str, str]]] | None = None) -> str:
    lines = [f"# {escape_text(label(lang, 'home_title'))}", "", escape_text(label(lang, "home_intro")), "",
             f"[{escape_text(label(lang, 'more_editions'))}](editions/index.md)", ""]
    if not stories:
        lines += [escape_text(label(lang, "empty")), ""]
    for story in stories[:HOME_STORIES]:
        lines += _story_lines(story, lang, links=links)
    if len(stories) > HOME_STORIES:
        lines += [f"[{escape_text(label(lang, 'more_editions'))}](editions/index.md)", ""]
    return "\n".join(lines)


def render_editions(stories: list[list[LocalizedArticle]], lang: str,
                    links: dict[str, list[tuple[str, str]]] | None = None,
                    rendered: RenderedPages | None = None) -> dict[str, str | None]:
    """editions/index.md (days, newest first), one page per day, and one for undated articles.
    A story belongs to the day of its lead article. With ``rendered`` (the record of docs_dir's
    pages), a day's page it holds made from the same stories is None: kept as it is (a day of news
    changes a few of 5,000 days' pages at 100,000 articles)."""
    days: dict[str, list[list[LocalizedArticle]]] = {}
    undated = []
    for story in stories:
        if story[0].article.date_is_stand_in:
            undated.append(story)
        else:
            days.setdefault(story[0].article.date.isoformat(), []).append(story)
    index = [f"# {escape_text(label(lang, 'editions_title'))}", "", escape_text(label(lang, "editions_intro")), ""]
    files: dict[str, str | None] = {}
    years: dict[str, list[str]] = {}
    for number, day in enumerate(sorted(days, reverse=True)):
        title = escape_text(label(lang, "edition_title", date=format_day(dt.date.fromisoformat(day), lang)))
        entry = f"- [{title}]({day}.md) ({len(days[day])})"
        if number < EDITION_DAYS:
            index.append(entry)
        years.setdefault(day[:4], []).append(entry)
        path = f"editions/{day}.md"
        if rendered is not None and rendered.holds(f"{lang}/{path}", rendered.page_key(
                [item for story in days[day] for item in story], lang, title, [len(story) for story in days[day]],
                [(links or {}).get(story[0].article.slug) for story in days[day]])):
            files[path] = None
            continue
        page = [f"# {title}", ""]
        for story in days[day]:
            page += _story_lines(story, lang, "../", links)
        files[path] = "\n".join(page)
    if undated:
        title = escape_text(label(lang, "undated_title"))
        index.append(f"- [{title}](undated.md) ({len(undated)})")
        # every article the build cannot date lands here: the newest stories, older ones on
        # numbered pages of PAGE_SIZE (a 30,000-article archive made it a 6 MB page)
        head = [f"# {title}", "", escape_text(label(lang, "undated_intro")), ""]
        files.update(paginated("editions/undated.md", head,
                               ["\n".join(_story_lines(story, lang, "../", links)) for story in undated], lang))
    if len(days) > EDITION_DAYS:
        index += ["", f"**{escape_text(label(lang, 'earlier_editions'))}:** " + " · ".join(
            f"[{year}]({year}.md)" for year in sorted(years, reverse=True)), ""]
        for year, entries in years.items():
            title = escape_text(label(lang, "editions_of_year", year=year))
            files.update(paginated(f"editions/{year}.md", [f"# {title}", ""], entries, lang))
    files["editions/index.md"] = "\n".join(index + [""])
    return files


STORIES_DIR = "stories"
THREADS_DIR = "threads"


def _present_stories(digest: Digest, by_slug: dict[str, LocalizedArticle]
                     ) -> list[tuple[Story, list[LocalizedArticle]]]:
    """The digest's stories with their articles on this language's site (newest first)."""
    present = [(story, [by_slug[slug] for slug in story.slugs if slug in by_slug]) for story in digest.stories]
    return [(story, group) for story, group in present if group]


def _threads_shown(digest: Digest, present: list[tuple[Story, list[LocalizedArticle]]]
                   ) -> dict[str, list[tuple[Story, list[LocalizedArticle]]]]:
    """Per thread with two stories or more on this site (``present``: its stories, from
    _present_stories): its stories, in date order."""
    by_id = {story.id: (story, group) for story, group in present}
    threads = {}
    for thread in digest.threads:
        shown = [by_id[story_id] for story_id in thread.stories if story_id in by_id]
        if len(shown) > 1:
            # the events that state a date in date order, then the others by the day they came
            threads[thread.id] = sorted(shown, key=lambda pair: ((day := _event_day(pair[1])) is None,
                                                                 day or pair[1][-1].article.date, pair[0].id))
    return threads


def _event_day(group: list[LocalizedArticle]) -> dt.date | None:
    """A story's day: the earliest date its articles state (None when none does)."""
    return min((item.article.date for item in group if not item.article.date_is_stand_in), default=None)


def _thread_link(story: Story, threads: dict[str, list[tuple[Story, list[LocalizedArticle]]]], lang: str
                 ) -> tuple[str, str] | None:
    """(text, path from the language's root) of a story's link into its thread: its timeline page
    (a thread of three events or more; the link names no count of events, or every page of a
    thread would change as it grows), or, in a thread of two, the other event itself (its summary
    page, or its article when it has one): a timeline of two was a page of its own for one link."""
    events = threads.get(story.thread or "")
    if events is None:
        return None
    if len(events) > 2:
        return label(lang, "thread_link"), f"{THREADS_DIR}/{story.thread}.md"
    own = next(n for n, (event, _) in enumerate(events) if event.id == story.id)
    other, group = events[1 - own]
    path = f"{STORIES_DIR}/{other.id}.md" if len(group) > 1 else f"{BLOG_DIR}/{group[0].article.slug}.md"
    days = [_event_day(articles) for _, articles in events]
    if None in days or days[0] == days[1]:
        # an undated event's day is unknown (a real build's 18 links of two, 17 between undated events,
        # said "Earlier" and "Later" of articles whose order was that of their file names)
        return label(lang, "thread_more"), path
    return label(lang, "thread_later" if own == 0 else "thread_earlier"), path


def story_links(present: list[tuple[Story, list[LocalizedArticle]]],
                threads: dict[str, list[tuple[Story, list[LocalizedArticle]]]], lang: str
                ) -> dict[str, list[tuple[str, str]]]:
    """Per article: (text, path from the language's root) of its story's summary page (a story
    of two articles or more) and of its link into its thread (_thread_link)."""
    links: dict[str, list[tuple[str, str]]] = {}
    for story, group in present:
        found = [(label(lang, "story_summary"), f"{STORIES_DIR}/{story.id}.md")] if len(group) > 1 else []
        thread = _thread_link(story, threads, lang)
        if thread:
            found.append(thread)
        if found:
            for item in group:
                links[item.article.slug] = found
    return links


def _outlet(item: LocalizedArticle) -> str:
    from .outlets import outlet_name

    return outlet_name(item.article) or _source_label(item)


def _counted(group: list[LocalizedArticle], lang: str) -> str:
    from .outlets import count_outlets

    outlets = count_outlets([item.article for item in group])
    return label(lang, "story_count" if outlets > 1 else "story_one_outlet", articles=str(len(group)),
                 outlets=str(outlets))


def render_story_page(story: Story, group: list[LocalizedArticle], summary: Sequence[tuple[str, int]], lang: str,
                      thread: tuple[str, str] | None = None, directory_urls: bool = True) -> str:
    """``stories/<id>.md``: a story of two articles or more: its summary across its articles
    (each sentence as this site shows it, followed by its outlet, linking to its article), its
    articles, and its link into its thread (``thread``: _thread_link's)."""
    lead = group[0]
    by_slug = {item.article.slug: item for item in group}
    date = _event_day(group)
    dated = f"*{escape_text(format_day(date, lang))}* · " if date else ""
    lines = [front_matter({"title": html.escape(" ".join(lead.title.split()), quote=True)}), f"# {_title(lead)}", "",
             f"{dated}**{escape_text(_counted(group, lang))}**", "",
             f"## {escape_text(label(lang, 'story_summary'))}", "", escape_text(label(lang, "story_summary_intro")), ""]
    for slug, index in summary:
        item = by_slug.get(slug)
        if item is None or index >= len(item.sentences):
            continue
        sentence = in_language(escape_paragraph(item.sentences[index]), sentence_language(item, index), lang)
        if not item.missing_model and index in item.original_sentences:
            sentence += f" *({escape_text(label(lang, 'not_reliable'))})*"
        lines.append(f"- {sentence} — [{escape_text(_outlet(item))}](../{BLOG_DIR}/{slug}.md)")
    lines += ["", f"## {escape_text(label(lang, 'story_articles'))}", ""]
    href = article_hrefs(f"{STORIES_DIR}/{story.id}.md", directory_urls)
    lines += ["<ul>", *(_entry(item, lang, href(item.article.slug), f" ({escape_text(_source_label(item))})")
                        for item in group), "</ul>", ""]
    if thread:
        lines += [f"[{escape_text(thread[0])}](../{thread[1]})", ""]
    return "\n".join(lines)


def render_thread_page(thread_id: str, events: list[tuple[Story, list[LocalizedArticle]]],
                       lang: str) -> dict[str, str]:
    """``threads/<id>.md``: a thread's timeline: its stories that state a date in date order, then
    the others (_threads_shown), each linking its lead
    (newest) article and its summary page, with its count of articles and outlets; named by the
    topics its articles share most, else by its newest story's title. Numbered pages from
    2 × PAGE_SIZE stories on (see paginated)."""
    topics = Counter(tag for _, group in events for item in group for tag in item.tags)
    subject = " · ".join(tag for tag, count in topics.most_common(2) if count > 1)
    newest = events[-1][1][0]
    title = label(lang, "thread_title", subject=subject or " ".join(newest.title.split()))
    if subject:
        heading = escape_text(title)
    else:  # the newest title keeps its language mark; escape_text would drop the space before it
        before, after = label(lang, "thread_title", subject="\0").split("\0")
        heading = escape_text(before) + " " * before[-1:].isspace() + _title(newest) + escape_text(after)
    days = [_event_day(group) for _, group in events]
    # an undated event's day is unknown: the timeline says which of its events it can order
    intro = "thread_intro" if all(days) else "thread_intro_undated"
    head = [f"# {heading}", "", escape_text(label(lang, intro)), ""]
    entries = []
    for (story, group), date in zip(events, days, strict=True):
        dated = f"*{escape_text(format_day(date, lang))}* · " if date else ""
        extra = f" ({escape_text(_source_label(group[0]))})"
        if len(group) > 1:
            extra = (f" · **{escape_text(_counted(group, lang))}** · [{escape_text(label(lang, 'story_summary'))}]"
                     f"(../{STORIES_DIR}/{story.id}.md)")
        entries.append(f"- {dated}{_link(group[0], '../')}{extra}")
    return paginated(f"{THREADS_DIR}/{thread_id}.md", head, entries[::-1], lang, title=title, in_date_order=True)


def render_story_pages(digest: Digest, present: list[tuple[Story, list[LocalizedArticle]]],
                       threads: dict[str, list[tuple[Story, list[LocalizedArticle]]]], lang: str,
                       directory_urls: bool = True) -> dict[str, str]:
    """A page per story of two articles or more, and a timeline per thread of three stories or more."""
    files = {}
    for story, group in present:
        if len(group) > 1:
            files[f"{STORIES_DIR}/{story.id}.md"] = render_story_page(story, group, digest.summaries.get(story.id, ()),
                                                                      lang, _thread_link(story, threads, lang),
                                                                      directory_urls)
    for thread_id, events in threads.items():
        if len(events) > 2:
            files.update(render_thread_page(thread_id, events, lang))
    return files


@dataclass(frozen=True)
class SiteAddress:
    """Where a language site is published: its address (mkdocs.yml's ``site_url`` and the language,
    publish.language_url; "" without one: the feeds link relative to themselves, at the language's
    root) and MkDocs' URL layout (``use_directory_urls``)."""

    url: str = ""
    directory_urls: bool = True

    @property
    def home(self) -> str:
        """The language's home page (without directory URLs "./" is a folder: opened from disk, a listing)."""
        return self.url or ("./" if self.directory_urls else "index.html")

    def article(self, slug: str) -> str:
        """An article page's address, for the feeds: "articles/x/" linked a page that, built
        without directory URLs, is articles/x.html."""
        return f"{self.url}{BLOG_DIR}/{slug}/" if self.directory_urls else f"{self.url}{BLOG_DIR}/{slug}.html"


def _feed_items(stories: list[list[LocalizedArticle]], limit: int) -> list[LocalizedArticle]:
    return newest_first([item for story in stories for item in story])[:limit]


def _published(item: LocalizedArticle) -> dt.datetime:
    day = item.article.date
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _xml(root) -> str:  # noqa: ANN001 - an ElementTree element
    from xml.etree import ElementTree as ET

    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _feed_title(lang: str) -> str:
    return label(lang, "feed_title", language=language_name(lang, lang))


def render_feed(stories: list[list[LocalizedArticle]], lang: str, limit: int = FEED_ITEMS,
                address: SiteAddress = SiteAddress()) -> str:
    """RSS 2.0 of the newest articles with their summaries; links to ``address`` (relative to the
    feed without a site_url)."""
    from xml.etree import ElementTree as ET

    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = _feed_title(lang)
    ET.SubElement(channel, "link").text = address.home
    ET.SubElement(channel, "description").text = label(lang, "home_intro")
    ET.SubElement(channel, "language").text = lang
    for item in _feed_items(stories, limit):
        entry = ET.SubElement(channel, "item")
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "link").text = address.article(item.article.slug)
        ET.SubElement(entry, "guid", isPermaLink="false").text = f"{lang}/{item.article.slug}"
        ET.SubElement(entry, "description").text = " ".join(item.sentences)
        if not item.article.date_is_stand_in:  # an undated article's day is when it was added, not published
            ET.SubElement(entry, "pubDate").text = format_datetime(_published(item))
        for tag in item.tags:
            ET.SubElement(entry, "category").text = tag
    return _xml(rss)


def render_atom(stories: list[list[LocalizedArticle]], lang: str, limit: int = FEED_ITEMS,
                address: SiteAddress = SiteAddress()) -> str:
    """Atom 1.0 of the same articles as the RSS feed; ids are stable URNs, links as render_feed's."""
    from xml.etree import ElementTree as ET

    namespace = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", namespace)

    def sub(parent, tag: str, text: str | None = None, **attributes: str):  # noqa: ANN001, ANN202
        element = ET.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
        element.text = text
        return element

    items = _feed_items(stories, limit)
    feed = ET.Element(f"{{{namespace}}}feed", {"xml:lang": lang})
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'polydigest:{lang}')}")
    sub(feed, "title", _feed_title(lang))
    sub(feed, "subtitle", label(lang, "home_intro"))
    sub(feed, "updated", (_published(items[0]) if items else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).isoformat())
    sub(sub(feed, "author"), "name", "polydigest")
    sub(feed, "link", href=address.home, rel="alternate")
    for item in items:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'polydigest:{lang}/{item.article.slug}')}")
        # A title or summary shown in the article's own language (not translated) says so.
        shown_in = title_language(item), item.article.language if item.missing_model else lang
        sub(entry, "title", item.title, **({"xml:lang": shown_in[0]} if shown_in[0] != lang else {}))
        sub(entry, "link", href=address.article(item.article.slug), rel="alternate")
        sub(entry, "updated", _published(item).isoformat())
        sub(entry, "summary", " ".join(item.sentences), **({"xml:lang": shown_in[1]} if shown_in[1] != lang else {}))
        if item.article.author:
            sub(sub(entry, "author"), "name", item.article.author)
        for tag in item.tags:
            sub(entry, "category", term=tag)
    return _xml(feed)


def render_json_feed(stories: list[list[LocalizedArticle]], lang: str, limit: int = FEED_ITEMS,
                     address: SiteAddress = SiteAddress()) -> str:
    """JSON Feed 1.1 of the same articles; ``external_url`` is the original article; links as
    render_feed's (``home_page_url`` and ``feed_url`` only with a site_url: the format wants them whole)."""
    items = []
    for item in _feed_items(stories, limit):
        entry: dict = {"id": f"{lang}/{item.article.slug}", "url": address.article(item.article.slug),
                       "title": item.title, "content_text": " ".join(item.sentences)}
        if not item.article.date_is_stand_in:
            entry["date_published"] = _published(item).isoformat()
        entry["language"] = item.article.language if item.missing_model else lang
        if safe_url(item.article.source_url):
            entry["external_url"] = item.article.source_url
        if item.article.author:
            entry["authors"] = [{"name": item.article.author}]
        if item.tags:
            entry["tags"] = list(item.tags)
        items.append(entry)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": _feed_title(lang),
            **({"home_page_url": address.url, "feed_url": f"{address.url}feed.json"} if address.url else {}),
            "description": label(lang, "home_intro"), "language": lang, "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def render_opml(items: list[LocalizedArticle], lang: str) -> str:
    """OPML 2.0 of the feeds the site's articles came from, so readers can follow them too."""
    from xml.etree import ElementTree as ET

    opml = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(opml, "head"), "title").text = _feed_title(lang)
    body = ET.SubElement(opml, "body")
    feeds: dict[str, tuple[str, Article]] = {}  # feed address -> (name, its newest article)
    for item in newest_first(items):
        url = item.article.feed_url
        if safe_url(url) and url not in feeds:
            feeds[url] = ((source_of(item.article) or ("", url))[1], item.article)
    for url, (name, article) in sorted(feeds.items(), key=lambda pair: pair[1][0].lower()):
        outline = {"type": "rss", "text": name, "title": name, "xmlUrl": url}
        if safe_url(article.source_url):
            parts = urlsplit(article.source_url)
            outline["htmlUrl"] = f"{parts.scheme}://{parts.netloc}/"
        ET.SubElement(body, "outline", outline)
    return _xml(opml)


def render_sources(items: list[LocalizedArticle], lang: str, directory_urls: bool = True,
                   rendered: RenderedPages | None = None) -> dict[str, str | None]:
    """sources/index.md (every source, with its number of articles) and one page per source
    (with ``rendered``: None for a page it holds, paginated)."""
    # By address: names that differ only in accents or case ('Estadão', 'Estadao') share one
    # page, named as the newest article names it, instead of overwriting each other's.
    names: dict[str, str] = {}
    by_source: dict[str, list[LocalizedArticle]] = {}
    for item in newest_first(items):
        known = source_of(item.article)
        if known:
            names.setdefault(known[0], known[1])
            by_source.setdefault(known[0], []).append(item)
    index = [f"# {escape_text(label(lang, 'sources_title'))}", "", escape_text(label(lang, "sources_intro")), "",
             f"[{escape_text(label(lang, 'subscriptions'))}](../subscriptions.opml)", "",
             f"{escape_text(label(lang, 'feeds'))}: [RSS](../feed.xml) · [Atom](../atom.xml) · "
             f"[JSON Feed](../feed.json)", ""]
    files: dict[str, str | None] = {}
    for slug, group in sorted(by_source.items(), key=lambda pair: names[pair[0]].lower()):
        name = names[slug]
        index.append(f"- [{escape_text(name)}]({slug}.md) ({len(group)})")
        # The source's name comes from the article: written pre-escaped as the page title, which
        # MkDocs and Material put into <title> and the navigation without escaping (see render_post).
        head = [f"# {escape_text(name)}", "", escape_text(label(lang, "source_intro", source=name)), ""]
        files.update(paginated(f"{SOURCES_DIR}/{slug}.md", head, _linked_entries(
            group, lang, f"{SOURCES_DIR}/{slug}.md", directory_urls), lang, title=name, rendered=rendered))
    files[f"{SOURCES_DIR}/index.md"] = "\n".join(index + [""])
    return files


def _date_prefix(item: LocalizedArticle, lang: str) -> str:
    """The article's date and a separator, for a list entry (HTML); nothing for a stand-in date."""
    return "" if item.article.date_is_stand_in else f"<em>{escape_text(format_day(item.article.date, lang))}</em> · "


def article_hrefs(page: str, directory_urls: bool) -> Callable[[str], str]:
    """The address of an article's page (by slug) from the page ``page`` (a Markdown path relative
    to the language's docs), as MkDocs would resolve a link to it (mkdocs.yml's
    ``use_directory_urls``): for list entries written as HTML, which MkDocs passes through."""
    folder = page.removesuffix(".md") if directory_urls else posixpath.dirname(page)  # no list is an index.md
    root = f"{posixpath.relpath(BLOG_DIR, folder or '.')}/"  # as MkDocs writes it: "../../" from an archive month
    return (lambda slug: f"{root}{slug}/") if directory_urls else (lambda slug: f"{root}{slug}.html")


def _entry(item: LocalizedArticle, lang: str, address: str | None, after: str = "") -> str:
    """A list's entry for an article: its date and its title linking to ``address`` (HTML-safe:
    its page's, article_hrefs', or its original's; None: not linked), then ``after`` (HTML), as
    one HTML list item. As Markdown, Python-Markdown read each entry's emphasis and link: a topic
    page of 150 entries took ~30 ms of MkDocs' time (8 ms as HTML), and a day of 300 articles
    changes ~360 topic pages a language at 100,000."""
    title = f'<a href="{address}">{_title(item)}</a>' if address else _title(item)
    return f"<li>{_date_prefix(item, lang)}{title}{after}</li>"


def _linked_entries(items: Sequence[LocalizedArticle], lang: str, page: str, directory_urls: bool) -> Entries:
    """``items`` as a list page's entries, each linking its article's page."""
    href = article_hrefs(page, directory_urls)
    return Entries(items, lambda item: _entry(item, lang, href(item.article.slug)), (directory_urls,))


def tag_slug(tag: str) -> str:
    slug = slugify(tag)
    return slug if slug != "index" else "index-topic"


def topic_pages(item: LocalizedArticle) -> list[tuple[str, str]]:
    """Each of the article's topics as shown, and the name of its page: the same on every
    language site (LocalizedArticle.tag_pages), so the language switcher finds it."""
    pages = item.tag_pages if len(item.tag_pages) == len(item.tags) else item.tags
    found: dict[str, str] = {}  # page -> topic: two topics on one page are one topic here
    for tag, page in zip(item.tags, pages, strict=True):
        found.setdefault(tag_slug(page), tag)
    return [(tag, page) for page, tag in found.items()]


def render_tags(items: list[LocalizedArticle], lang: str, directory_urls: bool = True,
                rendered: RenderedPages | None = None) -> dict[str, str | None]:
    """tags/index.md (the most covered topics) and a page of each topic's articles, for the
    topics of at least MIN_TOPIC_ARTICLES articles (with ``rendered``: None for a page it holds,
    paginated)."""
    names: dict[str, str] = {}
    by_tag: dict[str, list[LocalizedArticle]] = {}
    for item in newest_first(items):
        for tag, page in topic_pages(item):
            names.setdefault(page, tag)
            by_tag.setdefault(page, []).append(item)
    by_tag = {slug: group for slug, group in by_tag.items() if len(group) >= MIN_TOPIC_ARTICLES}
    ranked = sorted(by_tag, key=lambda slug: (-len(by_tag[slug]), names[slug].lower(), slug))[:LISTED_TOPICS]
    index = [f"# {escape_text(label(lang, 'tags_title'))}", "", escape_text(label(lang, "tags_intro")), ""]
    index += [f"- [{escape_text(names[slug])}]({slug}.md) ({len(by_tag[slug])})" for slug in ranked]
    files: dict[str, str | None] = {f"{TAGS_DIR}/index.md": "\n".join(index + [""])}
    for slug, group in by_tag.items():
        head = [f"# {escape_text(names[slug])}", "", escape_text(label(lang, "tag_intro", topic=names[slug])), ""]
        files.update(paginated(f"{TAGS_DIR}/{slug}.md", head, _linked_entries(
            group, lang, f"{TAGS_DIR}/{slug}.md", directory_urls), lang, title=names[slug], rendered=rendered))
    return files


def topics_with_pages(items: list[LocalizedArticle]) -> set[str]:
    counts = Counter(page for item in items for _, page in topic_pages(item))
    return {slug for slug, count in counts.items() if count >= MIN_TOPIC_ARTICLES}


def _folded_entry(item: LocalizedArticle, lang: str) -> str:
    """A month page's entry for an article without a page of its own: its date, its title
    linking to the original, and its source."""
    url = safe_url(item.article.source_url)
    return _entry(item, lang, url and html.escape(url, quote=True), f" ({escape_text(_source_label(item))})")


def render_blog(items: list[LocalizedArticle], lang: str, folded: Sequence[LocalizedArticle] = (),
                directory_urls: bool = True, rendered: RenderedPages | None = None) -> dict[str, str | None]:
    """articles/index.md (the newest articles, the archive's months, the categories), a page
    per month and one per category (the language an article was first written in). The
    ``folded`` articles, which have no page of their own, are on their month's page only."""
    ordered = newest_first(items)
    months: dict[str, list[LocalizedArticle]] = {}
    categories: dict[str, list[LocalizedArticle]] = {}
    for item in newest_first([*items, *folded]):
        months.setdefault(f"{item.article.date.year:04d}-{item.article.date.month:02d}", []).append(item)
    for item in ordered:
        categories.setdefault(item.article.language, []).append(item)
    index = [f"# {escape_text(label(lang, 'blog_title'))}", ""]
    for item in ordered[:INDEX_ARTICLES]:
        dated = "" if item.article.date_is_stand_in else f"*{escape_text(format_day(item.article.date, lang))}* · "
        first = in_language(escape_paragraph(item.sentences[0]), sentence_language(item, 0), lang) if item.sentences \
            else ""
        index += [f"## [{_title(item)}]({item.article.slug}.md)", "", f"{dated}{first}", ""]
    index += [f"## {escape_text(label(lang, 'archive'))}", ""]
    years: dict[str, list[str]] = {}
    for month in months:
        name = escape_text(format_month(dt.date.fromisoformat(month + "-01"), lang))
        years.setdefault(month[:4], []).append(f"[{name}](archive/{month}.md) ({len(months[month])})")
    index += [f"- **{year}:** " + " · ".join(links) for year, links in years.items()] + [""]
    index += [f"## {escape_text(label(lang, 'categories'))}", ""]
    index += [f"- [{escape_text(language_title(code, lang))}](category/{code}.md) ({len(group)})"
              for code, group in sorted(categories.items(), key=lambda pair: (-len(pair[1]), pair[0]))] + [""]
    files: dict[str, str | None] = {f"{BLOG_DIR}/index.md": "\n".join(index)}
    without_page = {item.article.slug for item in folded}
    for month, group in months.items():
        title = format_month(dt.date.fromisoformat(month + "-01"), lang)
        href = article_hrefs(f"{BLOG_DIR}/archive/{month}.md", directory_urls)

        def month_entry(item: LocalizedArticle, href: Callable[[str], str] = href) -> str:
            return _folded_entry(item, lang) if item.article.slug in without_page \
                else _entry(item, lang, href(item.article.slug))
        files.update(paginated(f"{BLOG_DIR}/archive/{month}.md", [f"# {escape_text(title)}", ""],
                               Entries(group, month_entry, (directory_urls,),
                                       lambda item: item.article.slug in without_page),
                               lang, title=title, rendered=rendered))
    for code, group in categories.items():
        title = language_title(code, lang)
        head = [f"# {escape_text(title)}", "",
                escape_text(label(lang, "category_intro", language=language_name(code, lang))), ""]
        files.update(paginated(f"{BLOG_DIR}/category/{code}.md", head, _linked_entries(
            group, lang, f"{BLOG_DIR}/category/{code}.md", directory_urls), lang, title=title, rendered=rendered))
    return files


@dataclass(frozen=True)
class Entries:
    """A list page's entries, written only for the pages that changed: the articles (newest
    first), how each is written (an HTML list item, _entry), and what decides its text besides
    the article and the page (``kind``: a month page links the original of an article without a
    page of its own). At 100,000 articles a language's lists held ~640,000 entries, all written
    again every day to change a few hundred pages."""
    items: Sequence[LocalizedArticle]
    write: Callable[[LocalizedArticle], str]
    written_with: tuple[object, ...]
    """What ``write`` reads besides the article (the site's URL layout)."""
    kind: Callable[[LocalizedArticle], object] = lambda item: None

    def __len__(self) -> int:
        return len(self.items)


@overload
def paginated(path: str, head: list[str], entries: Sequence[str], lang: str, title: str = "",
              in_date_order: bool = False, rendered: RenderedPages | None = None) -> dict[str, str]: ...
@overload
def paginated(path: str, head: list[str], entries: Entries, lang: str, title: str = "",
              in_date_order: bool = False, rendered: RenderedPages | None = None) -> dict[str, str | None]: ...
def paginated(path: str, head: list[str], entries: Sequence[str] | Entries, lang: str, title: str = "",
              in_date_order: bool = False, rendered: RenderedPages | None = None) -> Mapping[str, str | None]:
    """``path``: ``head`` and the newest ``entries`` (given newest first). When there are
    2 × PAGE_SIZE or more, the older ones are on numbered pages of PAGE_SIZE filled from the
    oldest entry (``<stem>.1.md`` …), which never change once written but for the link to a
    newer page, each linking to the newer and the older page; the first page holds every entry
    no numbered page does (PAGE_SIZE to 2 × PAGE_SIZE - 1 of them): an entry is on one page
    only (a first page of the newest PAGE_SIZE repeated most of the newest numbered page, and
    readers paging on met the same articles again). Numbered pages carry no number: counted
    from the oldest, the page after the first was "Page 7". ``title`` (from an article: written
    pre-escaped, see render_post) names the pages. ``in_date_order``: each page lists its
    entries oldest first (a timeline). ``Entries`` are an HTML list; with ``rendered`` (the
    record of docs_dir's pages), a page of them it holds made from the same articles is None:
    kept as it is."""
    stem = path.removesuffix(".md")
    name = stem.rsplit("/", 1)[-1]
    numbered = max(0, len(entries) // PAGE_SIZE - 1)
    matter = [front_matter({"title": html.escape(title, quote=True)})] if title else []
    language_dir = f"{lang}/"

    def page(page_path: str, begin: int, end: int, newer: str | None, older: str | None) -> str | None:
        if isinstance(entries, Entries):
            shown_items = entries.items[begin:end]
            if rendered is not None and rendered.holds(language_dir + page_path, rendered.page_key(
                    shown_items, lang, matter, head, newer, older, in_date_order, entries.written_with,
                    [entries.kind(item) for item in shown_items])):
                return None
            shown = ["<ul>", *(entries.write(item) for item in (shown_items[::-1] if in_date_order else shown_items)),
                     "</ul>"]
        else:
            shown = list(entries[begin:end])
            shown = shown[::-1] if in_date_order else shown
        links = [f"[← {escape_text(label(lang, 'newer'))}]({newer}.md)"] if newer else []
        links += [f"[{escape_text(label(lang, 'older'))} →]({older}.md)"] if older else []
        footer = [" · ".join(links), ""] if links else []
        return "\n".join(matter + head + shown + [""] + footer)

    total = len(entries)
    files = {path: page(path, 0, total - numbered * PAGE_SIZE, None, f"{name}.{numbered}" if numbered else None)}
    for number in range(1, numbered + 1):
        # counted from the oldest entry: numbered page 1 holds the oldest PAGE_SIZE
        end = total - (number - 1) * PAGE_SIZE
        files[f"{stem}.{number}.md"] = page(f"{stem}.{number}.md", end - PAGE_SIZE, end,
                                            name if number == numbered else f"{name}.{number + 1}",
                                            f"{name}.{number - 1}" if number > 1 else None)
    return files


def newest_first(items: list[LocalizedArticle]) -> list[LocalizedArticle]:
    return sorted(items, key=lambda i: (-i.article.date.toordinal(), i.article.slug))


def render_language(items: list[LocalizedArticle], lang: str, digest: Digest,
                    problems: list[Problem], own_pages: int | None = None,
                    site_languages: Sequence[str] = (), rendered: RenderedPages | None = None,
                    originals_left_out: set[str] | None = None, originals_missing: Collection[str] = (),
                    address: SiteAddress = SiteAddress()) -> dict[str, str | None]:
    """All files of one language, by path relative to ``docs/<lang>/``, of a site in
    ``site_languages`` (where an article's original text is whole, but for the articles
    ``originals_missing`` names: left out of their own language's site), published at ``address``
    (lists link articles in HTML, as its URL layout has them; the feeds link its pages); with ``rendered`` (the
    record of docs_dir's pages), an article, list or edition page it holds is None: kept as it is. An article that makes
    its page or any list fail to render is left out of the language's site and reported in ``problems``
    (and added to ``originals_left_out`` when this is its own language's site); a failure no single
    article causes is a bug, and raised. With ``own_pages``
    (the size budget, budget.own_pages), only the newest ``own_pages`` articles have pages and
    places in the lists; the older ones are on their month's archive page alone."""
    ordered = newest_first(items)
    items, folded = (items, []) if own_pages is None else (ordered[:own_pages], ordered[own_pages:])
    while True:
        try:
            return _render_language(items, lang, digest, folded, site_languages, rendered, originals_missing,
                                    address)
        except Exception as exc:
            if is_whole_build_failure(exc):
                raise
            culprits = _failing_articles(items, lang, folded, site_languages, originals_missing, address)
            if not culprits:
                raise
            for item, error in culprits.items():
                problems.append(Problem(item.article.source_file,
                                        failed("render", error, f"left out of the {lang} site")))
                if originals_left_out is not None and item.article.language == lang:
                    originals_left_out.add(item.article.slug)
            items = [item for item in items if item not in culprits]
            folded = [item for item in folded if item not in culprits]


def _failing_articles(items: list[LocalizedArticle], lang: str, folded: Sequence[LocalizedArticle] = (),
                      site_languages: Sequence[str] = (), originals_missing: Collection[str] = (),
                      address: SiteAddress = SiteAddress()) -> dict[LocalizedArticle, str]:
    """The articles that fail to render on their own, as the one article of a site (or the one
    entry of its month's archive, when the budget folded it there), and why."""
    culprits = {}
    alone: list[tuple[list[LocalizedArticle], Digest, tuple[LocalizedArticle, ...]]] = [
        ([item], Digest([Story((item.article.slug,))], {}), ()) for item in items]
    alone += [([], Digest([], {}), (item,)) for item in folded]
    for own, digest, archived in alone:
        try:
            _render_language(own, lang, digest, archived, site_languages, originals_missing=originals_missing,
                             address=address)
        except Exception as exc:
            if is_whole_build_failure(exc):
                raise
            culprits[(own or list(archived))[0]] = describe(exc)
    return culprits


def _render_language(items: list[LocalizedArticle], lang: str, digest: Digest,
                     folded: Sequence[LocalizedArticle] = (), site_languages: Sequence[str] = (),
                     rendered: RenderedPages | None = None, originals_missing: Collection[str] = (),
                     address: SiteAddress = SiteAddress()) -> dict[str, str | None]:
    directory_urls = address.directory_urls
    by_slug = {item.article.slug: item for item in items}
    present = _present_stories(digest, by_slug)  # once: 30,000 stories took ~0.2 s a call, four calls a language
    grouped = [group for _, group in present]
    threads = _threads_shown(digest, present)
    links = story_links(present, threads, lang)
    files: dict[str, str | None] = {
        "index.md": render_home(grouped, lang, links),
        **render_blog(items, lang, folded, directory_urls, rendered),
        "feed.xml": render_feed(grouped, lang, address=address),
        "atom.xml": render_atom(grouped, lang, address=address),
        "feed.json": render_json_feed(grouped, lang, address=address),
        "subscriptions.opml": render_opml(items, lang),
        **render_editions(grouped, lang, links, rendered),
        **render_story_pages(digest, present, threads, lang, directory_urls),
        **render_sources(items, lang, directory_urls, rendered),
        **render_tags(items, lang, directory_urls, rendered),
    }
    topics = topics_with_pages(items)
    for item in items:
        path = f"{BLOG_DIR}/{item.article.slug}.md"
        related = [by_slug[slug] for slug in digest.related.get(item.article.slug, ()) if slug in by_slug]
        story = links.get(item.article.slug, [])
        on_site = item.article.language != lang and item.article.language in site_languages \
            and item.article.slug not in originals_missing
        if rendered is not None and rendered.holds(f"{lang}/{path}", rendered.page_key(
                [item, *related], lang, sorted(page for _, page in topic_pages(item) if page in topics),
                story, on_site)):
            files[path] = None
        else:
            files[path] = render_post(item, related, topics, story, original_on_site=on_site)
    return files


def write_tree(root: Path, files: Iterable[tuple[str, str | None]]) -> tuple[int, int]:
    """Make ``root`` hold exactly ``files`` ((relative path, content) pairs, taken one at a
    time, so a caller can make them as they are written; content None: the file as it is):
    unchanged files are not rewritten
    (their modification times stay, so nothing downstream sees a change), stale ones are
    removed (but for the marker that makes ``root`` polydigest's), and the folders left empty.
    Returns (files, written)."""
    wanted = {paths.MARKER}
    written = 0
    for relative, content in files:
        wanted.add(relative)
        if content is None:
            continue
        path = root / relative
        data = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        written += 1
    if root.is_dir():
        _remove_unwanted(str(root), "", wanted)
    return len(wanted) - 1, written


def _remove_unwanted(folder: str, prefix: str, wanted: set[str]) -> bool:
    """Remove what is below ``folder`` (named ``prefix`` + its name relative to the root) and
    not ``wanted``, and the folders that become empty; whether ``folder`` is now empty. Plain
    scandir and strings: at 30,000 articles, Path.rglob over docs_dir's 230,000 entries took
    a fifth of a day's render stage."""
    empty = True
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        name = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if _remove_unwanted(entry.path, name + "/", wanted):
                os.rmdir(entry.path)
            else:
                empty = False
        elif name in wanted:
            empty = False
        else:
            os.unlink(entry.path)
    return empty
