"""The ``polydigest`` command: a thin layer that turns arguments into a Config."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import logging
import sys
from pathlib import Path

from . import __version__, packages
from .config import add_options, language_code, load_config, option_docs, overrides_from
from .core import build
from .errors import ConfigError, InputError, ModelError, PolydigestError
from .faults import is_whole_build_failure
from .fetch import Fetcher, read_feed_list, read_opml, summary_line, totals
from .ingest import articles_from_file, read_paths
from .paths import write_file
from .progress import Progress
from .records import Problem
from .story_cli import print_stories
from .summarize import select_sentences
from .translate import translate_texts


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder with mkdocs.yml and polydigest.toml (default: current folder)")
    add_options(parser)
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the build report as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the final report and errors")


def _add_paths_command(commands: argparse._SubParsersAction, name: str, summary: str, description: str) -> None:
    """A command that shows, one JSON line at a time, what a build makes of the PATHs given."""
    parser = commands.add_parser(name, help=summary, description=description)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="JSON lines (the only output format)")
    parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR")
    add_options(parser, ("languages",))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="polydigest",
        description="Build a static, multilingual news-digest site from the articles in seeds/: "
        "summarize each with sumy, translate the summaries offline with Argos Translate, "
        "and publish one MkDocs + Material site per language.",
    )
    parser.add_argument("--version", action="version", version=f"polydigest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_parser = commands.add_parser(
        "build", help="build the site from the seeds folder",
        description="Read seeds/, summarize, translate, write docs/ and build site/<lang>/ for every language. "
        "Options not given come from polydigest.toml, then the defaults ('polydigest config' lists them).",
    )
    _add_build_options(build_parser)
    serve_parser = commands.add_parser(
        "serve", help="build, then preview the site on http://127.0.0.1:PORT/",
        description="Build the site, then serve it on 127.0.0.1 until interrupted.",
    )
    _add_build_options(serve_parser)
    serve_parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve_parser.add_argument("--no-build", action="store_true", help="serve the existing site without building")
    _add_paths_command(
        commands, "ingest", "show what the build reads from article files: title, date, language, text",
        "Read each PATH (a file, or a folder of them) as the build reads seeds/ and print one JSON "
        "object per article (per feed entry): file, entry (1-based index in a feed, else null), slug, title, "
        "date (ISO, null when the article states none), date_source ('stated' or 'stand-in'), stand_in_date, "
        "language, source_url, source_name, author, text. Skipped inputs are reported on standard error.",
    )
    fetch_parser = commands.add_parser(
        "fetch", help="download new entries of subscribed feeds into the seeds folder (the only step that "
        "downloads articles)",
        description="Download feeds (RSS 0.9x/2.0, Atom, JSON Feed 1.1) from URLs, a --feeds file (one URL a line, "
        "# comments) and/or an --opml subscription list (default: the 'subscriptions' option) and write each entry "
        "not seen before as a Markdown file under the seeds folder, one folder per feed. Conditional requests, a "
        "timeout and a size cap per feed, at most 5 redirects, http(s) only. Files already there are never "
        "overwritten. The daily job: polydigest fetch && polydigest build.",
    )
    fetch_parser.add_argument("urls", nargs="*", metavar="URL", help="feed URLs")
    fetch_parser.add_argument("--feeds", type=Path, metavar="FILE", help="file of feed URLs, one a line")
    fetch_parser.add_argument("--opml", type=Path, metavar="FILE", help="OPML subscription list")
    fetch_parser.add_argument("--json", action="store_true",
                              help='print {"feeds": [{"url", "status", "new", "error"}], "new", "unchanged", '
                              '"failed"} instead of the summary line')
    fetch_parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR")
    fetch_parser.add_argument("--pages", action="store_true",
                              help="also download each new entry's page (same limits) and keep its main text "
                              "instead of the feed's teaser")
    fetch_parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    add_options(fetch_parser, ("seeds_dir", "allow_private_networks"))
    summarize_parser = commands.add_parser(
        "summarize", help="print the summary of article files (same code as the build)",
        description="Read each FILE as the build reads articles (.txt, .md, .html, feeds) and print each "
        "article's summary: the title, then one sentence per line. Nothing is translated or written.",
    )
    summarize_parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    summarize_parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR")
    summarize_parser.add_argument("--json", action="store_true",
                                  help="one JSON object per article: id, file, language, title, sentences")
    add_options(summarize_parser, ("summary_algorithm", "summary_words", "summary_sentences", "languages"))
    models_parser = commands.add_parser(
        "models", help="list, add or remove Argos translation models",
        description="Manage the Argos Translate packages in the project's model folder. Builds never download; "
        "only 'models add LANG' does, when you ask for it.",
    )
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                         help="project folder (default: current folder)")
    models_commands = models_parser.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    models_commands.add_parser("list", parents=[project],
                               help="installed packages, model files, and coverage of the site languages")
    add_parser = models_commands.add_parser(
        "add", parents=[project], help="add .argosmodel FILEs, or download the models for language codes (e.g. de)",
        description="With .argosmodel files: validate, copy into the model folder and install them. With language "
        "codes: look up the pairs between each language and the site languages (directly, or through English) "
        "in the Argos package index, download them with size and checksum checks, and install them.",
    )
    add_parser.add_argument("items", nargs="+", metavar="FILE|LANG")
    add_parser.add_argument("--index", metavar="URL", help="package index URL (default: model_index_url, or the "
                            "official Argos index)")
    remove_parser = models_commands.add_parser("remove", parents=[project],
                                               help="remove the package of a pair such as de-en")
    remove_parser.add_argument("pair", metavar="PAIR")
    translate_parser = commands.add_parser(
        "translate", help="translate lines of text the way the build does (models, pivot, cache, checks)",
        description="Read one text a line from FILEs (or standard input) and print one translation a line. "
        "Each translation passes the build's checks (numbers kept, no loops, plausible length, not a copy); "
        "a line whose translation fails them even after a retry with safer decoding is printed as it was "
        "(with --json: translation null). Blank lines stay blank.",
    )
    translate_parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="default: standard input")
    translate_parser.add_argument("--from", dest="source", required=True, metavar="LANG", help="language of the input")
    translate_parser.add_argument("--to", dest="target", required=True, metavar="LANG", help="language wanted")
    add_options(translate_parser, ("beam_size",))
    translate_parser.add_argument("--json", action="store_true",
                                  help='one JSON object a line: source, translation (null when the checks declined '
                                  'it), checks {passed, reasons}, retried')
    translate_parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR")
    _add_paths_command(
        commands, "stories", "show the stories (events) the build groups articles into",
        "Read each PATH (a file, or a folder of them) as the build reads seeds/ (through its cache), "
        "summarize, translate into the pivot language and group as the build does; print one JSON object per "
        "story: story (id), title, articles [{file, entry, outlet, date (null when undated)}], thread (the id of "
        "the story's thread, null when no other story shares it), topics. Every article is in exactly one story.",
    )
    config_parser = commands.add_parser("config", help="list every configuration option with its value")
    config_parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR")
    return parser


def _load(args: argparse.Namespace):
    return load_config(args.project, overrides_from(args))


def _build(args: argparse.Namespace) -> int:
    config = _load(args)
    report_file = config.check_output_file(args.report, "--report") if args.report else None  # before building
    progress = Progress(quiet=args.quiet)
    report = build(config, progress)
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"polydigest: {report.one_line()}", file=sys.stderr)
    if report_file:
        write_file(report_file, json.dumps(report.as_dict(), indent=2) + "\n")
    return 0


def _serve(args: argparse.Namespace) -> int:
    config = _load(args)
    if not args.no_build:
        _build(args)
    site = config.path(config.site_dir)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {site} on http://127.0.0.1:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def _summarize(args: argparse.Namespace) -> int:
    config = _load(args)
    failed = 0
    for path in args.files:
        articles, problems = articles_from_file(path, config, path.name) if path.is_file() else (
            [], [Problem(str(path), "no such file")])
        for problem in problems:
            print(f"polydigest: {problem}", file=sys.stderr)
        failed += not articles
        for article in articles:
            sentences = select_sentences(article, config.summary_algorithm, config.summary_sentences,
                                         config.max_summary_input_sentences, config.summary_words)
            if args.json:
                print(json.dumps({"id": article.slug, "file": str(path), "language": article.language,
                                  "title": article.title, "sentences": list(sentences)}, ensure_ascii=False))
            else:
                print(f"# {article.title}  ({path}, {article.language})")
                print("\n".join(sentences), end="\n\n")
    return 1 if failed else 0


def _models(args: argparse.Namespace) -> int:
    config = load_config(args.project)
    if args.models_command == "list":
        print(packages.describe(config))
    elif args.models_command == "remove":
        removed = packages.remove_pair(config, args.pair)
        print(f"removed {removed.name}")
    else:
        files = [Path(item) for item in args.items if item.endswith(".argosmodel") or Path(item).is_file()]
        codes = [item for item in args.items if Path(item) not in files]
        for code in codes:
            try:
                language_code(code)
            except ConfigError:
                raise ModelError(f"{code}: neither an .argosmodel file nor a language code such as de") from None
        added = packages.add_files(config, files) if files else []
        if codes:
            added += packages.add_languages(config, codes, args.index or packages.default_index_url(config))
        print(f"added {', '.join(added) if added else 'nothing (already installed)'}")
        for code in codes:
            if code not in config.languages:
                print(f"to publish in {code}, add it to 'languages' in polydigest.toml (or --languages)")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    found, problems, missing = read_paths(args.paths, _load(args))
    for problem in problems:
        print(f"polydigest: {problem}", file=sys.stderr)
    for article, file, entry in found:
        print(json.dumps({
            "file": file, "entry": entry, "slug": article.slug,
            "title": article.title, "date": None if article.date_is_stand_in else article.date.isoformat(),
            "date_source": "stand-in" if article.date_is_stand_in else "stated",
            "stand_in_date": article.date.isoformat() if article.date_is_stand_in else None,
            "language": article.language, "source_url": article.source_url, "source_name": article.source_name,
            "author": article.author, "text": article.text,
        }, ensure_ascii=False))
    return 1 if missing else 0


def _fetch(args: argparse.Namespace) -> int:
    config = _load(args)
    urls = list(args.urls)
    if args.feeds:
        urls += read_feed_list(args.feeds)
    if args.opml:
        urls += read_opml(args.opml)
    if not (args.urls or args.feeds or args.opml) and config.subscriptions:
        default = config.path(Path(config.subscriptions))
        urls += read_opml(default) if default.suffix.lower() == ".opml" else read_feed_list(default)
    if not urls:
        raise InputError("no feeds to fetch: give URLs, --feeds FILE or --opml FILE, or set 'subscriptions' "
                         "in polydigest.toml")
    seeds = config.path(config.seeds_dir)
    seeds.mkdir(parents=True, exist_ok=True)
    results = Fetcher(config, seeds, Progress(quiet=args.quiet), timeout=config.fetch_timeout,
                      max_bytes=config.max_feed_bytes, pages=args.pages).run(urls)
    for result in results:
        if result.status == "failed":
            print(f"polydigest: {result.url}: {result.error}", file=sys.stderr)
        for problem in result.problems:
            print(f"polydigest: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps({"feeds": [r.as_dict() for r in results], **totals(results)}, ensure_ascii=False))
    else:
        print(summary_line(results))
    if all(r.status == "failed" for r in results):
        print("polydigest: error: no feed could be fetched", file=sys.stderr)
        return 1
    return 0


def _read_lines(files: list[Path]) -> list[str]:
    try:
        if not files:
            return sys.stdin.buffer.read().decode("utf-8").splitlines()
        return [line for path in files for line in path.read_bytes().decode("utf-8").splitlines()]
    except UnicodeDecodeError as exc:
        raise InputError(f"the input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{exc.filename}: {exc.strerror}") from None


def _translate(args: argparse.Namespace) -> int:
    config = _load(args)
    for code in (args.source, args.target):
        language_code(code)
    lines = _read_lines(args.files)
    verdicts, _ = translate_texts(config, lines, args.source, args.target)
    for line, verdict in zip(lines, verdicts, strict=True):
        if args.json:
            print(json.dumps({"source": line, "translation": verdict.translation,
                              "checks": {"passed": verdict.translation is not None, "reasons": list(verdict.reasons)},
                              "retried": verdict.retried}, ensure_ascii=False))
        else:
            print(line if verdict.translation is None else verdict.translation)
    return 0


def _show_config(args: argparse.Namespace) -> int:
    config = load_config(args.project)
    for name, doc, default in option_docs():
        print(f"{name} = {getattr(config, name)!s}\n    {doc} (default: {default})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        commands = {"build": _build, "serve": _serve, "fetch": _fetch, "ingest": _ingest, "summarize": _summarize,
                    "models": _models, "translate": _translate, "config": _show_config,
                    "stories": lambda args: print_stories(_load(args), args.paths)}
        return commands[args.command](args)
    except PolydigestError as exc:
        print(f"polydigest: error: {exc}", file=sys.stderr)
        return 2
    except (OSError, MemoryError) as exc:
        if not is_whole_build_failure(exc):
            raise  # a bug: its traceback says where
        filename = getattr(exc, "filename", None)
        where = f" ({filename})" if filename else ""
        print(f"polydigest: error: {getattr(exc, 'strerror', None) or 'out of memory'}{where}: stopped; a site "
              "already published is left as it was", file=sys.stderr)
        return 2
