"""From a pile of pages to a digest: related stories across sources and languages,
topics, daily editions and feeds. Uses the real en<->pt models: grouping compares the
English translation of a Portuguese article with English articles."""

import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import REPO, make_project

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

RELATED = Path(__file__).parent / "fixtures" / "related"
STORM = ["storm-gazette", "storm-herald", "storm-pt"]


@pytest.fixture(scope="module")
def digest(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("digest-seeds")
    for name in STORM + ["wildfire", "phone-launch"]:
        shutil.copy(RELATED / f"{name}.txt", seeds / f"{name}.txt")
    project = make_project(tmp_path_factory.mktemp("digest") / "project", REPO / "models", seeds=seeds)
    report = build(load_config(project), SILENT)
    return project, report


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n", 2)[1])


def test_three_sources_of_one_event_are_one_story_on_the_home_page(digest):
    project, _ = digest
    for lang, sources in (("en", "3 sources"), ("pt", "3 fontes")):
        home = (project / "docs" / lang / "index.md").read_text()
        headings = re.findall(r"^## \[.*\]\(articles/([\w-]+)\.md\)", home, re.M)
        assert headings == ["storm-pt", "wildfire", "phone-launch"]  # newest story first, each once
        assert home.count(sources) == 1
        for slug in ("storm-gazette", "storm-herald"):
            assert f"articles/{slug}.md" in home  # listed under the story


def test_each_article_lists_its_related_articles(digest):
    project, _ = digest
    for lang in ("en", "pt"):
        for slug in STORM:
            page = (project / "docs" / lang / "articles" / f"{slug}.md").read_text()
            linked = set(re.findall(r"\(\.\./articles/([\w-]+)\.md\)", page))
            assert linked == set(STORM) - {slug}
        lone = (project / "docs" / lang / "articles" / "wildfire.md").read_text()
        assert "../articles/" not in lone


def test_articles_carry_topics_in_the_site_language(digest):
    project, _ = digest
    english = (project / "docs" / "en" / "articles" / "storm-gazette.md").read_text()
    assert "[Port Harbor](../tags/port-harbor.md)" in english
    portuguese = (project / "docs" / "pt" / "articles" / "storm-herald.md").read_text()
    assert "[Port Harbor](../tags/port-harbor.md)" in portuguese
    for lang in ("en", "pt"):
        tags_page = (project / "site" / lang / "tags" / "index.html").read_text()
        count = int(re.search(r'href="port-harbor/">Port Harbor</a> \((\d+)\)', tags_page).group(1))
        topic = (project / "site" / lang / "tags" / "port-harbor" / "index.html").read_text()
        assert count >= 2 and topic.count('href="../../articles/storm-') == count


def test_daily_editions_list_each_day_newest_first(digest):
    project, _ = digest
    index = (project / "docs" / "en" / "editions" / "index.md").read_text()
    assert re.findall(r"\((\d{4}-\d{2}-\d{2})\.md\)", index) == ["2024-03-15", "2024-03-14", "2024-03-12"]
    day = (project / "docs" / "en" / "editions" / "2024-03-14.md").read_text()
    assert "wildfire.md" in day and "storm" not in day  # the storm story belongs to its lead's day
    assert "Edição de 15 de março de 2024" in (project / "docs" / "pt" / "editions" / "2024-03-15.md").read_text()
    assert (project / "site" / "en" / "editions" / "2024-03-15" / "index.html").is_file()
    assert "editions/index.md" in (project / "docs" / "en" / "index.md").read_text()  # reachable from home


def test_feed_per_language_is_valid_and_linked_from_every_page(digest):
    project, _ = digest
    for lang in ("en", "pt"):
        feed = feedparser.parse((project / "site" / lang / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.language == lang and len(feed.entries) == 5
        titles = [e.title for e in feed.entries]
        assert titles[0] == ("Tempestade inunda cidades costeiras" if lang == "pt" else titles[0])
        assert all(e.summary for e in feed.entries)
        for page in (project / "site" / lang).rglob("*.html"):
            assert 'type="application/rss+xml"' in page.read_text(), page
