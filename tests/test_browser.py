"""The site as a reader meets it: Debian's Chromium, driven by Playwright, against the
built site served on 127.0.0.1. Every request to another host fails the test."""

from __future__ import annotations

import functools
import html
import os
import re
import subprocess
import sys
import threading
import time
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import REPO, make_project, search_documents
from hostile_corpus import write_hostile_seeds

from generator.render import SEARCH_TEXT_END

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("POLYDIGEST_SCREENSHOTS", REPO / "build" / "screenshots"))

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("browser tests need /usr/bin/chromium: run tests/install_browser.sh (make test does)")
    pytest.skip("Debian's chromium is not installed (tests/install_browser.sh installs it)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser  # Chromium against a built site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def built_and_served(project: Path, serve) -> tuple[Path, str]:
    """Build the project through the CLI, as a maintainer would, and serve its site."""
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--project", str(project)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project, serve(project / "site")


@pytest.fixture(scope="module")
def default_site(tmp_path_factory, serve):
    """The site exactly as the README's first command builds it: the sample seeds, the
    real en<->pt models and the repository's mkdocs.yml, through the CLI."""
    return built_and_served(make_project(tmp_path_factory.mktemp("browser") / "project", REPO / "models"), serve)


@pytest.fixture(scope="module")
def dated_rtl_site(tmp_path_factory, serve, tiny_models):
    """English + Arabic (tiny model) with articles of known dates."""
    seeds = tmp_path_factory.mktemp("dated-seeds")
    bodies = {
        "middle": "Farmers expect a record harvest of wheat this summer. Prices for bread may fall.",
        "newest": "The orchestra announced a new conductor for next season. Tickets go on sale in June.",
        "oldest": "Engineers finished repairs on the old railway bridge. Trains run again from Monday.",
    }
    for day, name in ((3, "middle"), (9, "newest"), (1, "oldest")):
        (seeds / f"{name}.txt").write_text(f"The {name.title()} Story\nPublished: 2024-05-0{day}\n\n{bodies[name]}\n")
    project = make_project(tmp_path_factory.mktemp("rtl") / "project", tiny_models, seeds=seeds, languages="en,ar")
    return built_and_served(project, serve)


@pytest.fixture(scope="module")
def sourced_site(tmp_path_factory, serve, tiny_models):
    """Two articles from one source, with their original addresses."""
    seeds = tmp_path_factory.mktemp("sourced-seeds")
    stories = (("bridge", 2, "Engineers finished repairs on the old railway bridge. Trains run again."),
               ("harvest", 4, "Farmers expect a record harvest of wheat this summer. Bread may cost less."))
    for name, day, text in stories:
        (seeds / f"{name}.md").write_text(f"---\ntitle: The {name} story\ndate: 2024-05-0{day}\nsource: Daily Planet\n"
                                          f"url: https://dailyplanet.example/{name}\n---\n\n{text}\n")
    return built_and_served(make_project(tmp_path_factory.mktemp("sourced") / "project", tiny_models, seeds=seeds),
                            serve)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, serve, tiny_models):
    seeds = write_hostile_seeds(tmp_path_factory.mktemp("hostile-seeds"))
    return built_and_served(make_project(tmp_path_factory.mktemp("hostile") / "project", tiny_models, seeds=seeds),
                            serve)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_FLAGS)
        yield browser
        browser.close()


class Visit:
    """A browser page that records console errors and refuses every non-local request."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.context.route("**/*", self._route)

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", None) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    visits = []

    def open_(**options) -> Visit:
        visits.append(Visit(browser, **options))
        return visits[-1]

    yield open_
    for v in visits:
        v.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def site_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)).removesuffix("index.html") for p in site.rglob("index.html"))


def test_every_page_loads_without_errors_or_foreign_requests(default_site, visit):
    project, base = default_site
    pages = site_pages(project / "site")
    assert len(pages) >= 10
    v = visit()
    for path in pages:
        response = v.page.goto(f"{base}/{path}", wait_until="networkidle")
        if path == "":
            continue  # the root redirects to a language; that page is checked on its own
        assert response.ok, path
    assert v.errors == [] and v.foreign == []


def _search(page, base: str, lang: str, query: str) -> list[str]:
    page.goto(f"{base}/{lang}/", wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    box.type(query)
    box.press("End")  # Material re-queries on keyup
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "el => el && !/Digite|Type|Initializing|Inicializando/i.test(el.textContent)",
        arg=meta.element_handle(), timeout=15000,
    )
    time.sleep(0.3)
    return page.locator("li.md-search-result__item > a.md-search-result__link").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _word_only_in_portuguese(project: Path) -> tuple[str, str]:
    """A word of a Portuguese summary that no English page contains, nor a word starting
    like it (Pagefind matches prefixes of stems and ignores accents), and that article's slug."""
    documents = search_documents(project / "site" / "en")
    text = " ".join(d["content"] + " " + d["meta"]["title"] for d in documents)
    english_words = set(re.findall(r"\w+", text.lower()))
    for post in sorted((project / "docs" / "pt" / "articles").glob("*.md")):
        summary = html.unescape(post.read_text().split(SEARCH_TEXT_END)[0].split("---\n", 2)[2])
        for word in re.findall(r"\w{7,}", summary.lower()):
            if not any(_unaccented(english).startswith(_unaccented(word[:5])) for english in english_words):
                return word, post.stem
    raise AssertionError("no Portuguese-only word found")


def test_search_finds_a_portuguese_word_only_on_the_portuguese_site(default_site, visit):
    project, base = default_site
    word, slug = _word_only_in_portuguese(project)
    v = visit()
    found = _search(v.page, base, "pt", word)
    assert any(slug in href for href in found), (word, found)
    shot(v.page, "pt-search")
    # Pagefind answers a word it lacks with its nearest prefix match ("a"), so the English
    # site may list results: none of them has the word.
    _search(v.page, base, "en", word)
    assert _unaccented(word) not in _unaccented(v.page.locator(".md-search-result__list").inner_text().lower())
    shot(v.page, "en-search")
    english_found = _search(v.page, base, "en", "Russia")
    assert english_found
    assert v.errors == [] and v.foreign == []


def _plural_whose_singular_is_absent(project: Path) -> tuple[str, str]:
    """A Portuguese plural ('veículos') whose singular ('veículo') no Portuguese page has, and
    its article's slug: only a stemming search finds the plural from the singular."""
    documents = search_documents(project / "site" / "pt")
    words = set(re.findall(r"\w+", " ".join(d["content"] for d in documents).lower()))
    for document in documents:
        for word in sorted(set(re.findall(r"\w{6,}os\b", document["content"].lower()))):
            if word[:-1] not in words:
                return word[:-1], document["url"].split("/")[2]
    raise AssertionError("no plural without its singular")


def test_portuguese_search_stems_and_loads_a_small_index_only_when_asked(default_site, visit):
    """Pagefind, in Material's header: "/" opens it, the index is fetched in small chunks
    on the first search (not on page load), the arrow keys and Enter open a result, and the
    article shows the searched word highlighted."""
    project, base = default_site
    singular, slug = _plural_whose_singular_is_absent(project)
    v = visit()
    fetched: dict[str, int] = {}
    v.page.on("response", lambda r: fetched.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
    v.page.goto(f"{base}/pt/", wait_until="networkidle")
    assert fetched == {}
    v.page.keyboard.press("/")
    v.page.keyboard.type(singular)
    v.page.wait_for_selector("li.md-search-result__item", timeout=15000)
    hrefs = v.page.locator("a.md-search-result__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(f"/pt/articles/{slug}/" in href for href in hrefs), (singular, hrefs)
    assert 0 < sum(fetched.values()) < 300_000, fetched
    shot(v.page, "pt-search-stemmed")
    position = next(n for n, href in enumerate(hrefs) if slug in href)
    for _ in range(position + 1):
        v.page.keyboard.press("ArrowDown")
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")
    assert f"/pt/articles/{slug}/" in v.page.url
    v.page.wait_for_selector("mark.pagefind-highlight", timeout=10000)
    assert v.errors == [] and v.foreign == []


def test_language_switcher_keeps_the_reader_on_the_same_article(default_site, visit):
    project, base = default_site
    slug = "002-bafb978d1410a73f"
    v = visit()
    for source, target in (("en", "pt"), ("pt", "en")):
        v.page.goto(f"{base}/{source}/articles/{slug}/", wait_until="networkidle")
        v.page.hover(".md-header__option .md-select")
        v.page.click(f'a.md-select__link[hreflang="{target}"]')
        v.page.wait_for_url(f"{base}/{target}/articles/{slug}/")
        assert v.page.locator("html").get_attribute("lang") == target
    assert v.errors == [] and v.foreign == []


def test_article_page_shows_summary_source_and_original_text(default_site, visit):
    project, base = default_site
    v = visit()
    for lang in ("en", "pt"):
        v.page.goto(f"{base}/{lang}/articles/002-bafb978d1410a73f/", wait_until="networkidle")
        article = v.page.locator("article")
        assert article.locator("h1").inner_text().strip()
        assert ("Source:" if lang == "en" else "Fonte:") in article.inner_text()
        details = article.locator("details.quote")
        assert details.count() == 1 and details.get_attribute("open") is None  # collapsed
        details.locator("summary").click()
        assert "Kremlin spokesman" in details.inner_text()
        shot(v.page, f"{lang}-article")
        v.page.goto(f"{base}/{lang}/", wait_until="networkidle")
        shot(v.page, f"{lang}-home")
    assert v.errors == [] and v.foreign == []


def test_original_article_link_and_source_page_in_every_language(sourced_site, visit):
    _, base = sourced_site
    v = visit()
    for lang, button, more in (("en", "Read the original article", "All articles from Daily Planet"),
                               ("pt", "Ler o artigo original", "Todos os artigos de Daily Planet")):
        v.page.goto(f"{base}/{lang}/articles/bridge/", wait_until="networkidle")
        link = v.page.get_by_role("link", name=button)
        assert link.is_visible() and link.get_attribute("href") == "https://dailyplanet.example/bridge"
        assert "1 min" in v.page.locator(".pd-reading-time").inner_text()
        v.page.get_by_role("link", name=more).click()
        v.page.wait_for_load_state("networkidle")
        assert v.page.url == f"{base}/{lang}/sources/daily-planet/"
        titles = v.page.locator("article li a").all_inner_texts()
        assert [t.lower() for t in titles] == ["the harvest story", "the bridge story"]  # newest first
        shot(v.page, f"{lang}-source")
    assert v.errors == [] and v.foreign == []


def test_root_sends_a_portuguese_browser_to_the_portuguese_site(default_site, visit):
    _, base = default_site
    for locale, lang in (("pt-BR", "pt"), ("en-US", "en"), ("de-DE", "en")):
        v = visit(locale=locale)
        v.page.goto(f"{base}/")
        v.page.wait_for_url(f"{base}/{lang}/")
        assert v.errors == [] and v.foreign == []


def test_home_lists_articles_newest_first_and_arabic_is_right_to_left(dated_rtl_site, visit):
    _, base = dated_rtl_site
    v = visit()
    v.page.goto(f"{base}/en/", wait_until="networkidle")
    headings = v.page.locator("article h2").all_inner_texts()
    assert headings == ["The Newest Story", "The Middle Story", "The Oldest Story"]
    v.page.goto(f"{base}/ar/", wait_until="networkidle")
    assert v.page.locator("body").get_attribute("dir") == "rtl"
    headings = v.page.locator("article h2").all_inner_texts()
    assert headings == ["THE NEWEST STORY", "THE MIDDLE STORY", "THE OLDEST STORY"]
    shot(v.page, "ar-home")
    assert v.errors == [] and v.foreign == []


def test_hostile_articles_run_no_script_in_a_real_browser(hostile_site, visit):
    project, base = hostile_site
    v = visit()
    for path in site_pages(project / "site"):
        v.page.goto(f"{base}/{path}", wait_until="networkidle")
        v.page.mouse.move(300, 300)  # would fire an injected onmouseover
    for lang in ("en", "pt"):
        for query in ("xss", "alert", "script"):
            _search(v.page, base, lang, query)
    assert v.dialogs == [] and v.errors == [] and v.foreign == []


def test_screenshots_are_written_for_people_to_look_at(default_site, visit):
    """Takes its own screenshots (home, an article, a search per language), so it proves
    something whatever ran before it."""
    project, base = default_site
    word, _ = _word_only_in_portuguese(project)
    expected = [SCREENSHOTS / f"{lang}-{kind}.png" for lang in ("en", "pt") for kind in ("home", "article", "search")]
    for path in expected:
        path.unlink(missing_ok=True)
    v = visit()
    for lang in ("en", "pt"):
        v.page.goto(f"{base}/{lang}/", wait_until="networkidle")
        shot(v.page, f"{lang}-home")
        v.page.goto(f"{base}/{lang}/articles/002-bafb978d1410a73f/", wait_until="networkidle")
        shot(v.page, f"{lang}-article")
        _search(v.page, base, lang, word)
        shot(v.page, f"{lang}-search")
    print(f"\nscreenshots in {SCREENSHOTS}")
    for path in expected:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000, path
