"""``python -m generator.mkdocs_runner CONFIG [--dirty]``: ``mkdocs build --strict`` of one
language site, or, with ``--dirty``, of only the pages whose Markdown is newer than their HTML.

MkDocs' own ``--dirty`` warns that navigation may then be stale, and ``--strict`` turns that
warning into a failure. polydigest can rebuild in place because its navigation is the same
five tabs on every page and a page's HTML depends only on its own Markdown (publish builds
everything afresh when the theme, the config or a version changes): that one warning is
dropped here; every other warning still fails the build.
"""

from __future__ import annotations

import logging
import sys

DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_WARNING not in record.getMessage()


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config_file, dirty = argv[0], "--dirty" in argv[1:]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    try:
        config = load_config(config_file, strict=True)
        config.plugins.on_startup(command="build", dirty=dirty)
        try:
            build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except (Abort, MkDocsException) as exc:
        print(f"mkdocs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
