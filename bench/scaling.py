#!/usr/bin/env python3
"""How a cold build grows with the number of articles (is it linear?), in one run.

    .venv/bin/python bench/scaling.py [--sizes 250,500,1000,2000] [--dir /tmp/polydigest-bench-scaling]

Prints seconds per stage for each size and seconds per article relative to the smallest
size: a ratio near 1.0 means linear growth.
"""

import argparse
from pathlib import Path

from corpus import make_project, table_header, table_row, timed_build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/polydigest-bench-scaling"))
    args = parser.parse_args()

    sizes = [int(s) for s in args.sizes.split(",")]
    reports = [(n, timed_build(make_project(args.dir / str(n), n))) for n in sizes]
    print(table_header() + "  s/article  vs smallest")
    base = None
    for n, report in reports:
        per_article = sum(report.seconds.values()) / n
        base = base or per_article
        print(f"{table_row(f'cold, {n} articles', report)}  {per_article:9.3f}  {per_article / base:9.2f}")


if __name__ == "__main__":
    main()
