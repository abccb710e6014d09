"""Metadata of any shape and dates that cannot be publication dates: the bad field is
ignored and reported by file, field and value; the article is kept (issue #24, points 2-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.config import load_config
from generator.dates import DateBounds
from generator.ingest import MAX_TITLE_CHARS, articles_from_file, shorten_title

TODAY = dt.date.today()
BODY = "The council approved the new budget on Monday after a long debate about schools and roads.\n"


def read(tmp_path, name: str, content: str | bytes, **options):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    articles, problems = articles_from_file(path, load_config(tmp_path, options), name)
    return articles, [str(p) for p in problems]


def markdown(front: str, body: str = BODY) -> str:
    return f"---\n{front}\n---\n\n{body}"


@pytest.mark.parametrize("front, field, value", [
    ("date: 0201-01-06", "front matter 'date'", "0201-01-06"),
    ("date: 1899-12-31", "front matter 'date'", "1899-12-31"),
    ("date: 2999-01-01", "front matter 'date'", "2999-01-01"),
])
def test_an_impossible_front_matter_date_is_reported_and_the_stand_in_used(tmp_path, front, field, value):
    (article,), problems = read(tmp_path, "a.md", markdown(front))
    assert article.date_is_stand_in
    assert any(p.startswith(f"a.md: {field} '{value}' ignored") for p in problems), problems


def test_a_date_that_is_no_calendar_day_is_reported(tmp_path):
    (article,), problems = read(tmp_path, "a.md", markdown("date: 2024-02-30"))
    assert article.date_is_stand_in
    assert "a.md: front matter 'date' '2024-02-30' is not a full date (day, month and year); ignored" in problems


def test_tomorrow_counts_and_the_earliest_date_is_an_option(tmp_path):
    tomorrow = TODAY + dt.timedelta(days=1)
    (article,), problems = read(tmp_path, "a.md", markdown(f"date: {tomorrow.isoformat()}"))
    assert article.date == tomorrow and not article.date_is_stand_in
    (old,), problems = read(tmp_path, "b.md", markdown("date: 1985-06-01"), earliest_date="1980-01-01")
    assert old.date == dt.date(1985, 6, 1) and problems == []


def test_date_bounds_say_why():
    bounds = DateBounds(dt.date(1990, 1, 1), dt.date(2026, 12, 5))
    assert bounds.refusal(dt.date(1989, 12, 31)) == "before 1990-01-01 (earliest_date)"
    assert bounds.refusal(dt.date(2026, 12, 7)) == "after tomorrow"
    assert bounds.refusal(dt.date(2026, 12, 6)) is None and bounds.refusal(dt.date(1990, 1, 1)) is None


def test_an_impossible_date_line_in_the_text_is_reported_and_not_used(tmp_path):
    (article,), problems = read(tmp_path, "a.txt", f"Budget approved\n\nPublished: 12/03/1066\n\n{BODY}")
    assert article.date_is_stand_in and "Published" not in article.text
    assert any("a.txt: date line 'Published: 12/03/1066' ignored: 1066-12-03 is before 1990" in p for p in problems)


def test_impossible_page_and_feed_dates_are_reported(tmp_path):
    page = ('<html lang="en"><head><title>Budget approved</title>'
            '<meta property="article:published_time" content="1901-05-01T10:00:00Z"></head>'
            f'<body><article><h1>Budget approved</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>')
    (article,), problems = read(tmp_path, "a.html", page)
    assert article.date_is_stand_in or article.date.year >= 1990
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title><item><title>Budget approved</title>'
            f'<pubDate>Thu, 01 Jan 2099 08:00:00 GMT</pubDate><description>{BODY}</description></item>'
            '</channel></rss>')
    (entry,), problems = read(tmp_path, "f.xml", feed)
    assert entry.date_is_stand_in
    assert any("the entry's 'published'" in p and "2099-01-01 is after tomorrow" in p for p in problems), problems


@pytest.mark.parametrize("front, reported", [
    ("title: [a, list]\ndate: 2024-03-01", "front matter 'title' is a list, not text; ignored"),
    ("title: {a: 1}", "front matter 'title' is a mapping, not text; ignored"),
    ("title: 42", "front matter 'title' is a number (42), not text; ignored"),
    ("date: 20240301", "front matter 'date' is a number (20240301), not a date; ignored"),
    ("date: [2024-03-01]", "front matter 'date' is a list, not a date; ignored"),
    ("source: {name: x}", "front matter 'source' is a mapping, not text; ignored"),
    ("language: [en]", "front matter 'language' is a list, not text; ignored"),
    ("language: English", "front matter 'language' 'English' is not a language code such as 'en'; ignored"),
    ("tags: {a: b}", "front matter 'tags' is a mapping, not a list of tags; ignored"),
    ("author: {name: x}", "front matter 'author' is a mapping, not text; ignored"),
    ("title: !!python/object/apply:os.system ['echo hacked']", "front matter: YAML tag"),
    ("title: First\ntitle: Second", "front matter: key 'title' given twice; the first value is used"),
    ("title: [unclosed", "front matter ignored: not readable YAML"),
])
def test_a_field_of_the_wrong_shape_is_ignored_and_reported_and_the_article_kept(tmp_path, front, reported):
    (article,), problems = read(tmp_path, "a.md", markdown(front))
    assert "council approved the new budget" in article.text
    assert any(p.startswith("a.md: " + reported) for p in problems), problems


def test_a_duplicate_key_keeps_the_first_value(tmp_path):
    (article,), _ = read(tmp_path, "a.md", markdown("title: First title here\ntitle: Second"))
    assert article.title == "First title here"


def test_an_alias_bomb_is_not_expanded(tmp_path):
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    (article,), problems = read(tmp_path, "a.md", markdown("\n".join(bomb) + "\ntitle: *i"))
    assert article.title != "" and len(article.title) < 200
    assert any("YAML alias" in p for p in problems)


def test_bom_crlf_nul_and_bidi_overrides_are_read_safely(tmp_path):
    content = ("\ufeff---\r\ntitle: \"Budget \u202eapproved\u202c\"\r\ndate: 2024-03-01\r\n---\r\n\r\n"
               "The council\x00 approved the new budget on Monday after a long\u2066 debate.\r\n")
    (article,), problems = read(tmp_path, "a.md", content)
    assert article.title == "Budget approved" and article.date == dt.date(2024, 3, 1)
    assert "\x00" not in article.text and "\u2066" not in article.text and "council approved" in article.text


def test_a_thirty_kilobyte_title_is_cut_at_a_word_boundary(tmp_path):
    (article,), problems = read(tmp_path, "a.md", markdown("title: " + "Budget " * 4300))
    assert len(article.title) <= MAX_TITLE_CHARS + 1 and article.title.endswith("Budget…")
    assert any("title of 30,099 characters cut to 150" in p for p in problems)


def test_shorten_title_never_cuts_a_word():
    assert shorten_title("word " * 100).endswith("word…")
    assert shorten_title("x" * 400) == "x" * MAX_TITLE_CHARS + "…"
    assert shorten_title("Short") == "Short"


def test_huge_front_matter_is_ignored_within_limits(tmp_path):
    (article,), problems = read(tmp_path, "a.md", markdown("tags:\n" + "- tag\n" * 20_000))
    assert any("front matter of" in p and "over the 65,536 limit" in p for p in problems)


@pytest.mark.parametrize("stated, reported", [
    ("0201-01-06", "the page's metadata '0201-01-06' ignored: 0201-01-06 is before 1990-01-01 (earliest_date)"),
    ("2020-02-30", "the page's metadata '2020-02-30T10:00:00Z' is not a calendar day; ignored"),
    ("2999-01-01", "the page's metadata '2999-01-01' ignored: 2999-01-01 is after tomorrow"),
])
def test_a_page_date_that_cannot_be_the_publication_date_is_reported_never_made_up(tmp_path, stated, reported):
    page = ('<html lang="en"><head><title>Budget approved</title>'
            f'<meta property="article:published_time" content="{stated}T10:00:00Z"></head>'
            f'<body><article><h1>Budget approved</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>')
    (article,), problems = read(tmp_path, "a.html", page)
    assert article.date_is_stand_in  # never 2020-02-01, which htmldate reads '2020-02-30' as
    assert any(p.startswith("a.html: " + reported) for p in problems), problems


def test_a_page_date_from_before_htmldates_floor_is_kept(tmp_path):
    page = ('<html lang="en"><head><title>Budget approved</title>'
            '<meta property="article:published_time" content="1991-05-01T10:00:00Z"></head>'
            f'<body><article><h1>Budget approved</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>')
    (article,), problems = read(tmp_path, "a.html", page)
    assert article.date == dt.date(1991, 5, 1) and not article.date_is_stand_in
