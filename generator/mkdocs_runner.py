"""``python -m generator.mkdocs_runner CONFIG [--dirty]``: ``mkdocs build --strict`` of one
language site, or, with ``--dirty``, of only the pages whose Markdown is newer than their HTML.

MkDocs' own ``--dirty`` warns that navigation may then be stale, and ``--strict`` turns that
warning into a failure. polydigest can rebuild in place because its navigation is the same
five tabs on every page and a page's HTML depends only on its own Markdown (publish builds
everything afresh when the theme, the config or a version changes): that one warning is
dropped here; every other warning still fails the build.

A build in place starts from hard links to the current site's files (publish.py), so a
file must never be rewritten where it is: MkDocs' two writers (``write_file`` for pages,
the sitemap and 404.html, ``copy_file`` for static files) are replaced here by ones that
write a new file and rename it over the old name, which leaves the current site's file as
it was; the gzipped sitemap, which MkDocs writes itself, is unlinked before it is. publish.py
uses hard links only when no other plugin that might write files is on.

MkDocs renders every page before it writes any, so a language site's HTML was all in memory at
once (1,037 MB at 30,000 articles, ~2.9 GB at 100,000). Here each page is rendered, written and
let go in turn (224 MB at 30,000, the same files): nothing polydigest turns on needs another
page's HTML. A plugin or a maintainer's hook might (one that gathers pages' content to use
before the first page is written, or in its last event), so with any plugin or hook on besides
polydigest's hooks, MkDocs' own order is kept.

With ``POLYDIGEST_REFUSE_MKDOCS`` set to a file name, nothing is built: the call is noted in
that file and the build fails. The test suite sets it for every test that is not marked as
building a site (tests/conftest.py), in this process or any it starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

DIRTY_WARNING = "A 'dirty' build is being performed"
POLYDIGEST_HOOKS = os.path.realpath(Path(__file__).with_name("mkdocs_hooks.py"))
REFUSE_MKDOCS = "POLYDIGEST_REFUSE_MKDOCS"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return DIRTY_WARNING not in record.getMessage()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would have given the file (mkstemp gives 0600)


def _replace(output_path: str, write: Callable[[str], object]) -> None:
    """Write through ``write`` into a new file next to ``output_path``, then rename it there."""
    folder = os.path.dirname(output_path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".polydigest-")
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, output_path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_file(content: bytes, output_path: str) -> None:
    if os.path.basename(output_path) == "sitemap.xml":
        # MkDocs opens the gzipped copy it writes next with open(…, "wb"): unlinked first, it is a
        # new file, not the current site's shared one rewritten
        with contextlib.suppress(FileNotFoundError):
            os.unlink(output_path + ".gz")
    _replace(output_path, lambda path: Path(path).write_bytes(content))


def copy_file(source_path: str, output_path: str) -> None:
    if os.path.isdir(output_path):
        output_path = os.path.join(output_path, os.path.basename(source_path))
    _replace(output_path, lambda path: shutil.copyfile(source_path, path))


def _one_page_at_a_time(build_module: Any, config: MkDocsConfig) -> None:  # noqa: ANN401 - mkdocs.commands.build
    """Render each page just before MkDocs writes it and drop its Markdown and HTML once written,
    when every plugin on is polydigest's hooks (see the module's docstring). MkDocs' two steps
    are private functions of mkdocs.commands.build (1.6): if a release renames them, its own
    order stays. Theme and extra templates (404.html, the sitemap) are then rendered before any
    page: they read no page's content, and the navigation's titles are the derived config's."""
    def off(plugin: object) -> bool:  # a hook is a module, with no config
        return getattr(plugin, "config", {}).get("enabled", True) is False

    if not (hasattr(build_module, "_populate_page") and hasattr(build_module, "_build_page")
            and all(os.path.realpath(name) == POLYDIGEST_HOOKS or off(plugin)
                    for name, plugin in config.plugins.items())):
        return  # a maintainer's hook or plugin may gather pages: MkDocs' own order
    populate, write = build_module._populate_page, build_module._build_page
    files: list[Files] = []

    def populate_later(page: Page, config: MkDocsConfig, all_files: Files, dirty: bool = False) -> None:
        files[:] = [all_files]

    def populate_and_write(page: Page, config: MkDocsConfig, doc_files: Sequence[File], nav: Navigation,
                           env: jinja2.Environment, dirty: bool = False, excluded: bool = False) -> None:
        populate(page, config, files[0], dirty)
        write(page, config, doc_files, nav, env, dirty, excluded)
        if page.markdown is not None:
            page.title = page.title  # kept: without its Markdown, a page's title would read None
            page.markdown = page.content = None
            page.toc = []  # type: ignore[assignment]

    build_module._populate_page, build_module._build_page = populate_later, populate_and_write


def main(argv: list[str]) -> int:
    refused = os.environ.get(REFUSE_MKDOCS)
    if refused:
        with open(refused, "a", encoding="utf-8") as record:
            record.write(f"{' '.join(argv)}\n")
        print(f"mkdocs: not run ({REFUSE_MKDOCS} is set: a test not marked slow, browser or dask builds no site)",
              file=sys.stderr)
        return 1
    from mkdocs import utils
    from mkdocs.commands import build as build_module
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    utils.write_file, utils.copy_file = write_file, copy_file  # see the module's docstring
    config_file, dirty = argv[0], "--dirty" in argv[1:]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
    try:
        config = load_config(config_file, strict=True)
        config.plugins.on_startup(command="build", dirty=dirty)
        _one_page_at_a_time(build_module, config)
        try:
            build_module.build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except (Abort, MkDocsException) as exc:
        print(f"mkdocs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
