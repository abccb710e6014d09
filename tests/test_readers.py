"""Articles as people have them: plain text, Markdown with front matter, saved web pages
and RSS/Atom feeds, in several languages, side by side in one seeds folder."""

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import make_project

from generator.config import load_config
from generator.core import build
from generator.dedup import canonical_url
from generator.ingest import articles_from_file, ingest
from generator.progress import SILENT

FIXTURES = Path(__file__).parent / "fixtures"
GERMAN = ("Stadt eröffnet neue Brücke\n\nDie Stadt hat am Montag eine neue Brücke über den Fluss eröffnet. "
          "Der Bau hat drei Jahre gedauert und mehr als zehn Millionen Euro gekostet. "
          "Der Bürgermeister sagte, die Brücke werde den Verkehr in der Innenstadt deutlich entlasten.\n")


def read(name, languages="en,pt"):
    articles, problems = articles_from_file(FIXTURES / name, load_config(FIXTURES, {"languages": languages}), name)
    return articles, problems


def test_cluttered_news_page_yields_clean_text_and_metadata():
    (article,), problems = read("cluttered-page.html")
    assert problems == []
    assert article.title == "Storm floods coastal towns"
    assert article.date == dt.date(2024, 3, 14) and not article.date_is_stand_in
    assert article.author == "Lois Lane"
    assert article.source_url == "https://dailyplanet.example/news/2024/storm-floods-coastal-towns"
    assert article.paragraphs[0].startswith("A powerful storm flooded several coastal towns")
    for clutter in ("cookies", "Advertisement", "umbrellas", "Related stories", "Celebrity", "Leave a Reply",
                    "cheap pills", "Copyright", "Home", "By Lois Lane"):
        assert clutter not in article.text, clutter


def test_feed_entries_are_articles_with_their_own_metadata():
    articles, problems = read("newsfeed.xml")
    assert problems == []
    assert [a.title for a in articles] == ["Storm floods coastal towns", "City opens new library",
                                           "Local team wins the cup"]
    library = articles[1]
    assert library.date == dt.date(2024, 3, 13) and library.author == "Jimmy Olsen"
    assert library.source_name == "The Daily Planet" and library.tags == ("Culture",)
    assert library.source_url == "https://dailyplanet.example/news/2024/city-opens-new-library"
    assert "Share this" not in library.text and "ten in the evening" in library.text
    assert library.slug == "newsfeed-city-opens-new-library"


def test_markdown_front_matter_wins_over_guesses():
    (article,), problems = read("council-notes.md")
    assert problems == []
    assert article.title == "Council approves: a bigger budget"
    assert article.date == dt.date(2024, 3, 11) and article.author == "Clark Kent"
    assert article.source_url == "https://council.example/minutes/2024-03-11"
    assert article.tags == ("budget", "council") and article.language == "en"
    assert "**" not in article.text and "approved a larger budget" in article.text
    assert "READ MORE" not in article.text


def test_character_references_in_markdown_front_matter_are_characters(tmp_path):
    """A BBC headline stored as '&#163;1.8m indecency fine for Viacom' was shown so on the
    English page, and as '&-163;' after translation: in Markdown, as in its text, it is £."""
    (tmp_path / "fine.md").write_text(
        "---\ntitle: '&#163;1.8m indecency fine for Viacom, Tom&notes say'\nsource: 'Smith &amp; Sons'\n"
        "url: https://news.example.com/story?id=5&section=world&amp=1\n---\n\n"
        "The regulator fined the broadcaster &#163;1.8m on Monday.\n")
    (article,), problems = articles_from_file(tmp_path / "fine.md", load_config(tmp_path, {"languages": "en"}),
                                              "fine.md")
    # only references ending in ";" ("&not" is no "¬"), and none in an address ("&section" is no "§section")
    assert problems == [] and article.title == "£1.8m indecency fine for Viacom, Tom&notes say"
    assert article.source_name == "Smith & Sons" and "£1.8m" in article.text
    assert article.source_url == "https://news.example.com/story?id=5&section=world&amp=1"


def test_portuguese_article_is_detected_as_portuguese():
    (article,), _ = read("noticia-portuguesa.txt")
    assert article.language == "pt" and article.title == "Governo anuncia corte de impostos"


def test_windows_1252_file_is_decoded():
    (article,), _ = read("cp1252-cafe.txt")
    assert article.title == "Café owners protest new rules" and "“concerns”" in article.text


def test_same_story_as_page_and_feed_entry_is_kept_once_as_the_fuller_copy(tmp_path):
    (tmp_path / "seeds").mkdir()
    for name in ("cluttered-page.html", "newsfeed.xml"):
        shutil.copy(FIXTURES / name, tmp_path / "seeds" / name)
    articles, problems = ingest(load_config(tmp_path))
    storms = [a for a in articles if a.title == "Storm floods coastal towns"]
    assert [a.source_file for a in storms] == ["cluttered-page.html"]
    assert [(p.subject, "same URL" in p.reason) for p in problems] == [("newsfeed.xml#1", True)]


def test_near_identical_text_is_one_story(tmp_path):
    text = (FIXTURES / "cluttered-page.html").read_text()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.html").write_text(text)
    (tmp_path / "seeds" / "b.html").write_text(text.replace("dailyplanet.example/news", "mirror.example/copy")
                                               .replace("Forecasters expect", "Weather forecasters expect"))
    articles, problems = ingest(load_config(tmp_path))
    assert len(articles) == 1 and "near-identical text" in problems[0].reason


def test_only_buckets_two_texts_share_are_numbered_and_no_number_serves_two_bands():
    from generator.dedup import BANDS, ROWS, _shared_buckets
    rows = np.arange(4 * BANDS * ROWS, dtype=np.uint64).reshape(4, BANDS * ROWS)
    rows[1, :ROWS] = rows[0, :ROWS]  # texts 0 and 1 agree on the first band
    rows[3, ROWS:] = rows[2, ROWS:]  # texts 2 and 3 on every band but the first
    rows[:, -ROWS:] = 7  # and all four on the last
    shared = _shared_buckets(rows)
    assert [len(buckets) for buckets in shared] == [2, 2, BANDS - 1, BANDS - 1]
    assert shared[0] == [shared[1][0], shared[2][-1]] and shared[2] == shared[3]
    assert shared[0][-1] == shared[1][-1] == shared[2][-1] == shared[3][-1]
    assert len(set(shared[2])) == BANDS - 1 and shared[0][0] not in shared[2]


def test_canonical_url_ignores_scheme_www_tracking_and_trailing_slash():
    assert canonical_url("https://www.x.example/a/b/?utm_source=rss&id=3#top") == canonical_url("http://x.example/a/b?id=3")
    assert canonical_url("javascript:alert(1)") == ""


@pytest.mark.parametrize("name, content, reason", [
    ("not-a-feed.xml", "this is not xml at all", "not an RSS or Atom feed"),
    ("empty-page.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text"),
])
def test_broken_files_of_each_format_are_reported_by_name(tmp_path, name, content, reason):
    (tmp_path / name).write_text(content)
    articles, problems = articles_from_file(tmp_path / name, load_config(tmp_path), name)
    assert articles == [] and len(problems) == 1
    assert problems[0].subject == name and reason in problems[0].reason


def test_short_text_in_an_unsure_language_falls_back_and_is_reported(tmp_path):
    (tmp_path / "short.txt").write_text("Hmm\n\nOk ok.")
    (article,), problems = articles_from_file(tmp_path / "short.txt", load_config(tmp_path), "short.txt")
    assert article.language == "en" and "language unsure" in problems[0].reason


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory, tiny_models):
    seeds = tmp_path_factory.mktemp("mixed-seeds")
    for path in FIXTURES.iterdir():
        if path.is_file():
            shutil.copy(path, seeds / path.name)
    (seeds / "brucke.txt").write_text(GERMAN)
    project = make_project(tmp_path_factory.mktemp("mixed") / "project", tiny_models, seeds=seeds)
    return project, build(load_config(project), SILENT)


@pytest.mark.slow  # reads the site built by mixed_site
def test_mixed_formats_and_languages_build_one_bilingual_site(mixed_site):
    project, report = mixed_site
    # the page, 2 of the 3 feed entries (one repeats the page), Markdown, 2 texts, German
    assert report.articles == 7
    posts = sorted(p.parent.name for p in (project / "site" / "en" / "articles").glob("*/index.html"))
    assert "cluttered-page" in posts and "newsfeed-city-opens-new-library" in posts
    assert "newsfeed-storm-floods-coastal-towns" not in posts


@pytest.mark.slow  # reads the site built by mixed_site
def test_portuguese_article_gets_a_portuguese_summary_and_its_english_translation(mixed_site):
    project, _ = mixed_site
    pt = (project / "docs" / "pt" / "articles" / "noticia-portuguesa.md").read_text()
    en = (project / "docs" / "en" / "articles" / "noticia-portuguesa.md").read_text()
    assert "# Governo anuncia corte de impostos" in pt and "O governo anunciou" in pt
    assert "# GOVERNO ANUNCIA CORTE DE IMPOSTOS" in en and "O GOVERNO ANUNCIOU" in en
    assert "Machine&#45;translated from Portuguese" in en


@pytest.mark.slow  # reads the site built by mixed_site
def test_article_no_model_covers_appears_in_its_own_language_and_is_reported(mixed_site):
    project, report = mixed_site
    for lang in ("en", "pt"):
        page = (project / "docs" / lang / "articles" / "brucke.md").read_text()
        assert "Die Stadt hat am Montag" in page
    english = (project / "docs" / "en" / "articles" / "brucke.md").read_text()
    assert "No translation model for German" in english
    missing = sorted(p.subject for p in report.problems if p.subject.startswith("translation de"))
    assert missing == ["translation de -> en", "translation de -> pt"]


@pytest.mark.slow  # reads the site built by mixed_site
def test_no_boilerplate_from_any_format_reaches_the_pages(mixed_site):
    project, _ = mixed_site
    for page in (project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for phrase in ("Accept all cookies", "umbrellas", "cheap pills", "Celebrity weddings", "READ MORE",
                       "Share this"):
            assert phrase not in text, (page, phrase)
