"""``polydigest stories PATH…``: the stories (events) the build groups articles into (``story_cli``)."""

from __future__ import annotations

import argparse

from ..story_cli import print_stories
from . import Subcommands, add_paths_parser, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = add_paths_parser(
        commands, common, "stories", "show the stories (events) the build groups articles into",
        "Read each PATH (a file, or a folder of them) as the build reads seeds/ (through its cache), "
        "summarize, translate into the pivot language and group as the build does; print one JSON object per "
        "story: story (id), title, articles [{file, entry, outlet, date (null when undated)}], thread (the id of "
        "the story's thread, null when no other story shares it), topics. Every article is in exactly one story.",
    )
    parser.add_argument("--json", action="store_true", help="JSON lines (the only output format)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return print_stories(load(args), args.paths)
