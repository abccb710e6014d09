"""What readers of aggregators expect: the original article one click away with its reading
time, a page per source, RSS + Atom + JSON Feed in every language, and an OPML export."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import jsonschema
import pytest
from conftest import make_project
from test_render import localized

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT
from generator.render import render_post

# JSON Feed 1.1 (https://jsonfeed.org/version/1.1), the parts polydigest writes.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "items": {"type": "array", "items": {
            "type": "object",
            "required": ["id"],
            "anyOf": [{"required": ["content_text"]}, {"required": ["content_html"]}],
            "properties": {
                "id": {"type": "string", "minLength": 1}, "url": {"type": "string"},
                "external_url": {"type": "string", "pattern": "^https?://"}, "title": {"type": "string"},
                "content_text": {"type": "string"}, "date_published": {"type": "string", "format": "date-time"},
                "language": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
                "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
            },
            "additionalProperties": False,
        }},
    },
}

STORY = ("The council approved a new riverside park on Thursday after a two-hour debate. "
         "Work on the park will start in spring and should be finished within two years. ")


def test_article_page_links_the_original_and_shows_its_reading_time():
    page = render_post(localized(source_url="https://dailyplanet.example/park", source_name="Daily Planet",
                                 paragraphs=(STORY * 20,)))  # 580 words: about 3 minutes
    assert ('<p class="pd-original-link"><a class="md-button md-button--primary" '
            'href="https://dailyplanet.example/park" rel="noopener">Read the original article</a> '
            '<span class="pd-reading-time">3 min read</span></p>') in page
    assert "[All articles from Daily Planet](../sources/daily-planet.md)" in page


def test_feeds_give_no_publication_date_to_an_undated_article():
    """Its date is the day it was added: a reader of a build's feed saw 2004 news 'published' today."""
    from generator.render import render_feed, render_json_feed

    undated = localized(slug="undated", date=dt.date(2026, 12, 6), date_is_stand_in=True)
    dated = localized(slug="dated", date=dt.date(2026, 12, 5), date_is_stand_in=False)
    rss = ET.fromstring(render_feed([[undated], [dated]], "en"))
    assert {item.findtext("guid"): item.findtext("pubDate") for item in rss.iter("item")} == {
        "en/undated": None, "en/dated": "Sat, 05 Dec 2026 00:00:00 +0000"}
    feed = json.loads(render_json_feed([[undated], [dated]], "en"))
    items = {item["id"]: item.get("date_published") for item in feed["items"]}
    assert items == {"en/undated": None, "en/dated": "2026-12-05T00:00:00+00:00"}


def test_without_a_safe_address_there_is_no_link_only_the_reading_time():
    page = render_post(localized(source_url="javascript:alert(1)", paragraphs=("Short text.",)))
    assert "pd-original-link" not in page and "javascript" not in page.split("??? quote")[0]
    assert '<p class="pd-reading-time">1 min read</p>' in page


@pytest.fixture(scope="module")
def sourced_project(tmp_path_factory, tiny_models):
    seeds = tmp_path_factory.mktemp("sourced-seeds")
    texts = {
        "park": STORY,
        "storm": "Heavy rain and strong winds closed three coastal roads on Friday morning. Ferries stayed in port.",
        "library": "The central library will open on Sundays from December, the mayor announced on Wednesday.",
    }
    for name, day, source in (("park", 20, "Daily Planet"), ("storm", 21, "Daily Planet"), ("library", 19, "Gazette")):
        host = source.lower().replace(" ", "")
        (seeds / f"{name}.md").write_text(
            f"---\ntitle: The {name} story\ndate: 2026-11-{day}\nsource: {source}\nurl: https://{host}.example/{name}\n"
            f"feed: https://{host}.example/rss.xml\n---\n\n{texts[name]}\n")
    project = make_project(tmp_path_factory.mktemp("sourced") / "project", tiny_models, seeds)
    build(load_config(project), SILENT)
    return project


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_rss_and_atom_feeds_are_valid_with_the_same_articles(sourced_project, lang):
    docs = sourced_project / "docs" / lang
    rss, atom = feedparser.parse(str(docs / "feed.xml")), feedparser.parse(str(docs / "atom.xml"))
    assert not rss.bozo and not atom.bozo, (rss.get("bozo_exception"), atom.get("bozo_exception"))
    assert atom.version == "atom10" and rss.version == "rss20"
    assert [e.title for e in atom.entries] == [e.title for e in rss.entries] and len(atom.entries) == 3
    assert atom.entries[0].link.endswith("articles/storm/") and atom.entries[0].id.startswith("urn:uuid:")
    assert (sourced_project / "site" / lang / "atom.xml").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "pt"])
def test_json_feed_passes_the_json_feed_1_1_schema(sourced_project, lang):
    feed = json.loads((sourced_project / "docs" / lang / "feed.json").read_text())
    jsonschema.validate(feed, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    assert [item["external_url"] for item in feed["items"]] == [
        "https://dailyplanet.example/storm", "https://dailyplanet.example/park", "https://gazette.example/library"]
    assert (sourced_project / "site" / lang / "feed.json").is_file()


@pytest.mark.slow
def test_every_list_page_head_links_all_three_feeds_and_article_pages_none(sourced_project):
    # an article page's head stays light (#29): the feeds are linked from the lists a reader subscribes from
    site = sourced_project / "site" / "pt"
    home, article = (site / "index.html").read_text(), (site / "articles" / "storm" / "index.html").read_text()
    for kind, name in (("rss+xml", "feed.xml"), ("atom+xml", "atom.xml"), ("feed+json", "feed.json")):
        assert f'type="application/{kind}"' in home and name in home
        assert f'type="application/{kind}"' not in article


@pytest.mark.slow
def test_a_page_per_source_lists_its_articles_newest_first(sourced_project):
    page = (sourced_project / "docs" / "pt" / "sources" / "daily-planet.md").read_text()
    assert page.index("THE STORM STORY") < page.index("THE PARK STORY") and "library" not in page
    assert "Artigos de Daily Planet, do mais recente ao mais antigo." in page
    index = (sourced_project / "docs" / "pt" / "sources" / "index.md").read_text()
    assert "- [Daily Planet](daily-planet.md) (2)" in index and "- [Gazette](gazette.md) (1)" in index
    assert (sourced_project / "site" / "en" / "sources" / "gazette" / "index.html").is_file()


@pytest.mark.slow
def test_opml_lists_the_feeds_the_articles_came_from(sourced_project):
    root = ET.parse(sourced_project / "site" / "en" / "subscriptions.opml").getroot()
    outlines = [(o.get("text"), o.get("xmlUrl"), o.get("htmlUrl")) for o in root.iter("outline")]
    assert outlines == [("Daily Planet", "https://dailyplanet.example/rss.xml", "https://dailyplanet.example/"),
                        ("Gazette", "https://gazette.example/rss.xml", "https://gazette.example/")]


def test_source_names_with_the_same_address_share_one_page():
    from generator.render import render_sources

    newer = localized(title="Newer", slug="newer", source_name="Estadão", date=dt.date(2024, 5, 7))
    older = localized(title="Older", slug="older", source_name="Estadao", date=dt.date(2024, 5, 6))
    files = render_sources([older, newer], "en")
    assert sorted(files) == ["sources/estadao.md", "sources/index.md"]
    assert ">Newer</a>" in files["sources/estadao.md"] and ">Older</a>" in files["sources/estadao.md"]
    assert "- [Estadão](estadao.md) (2)" in files["sources/index.md"]


def test_the_feeds_link_whole_addresses_where_the_site_says_where_it_is_published():
    from generator.publish import language_url
    from generator.records import Article, LocalizedArticle, Summary
    from generator.render import SiteAddress, render_atom, render_feed, render_json_feed

    article = Article(slug="a", source_file="a.txt", title="Alpha", paragraphs=("Text.",), language="en",
                      date=dt.date(2024, 5, 6), date_is_stand_in=False)
    stories = [[LocalizedArticle(Summary(article, ("Alpha happened.",)), "en", "Alpha", ("Alpha happened.",), None)]]
    site = SiteAddress(language_url("https://news.example.org/digest/", "pt"), directory_urls=False)
    assert site.url == "https://news.example.org/digest/pt/"
    rss = ET.fromstring(render_feed(stories, "pt", address=site))
    assert rss.findtext("channel/link") == site.url
    assert rss.findtext("channel/item/link") == "https://news.example.org/digest/pt/articles/a.html"
    atom = ET.fromstring(render_atom(stories, "pt", address=site))
    assert [link.get("href") for link in atom.iter("{http://www.w3.org/2005/Atom}link")] == [
        site.url, "https://news.example.org/digest/pt/articles/a.html"]
    feed = json.loads(render_json_feed(stories, "pt", address=site))
    assert feed["home_page_url"] == site.url and feed["feed_url"] == site.url + "feed.json"
    assert feed["items"][0]["url"] == "https://news.example.org/digest/pt/articles/a.html"
    # without a site_url, links stay relative to the feed and the JSON feed names no home
    relative = json.loads(render_json_feed(stories, "pt"))
    assert "home_page_url" not in relative and relative["items"][0]["url"] == "articles/a/"
    assert SiteAddress(directory_urls=False).home == "index.html"  # "./" opened from disk is a folder listing
    assert language_url("https://news.example.org/digest?utm=x#top", "en") == "https://news.example.org/digest/en/"
