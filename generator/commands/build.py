"""``polydigest build``: seeds/ -> docs/ -> site/, with a one-line report (and --report JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import add_options
from ..core import build
from ..paths import write_file
from ..progress import Progress
from . import Subcommands, load


def add_build_options(parser: argparse.ArgumentParser) -> None:
    """The options of a build (build, serve)."""
    add_options(parser)
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the build report as JSON")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the final report and errors")


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "build", parents=[common], help="build the site from the seeds folder",
        description="Read seeds/, summarize, translate, write docs/ and build site/<lang>/ for every language. "
        "Options not given come from polydigest.toml, then the defaults ('polydigest config' lists them).",
    )
    add_build_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
    report_file = config.check_output_file(args.report, "--report") if args.report else None  # before building
    report = build(config, Progress(quiet=args.quiet))
    for problem in report.problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"polydigest: {report.one_line()}", file=sys.stderr)
    if report_file:
        write_file(report_file, json.dumps(report.as_dict(), indent=2) + "\n")
    return 0
