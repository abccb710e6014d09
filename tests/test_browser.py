"""The site as a reader meets it: Debian's Chromium, driven by Playwright, against the
built site served on 127.0.0.1. Every request to another host fails the test.

Accessibility (issue #28): axe-core (npm, pinned in package-lock.json; `make test` installs it
into node_modules/) is injected into every page type of every language and must find no
violation of WCAG 2.0/2.1 A and AA nor of its best practices; search, the language switcher
and the original-text block are used with the keyboard alone; at 375x667 nothing scrolls
sideways or is cut off; text in another language than the page's carries its lang."""

from __future__ import annotations

import functools
import html
import json
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
from xml.etree import ElementTree as ET

import pytest
from conftest import REPO, make_project, search_answered, search_documents, watch_search
from tiny_argos import build_tiny_package

from generator.render import SEARCH_TEXT_END

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("POLYDIGEST_SCREENSHOTS", REPO / "build" / "screenshots"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"  # `make test` runs `npm ci` (package-lock.json)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SMALL_SCREEN = {"width": 375, "height": 667}

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("browser tests need /usr/bin/chromium: run tests/install_browser.sh (make test does)")
    pytest.skip("Debian's chromium is not installed (tests/install_browser.sh installs it)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser  # Chromium against a built site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        """A missing page under a language's folder gets that language's 404.html, with status
        404, as a static host configured for the site serves it."""
        folder = self.path.lstrip("/").split("/", 1)[0]
        page = Path(self.directory) / folder / "404.html"
        if code != 404 or not re.fullmatch(r"[a-z]{2,3}", folder) or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


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
def dated_rtl_site(dated_rtl_project, serve):
    """English + Arabic (tiny model) with articles of known dates (conftest.dated_rtl_project)."""
    return dated_rtl_project, serve(dated_rtl_project / "site")


FLOOD_REPORTS = (
    ("flood-planet", 2, "Valley Echo", "Heavy rain flooded the Marrow River valley on Tuesday and Governor Alice Grey "
     "closed the Dunmore Bridge. Families near the Marrow River left their homes as the water rose. Governor Alice "
     "Grey said the Dunmore Bridge would stay closed."),
    ("flood-crier", 2, "River Post", "The Marrow River burst its banks on Tuesday after heavy rain, and Governor Alice "
     "Grey ordered the Dunmore Bridge shut. Residents along the Marrow River were moved to a school. Alice Grey "
     "visited the Dunmore Bridge."),
    ("flood-aid", 6, "Valley Echo", "Governor Alice Grey promised aid to families hit by the Marrow River flood. The "
     "Dunmore Bridge reopened on Friday after engineers checked it. Alice Grey thanked the volunteers of the Marrow "
     "River valley."),
    ("flood-inquiry", 16, "River Post", "An inquiry into the Marrow River flood opened at the Marrow County hall. "
     "Governor Alice Grey asked engineers why the Dunmore Bridge had failed in the flood. Marrow County will publish "
     "the inquiry's report in the autumn."),
)


@pytest.fixture(scope="module")
def varied_site(tmp_path_factory, serve):
    """Every kind of page, en and pt, with tiny models that change digits (a sentence or title
    with a number fails the translation checks and is shown in its own language): two articles
    from one source (Daily Planet, with their original addresses) sharing a topic (Marrow
    County, with a third article), an English and a Portuguese article with numbers (shown
    untranslated on the other site), a French one no model translates (shown as is), and one
    event from two outlets with two later events on its subject (a story summary and a
    thread's timeline), on six days."""
    models = tmp_path_factory.mktemp("digit-models")
    for source, target in (("en", "pt"), ("pt", "en")):
        build_tiny_package(models, source, target, changes_digits=True)
    seeds = tmp_path_factory.mktemp("varied-seeds")
    stories = (("bridge", 2, "Engineers in Marrow County finished repairs on the old railway bridge. Trains run "
                             "again. Marrow County paid for the work."),
               ("harvest", 4, "Farmers in Marrow County expect a record harvest of wheat this summer. Bread may "
                              "cost less in Marrow County."))
    for name, day, text in stories:
        (seeds / f"{name}.md").write_text(f"---\ntitle: The {name} story\ndate: 2024-05-0{day}\nsource: Daily Planet\n"
                                          f"url: https://dailyplanet.example/{name}\n---\n\n{text}\n")
    (seeds / "budget.md").write_text(
        "---\ntitle: Council budget for 2024\ndate: 2024-05-03\nsource: Town Crier\n---\n\nThe council approved "
        "a budget of 531.7 million on Monday. Residents welcomed the plan for the town centre.\n")
    (seeds / "feira.md").write_text(
        "---\ntitle: A feira do livro\ndate: 2024-05-04\nsource: Jornal da Tarde\nurl: https://jornal.example/feira\n"
        "---\n\nA feira do livro de Lisboa abriu ontem com muitos visitantes. Os editores esperam vender 20 mil "
        "livros até junho. A feira fica aberta todos os dias.\n")
    # One event reported by two outlets, and two later events on the same subject: a story page
    # (its summary across outlets) and a thread's timeline page (a thread of three events).
    for name, day, source, text in FLOOD_REPORTS:
        (seeds / f"{name}.md").write_text(f"---\ntitle: The {name} story\ndate: 2024-05-{day:02}\nsource: {source}\n---"
                                          f"\n\n{text}\n")
    (seeds / "marche.md").write_text(
        "---\ntitle: Le marché de Lyon\ndate: 2024-05-03\n---\n\nLe marché couvert de Lyon rouvre ses portes "
        "après des travaux. Les commerçants sont heureux de retrouver leurs clients fidèles.\n")
    return built_and_served(make_project(tmp_path_factory.mktemp("varied") / "project", models, seeds=seeds), serve)


@pytest.fixture(scope="module")
def served_hostile_site(hostile_site, serve):
    """The hostile corpus, built once per test run (conftest.hostile_site)."""
    project, _ = hostile_site
    return project, serve(project / "site")


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
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.tab()

    def tab(self):
        """A page of this visit (another tab, watched the same way)."""
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page

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


def visit_all(v: Visit, urls: list[str], until: str, then=None) -> dict:
    """Opens every URL, six tabs at a time (their waits overlap), each until ``until``, then
    runs ``then(tab)`` on it; returns each URL's response."""
    tabs = [v.page] + [v.tab() for _ in range(5)]
    responses = {}
    for start in range(0, len(urls), len(tabs)):
        loading = list(zip(tabs, urls[start:start + len(tabs)], strict=False))
        for tab, url in loading:
            responses[url] = tab.goto(url, wait_until="commit")
        for tab, _ in loading:
            tab.wait_for_load_state(until)
            if then:
                then(tab)
    return responses


def site_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)).removesuffix("index.html") for p in site.rglob("index.html"))


def test_every_page_loads_without_errors_or_foreign_requests(default_site, visit):
    project, base = default_site
    pages = site_pages(project / "site")
    assert len(pages) >= 10
    v = visit()
    responses = visit_all(v, [f"{base}/{path}" for path in pages], "networkidle")
    # the root redirects to a language; that page is checked on its own
    assert [url for url, response in responses.items() if not response.ok and url != f"{base}/"] == []
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
        assert "Islamic State announced on Sunday" in details.inner_text()
        if lang == "pt":  # the English original, whole on its English page, is linked from the others
            assert "Kremlin spokesman" not in details.inner_text()
            details.get_by_role("link", name="Ler o artigo original").click()
            v.page.wait_for_load_state("networkidle")
            assert v.page.url == f"{base}/en/articles/002-bafb978d1410a73f/"
            v.page.locator("article details.quote summary").click()
        assert "Kremlin spokesman" in v.page.locator("article details.quote").inner_text()
        shot(v.page, f"{lang}-article")
        v.page.goto(f"{base}/{lang}/", wait_until="networkidle")
        shot(v.page, f"{lang}-home")
    assert v.errors == [] and v.foreign == []


def test_original_article_link_and_source_page_in_every_language(varied_site, visit):
    _, base = varied_site
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


def test_hostile_articles_run_no_script_in_a_real_browser(served_hostile_site, visit):
    project, base = served_hostile_site
    v = visit()
    # Until "load": a live payload (a script, an onerror, a foreign src) has run or asked by
    # then; the theme's own late requests are checked on every page of the default site.
    visit_all(v, [f"{base}/{path}" for path in site_pages(project / "site")], "load",
              then=lambda tab: tab.mouse.move(300, 300))  # would fire an injected onmouseover
    v.page.wait_for_load_state("networkidle")
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


# Accessibility (#28): axe-core in every page type, keyboard only, small screens, lang of parts.

# Page types of the varied site, by name: the path in each language. The article is one with a
# passage shown untranslated (a sentence whose translation failed the checks), and its
# original-text block is opened before it is checked; "404" is a missing address, answered with
# the language's 404 page as a static host does.
PAGE_TYPES = {
    "home": {"en": "", "pt": ""},
    "article": {"en": "articles/feira/", "pt": "articles/budget/"},
    "daily edition": {"en": "editions/2024-05-04/", "pt": "editions/2024-05-03/"},
    "editions index": {"en": "editions/", "pt": "editions/"},
    "topics": {"en": "tags/", "pt": "tags/"},
    "topic": {"en": "tags/marrow-county/", "pt": "tags/marrow-county/"},
    "sources": {"en": "sources/", "pt": "sources/"},
    "source": {"en": "sources/jornal-da-tarde/", "pt": "sources/daily-planet/"},
    "story summary": {"en": "stories/flood-crier/", "pt": "stories/flood-crier/"},
    "thread timeline": {"en": "threads/flood-crier/", "pt": "threads/flood-crier/"},
    "404": {"en": "no/such/page/", "pt": "no/such/page/"},
}
SEARCHED = "marrow"  # a word of two summaries, in both languages


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's source. Missing, every accessibility test fails (it is never skipped)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE.relative_to(REPO)}): `make test` installs it (npm ci, the version "
                    "package-lock.json pins); by hand: `npm ci` in the repository", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """What axe-core (in the page: Visit.context.add_init_script) finds on the page as it is
    now (WCAG 2.0/2.1 A and AA, best practices): one line per element, 'rule: element: what to fix'."""
    found = page.evaluate("""tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                                        resultTypes: ["violations"]})
        .then(result => result.violations.flatMap(rule => rule.nodes.map(node =>
            `${rule.id}: ${node.target.join(" ")}: ${node.failureSummary.replace(/\\s+/g, " ")}`)))""", AXE_TAGS)
    return found


def _article_paths(project: Path, lang: str) -> list[str]:
    """The real-news site's article pages (the sample seeds' names start with a number)."""
    return [f"articles/{page.stem}/" for page in sorted((project / "docs" / lang / "articles").glob("0*.md"))]


def open_search(page, query: str) -> None:
    """Opens the search with "/" and types ``query`` key by key; returns when the whole query's
    results are listed (conftest.search_answered)."""
    page.keyboard.press("/")
    watch_search(page)
    page.keyboard.type(query)
    search_answered(page)
    page.wait_for_selector("li.md-search-result__item", timeout=15000)


def test_axe_finds_nothing_on_any_page_type_in_any_language(axe, varied_site, default_site, visit):
    """0 violations of WCAG 2.0/2.1 A and AA and of axe's best practices on every page type,
    in English and Portuguese, with the search open and listing results, and on the real-news
    site's home and an article (long titles, real translations)."""
    _, base = varied_site
    found: dict[str, list[str]] = {}
    v = visit()
    v.context.add_init_script(script=axe)  # in every page before its own scripts (parsed once, cached)
    for lang in ("en", "pt"):
        for kind, paths in PAGE_TYPES.items():
            response = v.page.goto(f"{base}/{lang}/{paths[lang]}", wait_until="load")
            assert response.status == (404 if kind == "404" else 200), (lang, kind)
            if kind == "article":
                v.page.locator("details.quote summary").click()
            if kind == "404":  # styled, and linking within its language's site, however deep the address
                assert v.page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position") \
                    == "sticky"
                assert v.page.locator('a.md-select__link[hreflang="en"]').evaluate("a => a.href") == f"{base}/en/"
            found[f"{lang} {kind}"] = axe_violations(v.page)
            if (lang, kind) == ("en", "home"):  # the pinned axe-core runs, and sees a violation
                pinned = json.loads((REPO / "package-lock.json").read_text())["packages"]["node_modules/axe-core"]
                assert v.page.evaluate("() => axe.version") == pinned["version"]
                v.page.evaluate("""() => document.querySelector("article").insertAdjacentHTML(
                    "beforeend", '<p style="color: #aaa">faint</p>')""")
                assert [line for line in axe_violations(v.page) if line.startswith("color-contrast")]
        open_search(v.page, SEARCHED)  # on the 404 page, whose search works too
        found[f"{lang} search with results"] = axe_violations(v.page)
    project, real = default_site
    for lang in ("en", "pt"):
        for path in ["", _article_paths(project, lang)[0]]:
            v.page.goto(f"{real}/{lang}/{path}", wait_until="load")
            found[f"{lang} real news /{path}"] = axe_violations(v.page)
    assert len(found) == 2 * (len(PAGE_TYPES) + 1) + 4
    assert {page: problems for page, problems in found.items() if problems} == {}
    assert v.foreign == []
    # Only the 404 pages' own status is logged as an error.
    assert all("404" in error for error in v.errors), v.errors


def _tab_to(page, selector: str, limit: int = 40):
    """Presses Tab until the focused element matches ``selector``; returns its handle."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return page.evaluate_handle("() => document.activeElement")
    raise AssertionError(f"Tab never reached {selector}")


def _focus_is_visible(page) -> bool:
    """The focused element has an outline: the keyboard's position is visible."""
    return page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                    return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0; }""")


def test_keyboard_alone_searches_switches_language_and_opens_the_original(varied_site, visit):
    """Without a mouse: Tab reaches the search (a button on a phone, the box on a desktop),
    typing lists results, the arrow keys move through them and Enter opens one; Tab reaches the
    original-text block and Enter opens it; Tab reaches the language switcher, whose list opens
    on focus, and Enter follows a language; on a phone the menu button opens the navigation
    drawer, and nothing hidden takes the focus. Every control shows where the focus is."""
    _, base = varied_site
    # A phone: the header's search icon is a button the keyboard reaches.
    v = visit(viewport=SMALL_SCREEN)
    v.page.goto(f"{base}/pt/", wait_until="load")
    button = _tab_to(v.page, "[data-pd-search-button]")
    assert _focus_is_visible(v.page)
    assert button.get_attribute("aria-expanded") == "false"
    v.page.keyboard.press("Enter")
    assert v.page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    assert button.get_attribute("aria-expanded") == "true"
    watch_search(v.page)
    v.page.keyboard.type(SEARCHED)
    search_answered(v.page)  # not an answer to the first letters, which the whole query's replaces
    v.page.keyboard.press("ArrowDown")
    assert v.page.evaluate("() => document.activeElement.matches('a.md-search-result__link')")
    assert _focus_is_visible(v.page)
    v.page.keyboard.press("Escape")  # closes the search, and the focus goes back to its button
    assert v.page.evaluate("() => document.activeElement.matches('[data-pd-search-button]')")
    assert not v.page.locator("#__search").is_checked() and button.get_attribute("aria-expanded") == "false"
    v.page.keyboard.press(" ")
    assert v.page.locator("#__search").is_checked()
    v.page.keyboard.press("Escape")
    # The navigation drawer: a menu button opens it and moves into it; Escape closes it. While
    # closed, its links are out of the Tab order (the focus never lands on something hidden).
    v.page.goto(f"{base}/pt/articles/budget/", wait_until="load")
    menu = _tab_to(v.page, '.md-header__button[for="__drawer"]')
    assert _focus_is_visible(v.page) and menu.get_attribute("aria-label") == "Navegação"
    v.page.keyboard.press("Enter")
    assert v.page.locator("#__drawer").is_checked()
    assert v.page.evaluate("() => document.activeElement.closest('.md-sidebar--primary') !== null")
    assert _focus_is_visible(v.page)
    v.page.keyboard.press("Escape")
    assert not v.page.locator("#__drawer").is_checked()
    assert v.page.evaluate("() => document.activeElement.matches('[for=__drawer]')")
    v.page.wait_for_timeout(400)  # the drawer's closing animation
    for _ in range(12):  # the rest of the page, and around again: never into the closed drawer
        v.page.keyboard.press("Tab")
        assert v.page.evaluate("() => document.activeElement.closest('.md-sidebar--primary, .md-search') === null")

    # A desktop: Tab reaches the search box, which opens the search; a result opens with Enter.
    v = visit()
    v.page.goto(f"{base}/pt/", wait_until="load")
    _tab_to(v.page, "input.md-search__input")
    assert v.page.locator("#__search").is_checked()
    watch_search(v.page)
    v.page.keyboard.type(SEARCHED)
    search_answered(v.page)
    v.page.keyboard.press("ArrowDown")
    v.page.keyboard.press("ArrowDown")
    assert _focus_is_visible(v.page)
    target = v.page.evaluate("() => document.activeElement.getAttribute('href')")
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")
    assert v.page.url.endswith(target)

    # The original text: a disclosure the keyboard opens.
    v.page.goto(f"{base}/pt/articles/budget/", wait_until="load")
    _tab_to(v.page, "details.quote summary")
    assert _focus_is_visible(v.page)
    v.page.keyboard.press("Enter")
    assert v.page.locator("details.quote").get_attribute("open") is not None
    assert v.page.locator("details.quote").get_by_text("The council approved").is_visible()

    # The language switcher: its list shows while the focus is in it; Enter follows a link.
    _tab_to(v.page, ".md-header__option .md-header__button")
    assert _focus_is_visible(v.page)
    link = _tab_to(v.page, 'a.md-select__link[hreflang="en"]')
    assert _focus_is_visible(v.page) and link.get_attribute("lang") == "en"
    v.page.wait_for_function("() => getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'")
    assert v.page.locator('a.md-select__link[hreflang="en"]').is_visible()
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")
    assert v.page.url == f"{base}/en/articles/budget/"
    assert v.errors == [] and v.foreign == []


_CUT_OFF = """() => {
  // Visible text sticking out of the window (but for off-canvas panels, wholly outside), or
  // clipped by its box (overflow hidden or an ellipsis): what a reader cannot see.
  const width = document.documentElement.clientWidth;
  const cut = [];
  for (const element of document.body.querySelectorAll("*")) {
    const text = [...element.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
    if (!text || !element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= width) continue;
    const style = getComputedStyle(element);
    if (box.left < -1 || box.right > width + 1) cut.push(`${text.slice(0, 40)}: outside the window`);
    else if ((style.textOverflow === "ellipsis" || /hidden|clip/.test(style.overflowX))
             && element.scrollWidth > element.clientWidth + 1) cut.push(`${text.slice(0, 40)}: clipped`);
  }
  const y = window.scrollY;  // how far the window scrolls sideways, if it does
  window.scrollTo(3 * width, y);
  const moved = window.scrollX;
  window.scrollTo(0, y);
  return {sideways: Math.max(document.documentElement.scrollWidth - width, moved), cut: cut};
}"""


def test_small_screens_neither_scroll_sideways_nor_cut_text_off(varied_site, default_site, visit):
    """At 375x667 (a small phone) no page type scrolls sideways or cuts text off, at its top
    and scrolled to its end (where the header would show a long title cut off), nor the open
    language list or the search with results; the real-news site's long titles included.
    Screenshots: *-375.png."""
    v = visit(viewport=SMALL_SCREEN)
    problems = {}
    pages = [(varied_site[1], lang, paths[lang]) for lang in ("en", "pt") for paths in PAGE_TYPES.values()]
    project, real = default_site
    pages += [(real, lang, path) for lang in ("en", "pt") for path in _article_paths(project, lang)]
    for base, lang, path in pages:
        v.page.goto(f"{base}/{lang}/{path}", wait_until="load")
        article = path.startswith("articles/")
        if article:
            v.page.locator("details.quote summary").click()
        if base == varied_site[1] and path in ("", "articles/budget/"):
            shot(v.page, f"{lang}-{'article' if article else 'home'}-375")
        # Scrolled to the end, the header shows the page's title (Material), however long.
        for where in ("top", "end") if article else ("top",):
            if where == "end" and v.page.evaluate("""() => { window.scrollTo(0, document.body.scrollHeight);
                    return document.querySelector(".md-content h1").getBoundingClientRect().bottom < 48; }"""):
                v.page.wait_for_selector(".md-header__title--active", timeout=5000)
                v.page.wait_for_timeout(200)  # the header's title fades in (0.15 s)
            found = v.page.evaluate(_CUT_OFF)
            if found["sideways"] > 0 or found["cut"]:
                problems[f"{base} {lang}/{path} ({where})"] = found
    for lang in ("en", "pt"):
        v.page.goto(f"{varied_site[1]}/{lang}/", wait_until="load")
        v.page.focus(".md-header__option .md-header__button")  # the language list, open
        v.page.wait_for_function("() => getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'")
        found = v.page.evaluate(_CUT_OFF)
        if found["sideways"] > 0 or found["cut"]:
            problems[f"{lang} language list"] = found
        open_search(v.page, SEARCHED)
        v.page.wait_for_timeout(600)  # Material stops the page scrolling 400 ms after the search opens
        found = v.page.evaluate(_CUT_OFF)
        if found["sideways"] > 0 or found["cut"]:
            problems[f"{lang} search"] = found
        v.page.screenshot(path=str(SCREENSHOTS / f"{lang}-search-375.png"))  # the window: what a phone shows
    assert problems == {}
    assert v.errors == [] or all("404" in error for error in v.errors), v.errors


def _lang_of(page, text: str) -> str | None:
    """The language the browser gives ``text``: its element's nearest lang attribute."""
    return page.get_by_text(text, exact=True).first.evaluate("e => e.closest('[lang]').getAttribute('lang')")


def test_text_in_another_language_carries_its_lang(varied_site, visit):
    """A title or sentence shown in its own language on another language's site (its translation
    failed the checks, or no model translates it), the original text of a translated article and
    the language switcher's names are marked with their language, on every page that shows them;
    translated text is not. In the feeds too (Atom xml:lang, JSON Feed language)."""
    project, base = varied_site
    v = visit()
    budget = "Council budget for 2024"  # its number fails the checks: shown in English on the pt site
    declined = "The council approved a budget of 531.7 million on Monday."
    marche, marche_first = "Le marché de Lyon", "Le marché couvert de Lyon rouvre ses portes après des travaux."
    for path in ("", "editions/2024-05-03/", "sources/town-crier/"):
        v.page.goto(f"{base}/pt/{path}", wait_until="load")
        assert _lang_of(v.page, budget) == "en", path
        if path != "sources/town-crier/":
            assert _lang_of(v.page, marche) == "fr", path
            assert _lang_of(v.page, marche_first) == "fr", path
    v.page.goto(f"{base}/pt/", wait_until="load")
    assert v.page.locator("html").get_attribute("lang") == "pt"
    assert _lang_of(v.page, "THE HARVEST STORY") == "pt"  # translated: the page's language
    v.page.goto(f"{base}/pt/articles/budget/", wait_until="load")
    assert v.page.locator("article h1").evaluate("e => e.querySelector('[lang]').getAttribute('lang')") == "en"
    assert _lang_of(v.page, declined) == "en"
    assert v.page.locator("details.quote summary").evaluate("e => e.closest('[lang]').getAttribute('lang')") == "pt"
    original = v.page.locator("details.quote p").evaluate_all(
        "ps => ps.map(p => [p.textContent.trim(), p.querySelector('[lang]')?.getAttribute('lang')])")
    assert original == [[budget, "en"], [declined + " Residents welcomed the plan for the town centre.", "en"]]
    names = v.page.locator("a.md-select__link").evaluate_all("as => as.map(a => [a.hreflang, a.lang])")
    assert names == [["en", "en"], ["pt", "pt"]]
    v.page.goto(f"{base}/en/articles/feira/", wait_until="load")  # pt -> en: one sentence has a number
    assert "Os editores esperam vender 20 mil livros até junho." in v.page.locator("[lang=pt]").all_inner_texts()
    assert v.page.locator("details.quote p [lang=pt]").count() >= 2
    assert v.page.locator("article h1").evaluate("e => e.querySelector('[lang]')") is None  # translated title
    v.page.goto(f"{base}/en/tags/marrow-county/", wait_until="load")
    assert v.page.locator("article [lang]").count() == 0  # nothing there in another language
    assert v.errors == [] and v.foreign == []
    atom = ET.parse(project / "site" / "pt" / "atom.xml").getroot()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = {e.find("{http://www.w3.org/2005/Atom}title").text: e for e in atom.iter("{http://www.w3.org/2005/Atom}entry")}
    assert entries[budget].find("{http://www.w3.org/2005/Atom}title").get(xml_lang) == "en"
    assert entries[marche].find("{http://www.w3.org/2005/Atom}summary").get(xml_lang) == "fr"
    assert entries["THE HARVEST STORY"].find("{http://www.w3.org/2005/Atom}title").get(xml_lang) is None
    items = {i["title"]: i for i in json.loads((project / "site" / "pt" / "feed.json").read_text())["items"]}
    assert items[marche]["language"] == "fr" and items["THE HARVEST STORY"]["language"] == "pt"
