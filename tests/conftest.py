from __future__ import annotations

import dataclasses
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI draws the same examples on every run (derandomized: a fixed seed per test), so a test
# cannot fail at random and block a good change; locally, hypothesis explores freely.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

sys.path.insert(0, str(Path(__file__).parent))

from tiny_argos import build_tiny_package  # noqa: E402

from generator.mkdocs_runner import REFUSE_MKDOCS  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

# A test that builds a site (MkDocs, Pagefind: seconds each) carries one of these marks, which
# `make unit` leaves out. Any other test that reaches MkDocs fails: the runner refuses to build
# for it (generator/mkdocs_runner.py), in this process or a child, and notes it in a file.
SITE_BUILD_MARKS = ("slow", "browser", "dask")
_REFUSALS = pytest.StashKey[Path]()
_REFUSAL_DIR = Path(tempfile.mkdtemp(prefix="polydigest-mkdocs-refused-"))


def builds_sites(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(mark) for mark in SITE_BUILD_MARKS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Around setup, call and teardown: a session fixture first built for an unmarked test is
    refused too."""
    if builds_sites(item):
        yield
        return
    record = _REFUSAL_DIR / str(id(item))
    item.stash[_REFUSALS] = record
    before = os.environ.get(REFUSE_MKDOCS)
    os.environ[REFUSE_MKDOCS] = str(record)
    try:
        yield
    finally:
        if before is None:
            del os.environ[REFUSE_MKDOCS]
        else:
            os.environ[REFUSE_MKDOCS] = before


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """The test fails even when it caught the failed build."""
    outcome = yield
    record = item.stash.get(_REFUSALS, None)
    if call.when == "teardown" and record is not None and record.exists():
        report = outcome.get_result()
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} reached MkDocs ({record.read_text().strip()}) but is not marked "
                           f"{' / '.join(SITE_BUILD_MARKS)}: test the Markdown (generator.core.write_docs) "
                           "or mark it")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_REFUSAL_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> Path:
    """A folder of tiny upper-casing Argos packages: en<->pt and en->ar."""
    folder = tmp_path_factory.mktemp("tiny-models")
    for source, target in (("en", "pt"), ("pt", "en"), ("en", "ar")):
        build_tiny_package(folder, source, target)
    return folder


def make_project(root: Path, models: Path, seeds: Path | None = SEEDS, languages: str = "en,pt") -> Path:
    """A project folder like the repository's: mkdocs.yml, seeds/, models/, polydigest.toml."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "seeds").mkdir()
    if seeds is not None:
        for path in sorted(seeds.iterdir()):
            shutil.copy(path, root / "seeds" / path.name)
    shutil.copytree(models, root / "models")
    quoted = ", ".join(f'"{lang}"' for lang in languages.split(","))
    (root / "polydigest.toml").write_text(f"[polydigest]\nlanguages = [{quoted}]\n")
    return root


@pytest.fixture
def project(tmp_path, tiny_models) -> Path:
    """The two sample seeds with the tiny en<->pt models."""
    return make_project(tmp_path / "project", tiny_models)


def copy_project(built: Path, root: Path) -> Path:
    """A copy of a built project (seeds, cache, docs, site) elsewhere. Its options hold its own
    path, so its next build runs every stage on the cache and MkDocs afresh."""
    shutil.copytree(built, root, symlinks=True)
    return root


def run_build_cli(project: Path, *args: str, env_extra: dict | None = None, prefix: tuple[str, ...] = ()
                  ) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([*prefix, sys.executable, "-m", "generator", "build", "--project", str(project), *args],
                          capture_output=True, text=True, env=env, timeout=600)


SOCKET_GUARD = Path(__file__).parent / "socket_guard"


def _network_namespaces() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-n", "true"],
                                                                  capture_output=True).returncode == 0


@dataclasses.dataclass
class BuiltSite:
    project: Path
    result: subprocess.CompletedProcess
    report: dict
    """The build's --report: BuildReport.as_dict()."""
    socket_log: Path
    offline: bool
    """Built with networking disabled (unshare -n), where the machine allows it."""


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory, tiny_models) -> BuiltSite:
    """The sample seeds with the tiny en<->pt models, built once per test run (per xdist worker)
    through the CLI as a maintainer builds them: every socket attempt logged (tests/socket_guard),
    with no network (unshare -n) where the machine allows it. Never change it: a test that changes
    it takes sample_project (or copy_project)."""
    project = make_project(tmp_path_factory.mktemp("sample") / "project", tiny_models)
    log = project.parent / "sockets.log"
    offline = _network_namespaces()
    result = run_build_cli(project, "--report", str(project.parent / "report.json"), env_extra={
        "PYTHONPATH": os.pathsep.join([str(SOCKET_GUARD), os.environ.get("PYTHONPATH", "")]),
        "POLYDIGEST_SOCKET_LOG": str(log),
    }, prefix=("unshare", "-n") if offline else ())
    assert result.returncode == 0, result.stderr
    report = json.loads((project.parent / "report.json").read_text())
    return BuiltSite(project, result, report, log, offline)


@pytest.fixture
def sample_project(sample_site, tmp_path) -> Iterator[Path]:
    """The sample site's project to change, as if this test had just built it: a copy at the
    path it was built at (so the next build is a no-op), while the built one waits aside,
    untouched, until the test ends."""
    built = sample_site.project
    aside = tmp_path / "sample-aside"
    built.rename(aside)
    try:
        shutil.copytree(aside, built, symlinks=True)
        yield built
    finally:
        shutil.rmtree(built, ignore_errors=True)
        aside.rename(built)


# Three articles of known dates, for the order of the home page and right-to-left Arabic.
DATED_BODIES = {
    "middle": (3, "Farmers expect a record harvest of wheat this summer. Prices for bread may fall."),
    "newest": (9, "The orchestra announced a new conductor for next season. Tickets go on sale in June."),
    "oldest": (1, "Engineers finished repairs on the old railway bridge. Trains run again from Monday."),
}


@pytest.fixture(scope="session")
def dated_rtl_project(tmp_path_factory, tiny_models) -> Path:
    """English + Arabic (tiny model) with articles of known dates, built once through the CLI."""
    seeds = tmp_path_factory.mktemp("dated-seeds")
    for name, (day, body) in DATED_BODIES.items():
        (seeds / f"{name}.txt").write_text(f"The {name.title()} Story\nPublished: 2024-05-0{day}\n\n{body}\n")
    project = make_project(tmp_path_factory.mktemp("rtl") / "project", tiny_models, seeds=seeds, languages="en,ar")
    result = run_build_cli(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, tiny_models):
    """The hostile corpus (tests/hostile_corpus.py) built once: (project, BuildReport)."""
    from hostile_corpus import write_hostile_seeds

    from generator.config import load_config
    from generator.core import build
    from generator.progress import SILENT

    seeds = write_hostile_seeds(tmp_path_factory.mktemp("hostile-seeds"))
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", tiny_models, seeds=seeds)
    return project, build(load_config(project), SILENT)


def write_docs(project: Path, overrides: dict | None = None):
    """The project's Markdown in docs/, without MkDocs (generator.core.write_docs): BuildReport."""
    from generator import core
    from generator.config import load_config
    from generator.progress import SILENT

    return core.write_docs(load_config(project, overrides), SILENT)


def watch_search(page) -> None:  # noqa: ANN001 - a Playwright page
    """Before a query is typed into the open search: from now on, the time of the results' last
    change since the last keystroke is kept (``search_answered``)."""
    page.evaluate("""() => {
        window.pdChanged = 0;
        if (window.pdObserver) return;
        window.pdObserver = new MutationObserver(() => { window.pdChanged = performance.now(); });
        window.pdObserver.observe(document.querySelector(".md-search-result"),
                                  {childList: true, subtree: true, characterData: true});
        // after the page's own listener (which answers an emptied box at once): each keystroke
        // forgets what came before it
        document.querySelector("input.md-search__input").addEventListener("input", () => { window.pdChanged = 0; });
    }""")


def search_answered(page) -> None:  # noqa: ANN001 - a Playwright page
    """After a query was typed (``watch_search`` before): returns once the results changed after
    the last keystroke and then stayed 300 ms as they are. The search shows only its newest
    query's answer (an older query's, or an older listing's, is dropped), so that change is the
    whole query's. Waiting for 300 ms of quiet alone took a loaded machine's slow answer for the
    previous query's."""
    page.wait_for_function("""() => window.pdChanged > 0 && performance.now() - window.pdChanged > 300""",
                           timeout=15000)


def search_documents(language_site: Path, folder: str = "pagefind") -> list[dict]:
    """What Pagefind indexed in one language site (in one search shard's ``folder``), article
    by article: each fragment (read back from the gzipped files a browser downloads) is a
    document of several articles, each from its title's heading, whose id is its address
    (publish.searchable_text); one dict an article (url from the site's root, content, meta.title)."""
    documents = []
    for fragment in sorted((language_site / folder / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        words = data["content"].split()
        anchors = sorted((a for a in data["anchors"] if a["element"] == "h1"), key=lambda a: a["location"])
        for anchor, after in zip(anchors, [*anchors[1:], None], strict=True):
            end = after["location"] if after else len(words)
            documents.append({"url": f"/{anchor['id']}", "content": " ".join(words[anchor["location"]:end]),
                              "meta": {"title": anchor["text"]}})
    return documents
