"""generator.mkdocs_runner: one page's HTML in memory at a time, the same site as MkDocs' order."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# A hook that notes, as each page is written, how many pages written before it still hold their HTML.
HELD_PAGES_HOOK = '''
import pathlib
written = []

def on_post_page(output, page, config, **_):
    held = sum(other.content is not None for other in written)
    with open(pathlib.Path(config.docs_dir).parent / "held.txt", "a") as record:
        record.write(f"{held}\\n")
    written.append(page)
    return output
'''


def _site(tmp_path: Path, name: str, command: list[str], search: bool = False) -> tuple[Path, list[int]]:
    project = tmp_path / name
    docs = project / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[First](articles/first.md)\n")
    for slug in ("first", "second", "third"):
        (docs / "articles" / f"{slug}.md").write_text(f"# The {slug} article\n\nIts text, *{slug}*.\n")
    (project / "held_pages.py").write_text(HELD_PAGES_HOOK)
    config = {"site_name": "t", "docs_dir": str(docs), "site_dir": str(project / "site"),
              "theme": {"name": "material", "font": False},
              "plugins": [{"search": {"enabled": search}}], "hooks": [str(project / "held_pages.py")],
              "nav": [{"Home": "index.md"}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    done = subprocess.run([sys.executable, "-m", *command, str(project / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return project / "site", [int(n) for n in (project / "held.txt").read_text().split()]


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text() for p in sorted(site.rglob("*.html"))}


@pytest.mark.slow
def test_pages_are_written_one_at_a_time_and_the_site_is_what_mkdocs_own_order_builds(tmp_path):
    streamed, held_streamed = _site(tmp_path, "streamed", ["generator.mkdocs_runner"])
    whole, held_whole = _site(tmp_path, "whole", ["mkdocs", "build", "--strict", "--quiet", "-f"])
    assert held_streamed == [0, 0, 0, 0]  # no page written earlier keeps its HTML
    assert held_whole == [0, 1, 2, 3]  # MkDocs renders every page before it writes the first
    assert _pages(streamed) == _pages(whole)
    assert "The second article" in _pages(streamed)["articles/second/index.html"]


@pytest.mark.slow
def test_with_another_plugin_on_the_runner_keeps_mkdocs_own_order(tmp_path):
    """A plugin may gather every page's HTML before the first page is written (its own search index,
    a feed): the runner cannot know, so it lets MkDocs render them all first."""
    _, held = _site(tmp_path, "search", ["generator.mkdocs_runner"], search=True)
    assert held == [0, 1, 2, 3]
