"""``polydigest ingest PATH…``: what the build reads from article files, one JSON object a line."""

from __future__ import annotations

import argparse
import json
import sys

from ..ingest import read_paths
from ..readers import READERS
from . import Subcommands, add_paths_parser, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    add_paths_parser(
        commands, common, "ingest", "show what the build reads from article files: title, date, language, text",
        f"Read each PATH (a file, or a folder of them; {READERS.describe()}) as the build reads seeds/ and print "
        "one JSON object per article (per feed entry): file, entry (1-based index in a feed, else null), slug, "
        "title, date (ISO, null when the article states none), date_source ('stated' or 'stand-in'), "
        "stand_in_date, language, source_url, source_name, author, text. Skipped inputs are reported on standard "
        "error.",
    ).set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    found, problems, missing = read_paths(args.paths, load(args))
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
