"""The ``polydigest`` commands, one module each (as MkDocs has ``mkdocs/commands/``).

Each module declares its parser with ``add_parser(commands, common)`` and runs with
``run(args) -> exit code``; ``common`` is the parent parser every command shares (``--project``).
``generator.cli`` puts them together and turns errors into messages.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import Config, add_options, load_config, overrides_from

Subcommands = argparse._SubParsersAction  # what add_subparsers returns (argparse does not name it publicly)


def common_parser() -> argparse.ArgumentParser:
    """The flags every command takes: the project folder."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder with mkdocs.yml and polydigest.toml (default: current folder)")
    return common


def load(args: argparse.Namespace) -> Config:
    """The project's Config, with the options given on the command line."""
    return load_config(args.project, overrides_from(args))


def add_paths_parser(commands: Subcommands, common: argparse.ArgumentParser, name: str, summary: str,
                     description: str) -> argparse.ArgumentParser:
    """A command that shows what a build makes of the PATHs given (files, or folders of them)."""
    parser = commands.add_parser(name, parents=[common], help=summary, description=description)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_options(parser, ("languages",))
    return parser
