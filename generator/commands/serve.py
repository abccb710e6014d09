"""``polydigest serve``: build, then serve the site on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys

from . import Subcommands, build, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "serve", parents=[common], help="build, then preview the site on http://127.0.0.1:PORT/",
        description="Build the site, then serve it on 127.0.0.1 until interrupted.",
    )
    build.add_build_options(parser)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    parser.add_argument("--no-build", action="store_true", help="serve the existing site without building")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
    if not args.no_build:
        build.run(args)
    site = config.path(config.site_dir)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(f"serving {site} on http://127.0.0.1:{args.port}/ (Ctrl+C stops)", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0
