"""``polydigest summarize FILE…``: each article's summary, by the build's code; nothing translated."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import add_options
from ..ingest import articles_from_file
from ..readers import READERS
from ..records import Problem
from ..summarize import select_sentences
from . import Subcommands, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "summarize", parents=[common], help="print the summary of article files (same code as the build)",
        description=f"Read each FILE as the build reads articles ({READERS.describe()}) and print each article's "
        "summary: the title, then one sentence per line. Nothing is translated or written.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object per article: id, file, language, title, sentences")
    add_options(parser, ("summary_algorithm", "summary_words", "summary_sentences", "languages"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
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
