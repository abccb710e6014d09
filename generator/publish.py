"""Stage 6: one MkDocs + Material build per language, then swap the new site in.

Each language gets a config derived from the maintainer's ``mkdocs.yml`` (MkDocs'
``INHERIT``) that sets its docs folder, theme language and the language switcher, and
turns Material's lunr search off: after MkDocs, Pagefind indexes the language's articles
with that language's stemmer (``index_search``). Builds run in parallel processes with
``--strict``. The whole site
is built in a temporary folder next to ``site/`` and swapped in only when every
language built, so a failed or killed build leaves the previous site as it was.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import html
import json
import os
import re
import shutil
import site
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from . import budget, paths
from .config import Config
from .errors import PublishError
from .filehashes import HASHES_DIR, FileHashes, files_by_name
from .languages import right_to_left
from .messages import language_title, message
from .progress import SILENT, Progress
from .render import SEARCH_TEXT_END, SiteAddress

THEME_OVERRIDES = Path(__file__).parent / "theme"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"


def _material_file(*parts: str) -> Path:
    import material

    return Path(material.__file__).parent.joinpath("templates", *parts)


def theme_language(lang: str) -> str:
    """The language of Material's interface texts: ``lang`` when Material has it, else English."""
    return lang if _material_file("partials", "languages", f"{lang}.html").exists() else "en"


def read_parent(mkdocs_yml: Path) -> dict:
    from mkdocs.utils.yaml import yaml_load

    with mkdocs_yml.open("rb") as handle:
        return yaml_load(handle) or {}


def uses_directory_urls(parent: dict) -> bool:
    """Whether MkDocs writes a page ``a/b.md`` as ``a/b/index.html`` (mkdocs.yml's ``use_directory_urls``)."""
    return parent.get("use_directory_urls", True) is not False


def published_at(parent: dict) -> str:
    """mkdocs.yml's ``site_url`` ("" without one, or when it is no string: MkDocs says what is wrong)."""
    value = parent.get("site_url")
    return value if isinstance(value, str) else ""


def site_addresses(config: Config, languages: list[str]) -> dict[str, SiteAddress]:
    """Where each language site is published, from the project's mkdocs.yml (its ``site_url`` and
    URL layout; MkDocs' defaults without one: a build without it fails when it publishes, and
    ``write_docs`` stops before)."""
    mkdocs_yml = config.path(config.mkdocs_config)
    parent = read_parent(mkdocs_yml) if mkdocs_yml.is_file() else {}
    return {lang: SiteAddress(language_url(published_at(parent), lang), uses_directory_urls(parent))
            for lang in languages}


def language_url(site_url: str, lang: str) -> str:
    """A language site's address under mkdocs.yml's ``site_url`` ("" without one); a query or
    fragment of it is no part of any page's address."""
    if not site_url:
        return ""
    parts = urlsplit(site_url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + f"/{lang}/", query="", fragment=""))


def _plugins_as_mapping(plugins) -> dict:
    if isinstance(plugins, dict):
        return dict(plugins)
    mapping: dict = {}
    for entry in plugins or []:
        if isinstance(entry, str):
            mapping[entry] = {}
        else:
            mapping.update(entry)
    return mapping


NAV = (("home_title", "index.md"), ("blog_title", "articles/index.md"), ("editions_title", "editions/index.md"),
       ("sources_title", "sources/index.md"), ("tags_title", "tags/index.md"))


def derived_config(config: Config, parent: dict, lang: str, languages: list[str], site_root: Path) -> dict:
    """The per-language MkDocs config, as a mapping that INHERITs the maintainer's file
    (``parent``, as read by ``read_parent``)."""
    mkdocs_yml = config.path(config.mkdocs_config)
    plugins = _plugins_as_mapping(parent.get("plugins", ["search"]))
    # lunr's one-file index grows with the archive (60 MB at 10,000 articles): Pagefind replaces it.
    # INHERIT merges the parent's plugins back, so the plugin is disabled, not left out.
    plugins["search"] = {"enabled": False}
    # Article pages, their archive and categories are polydigest's own pages (render.py):
    # Material's blog plugin rebuilds every page of every list when one post is added.
    for own in ("blog", "tags"):
        if own in plugins:
            plugins[own] = {"enabled": False}
    # INHERIT replaces a list: the maintainer's hooks are listed again (from the derived
    # config's folder, so resolved against mkdocs.yml's), then polydigest's.
    hooks = [str((mkdocs_yml.parent / hook).resolve()) for hook in parent.get("hooks") or []]
    derived = {
        "INHERIT": str(mkdocs_yml),
        "docs_dir": str(config.path(config.docs_dir) / lang),
        "site_dir": str(site_root / lang),
        "theme": {
            "language": theme_language(lang),
            "direction": "rtl" if right_to_left(lang) else "ltr",
            "custom_dir": str(THEME_OVERRIDES),
        },
        "plugins": plugins,
        "hooks": [*hooks, str(HOOKS)],
        # Titled here, not taken from each page: a build in place reads only the changed pages.
        "nav": [{message(lang, key): page} for key, page in NAV],
        "extra": {
            "search_older": message(lang, "older"),  # the search's button to older articles
            "search_more": message(lang, "more_results"),  # and to more of the same ones
            # Material writes these two in English on every language's pages (partials/copyright.html, 404.html)
            "made_with": message(lang, "made_with"),
            "not_found": message(lang, "not_found"),
            "alternate": [
                {"name": language_title(other, other), "link": f"../{other}/", "lang": other}
                for other in languages
            ]
        },
    }
    if site_url := language_url(published_at(parent), lang):
        derived["site_url"] = site_url
    return derived


def root_index(languages: list[str]) -> str:
    """site/index.html: sends a browser to its preferred language, else the default."""
    links = "\n".join(
        f'    <li><a href="{html.escape(lang)}/" hreflang="{html.escape(lang)}">'
        f"{html.escape(language_title(lang, lang))}</a></li>"
        for lang in languages
    )
    return f"""<!doctype html>
<html lang="{html.escape(languages[0])}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>News digest</title>
  <script>
    (function () {{
      var available = {json.dumps(languages)};
      var wanted = (navigator.languages || [navigator.language || ""]).map(function (l) {{
        return l.toLowerCase().split("-")[0];
      }});
      var choice = available[0];
      for (var i = 0; i < wanted.length; i++) {{
        if (available.indexOf(wanted[i]) >= 0) {{ choice = wanted[i]; break; }}
      }}
      window.location.replace(choice + "/");
    }})();
  </script>
</head>
<body>
  <ul>
{links}
  </ul>
</body>
</html>
"""


SEARCH_DOCUMENT_ARTICLES = 10
"""Articles in one search document: Pagefind writes a fragment file per document it reads, so
one document an article cost the site a file per article and language (a third to a half of a
site's files). A document holds its articles one after the other, each under its title's
heading, whose ``id`` is the article's address (``searchable_text``). Pagefind finds and ranks
documents; the search UI (theme/assets/javascripts/polydigest-search.js) finds in them the
articles that hold every word of the query and ranks those. Ten keep a fragment small (~3 KB
gzipped): a first search fetches eight to a dozen."""

SEARCH_DOCUMENT_FORMAT = 3
"""Raised when what ``_search_documents`` writes changes: a bundle indexed from documents of
another format is indexed again, not carried (``shard_fingerprint``). 3: bundles have their
``LONGEST_FILE``."""

LONGEST_FILE = "longest-article.json"
"""In a search bundle: the most words one article of its documents holds, as Pagefind numbers
word places (its text's words between tags, counted alike on 9,842 articles). A document whose
places of the query's words never come that close holds no article with them all: the search UI
does not fetch it (a two-word search at 100,000 articles read 40 documents for one article)."""

_TAG = re.compile(r"<[^>]+>")

SEARCHABLE_END = "<!-- pd-searchable-end -->"
"""Written by theme/partials/content.html after an article page's searchable text."""

_SEARCHABLE_TEXT = re.compile(f"<div data-pagefind-body>(.*?)</div>{re.escape(SEARCHABLE_END)}", re.S)
_HEADING_ID = re.compile(r"(<h[1-6])\s+id=\"[^\"]*\"")
_DATE_LINE = re.compile(r"(</h1>\s*)<p>[^\n]*?href=\"[^\"]*category/[^\n]*?</p>")
"""An article page's line under its title: its date and its language's category. Not searched:
"English" matched every BBC summary, and it opened every excerpt ("English. Tony Blair …")."""


def searchable_text(page_html: str, url: str) -> str | None:
    """The searchable text of an article page (what theme/partials/content.html marks
    ``data-pagefind-body``: its title and summary; not the date and category line between
    them), its title's heading given the id ``url`` and every other heading none, so that a
    search result is the article; None for a page that marks no text (a list). Raises
    PublishError for a page that marks its text but not where it ends (a plugin that strips
    HTML comments): every search would miss it."""
    found = _SEARCHABLE_TEXT.search(page_html)
    if found is None:
        if "<div data-pagefind-body>" in page_html:
            raise PublishError(f"the article page {url} has lost the comment that ends its searchable text "
                               f"({SEARCHABLE_END}): is a plugin removing HTML comments? The search cannot be built")
        return None
    text = _DATE_LINE.sub(r"\1", _HEADING_ID.sub(r"\1", found.group(1)), count=1)
    if text.startswith("<h1>"):
        return f'<h1 id="{html.escape(url)}">{text[len("<h1>"):]}'
    return f'<h1 id="{html.escape(url)}">{html.escape(url)}</h1>{text}'  # no title: never seen, but findable


def article_url(page: str, directory_urls: bool) -> str:
    """The address of an article page relative to its language site: ``articles/<slug>/``
    with directory URLs, ``articles/<slug>.html`` without (mkdocs.yml's use_directory_urls)."""
    address = Path(page).with_suffix("").as_posix()
    return f"{address}/" if directory_urls else f"{address}.html"


SHARDS_FILE = "shards.json"
"""In a language's first search folder: the folders of its older shards, newest first, which
the search UI (theme/assets/javascripts/polydigest-search.js) offers to search on request."""


SHARD_ROLLOVER = 1.5
"""The open shard (the newest articles, from the last cut on) is cut when it holds more than
this many times ``search_shard_articles``: after a cut it keeps over half a shard."""


FINGERPRINT_FILE = "pages.sha256"
"""In a search bundle: the fingerprint of the pages it was indexed from (``shard_fingerprint``),
kept with the bundle so that it holds whatever becomes of ``site-state.json``."""


def read_articles(docs: Path) -> dict[str, tuple[str, str]]:
    """A language's article pages (their Markdown, relative to ``docs``), each with its date,
    as its front matter has it (render.render_post writes it, a stand-in for an undated
    article; it is what marks an article page), and a digest of its searchable text: its
    Markdown up to render.SEARCH_TEXT_END, all the search index holds of it (its related
    links, its story's links change without it)."""
    articles = {}
    for page in (docs / "articles").glob("*.md"):
        date, digest, front_matter = None, hashlib.sha256(), False
        with page.open(encoding="utf-8") as markdown:
            for number, line in enumerate(markdown):
                if line.rstrip("\n") == SEARCH_TEXT_END:
                    break
                digest.update(line.encode())
                if line.rstrip("\n") == "---":
                    front_matter = number == 0
                elif front_matter and date is None and line.startswith("date: "):
                    date = line[len("date: "):].strip()
        if date is not None:
            articles[f"articles/{page.name}"] = (date, digest.hexdigest())
    return articles


def cut_shards(cuts: list[str], dates: list[str], shard_articles: int) -> list[str]:
    """``cuts`` (each the first day of a newer shard, oldest first), extended while the open
    shard, the articles dated from the last cut on, holds more than ``SHARD_ROLLOVER`` shards:
    its oldest whole days holding at most ``shard_articles`` articles (its oldest day alone
    when that holds more) become a closed shard. A cut depends only on days complete when it
    is made, so from no cuts this gives the cuts of a site that grew in date order."""
    days = Counter(date for date in dates if not cuts or date >= cuts[-1])
    ordered = sorted(days)
    cuts, start, open_articles = list(cuts), 0, sum(days.values())
    while open_articles > SHARD_ROLLOVER * shard_articles and start + 1 < len(ordered):
        end, closed = start + 1, days[ordered[start]]
        while end + 1 < len(ordered) and closed + days[ordered[end]] <= shard_articles:
            closed += days[ordered[end]]
            end += 1
        cuts.append(ordered[end])
        start, open_articles = end, open_articles - closed
    return cuts


def search_shards(docs: Path, shard_articles: int, cuts: list[str]
                  ) -> tuple[list[list[str]], list[str], dict[str, tuple[str, str]] | None]:
    """A language's article pages in shards, the newest first, the cuts between them and its
    articles as ``read_articles`` reads them: ``cuts`` extended (``cut_shards``), each page in
    the shard whose dates hold its date (an old-dated one in a closed shard), empty shards
    left out. A closed shard grown above ``SHARD_ROLLOVER`` shards over more than one day
    makes every cut anew. One shard (empty when there are no articles) when they fit in one:
    then the articles are not read (None), the shard is indexed from the site as it is."""
    pages = [f"articles/{page.name}" for page in (docs / "articles").glob("*.md")]
    if not cuts and len(pages) <= SHARD_ROLLOVER * shard_articles:
        return [pages], [], None
    articles = read_articles(docs)
    dates = [date for date, _ in articles.values()]
    cuts = cut_shards(cuts, dates, shard_articles)
    shards = _by_cuts(articles, cuts)
    if any(len(shard) > SHARD_ROLLOVER * shard_articles and len({articles[page][0] for page in shard}) > 1
           for shard in shards[:-1]):  # a large backfill: cut as a site built afresh is, bounding Pagefind
        cuts = cut_shards([], dates, shard_articles)
        shards = _by_cuts(articles, cuts)
    return [shard for shard in reversed(shards) if shard] or [[]], cuts, articles


def _by_cuts(articles: dict[str, tuple[str, str]], cuts: list[str]) -> list[list[str]]:
    """The pages of ``articles`` in the shards ``cuts`` make, the oldest first."""
    shards: list[list[str]] = [[] for _ in range(len(cuts) + 1)]
    for page, (date, _) in sorted(articles.items()):
        shards[bisect.bisect_right(cuts, date)].append(page)
    return shards


def shard_fingerprint(pages: list[str], articles: dict[str, tuple[str, str]], first: bool) -> str:
    """What a shard's bundle is indexed from: its pages with their searchable text
    (``read_articles``; with the same setup, MkDocs makes the same HTML of it), and whether it
    is the first shard, whose folder keeps Pagefind's scripts, and the search documents' size
    and format."""
    digest = hashlib.sha256(f"{'first' if first else 'older'} {SEARCH_DOCUMENT_ARTICLES} {SEARCH_DOCUMENT_FORMAT}"
                            .encode())
    for page in sorted(pages):
        digest.update(f"\0{page}\0{articles[page][1]}".encode())
    return digest.hexdigest()


@contextlib.contextmanager
def _search_documents(site: Path, pages: list[str], directory_urls: bool, work_dir: Path
                      ) -> Iterator[tuple[Path, int, int]]:
    """A folder next to ``site`` holding the search documents of ``pages`` (article pages of
    it), ``SEARCH_DOCUMENT_ARTICLES`` a document, in the pages' order: one shard for Pagefind
    to read; how many documents it holds; and the most words one of their articles holds
    (``LONGEST_FILE``). Deleted afterwards without waiting, as a previous site is (``_retire``)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{site.name}-search-shard-", dir=site.parent))
    paths.mark(folder)  # a leftover of a killed build is removed by the next
    try:
        texts: list[str] = []
        for page in sorted(pages):
            output = site / page_output(page, directory_urls)
            if not output.is_file():
                raise PublishError(f"MkDocs wrote no page for {page} ({output}): the search cannot hold it")
            text = searchable_text(output.read_text(encoding="utf-8"), article_url(page, directory_urls))
            if text is not None:
                texts.append(f"<section>{text}</section>")
        documents = [texts[start:start + SEARCH_DOCUMENT_ARTICLES]
                     for start in range(0, len(texts), SEARCH_DOCUMENT_ARTICLES)]
        longest = max((len(html.unescape(_TAG.sub(" ", text)).split()) for text in texts), default=0)
        for number, sections in enumerate(documents, 1):
            (folder / f"{number:06d}.html").write_text(
                # The document's own title is a number: Pagefind would rank a document whose first
                # article's title matches above the others (its title counts twice).
                f'<!doctype html><html><head><meta charset="utf-8"><title>{number}</title></head>'
                f'<body><main data-pagefind-body data-pagefind-meta="title:{number}">{"".join(sections)}</main>'
                f'</body></html>', encoding="utf-8")
        yield folder, len(documents), longest
    finally:
        _retire(folder, work_dir)


def index_search(site: Path, lang: str, shards: list[list[str]], directory_urls: bool, work_dir: Path,
                 carried: Mapping[int, Path] | None = None) -> subprocess.CompletedProcess:
    """Pagefind's index of one language site, one bundle per shard of its article pages (as
    ``search_shards`` cuts them) in ``site/<budget.search_folder(shard)>/``: Pagefind's memory
    grows with the pages it reads, so a run per shard bounds it. It reads the shard's search
    documents (``_search_documents``), not the pages. The language is forced: the stemmer must
    be the articles' language. A shard in ``carried`` is not indexed: its bundle there, indexed from
    the same pages, is linked in."""
    indexing = subprocess.CompletedProcess([], 0, "", "")
    for shard, pages in enumerate(shards):
        if carried and shard in carried:
            paths.copy_tree(carried[shard], site / budget.search_folder(shard))
            continue
        with _search_documents(site, pages, directory_urls, work_dir) as (root, documents, longest):
            if not documents:  # a site without articles (Pagefind refuses to make an empty index)
                (site / budget.search_folder(shard)).mkdir(exist_ok=True)
            else:
                indexing = subprocess.run(
                    [sys.executable, "-m", "pagefind", "--site", str(root), "--glob", "*.html",
                     "--output-path", str(site / budget.search_folder(shard)), "--force-language", lang, "--silent"],
                    capture_output=True, text=True,
                )
        if indexing.returncode != 0:
            return indexing
        (site / budget.search_folder(shard) / LONGEST_FILE).write_text(json.dumps(longest))
    older = [budget.search_folder(shard) for shard in range(1, len(shards))]
    shards_file = site / budget.search_folder(0) / SHARDS_FILE
    shards_file.unlink(missing_ok=True)  # carried, it is a link to the current site's
    shards_file.write_text(json.dumps(older))
    return indexing


def index_language(site: Path, lang: str, docs: Path, shard_articles: int, remembered: dict,
                   current: Path | None, directory_urls: bool, work_dir: Path
                   ) -> tuple[subprocess.CompletedProcess, dict, list[str]]:
    """One language site's search (``index_search``), its shards cut at the cuts
    ``remembered`` (``site-state.json``'s ``search`` of the language's last build) when made
    for the same ``shard_articles``. A shard is indexed only when no bundle of ``current``
    (the language's current site; None: index every shard) holds its fingerprint
    (``shard_fingerprint``, in the bundle's ``FINGERPRINT_FILE``); one shard whose articles
    were not read (``search_shards``) always is. Returns Pagefind's result, what to remember
    (the shard size and the cuts) and the folders indexed."""
    cuts = remembered.get("cuts") if remembered.get("shard_articles") == shard_articles else []
    if not (isinstance(cuts, list) and all(isinstance(cut, str) for cut in cuts) and cuts == sorted(cuts)):
        cuts = []
    shards, cuts, articles = search_shards(docs, shard_articles, cuts)
    fingerprints = [shard_fingerprint(pages, articles, shard == 0) for shard, pages in enumerate(shards)] \
        if articles is not None else []
    bundles = {(folder / FINGERPRINT_FILE).read_text(): folder for folder in (current.iterdir() if current else [])
               if budget.is_search_folder(folder.name) and (folder / FINGERPRINT_FILE).is_file()}
    carried = {shard: bundles[fingerprint] for shard, fingerprint in enumerate(fingerprints) if fingerprint in bundles}
    indexing = index_search(site, lang, shards, directory_urls, work_dir, carried)
    indexed = [shard for shard in range(len(shards)) if shard not in carried]
    if indexing.returncode == 0 and fingerprints:
        for shard in indexed:
            (site / budget.search_folder(shard) / FINGERPRINT_FILE).write_text(fingerprints[shard])
    return indexing, {"shard_articles": shard_articles, "cuts": cuts}, [budget.search_folder(s) for s in indexed]


UNUSED_FILES = ("assets/javascripts/lunr", "assets/javascripts/workers", "assets/javascripts/*.map",
                "assets/stylesheets/*.map", "pagefind/pagefind-ui.*", "pagefind/pagefind-component-ui.*",
                "pagefind/pagefind-modular-ui.*", "pagefind/pagefind-worker.js", "pagefind-*/*.js", "pagefind-*/*.css")
"""What Material and Pagefind copy into every language site that a polydigest page never loads:
lunr's search (Pagefind replaces it), source maps, Pagefind's own UIs (polydigest-search.js
is the UI) and its worker (searches run in the page). ~2.8 MB in ~45 files per language. An
older shard's scripts too: the first shard's pagefind.js searches every shard."""


def remove_unused_files(site: Path) -> None:
    for pattern in UNUSED_FILES:
        for path in site.glob(pattern):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


def runner_environment() -> dict[str, str]:
    """The environment of the MkDocs process: this one's, minus argostranslate's folder variables
    should anything have set them, and with this process's polydigest first on the module path.
    The derived config names this package's hooks and theme; a runner imported from another copy
    (a checkout run beside an installed polydigest, a git worktree sharing a virtualenv) would not
    know them for its own and build in MkDocs' order, every page's HTML held at once (2.3 GB and
    growing, one language of 100,000 articles)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ARGOS_")}
    package_root = str(Path(__file__).resolve().parent.parent)
    site_folders = [*site.getsitepackages(), site.getusersitepackages()]
    if package_root not in {str(Path(folder).resolve()) for folder in site_folders}:
        # not a site folder: before the standard library, one could shadow its modules
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, environment.get("PYTHONPATH")]))
    return environment


def _build_one(lang: str, config_file: Path, site: Path, current: Path | None, copy: Callable,
               gone: list[str], spare: Path | None) -> tuple[int, str]:
    """One language: a fresh build, or (with ``current``, the language's current site) a build
    in place over a copy of it (made from ``spare``, an older copy, where there is one), where
    the pages whose Markdown is ``gone`` are removed."""
    if current is not None:  # not the search bundles: index_language makes or links them
        paths.copy_tree(current, site, budget.is_search_folder, copy, spare)
    process = subprocess.run(
        # -P: not the working folder first on the module path either (another checkout's generator/)
        [sys.executable, "-P", "-m", "generator.mkdocs_runner", str(config_file), *(["--dirty"] if current else [])],
        capture_output=True, text=True, env=runner_environment(),
    )
    if process.returncode == 0:
        remove_stale_pages(site, gone)
    return process.returncode, (process.stdout + process.stderr).strip()


def setup_fingerprint(config: Config, derived: dict) -> str:
    """What every page of a language site depends on besides its own Markdown: the
    maintainer's mkdocs.yml, the derived config (minus the temporary site_dir), the theme
    overrides, the MkDocs hooks and the versions of polydigest, MkDocs, Material and Pagefind. When it
    changes, every page is built afresh."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    # polydigest's theme and hooks by their content, below, not by the folder polydigest is
    # installed in: a moved polydigest or project would otherwise build every page afresh (a
    # day at 100,000 articles took 30 minutes instead of 5). The maintainer's hooks by content too.
    own = {str(THEME_OVERRIDES): "polydigest theme", str(HOOKS): "polydigest hooks"}
    # nor by the project's own folder: mkdocs.yml's content is hashed below, the pages' by docs_state
    stable = {k: v for k, v in derived.items() if k not in ("site_dir", "theme", "hooks", "INHERIT", "docs_dir")}
    stable["theme"] = {k: own.get(v, v) for k, v in derived["theme"].items()}
    stable["hooks"] = [own.get(hook) or _file_bytes(Path(hook)).hex() for hook in derived["hooks"]]
    digest.update(json.dumps(stable, sort_keys=True, default=repr).encode())
    digest.update(config.path(config.mkdocs_config).read_bytes())
    for name in ("polydigest", "mkdocs", "mkdocs-material", "pagefind"):
        try:
            digest.update(f"{name}={version(name)}".encode())
        except PackageNotFoundError:  # run from a source tree that is not installed
            digest.update(f"{name}=?".encode())
    _hash_tree(digest, THEME_OVERRIDES)
    digest.update(HOOKS.read_bytes())
    return digest.hexdigest()


def docs_state(config: Config, lang: str) -> tuple[str, list[str]]:
    """A language's Markdown folder: the fingerprint of its files (names and contents) and its
    pages (the .md files, by name), hashing only the files changed since the last look."""
    docs = config.path(config.docs_dir) / lang
    listed = files_by_name(docs, lambda entry: entry.is_file())
    hashes = FileHashes(config.path(config.work_dir) / HASHES_DIR / f"docs-{lang}.json")
    fingerprint = hashes.fingerprint([(name, entry.path, entry.stat()) for name, entry in listed])
    return fingerprint, [name for name, _ in listed if name.endswith(".md")]


def _file_bytes(path: Path) -> bytes:
    """The file's content; empty when it cannot be read (MkDocs then reports it)."""
    try:
        return path.read_bytes()
    except OSError:
        return b""


def _hash_tree(digest, root: Path):  # noqa: ANN001, ANN202 - a hashlib object
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest


# Plugins that write no files of their own in a polydigest build (it turns them off).
PLUGINS_WRITING_NOTHING = {"search", "material/search", "blog", "material/blog", "tags", "material/tags"}


def _copy_for_in_place(parent: dict) -> Callable[[str, str], object]:
    """Hard links when only MkDocs writes files (generator.mkdocs_runner replaces files, never
    rewrites them, so the current site stays intact); real copies, with their times, when
    another plugin might write into a file shared with the current site."""
    if set(_plugins_as_mapping(parent.get("plugins", ["search"]))) <= PLUGINS_WRITING_NOTHING:
        return os.link
    return shutil.copy2


def page_output(page: str, directory_urls: bool = True) -> Path:
    """Where MkDocs writes a Markdown page, relative to the site (``use_directory_urls``)."""
    relative = page.removesuffix(".md")  # not Path.with_suffix: "tags/x.2.md" is "tags/x.2"
    if not directory_urls or Path(relative).name == "index":
        return Path(f"{relative}.html")
    return Path(relative) / "index.html"


def remove_stale_pages(site: Path, gone: list[str]) -> None:
    """After a build in place: remove the pages whose Markdown is gone (a deleted article, a
    list that got shorter), and their folders when nothing else is left in them."""
    for page in gone:
        output = site / page_output(page)
        output.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            output.parent.rmdir()


SPARE_DIR = "spare-site"  # in the work folder: the site before the current one (_keep_as_spare)


def _keep_as_spare(previous: Path, work_dir: Path, linked: bool, unrelated: list[str]) -> None:
    """Keep the site just replaced for the next build's copies (``paths.copy_tree``'s spare):
    mostly hard links to the current site's files, so a copy made from it links again only the
    files that changed since. Without hard links it is no help, and is deleted, as are the
    ``unrelated`` languages' folders (built afresh: they share no file with the new site)."""
    spare = work_dir / SPARE_DIR
    if spare.is_symlink():  # not polydigest's: what it leads to is left alone
        spare.unlink()
    elif spare.exists():  # languages this build did not take (or no longer builds)
        _retire(spare, work_dir)
    if linked:
        for lang in unrelated:
            if (previous / lang).is_dir():
                _retire(previous / lang, work_dir)
        with contextlib.suppress(OSError):
            previous.rename(spare)
            return
    _retire(previous, work_dir)


def _retire(folder: Path, work_dir: Path) -> None:
    """Delete a previous site without making the build wait: it is moved into the work
    folder and removed by a detached process (the next build removes what is left)."""
    retired = Path(tempfile.mkdtemp(prefix=f"retired-{folder.name}-", dir=work_dir))  # taken by the rename
    try:
        folder.rename(retired)
    except OSError:  # another file system
        retired.rmdir()
        shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(retired)],
                     start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


STATE_FILE = "site-state.json"  # in the work folder: per language, what its site was built from


def _site_state(state_file: Path) -> dict:
    """What the last publish recorded; empty when there is no record or it is unreadable."""
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def site_is_current(config: Config, languages: list[str]) -> bool:
    """Whether ``site_dir`` holds what the last publish built from the Markdown now in
    ``docs_dir`` (nobody edited, removed or half-rewrote either since)."""
    site_dir = config.path(config.site_dir)
    state = _site_state(config.path(config.work_dir) / STATE_FILE)
    return (site_dir / "index.html").is_file() and all(
        isinstance(state.get(lang), dict) and (site_dir / lang / "index.html").is_file()
        and state[lang].get("docs") == docs_state(config, lang)[0]
        for lang in languages)


def publish(config: Config, languages: list[str], progress: Progress = SILENT,
            seconds: dict[str, float] | None = None) -> list[str]:
    """Build every changed language into a fresh folder and swap it in as ``site_dir``.

    A language whose inputs (and ``search_shard_articles``) did not change since the last
    successful build is carried over from the current site (hard links, no copy). One whose
    Markdown or shard size changed but not
    its setup (``setup_fingerprint``) starts from a copy of its current site, and MkDocs
    rebuilds only the pages whose Markdown is newer than their HTML (write_tree leaves
    unchanged files untouched); stale pages are removed; only the search shards whose
    articles changed are indexed again (``index_language``). Anything else is built afresh.
    Returns the languages built; ``seconds`` gets the time of each part (BuildReport.publish_seconds)."""
    seconds = seconds if seconds is not None else {}
    started = time.perf_counter()
    site_dir = config.path(config.site_dir)
    paths.claim(site_dir, "site_dir")
    work_dir = config.path(config.work_dir)
    configs_dir = work_dir / "mkdocs"
    configs_dir.mkdir(parents=True, exist_ok=True)
    state_file = work_dir / STATE_FILE
    previous = _site_state(state_file)
    # left by a killed build (we hold the build lock), or not yet removed
    for stale in site_dir.parent.glob(f"{site_dir.name}.building-*"):
        if paths.is_claimed(stale):
            shutil.rmtree(stale, ignore_errors=True)
    for stale in work_dir.glob("retired-*"):  # the work folder's are all polydigest's, marked or not
        if stale.is_symlink():
            stale.unlink()
        else:
            shutil.rmtree(stale, ignore_errors=True)
    kept = work_dir / SPARE_DIR
    # only a folder this build left: a link to one elsewhere would have its files moved and removed
    spare = kept if kept.is_dir() and not kept.is_symlink() and paths.is_claimed(kept) else None
    parent = read_parent(config.path(config.mkdocs_config))
    copy = _copy_for_in_place(parent)
    directory_urls = uses_directory_urls(parent)
    state: dict[str, dict] = {}
    plans: dict[str, str] = {}  # language -> "keep", "in place" or "afresh"
    for lang in languages:
        derived = derived_config(config, parent, lang, languages, site_dir)
        fingerprint, pages = docs_state(config, lang)
        state[lang] = {"setup": setup_fingerprint(config, derived), "docs": fingerprint,
                       "pages": pages, "search_shard_articles": config.search_shard_articles}
        before: dict = previous[lang] if isinstance(previous.get(lang), dict) else {}
        if not ((site_dir / lang / "index.html").is_file() and before.get("setup") == state[lang]["setup"]):
            plans[lang] = "afresh"
        elif all(before.get(key) == state[lang][key] for key in ("docs", "search_shard_articles")):
            plans[lang] = "keep"
            state[lang]["search"] = before.get("search", {})
        else:  # in place only with directory URLs, the layout page_output knows
            plans[lang] = "in place" if directory_urls else "afresh"
    index = root_index(languages)
    if set(plans.values()) == {"keep"} and (site_dir / "index.html").is_file() \
            and (site_dir / "index.html").read_text() == index:
        return []  # nothing changed: the current site stays as it is
    building = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.building-", dir=site_dir.parent))
    paths.mark(building)
    try:
        to_build = []
        for lang, plan in plans.items():
            if plan == "keep":
                paths.copy_tree(site_dir / lang, building / lang, spare=spare / lang if spare else None)
                continue
            path = configs_dir / f"{lang}.yml"
            derived = derived_config(config, parent, lang, languages, building)
            path.write_text(yaml.safe_dump(derived, allow_unicode=True, sort_keys=False))
            # In place, MkDocs rebuilds the changed pages over a copy of the language's site.
            current = site_dir / lang if plan == "in place" else None
            gone = sorted(set(previous[lang].get("pages", [])) - set(state[lang]["pages"])) if current else []
            to_build.append((lang, path, building / lang, current, copy, gone, spare / lang if spare else None))
        jobs = config.build_jobs or config.cpu_count
        failures = []
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(to_build) or 1))) as pool:
            results = pool.map(lambda job: _build_one(*job), to_build)
            for done, (job, (code, output)) in enumerate(zip(to_build, results, strict=True), 1):
                lang, in_place = job[0], job[3] is not None
                if code != 0:
                    failures.append(f"[{lang}] mkdocs build failed:\n{output}")
                what = f"{lang}, changed pages" if in_place else lang
                progress.step("mkdocs", done, len(to_build), f"languages ({what})")
        seconds["mkdocs"], started = time.perf_counter() - started, time.perf_counter()
        # Pagefind after every MkDocs build, one language at a time with nothing else running: it
        # uses more than one core already and ~880 MB at 10,000 articles (two MkDocs ~340 MB each).
        for done, (lang, _, site, current, *_) in enumerate([] if failures else to_build, 1):
            remembered = previous[lang].get("search") if current is not None else None
            indexing, state[lang]["search"], indexed = index_language(
                site, lang, config.path(config.docs_dir) / lang, config.search_shard_articles,
                remembered if isinstance(remembered, dict) else {}, current, directory_urls, work_dir)
            if indexing.returncode != 0:
                failures.append(f"[{lang}] search indexing failed:\n{(indexing.stdout + indexing.stderr).strip()}")
            remove_unused_files(site)
            progress.step("search", done, len(to_build), f"languages indexed ({lang}: {', '.join(indexed) or 'none'})")
        seconds["search"], started = time.perf_counter() - started, time.perf_counter()
        if failures:
            raise PublishError("\n".join(failures) + f"\nthe previous site in {site_dir} was left as it was")
        (building / "index.html").write_text(index, encoding="utf-8")
        _swap_in(building, site_dir)  # ``building`` now holds the previous site
        state_file.write_text(json.dumps(state, indent=1, sort_keys=True))
        budget.save(config, budget.measure(site_dir))  # the build report says how close to the budget
        seconds["measure"] = time.perf_counter() - started
        # a language built afresh shares no file with the site it replaced: no help to the next copy
        _keep_as_spare(building, work_dir, copy is os.link, [lang for lang, plan in plans.items() if plan == "afresh"])
    finally:
        shutil.rmtree(building, ignore_errors=True)  # after a failure (or if it could not be retired)
    return [lang for lang, *_ in to_build]


def _swap_in(new: Path, site_dir: Path) -> None:
    """Exchange ``new`` and ``site_dir`` in one atomic step where the system can, so readers
    never see a partial site or none; elsewhere, two renames."""
    if paths.exchange(new, site_dir):
        return
    retired = new.with_name(new.name + "-previous")
    site_dir.rename(retired)
    new.rename(site_dir)
    retired.rename(new)
