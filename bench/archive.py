#!/usr/bin/env python3
"""A growing digest: cold build of an archive, a no-op rebuild, and one more day of news,
in one run, with peak memory, the largest pages and what a search downloads.

    .venv/bin/python bench/archive.py [--articles 10000[,30000,100000]] [--add 20] [--languages en,pt]
                                      [--dir /tmp/polydigest-bench-archive]

Per size: cold, no-op and +1 day seconds by stage, peak memory, what a first search downloads
and how long it takes, the site's bytes and files per article and language and its median
article page; then one table of every size and the ratios to the smallest.

The archive is ../shared/corpus's real news (English and Portuguese, with their sources)
topped up with generated articles, 20 a day (bench/corpus.py). Searches run in Debian's
Chromium (Playwright) against the built site on 127.0.0.1 when both are installed.
"""

import argparse
import contextlib
import functools
import multiprocessing
import os
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from corpus import PER_DAY, add_stand_in_models, make_archive, table_header, table_row, timed_build, write_archive_day

from generator import budget, core  # importable once corpus has set the path

CHROMIUM = Path("/usr/bin/chromium")
# single words (one of the other language) and queries of several words, which read the most documents:
# an article must hold every word, and a document can hold them in different articles
QUERIES = {"en": ["government", "bibliotecas", "election result", "oil prices"],
           "pt": ["bibliotecas", "governo", "reforma da previdência"]}


def _descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, depth) of every process below ``pid``: its children at depth 1, theirs at 2..."""
    found, frontier = [], [(pid, 0)]
    while frontier:
        parent, depth = frontier.pop()
        kids = []
        with contextlib.suppress(OSError):  # a process that ended while it was being read has no children
            tasks = os.listdir(f"/proc/{parent}/task")
            for task in tasks:  # a process started by any thread
                with contextlib.suppress(OSError):
                    kids += [int(k) for k in Path(f"/proc/{parent}/task/{task}/children").read_text().split()]
        found += [(kid, depth + 1) for kid in kids]
        frontier += [(kid, depth + 1) for kid in kids]
    return found


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (a forked worker's, libraries) split between sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _name(pid: int, depth: int) -> str:
    """build (this process), stages (its fork running the stages), worker (their pool), or
    the program or module a process runs (mkdocs_runner, pagefind)."""
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    if depth == 0:
        return "build"
    program = Path(words[0].decode(errors="replace")).name
    flag = words.index(b"-m") if b"-m" in words[1:-1] else None  # after options such as -P
    module = words[flag + 1].decode(errors="replace") if flag else ""
    if module or not program.startswith("python"):
        return module.split(".")[-1] or program
    return "stages" if depth == 1 else "worker"


_STAGE = multiprocessing.Array("c", 32)  # shared memory: the stages run in a forked process


@contextlib.contextmanager
def _stage_marked(report, stage):
    """core._timed, noting which stage runs (for memory by stage)."""
    _STAGE.value = stage.encode()
    with _timed(report, stage):
        yield


_timed = core._timed
core._timed = _stage_marked


class PeakMemory:
    """Samples, five times a second, the memory of this process and of every process it
    started (MkDocs, Pagefind, worker pools): the peak of their sum (PSS) and of the largest,
    and, per build stage, the processes at that stage's peak."""

    def __init__(self):
        self.total = self.largest = 0.0
        self.by_stage: dict[str, tuple[float, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            processes = [(me, 0), *_descendants(me)]
            sizes = [_pss_mb(pid) for pid, _ in processes]
            self.total = max(self.total, sum(sizes))
            self.largest = max(self.largest, *sizes)
            stage = _STAGE.value.decode() or "start"
            if sum(sizes) > self.by_stage.get(stage, (0.0, ""))[0]:
                parts = sorted(zip(sizes, processes, strict=True), reverse=True)
                self.by_stage[stage] = (sum(sizes), " + ".join(f"{_name(*process)} {size:.0f}"
                                                             for size, process in parts if size >= 20))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def largest(folder: Path, pattern: str, count: int = 3) -> list[tuple[int, str]]:
    files = sorted(((p.stat().st_size, str(p.relative_to(folder))) for p in folder.rglob(pattern)), reverse=True)
    return files[:count]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def search_downloads(site: Path, languages: list[str]) -> dict[str, tuple[int, int, float]]:
    """Per language and query: bytes fetched from pagefind/ (the newest shard's index, all a first
    search loads; older shards' folders are pagefind-<n>/, searched on request), results,
    seconds to the first result."""
    import time

    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        for lang in languages:
            for query in QUERIES.get(lang, ["news"]):
                page = browser.new_page()  # a fresh cache per search: a reader's first search
                fetched: list[int] = []
                page.on("response", lambda r, f=fetched: f.append(len(r.body())) if "/pagefind/" in r.url else None)
                page.goto(f"{base}/{lang}/", wait_until="networkidle")
                start = time.perf_counter()
                page.keyboard.press("/")
                page.keyboard.type(query)
                page.wait_for_function(
                    "() => /\\d|No |Nenhum/.test(document.querySelector('.md-search-result__meta').textContent)")
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle")
                results = page.locator("li.md-search-result__item").count()
                found[f"{lang} '{query}'"] = (sum(fetched), results, seconds)
                page.close()
        browser.close()
    server.shutdown()
    return found


def site_weight(site: Path, articles: int, languages: list[str]) -> dict[str, float]:
    """The published site per article and language: bytes, files, and the median article page."""
    usage = budget.measure(site)
    pages = sorted(p.stat().st_size for p in site.glob("*/articles/*/index.html")
                   if p.parent.name not in ("archive", "category"))
    per = articles * len(languages)
    return {"bytes": usage.bytes, "files": usage.files, "kb_per": usage.bytes / per / 1024,
            "files_per": usage.files / per, "median_page_kb": statistics.median(pages) / 1024 if pages else 0.0}


def print_peak(name: str, memory: PeakMemory) -> None:
    print(f"peak memory (PSS), {name}: all processes together {memory.total:.0f} MB, "
          f"the largest one {memory.largest:.0f} MB")
    for stage, (stage_total, processes) in memory.by_stage.items():
        print(f"    {stage:10} {stage_total:5.0f} MB: {processes}", flush=True)


def run_size(args: argparse.Namespace, articles: int) -> dict:
    """One archive size: a cold build, a no-op rebuild and one more day, each printed in full."""
    options = {"languages": args.languages}
    folder = args.dir if "," not in args.sizes else args.dir.with_name(f"{args.dir.name}-{articles}")
    project = make_archive(folder, articles)
    for language in args.stand_in:
        add_stand_in_models(project, language)
    print(f"{articles} articles, then {args.add} more, x {len(args.languages.split(','))} languages "
          f"({args.languages})"
          + (f"; stand-in models (copies of en<->pt) for {', '.join(args.stand_in)}" if args.stand_in else ""))
    print(table_header())
    # Each row as soon as its build ends: at 100,000 articles the cold build alone takes hours.
    with PeakMemory() as cold_memory:
        cold = timed_build(project, **options)
    print(table_row("cold", cold))
    print_peak("cold build", cold_memory)
    noop = timed_build(project, **options)
    print(table_row("no-op rebuild", noop), flush=True)
    write_archive_day(project / "seeds", articles, args.add)
    with PeakMemory() as daily_memory:
        daily = timed_build(project, **options)
    print(table_row(f"+{args.add} articles", daily))
    print_peak(f"+{args.add} articles", daily_memory)
    total = sum(cold.seconds.values())
    print(f"no-op / cold = {sum(noop.seconds.values()) / total:.3f}; "
          f"+{args.add} / cold = {sum(daily.seconds.values()) / total:.3f}")
    site = project / "site"
    for lang in cold.languages:
        print(f"[{lang}] largest pages: " + ", ".join(f"{path} {size / 1024:.0f} KB"
                                                      for size, path in largest(site / lang, "*.html")))
    weight = site_weight(site, daily.articles, cold.languages)
    print(f"site: {weight['bytes'] / 1e6:.1f} MB in {weight['files']:,} files = {weight['kb_per']:.1f} KB and "
          f"{weight['files_per']:.2f} files per article and language; median article page "
          f"{weight['median_page_kb']:.1f} KB")
    searches: dict[str, tuple[int, int, float]] = {}
    if CHROMIUM.exists():
        try:
            searches = search_downloads(site, cold.languages)
        except ImportError:
            print("search: playwright is not installed (pip install -e '.[test]')")
        for name, (size, results, seconds) in searches.items():
            print(f"search {name}: {size / 1024:.0f} KB downloaded, {results} results shown, "
                  f"first answer after {seconds:.2f} s")
    else:
        print(f"search: not measured ({CHROMIUM} is missing; make test installs it)")
    return {"articles": articles, "cold": total, "noop": sum(noop.seconds.values()),
            "daily": sum(daily.seconds.values()), "peak": max(cold_memory.total, daily_memory.total),
            "search_kb": max((size / 1024 for size, _, _ in searches.values()), default=0.0),
            "search_s": max((seconds for _, _, seconds in searches.values()), default=0.0), **weight}


SUMMARY = (("cold s", "cold", "{:.0f}"), ("no-op s", "noop", "{:.1f}"), ("+day s", "daily", "{:.1f}"),
           ("peak MB", "peak", "{:.0f}"), ("search KB", "search_kb", "{:.0f}"), ("search s", "search_s", "{:.2f}"),
           ("KB/art-lang", "kb_per", "{:.1f}"), ("files/art-lang", "files_per", "{:.2f}"),
           ("page KB", "median_page_kb", "{:.1f}"))


def print_summary(runs: list[dict], add: int) -> None:
    """One line per size (the worst search of each), then each size against the smallest:
    cold seconds per article (1.00: cost per article flat), and the others as they are."""
    print(f"\nsummary (+day = {add} articles; search: the slowest and largest first search)")
    print(f"{'articles':>9} " + " ".join(f"{title:>14}" for title, _, _ in SUMMARY))
    for run in runs:
        print(f"{run['articles']:>9} " + " ".join(f"{fmt.format(run[key]):>14}" for _, key, fmt in SUMMARY))
    first = runs[0]
    for run in runs[1:]:
        per_article = (run["cold"] / run["articles"]) / (first["cold"] / first["articles"])
        print(f"{run['articles']:>9} / {first['articles']}: cold per article x{per_article:.2f}, "
              + ", ".join(f"{title} x{run[key] / first[key]:.2f}" for title, key, _ in SUMMARY[1:] if first[key]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", dest="sizes", default="10000",
                        help="archive sizes, comma-separated: one run per size, then a table with their ratios")
    parser.add_argument("--add", type=int, default=PER_DAY, help="articles added for the daily rebuild")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/polydigest-bench-archive"),
                        help="the project folder (with several sizes, one folder per size: <dir>-<size>)")
    parser.add_argument("--languages", default="en,pt",
                        help="site languages; one without a model is built with its articles in the original")
    parser.add_argument("--stand-in", metavar="LANG", action="append", default=[],
                        help="give LANG (also add it to --languages) copies of the en<->pt models, "
                             "to time a third translated language where no third model exists")
    args = parser.parse_args()
    runs = [run_size(args, int(size)) for size in args.sizes.split(",")]
    print_summary(runs, args.add)


if __name__ == "__main__":
    main()
