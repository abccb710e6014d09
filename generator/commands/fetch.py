"""``polydigest fetch``: new entries of subscribed feeds -> Markdown files in the seeds folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import add_options
from ..errors import InputError
from ..fetch import Fetcher, read_feed_list, read_opml, summary_line, totals
from ..progress import Progress
from . import Subcommands, load


def add_parser(commands: Subcommands, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "fetch", parents=[common], help="download new entries of subscribed feeds into the seeds folder (the only "
        "step that downloads articles)",
        description="Download feeds (RSS 0.9x/2.0, Atom, JSON Feed 1.1) from URLs, a --feeds file (one URL a line, "
        "# comments) and/or an --opml subscription list (default: the 'subscriptions' option) and write each entry "
        "not seen before as a Markdown file under the seeds folder, one folder per feed. Conditional requests, a "
        "timeout and a size cap per feed, at most 5 redirects, http(s) only. Files already there are never "
        "overwritten. The daily job: polydigest fetch && polydigest build.",
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="feed URLs")
    parser.add_argument("--feeds", type=Path, metavar="FILE", help="file of feed URLs, one a line")
    parser.add_argument("--opml", type=Path, metavar="FILE", help="OPML subscription list")
    parser.add_argument("--json", action="store_true",
                        help='print {"feeds": [{"url", "status", "new", "error"}], "new", "unchanged", "failed"} '
                        "instead of the summary line")
    parser.add_argument("--pages", action="store_true",
                        help="also download each new entry's page (same limits) and keep its main text instead of "
                        "the feed's teaser")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    add_options(parser, ("seeds_dir", "allow_private_networks"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load(args)
    urls = list(args.urls)
    if args.feeds:
        urls += read_feed_list(args.feeds)
    if args.opml:
        urls += read_opml(args.opml)
    if not (args.urls or args.feeds or args.opml) and config.subscriptions:
        default = config.path(Path(config.subscriptions))
        urls += read_opml(default) if default.suffix.lower() == ".opml" else read_feed_list(default)
    if not urls:
        raise InputError("no feeds to fetch: give URLs, --feeds FILE or --opml FILE, or set 'subscriptions' "
                         "in polydigest.toml")
    seeds = config.path(config.seeds_dir)
    seeds.mkdir(parents=True, exist_ok=True)
    results = Fetcher(config, seeds, Progress(quiet=args.quiet), timeout=config.fetch_timeout,
                      max_bytes=config.max_feed_bytes, pages=args.pages).run(urls)
    for result in results:
        if result.status == "failed":
            print(f"polydigest: {result.url}: {result.error}", file=sys.stderr)
        for problem in result.problems:
            print(f"polydigest: {problem}", file=sys.stderr)
    if args.json:
        print(json.dumps({"feeds": [r.as_dict() for r in results], **totals(results)}, ensure_ascii=False))
    else:
        print(summary_line(results))
    if all(r.status == "failed" for r in results):
        print("polydigest: error: no feed could be fetched", file=sys.stderr)
        return 1
    return 0
