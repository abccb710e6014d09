"""``polydigest config``: every option with its value, documentation and default."""

from __future__ import annotations

import argparse

from ..config import load_config, option_docs
from . import Subcommands


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    commands.add_parser("config", parents=[common],
                        help="list every configuration option with its value").set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.project)
    for name, doc, default in option_docs():
        print(f"{name} = {getattr(config, name)!s}\n    {doc} (default: {default})")
    return 0
