"""The ``polydigest`` command: the parser put together from the commands in ``commands/``,
one module each, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys

from . import __version__
from .commands import build, common_parser, config, fetch, ingest, models, serve, stories, summarize, translate
from .errors import PolydigestError
from .faults import is_whole_build_failure

COMMANDS = (build, serve, ingest, fetch, summarize, models, translate, stories, config)
"""In the order ``polydigest --help`` lists them."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="polydigest",
        description="Build a static, multilingual news-digest site from the articles in seeds/: "
        "summarize each with sumy, translate the summaries offline with Argos Translate, "
        "and publish one MkDocs + Material site per language.",
    )
    top.add_argument("--version", action="version", version=f"polydigest {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_parser()
    for command in COMMANDS:
        command.add_parser(commands, common)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.run(args)
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
