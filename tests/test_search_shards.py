"""Search indexes (publish.index_search): what Pagefind reads of a language site, and a large
archive's index cut into shards, newest articles first, searched in Chromium: a first search
covers the newest shard, the "Older" button after its results searches the next one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import make_project, run_build_cli, search_documents
from test_browser import axe, axe_violations, browser, open_search, serve, visit  # noqa: F401 - fixtures

from generator.publish import index_search

ARTICLE = '<html><body><h1>{title}</h1><div data-pagefind-body><h1>{title}</h1><p>text</p></div></body></html>'
LIST = "<html><body><h1>{title}</h1><p>text</p></body></html>"


def _page(site: Path, path: str, template: str) -> None:
    page = site / path
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(template.format(title=path))


def _shard_slugs(site: Path, folder: str) -> list[str]:
    """The slugs of the articles in one shard's bundle, read back from its fragments."""
    return sorted(document["url"].split("/")[2].removesuffix(".html") for document in search_documents(site, folder))


def test_pagefind_reads_the_article_pages_in_both_url_layouts(tmp_path):
    """With directory URLs an article is articles/<slug>/index.html, without them
    articles/<slug>.html (mkdocs.yml's use_directory_urls); lists and the other pages are
    not indexed, even one that (wrongly) marked its text."""
    site = tmp_path / "site"
    for path in ("articles/one/index.html", "articles/two.html"):
        _page(site, path, ARTICLE)
    for path in ("index.html", "articles/index.html", "articles/archive/2024-01/index.html",
                 "articles/archive/index.html"):
        _page(site, path, LIST)
    _page(site, "stories/one/index.html", ARTICLE)
    assert index_search(site, "en", [["articles/one.md", "articles/two.md"]], True, tmp_path).returncode == 0
    assert sorted(document["url"] for document in search_documents(site)) == ["/articles/one/", "/articles/two.html"]


@pytest.mark.parametrize("directory_urls", [True, False])
def test_each_shard_is_a_bundle_of_its_own_pages(tmp_path, directory_urls):
    site = tmp_path / "site"
    for slug in ("one", "two", "three"):
        _page(site, f"articles/{slug}/index.html" if directory_urls else f"articles/{slug}.html", ARTICLE)
    _page(site, "articles/index.html", LIST)
    shards = [["articles/three.md"], ["articles/one.md", "articles/two.md"]]
    assert index_search(site, "en", shards, directory_urls, tmp_path).returncode == 0
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == ["pagefind-1"]
    assert [_shard_slugs(site, folder) for folder in ("pagefind", "pagefind-1")] == [["three"], ["one", "two"]]
    assert not list(tmp_path.glob("site-search-shard-*"))  # the shards' folders of links are gone


# Five articles on five days, each naming the council and a word of its own; by two a shard,
# the newest first: [comet, tulip], [violin, glacier], [harbour].
DAYS = {"harbour": 1, "glacier": 2, "violin": 3, "tulip": 4, "comet": 5}
SHARDS = [["comet", "tulip"], ["violin", "glacier"], ["harbour"]]
BODIES = {
    "harbour": "Dock workers repaired the harbour wall after the storm. Fishing boats may leave again on Friday.",
    "glacier": "Scientists measured the glacier retreating faster than expected. Hikers were warned about rockfalls.",
    "violin": "A young violin maker opened a workshop in the old town. Musicians queued to try her instruments.",
    "tulip": "Growers expect the tulip fields to bloom early this spring. Visitors are asked to stay on the paths.",
    "comet": "Astronomers spotted a bright comet low on the western horizon. It will be visible until next week.",
}


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory, tiny_models, serve):  # noqa: F811 - serve is a fixture
    """An English site of five dated articles, its search in shards of two, built and served."""
    seeds = tmp_path_factory.mktemp("shard-seeds")
    for word, day in DAYS.items():
        (seeds / f"{word}.txt").write_text(f"The Council and the {word.title()}\nPublished: 2024-05-0{day}\n\n"
                                           f"The council discussed the {word}. {BODIES[word]}\n")
    project = make_project(tmp_path_factory.mktemp("shards") / "project", tiny_models, seeds=seeds, languages="en")
    with (project / "polydigest.toml").open("a") as options:
        options.write("search_shard_articles = 2\n")
    result = run_build_cli(project)
    assert result.returncode == 0, result.stderr
    return project / "site" / "en", serve(project / "site")


def _slug_of(word: str, site: Path) -> str:
    return next(page.parent.name for page in (site / "articles").glob("*/index.html") if word in page.parent.name)


@pytest.mark.browser
def test_a_shard_of_the_newest_articles_then_older_ones_by_date(sharded_site):
    site, _ = sharded_site
    folders = ["pagefind", "pagefind-1", "pagefind-2"]
    assert sorted(path.name for path in site.iterdir() if path.name.startswith("pagefind")) == folders
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == folders[1:]
    for folder, words in zip(folders, SHARDS, strict=True):
        assert _shard_slugs(site, folder) == sorted(_slug_of(word, site) for word in words)
    # an older shard is its index alone: the first shard's pagefind.js searches it
    assert not [path.name for path in (site / "pagefind-1").iterdir() if path.suffix in (".js", ".css")]


@pytest.mark.browser
def test_one_shard_is_the_one_index_of_before(dated_rtl_project):
    """A site smaller than a shard (here 3 articles, shards of 10,000) has its one index."""
    site = dated_rtl_project / "site" / "en"
    assert [path.name for path in site.iterdir() if path.name.startswith("pagefind")] == ["pagefind"]
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == []
    assert len(search_documents(site)) == 3


def _titles(page) -> list[str]:
    return page.locator("li.md-search-result__item h1").all_text_contents()


@pytest.mark.browser
def test_older_articles_are_searched_on_request_with_the_keyboard(sharded_site, visit, axe):  # noqa: F811
    """The first search fetches the newest shard only; "Older" (reached with the arrow keys,
    pressed with Enter) adds the next shard's results and takes the focus to the first; the
    oldest shard's article opens with the searched word highlighted; axe finds nothing."""
    site, base = sharded_site
    v = visit()
    v.context.add_init_script(script=axe)
    fetched: list[str] = []
    v.page.on("response", lambda response: fetched.append(response.url))
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    open_search(v.page, "council")
    assert sorted(_titles(v.page)) == ["The Council and the Comet", "The Council and the Tulip"]
    assert not [url for url in fetched if re.search(r"/pagefind-\d+/", url)]
    older = v.page.get_by_role("button", name="Older")
    assert older.is_visible()
    assert axe_violations(v.page) == []
    for words in SHARDS[1:]:
        for _ in range(len(_titles(v.page)) + 1):  # after the results: from the input, or the first of a shard
            v.page.keyboard.press("ArrowDown")
            if v.page.evaluate("() => document.activeElement.textContent") == "Older":
                break
        assert v.page.evaluate("() => document.activeElement.textContent") == "Older"
        before = len(_titles(v.page))
        v.page.keyboard.press("Enter")
        v.page.wait_for_function(f"() => document.querySelectorAll('li.md-search-result__item').length > {before}")
        titles = _titles(v.page)  # within a shard, by Pagefind's relevance
        assert sorted(titles[before:]) == sorted(f"The Council and the {word.title()}" for word in words)
        assert v.page.evaluate("() => document.activeElement.closest('li').querySelector('h1').textContent") \
            == titles[before]
    assert not older.is_visible()
    assert v.page.locator(".md-search-result__meta").text_content().startswith("5")
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")  # the focus is on the oldest shard's result
    assert f"/en/articles/{_slug_of('harbour', site)}/" in v.page.url
    v.page.wait_for_selector("mark.pagefind-highlight", timeout=10000)
    assert v.errors == [] and v.foreign == []
