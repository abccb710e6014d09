"""Search indexes (publish.index_search): what Pagefind reads of a language site, and a large
archive's index cut into shards by date that stay put (publish.index_language indexes again
only those whose articles changed), searched in Chromium: a first search covers the newest
shard, the "Older" button after its results searches the next one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import make_project, run_build_cli, search_answered, search_documents, watch_search
from hypothesis import given
from hypothesis import strategies as st
from test_browser import axe, axe_violations, browser, open_search, serve, visit  # noqa: F401 - fixtures

from generator.errors import PublishError
from generator.publish import (
    LONGEST_FILE,
    article_url,
    cut_shards,
    index_language,
    index_search,
    page_output,
    remove_unused_files,
    searchable_text,
)
from generator.render import SEARCH_TEXT_END

ARTICLE = ('<html><body><div data-pagefind-body><h1 id="toc-id">{title}</h1>\n'
           '<p><em>May 3, 2024</em> · <a href="../category/en/">English</a></p>\n<p>text</p></div>'
           '<!-- pd-searchable-end --><h2 id="more">Links</h2><p>not searched</p></body></html>')
LIST = "<html><body><h1>{title}</h1><p>text</p></body></html>"


def _page(site: Path, path: str, template: str) -> None:
    page = site / path
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(template.format(title=path))


def _shard_slugs(site: Path, folder: str) -> list[str]:
    """The slugs of the articles in one shard's bundle, read back from its fragments."""
    return sorted(document["url"].split("/")[2].removesuffix(".html") for document in search_documents(site, folder))


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_search_holds_each_article_pages_title_and_summary_under_its_address(tmp_path, directory_urls):
    """With directory URLs an article is articles/<slug>/index.html, without them
    articles/<slug>.html (mkdocs.yml's use_directory_urls); lists and the other pages are not
    indexed, nor an article page's date and category line or the part after its searchable text
    (only its title and summary). Twelve articles make
    two search documents (Pagefind's fragment files), not twelve."""
    site = tmp_path / "site"
    slugs = [f"article-{number:02d}" for number in range(12)]
    for slug in slugs:
        _page(site, f"articles/{slug}/index.html" if directory_urls else f"articles/{slug}.html", ARTICLE)
    for path in ("index.html", "articles/index.html", "articles/archive/2024-01/index.html"):
        _page(site, path, LIST)
    pages = [f"articles/{slug}.md" for slug in slugs] + ["articles/index.md"]
    assert index_search(site, "en", [pages], directory_urls, tmp_path).returncode == 0
    documents = search_documents(site)
    assert sorted(document["url"] for document in documents) == \
        [f"/articles/{slug}/" if directory_urls else f"/articles/{slug}.html" for slug in slugs]
    assert {document["content"] for document in documents} == \
        {f"{document['meta']['title']}. text." for document in documents}
    assert len(list((site / "pagefind" / "fragment").iterdir())) == 2


def test_an_article_address_is_its_page_in_either_url_layout():
    assert article_url("articles/consumer-price-index.md", True) == "articles/consumer-price-index/"
    assert article_url("articles/consumer-price-index.md", False) == "articles/consumer-price-index.html"
    # where MkDocs writes a page: a continuation page's number is no suffix
    assert page_output("tags/harbor.2.md", False) == Path("tags/harbor.2.html")
    assert page_output("tags/harbor.2.md") == Path("tags/harbor.2/index.html")
    assert page_output("tags/index.md") == Path("tags/index.html")


def test_an_article_page_that_lost_the_end_of_its_searchable_text_stops_the_search():
    """A plugin that strips HTML comments would leave every article out of the search: said, not silent."""
    page = ARTICLE.format(title="x").replace("<!-- pd-searchable-end -->", "")
    with pytest.raises(PublishError, match="removing HTML comments"):
        searchable_text(page, "articles/x/")
    assert searchable_text(LIST.format(title="x"), "articles/") is None


def test_a_site_without_articles_has_no_search_index(tmp_path):
    site = tmp_path / "site"
    _page(site, "articles/index.html", LIST)
    assert index_search(site, "en", [["articles/index.md"]], True, tmp_path).returncode == 0
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == []
    assert search_documents(site) == []


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


def test_the_open_shard_is_cut_above_one_and_a_half_shards_at_a_day_boundary():
    """Of the open shard's oldest whole days, those holding at most a shard become a closed
    one (a day of more alone); all of a day go to one side; one day is never cut."""
    day = [f"2024-05-0{d}" for d in range(10)]
    assert cut_shards([], [day[1], day[2], day[3]], 2) == []  # three: one and a half shards of two
    assert cut_shards([], [day[1], day[2], day[3], day[4]], 2) == [day[3]]
    assert cut_shards([], [day[1], day[2], day[2], day[3]], 2) == [day[2]]  # day 2 stays whole, open
    assert cut_shards([], [day[1]] * 5, 2) == []
    assert cut_shards([], [day[1]] * 5 + [day[2]], 2) == [day[2]]
    assert cut_shards([day[3]], [day[1]] * 9 + [day[3], day[4], day[5]], 2) == [day[3]]  # closed ones stay put
    assert cut_shards([], [day[d] for d in range(1, 10)], 2) == [day[3], day[5], day[7]]


@given(st.lists(st.integers(1, 6), min_size=1, max_size=25), st.integers(1, 4), st.integers(1, 3))
def test_cutting_from_scratch_gives_the_cuts_of_a_site_grown_day_by_day(per_day, shard_articles, days_a_build):
    dates = [f"2024-{1 + day // 28:02}-{1 + day % 28:02}" for day, count in enumerate(per_day) for _ in range(count)]
    cuts: list[str] = []
    for end in range(days_a_build, len(per_day) + days_a_build, days_a_build):
        cuts = cut_shards(cuts, dates[:sum(per_day[:end])], shard_articles)
    assert cuts == cut_shards([], dates, shard_articles)


class Language:
    """A language's Markdown and site as publish leaves them (each article's page, its date in
    its front matter), built again as publish does in place: a new site of the same pages
    whose search is ``index_language``'s, from the last one's."""

    def __init__(self, root: Path, shard_articles: int = 2):
        self.root, self.shard_articles, self.docs = root, shard_articles, root / "docs"
        self.site: Path | None = None
        self.remembered: dict = {}
        self.builds = 0

    def add(self, word: str, day: int, summary: str = "A summary.", related: str = "") -> None:
        (self.docs / "articles").mkdir(parents=True, exist_ok=True)
        (self.docs / "articles" / f"{word}.md").write_text(
            f"---\ntitle: {word}\ndate: 2024-05-{day:02}\n---\n\n# {word}\n\n{summary}\n\n{SEARCH_TEXT_END}\n\n"
            f"{related}")

    def build(self, afresh: bool = False) -> list[str]:
        """The folders indexed."""
        self.builds += 1
        site = self.root / f"site-{self.builds}"
        for page in (self.docs / "articles").glob("*.md"):
            _page(site, f"articles/{page.stem}/index.html", ARTICLE)
        current = None if afresh else self.site
        indexing, self.remembered, indexed = index_language(site, "en", self.docs, self.shard_articles,
                                                            {} if afresh else self.remembered, current, True, self.root)
        assert indexing.returncode == 0, indexing.stderr
        remove_unused_files(site)
        self.site = site
        return indexed

    def shards(self) -> list[list[str]]:
        """Each bundle's articles, newest shard first, as a search reaches them."""
        assert self.site is not None
        folders = ["pagefind", *json.loads((self.site / "pagefind" / "shards.json").read_text())]
        assert sorted(path.name for path in self.site.iterdir() if path.name.startswith("pagefind")) == sorted(folders)
        return [_shard_slugs(self.site, folder) for folder in folders]


def _inodes(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_ino for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def grown(tmp_path) -> Language:
    """Four articles on four days in shards of two: the oldest two closed, the open two."""
    language = Language(tmp_path)
    for day, word in enumerate(["harbour", "glacier", "violin", "tulip"], 1):
        language.add(word, day)
    assert language.build() == ["pagefind", "pagefind-1"]
    assert language.shards() == [["tulip", "violin"], ["glacier", "harbour"]]
    assert language.remembered == {"shard_articles": 2, "cuts": ["2024-05-03"]}
    return language


def test_a_newer_article_reindexes_only_the_open_shard(grown):
    before = grown.site
    grown.add("comet", 5)
    assert grown.build() == ["pagefind"]
    assert grown.shards() == [["comet", "tulip", "violin"], ["glacier", "harbour"]]
    assert _inodes(grown.site / "pagefind-1") == _inodes(before / "pagefind-1")  # linked, not indexed


def test_an_old_dated_article_reindexes_only_its_closed_shard(grown):
    before = grown.site
    shards_file = (before / "pagefind" / "shards.json").read_text()
    grown.add("anchor", 1)
    assert grown.build() == ["pagefind-1"]
    assert grown.shards() == [["tulip", "violin"], ["anchor", "glacier", "harbour"]]
    assert grown.remembered["cuts"] == ["2024-05-03"]
    carried = _inodes(grown.site / "pagefind")
    assert carried.pop("shards.json") != _inodes(before / "pagefind")["shards.json"]  # rewritten, not through a link
    assert carried.items() < _inodes(before / "pagefind").items()
    assert (before / "pagefind" / "shards.json").read_text() == shards_file


def test_a_large_backfill_makes_the_cuts_of_a_site_built_afresh(grown):
    """A closed shard grown above one and a half shards (two old-dated articles more) would
    make Pagefind's memory grow with backfills: every cut is made anew."""
    grown.add("anchor", 1)
    grown.add("beacon", 2)
    assert grown.build() == ["pagefind-1", "pagefind-2"]  # the open shard is the same
    assert grown.shards() == [["tulip", "violin"], ["beacon", "glacier"], ["anchor", "harbour"]]
    grown_cuts = grown.remembered["cuts"]
    grown.build(afresh=True)
    assert grown.remembered["cuts"] == grown_cuts == ["2024-05-02", "2024-05-03"]


def test_only_a_change_to_an_articles_searchable_text_reindexes_its_shard(grown):
    """Its related links (after render.SEARCH_TEXT_END) change as newer articles come: not indexed."""
    assert grown.build() == []
    grown.add("glacier", 2, related="Related: [comet](comet.md)")
    assert grown.build() == []
    grown.add("glacier", 2, summary="A corrected summary.")
    assert grown.build() == ["pagefind-1"]


def test_an_open_shard_above_one_and_a_half_shards_rolls_over_into_a_closed_one(grown):
    before = grown.site
    grown.add("comet", 5)
    grown.build()
    grown.add("lantern", 6)
    assert grown.build() == ["pagefind", "pagefind-1"]
    assert grown.shards() == [["comet", "lantern"], ["tulip", "violin"], ["glacier", "harbour"]]
    assert grown.remembered["cuts"] == ["2024-05-03", "2024-05-05"]
    assert _inodes(grown.site / "pagefind-2") == _inodes(before / "pagefind-1")  # renamed, still the same files


def test_a_site_built_afresh_has_the_cuts_of_the_grown_one(grown):
    for day, word in enumerate(["comet", "lantern", "meadow", "orchid"], 5):
        grown.add(word, day)
        grown.build()
    grown_shards, grown_cuts = grown.shards(), grown.remembered["cuts"]
    assert len(grown_shards) == 4
    assert grown.build(afresh=True) == ["pagefind", "pagefind-1", "pagefind-2", "pagefind-3"]
    assert (grown.shards(), grown.remembered["cuts"]) == (grown_shards, grown_cuts)
    assert sorted(slug for shard in grown_shards for slug in shard) == sorted(
        page.stem for page in (grown.docs / "articles").glob("*.md"))  # each article in one shard


# Five articles on five days, each naming the council and a word of its own; in shards of two
# (the open one cut above three), the newest first: [comet, tulip, violin], [glacier, harbour].
DAYS = {"harbour": 1, "glacier": 2, "violin": 3, "tulip": 4, "comet": 5}
SHARDS = [["comet", "tulip", "violin"], ["glacier", "harbour"]]
BODIES = {
    "harbour": "Dock workers repaired the harbour wall after the storm. Fishing boats may leave again on Friday.",
    "glacier": "Scientists measured the glacier retreating faster than expected. Hikers were warned about rockfalls.",
    "violin": "A young violin maker opened a workshop in the old town. Musicians queued to try her instruments.",
    "tulip": "Growers expect the tulip fields to bloom early this spring. Visitors are asked to stay on the paths.",
    "comet": "Astronomers spotted a bright comet low on the western horizon. It will be visible until next week.",
}


def _seed(seeds: Path, word: str, date: str) -> None:
    body = BODIES.get(word, f"Residents asked about the {word} at the meeting. A decision is expected soon.")
    (seeds / f"{word}.txt").write_text(f"The Council and the {word.title()}\nPublished: {date}\n\n"
                                       f"The council discussed the {word}. {body}\n")


def _sharded_project(root: Path, models: Path, days: dict[str, int], shard_articles: int = 2) -> Path:
    """An English project of dated articles (a word and its day of May 2024), its search in
    shards of ``shard_articles``, built."""
    seeds = root / "seeds-given"
    seeds.mkdir(parents=True)
    for word, day in days.items():
        _seed(seeds, word, f"2024-05-{day:02}")
    project = make_project(root / "project", models, seeds=seeds, languages="en")
    with (project / "polydigest.toml").open("a") as options:
        options.write(f"search_shard_articles = {shard_articles}\n")
    result = run_build_cli(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory, tiny_models, serve):  # noqa: F811 - serve is a fixture
    """An English site of five dated articles, its search in shards of two, built and served."""
    project = _sharded_project(tmp_path_factory.mktemp("shards"), tiny_models, DAYS)
    return project / "site" / "en", serve(project / "site")


@pytest.mark.slow
def test_a_build_in_place_indexes_only_the_shards_whose_articles_changed(tmp_path, tiny_models):
    """Through publish: a newer article is indexed into the open shard alone, an old-dated one
    into its closed shard alone; the other bundle is the current site's files, linked."""
    project = _sharded_project(tmp_path, tiny_models, {word: day for word, day in DAYS.items() if word != "comet"})
    site = project / "site" / "en"
    closed = _inodes(site / "pagefind-1")
    _seed(project / "seeds", "comet", "2024-05-05")
    result = run_build_cli(project)
    assert result.returncode == 0, result.stderr
    assert _inodes(site / "pagefind-1") == closed
    opened = _inodes(site / "pagefind")
    _seed(project / "seeds", "anchor", "2024-04-30")
    result = run_build_cli(project)
    assert result.returncode == 0, result.stderr
    assert {name: inode for name, inode in _inodes(site / "pagefind").items() if name != "shards.json"}.items() \
        < opened.items()
    assert _inodes(site / "pagefind-1") != closed
    state = json.loads((project / ".polydigest" / "site-state.json").read_text())
    assert state["en"]["search"] == {"shard_articles": 2, "cuts": ["2024-05-03"]}
    assert [_shard_slugs(site, folder) for folder in ("pagefind", "pagefind-1")] \
        == [["comet", "tulip", "violin"], ["anchor", "glacier", "harbour"]]


def _slug_of(word: str, site: Path) -> str:
    return next(page.parent.name for page in (site / "articles").glob("*/index.html") if word in page.parent.name)


@pytest.mark.browser
def test_a_shard_of_the_newest_articles_then_older_ones_by_date(sharded_site):
    site, _ = sharded_site
    folders = ["pagefind", "pagefind-1"]
    assert sorted(path.name for path in site.iterdir() if path.name.startswith("pagefind")) == folders
    assert json.loads((site / "pagefind" / "shards.json").read_text()) == folders[1:]
    for folder, words in zip(folders, SHARDS, strict=True):
        assert _shard_slugs(site, folder) == sorted(_slug_of(word, site) for word in words)
    # an older shard is its index alone: the first shard's pagefind.js searches it
    assert not [path.name for path in (site / "pagefind-1").iterdir() if path.suffix in (".js", ".css")]


@pytest.mark.browser
def test_a_result_is_an_article_holding_every_word_of_the_query(sharded_site, visit):  # noqa: F811
    """The newest shard's three articles (comet, tulip, violin) are one search document, one
    after the other: Pagefind finds the document for words or a phrase spread over two of
    them, the search lists no article for them; an article holding them all is listed."""
    _, base = sharded_site
    v = visit()
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    v.page.keyboard.press("/")
    meta = v.page.locator(".md-search-result__meta")
    assert _answer(v.page, "comet tulip") == [] and meta.text_content() == "No matching documents"
    assert _answer(v.page, '"next week the council"') == []  # the comet article's last words, the tulip's title
    assert _answer(v.page, '"violin maker" workshop') == ["The Council and the Violin"]
    assert v.page.locator("li.md-search-result__item mark").all_text_contents() == ["violin maker", "workshop"]
    assert "A young violin maker opened a workshop in" in v.page.locator("li.md-search-result__item p").text_content()
    assert sorted(_answer(v.page, "council")) == [f"The Council and the {word.title()}" for word in sorted(SHARDS[0])]
    assert meta.text_content() == "3 matching documents"
    assert v.errors == [] and v.foreign == []


@pytest.mark.browser
def test_a_document_whose_words_are_further_apart_than_an_article_is_not_fetched(sharded_site, visit):  # noqa: F811
    """Each bundle knows its longest article in words, as Pagefind numbers its word places. The
    newest shard's one document holds comet, tulip and violin in that order: "comet violin" (an
    article apart) is answered without fetching it; "comet tulip" (next to each other) fetches it."""
    import gzip

    site, base = sharded_site
    for folder in ("pagefind", "pagefind-1"):
        places = []  # each article's words, as Pagefind's own fragments number them
        for fragment in (site / folder / "fragment").iterdir():
            data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
            starts = [anchor["location"] for anchor in data["anchors"] if anchor["id"]]
            places += [end - start for start, end in zip(starts, [*starts[1:], len(data["content"].split())],
                                                           strict=True)]
        assert json.loads((site / folder / LONGEST_FILE).read_text()) == max(places)
    v = visit()
    fragments: list[str] = []
    v.page.on("response", lambda response: fragments.append(response.url) if "pf_fragment" in response.url else None)
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    v.page.keyboard.press("/")
    assert _answer(v.page, "comet violin") == [] and fragments == []
    assert _answer(v.page, "comet tulip") == [] and len(fragments) == 1
    assert _answer(v.page, "comet astronomers") == ["The Council and the Comet"]
    assert v.errors == [] and v.foreign == []


@pytest.mark.browser
def test_more_results_lists_the_rest_of_a_shard(tmp_path, tiny_models, serve, visit):  # noqa: F811
    """Thirteen articles name the council: ten are listed and counted as thirteen, "More
    results" (reached with the arrow keys) lists the other three and takes the focus to the
    first of them; then nothing is left to offer."""
    words = ["anchor", "beacon", "canal", "dune", "estuary", "fjord", "geyser", "harbour", "isthmus", "jetty",
             "kelp", "lagoon", "marsh"]
    project = _sharded_project(tmp_path, tiny_models, dict.fromkeys(words, 1), shard_articles=10_000)
    base = serve(project / "site")
    v = visit()
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    open_search(v.page, "council")
    assert len(_titles(v.page)) == 10
    assert v.page.locator(".md-search-result__meta").text_content() == "13 matching documents"
    more = v.page.get_by_role("button", name="More results")
    for _ in range(11):
        v.page.keyboard.press("ArrowDown")
    assert v.page.evaluate("() => document.activeElement.textContent") == "More results"
    v.page.keyboard.press("Enter")
    v.page.wait_for_function("() => document.querySelectorAll('li.md-search-result__item').length === 13")
    assert sorted(_titles(v.page)) == sorted(f"The Council and the {word.title()}" for word in words)
    assert v.page.evaluate("() => document.activeElement.closest('li').querySelector('h1').textContent") \
        == _titles(v.page)[10]
    assert not more.is_visible() and v.errors == [] and v.foreign == []


def _answer(page, query: str) -> list[str]:
    """The titles listed for ``query``, put into the open search at once, once it is answered."""
    box = page.locator("input.md-search__input")
    box.fill("")
    watch_search(page)
    box.fill(query)
    search_answered(page)
    return _titles(page)


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
    first of the oldest shard's results opens with the searched word highlighted; axe finds nothing."""
    site, base = sharded_site
    v = visit()
    v.context.add_init_script(script=axe)
    fetched: list[str] = []
    v.page.on("response", lambda response: fetched.append(response.url))
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    open_search(v.page, "council")
    assert sorted(_titles(v.page)) == [f"The Council and the {word.title()}" for word in sorted(SHARDS[0])]
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
        v.page.keyboard.press("Enter")  # the focus is on the oldest shard's first result
    assert f"/en/articles/{_slug_of(titles[before].rsplit(' ', 1)[-1].lower(), site)}/" in v.page.url
    v.page.wait_for_selector("mark.pagefind-highlight", timeout=10000)
    assert v.errors == [] and v.foreign == []


@pytest.mark.browser
def test_a_query_typed_while_older_results_load_is_not_joined_by_them(sharded_site, visit):  # noqa: F811
    """"Older" pressed, then at once a new query: the older shard's results for the first query
    are neither added to the list nor given the keyboard's focus (a reader typing on lost the
    keys to a result link that the new answer then removed)."""
    _, base = sharded_site
    v = visit()
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    v.page.keyboard.press("/")
    assert len(_answer(v.page, "council")) == 3
    v.page.evaluate("""() => {
        window.pdAdded = [];
        new MutationObserver(records => records.forEach(record => record.addedNodes.forEach(node =>
            node.textContent && window.pdAdded.push(node.textContent)))).observe(
            document.querySelector(".md-search-result__list"), {childList: true});
    }""")
    watch_search(v.page)
    v.page.evaluate("""() => {
        document.querySelector(".pd-search-older button").click();
        const box = document.querySelector("input.md-search__input");
        box.focus();
        box.value = "comet astronomers";
        box.dispatchEvent(new Event("input", {bubbles: true}));
    }""")
    search_answered(v.page)
    v.page.wait_for_timeout(500)  # the older shard's answer, had it been kept, is in by now
    assert _titles(v.page) == ["The Council and the Comet"]
    assert all("Comet" in added for added in v.page.evaluate("() => window.pdAdded")), "only the new query's"
    assert v.page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    assert v.errors == [] and v.foreign == []
