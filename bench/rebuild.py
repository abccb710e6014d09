#!/usr/bin/env python3
"""Cold build vs no-op rebuild vs one-new-article rebuild, on a generated corpus, in one run.

    .venv/bin/python bench/rebuild.py [--articles 1000] [--dir /tmp/polydigest-bench-rebuild]

Prints work counts and seconds per stage for each build, and the ratios to the cold build.
"""

import argparse
from pathlib import Path

from corpus import _source_texts, make_project, table_header, table_row, timed_build, write_article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/polydigest-bench-rebuild"))
    args = parser.parse_args()

    project = make_project(args.dir, args.articles)
    cold = timed_build(project)
    noop = timed_build(project)
    write_article(project / "seeds", args.articles, _source_texts())
    one_new = timed_build(project)

    print(f"{args.articles} articles x {len(cold.languages)} languages ({', '.join(cold.languages)})")
    print(table_header())
    for name, report in (("cold", cold), ("no-op rebuild", noop), ("one new article", one_new)):
        print(table_row(name, report))
    total = sum(cold.seconds.values())
    print(f"no-op rebuild / cold = {sum(noop.seconds.values()) / total:.3f}")
    print(f"one new article / cold = {sum(one_new.seconds.values()) / total:.3f}")


if __name__ == "__main__":
    main()
