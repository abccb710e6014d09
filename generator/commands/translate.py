"""``polydigest translate --from L --to L [FILE…]``: lines translated the way the build does."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import add_options, language_code
from ..errors import InputError
from ..translate import translate_texts
from . import Subcommands, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "translate", parents=[common],
        help="translate lines of text the way the build does (models, pivot, cache, checks)",
        description="Read one text a line from FILEs (or standard input) and print one translation a line. "
        "Each translation passes the build's checks (numbers kept, no loops, plausible length, not a copy); "
        "a line whose translation fails them even after a retry with safer decoding is printed as it was "
        "(with --json: translation null). Blank lines stay blank.",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="default: standard input")
    parser.add_argument("--from", dest="source", required=True, metavar="LANG", help="language of the input")
    parser.add_argument("--to", dest="target", required=True, metavar="LANG", help="language wanted")
    add_options(parser, ("beam_size",))
    parser.add_argument("--json", action="store_true",
                        help="one JSON object a line: source, translation (null when the checks declined it), "
                        "checks {passed, reasons}, retried")
    parser.set_defaults(run=run)


def read_lines(files: list[Path]) -> list[str]:
    """The lines of ``files``, or of standard input when none is given; UTF-8 only."""
    try:
        if not files:
            return sys.stdin.buffer.read().decode("utf-8").splitlines()
        return [line for path in files for line in path.read_bytes().decode("utf-8").splitlines()]
    except UnicodeDecodeError as exc:
        raise InputError(f"the input is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"{exc.filename}: {exc.strerror}") from None


def run(args: argparse.Namespace) -> int:
    config = load(args)
    for code in (args.source, args.target):
        language_code(code)
    lines = read_lines(args.files)
    verdicts, _ = translate_texts(config, lines, args.source, args.target)
    for line, verdict in zip(lines, verdicts, strict=True):
        if args.json:
            print(json.dumps({"source": line, "translation": verdict.translation,
                              "checks": {"passed": verdict.translation is not None, "reasons": list(verdict.reasons)},
                              "retried": verdict.retried}, ensure_ascii=False))
        else:
            print(line if verdict.translation is None else verdict.translation)
    return 0
