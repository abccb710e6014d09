"""``polydigest models list|add|remove``: the Argos translation packages of the project."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import packages
from ..config import add_options, language_code
from ..errors import ConfigError, ModelError
from . import Subcommands, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "models", help="list, add or remove Argos translation models",
        description="Manage the Argos Translate packages in the project's model folder. Builds never download; "
        "only 'models add LANG' does, when you ask for it.",
    )
    # --project goes with each action: argparse lets a sub-command's default overwrite its parent's value
    actions = parser.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    actions.add_parser("list", parents=[common],
                       help="installed packages, model files, and coverage of the site languages")
    add = actions.add_parser(
        "add", parents=[common], help="add .argosmodel FILEs, or download the models for language codes (e.g. de)",
        description="With .argosmodel files: validate, copy into the model folder and install them. With language "
        "codes: look up the pairs between each language and the site languages (directly, or through English) "
        "in the Argos package index, download them with size and checksum checks, and install them. As with "
        "fetch, the index and its links must not be on this machine or a private network unless you allow it.",
    )
    add.add_argument("items", nargs="+", metavar="FILE|LANG")
    add.add_argument("--index", metavar="URL",
                     help="package index URL (default: model_index_url, or the official Argos index)")
    add_options(add, ("allow_private_networks",))
    remove = actions.add_parser("remove", parents=[common], help="remove the package of a pair such as de-en")
    remove.add_argument("pair", metavar="PAIR")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
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
