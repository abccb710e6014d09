"""generator.mkdocs_runner: one page's HTML in memory at a time, the same site as MkDocs' order."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

# Runs the runner, noting as each page is rendered how many pages rendered before it still hold
# their HTML (a spy on Page.render: a hook of its own would make the runner keep MkDocs' order).
SPY = '''
import sys
from mkdocs.structure.pages import Page
from generator import mkdocs_runner

rendered, real = [], Page.render

def render(page, config, files):
    with open(sys.argv[2], "a") as record:
        record.write(f"{sum(other.content is not None for other in rendered)}\\n")
    rendered.append(page)
    return real(page, config, files)

Page.render = render
sys.exit(mkdocs_runner.main([sys.argv[1], *sys.argv[3:]]))
'''

HOOKS = Path(__file__).parents[1] / "generator" / "mkdocs_hooks.py"


def _project(tmp_path: Path, name: str, hooks: list[str]) -> Path:
    project = tmp_path / name
    docs = project / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\n[First](articles/first.md)\n")
    for slug in ("first", "second", "third"):
        (docs / "articles" / f"{slug}.md").write_text(f"# The {slug} article\n\nIts text, *{slug}*.\n")
    config = {"site_name": "t", "docs_dir": str(docs), "site_dir": str(project / "site"),
              "theme": {"name": "material", "font": False}, "plugins": [{"search": {"enabled": False}}],
              "hooks": hooks, "nav": [{"Home": "index.md"}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return project


def _run(command: list[str]) -> None:
    done = subprocess.run([sys.executable, *command], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _held(project: Path, *options: str) -> list[int]:
    """Per page rendered, how many pages rendered before it still held their HTML."""
    (project / "held.txt").unlink(missing_ok=True)
    _run(["-c", SPY, str(project / "mkdocs.yml"), str(project / "held.txt"), *options])
    return [int(n) for n in (project / "held.txt").read_text().split()]


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text() for p in sorted(site.rglob("*.html"))}


@pytest.mark.slow
def test_pages_are_written_one_at_a_time_and_the_site_is_what_mkdocs_own_order_builds(tmp_path):
    streamed = _project(tmp_path, "streamed", [str(HOOKS)])
    whole = _project(tmp_path, "whole", [str(HOOKS)])
    assert _held(streamed) == [0, 0, 0, 0]  # no page rendered earlier keeps its HTML
    _run(["-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(whole / "mkdocs.yml")])
    assert _pages(streamed / "site") == _pages(whole / "site")
    assert "The second article" in _pages(streamed / "site")["articles/second/index.html"]


@pytest.mark.slow
def test_with_a_maintainers_hook_on_the_runner_keeps_mkdocs_own_order(tmp_path):
    """A hook or plugin may gather every page's HTML before the first page is written (its own
    search index, a feed): the runner cannot know, so MkDocs renders them all first."""
    project = _project(tmp_path, "hooked", [str(HOOKS)])
    (project / "feed.py").write_text("def on_page_content(html, page, **_):\n    return html\n")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    (project / "mkdocs.yml").write_text(yaml.safe_dump({**config, "hooks": [str(HOOKS), str(project / "feed.py")]}))
    assert _held(project) == [0, 1, 2, 3]


def test_the_mkdocs_process_imports_the_polydigest_that_builds(tmp_path):
    """A copy of polydigest put first on the module path by its caller (a git worktree sharing a
    virtualenv, a benchmark run from another checkout): its MkDocs process must run that copy's
    runner, which knows the copy's hooks, not the installed one."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(Path(__file__).parents[1] / "generator", copy / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # run from a checkout of polydigest: the working folder, first on a plain 'python -m' path
    probe = ("import subprocess, sys; sys.path.insert(0, sys.argv[1]); from generator import publish; "
             "print(subprocess.run([sys.executable, '-P', '-c', 'import generator; print(generator.__file__)'], "
             "env=publish.runner_environment(), capture_output=True, text=True, check=True).stdout)")
    done = subprocess.run([sys.executable, "-c", probe, str(copy)], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).parents[1])
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).resolve() == (copy / "generator" / "__init__.py").resolve()


@pytest.mark.slow
def test_a_build_in_place_renders_only_the_changed_page_and_leaves_the_live_site_as_it_was(tmp_path):
    """Over hard links to the live site (as publish makes it), a build in place renders the one
    changed page, resolves its link to an unchanged one, lists every page in the sitemap and
    writes no file of the live site where it is: not even the sitemap's gzipped copy."""
    import gzip
    import os

    in_place = _project(tmp_path, "in-place", [str(HOOKS)])
    whole = _project(tmp_path, "whole", [str(HOOKS)])
    for project in (in_place, whole):
        config = yaml.safe_load((project / "mkdocs.yml").read_text())
        (project / "mkdocs.yml").write_text(yaml.safe_dump({**config, "site_url": "https://news.example/en/"}))
    assert len(_held(in_place)) == 4
    live = tmp_path / "live"
    _run(["-c", "import shutil, os, sys; shutil.copytree(sys.argv[1], sys.argv[2], copy_function=os.link)",
          str(in_place / "site"), str(live)])
    live_bytes = {name: (live / name).read_bytes() for name in ("sitemap.xml", "sitemap.xml.gz")}
    for project in (in_place, whole):
        (project / "docs" / "articles" / "second.md").write_text(
            "# The second article\n\nAfter [the first](first.md), *more*.\n")
    later = os.stat(in_place / "site" / "articles" / "second" / "index.html").st_mtime + 10  # newer than its HTML
    os.utime(in_place / "docs" / "articles" / "second.md", (later, later))
    before = _pages(in_place / "site")
    assert _held(in_place, "--dirty") == [0]  # one page rendered: the changed one
    _run(["-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(whole / "mkdocs.yml")])
    after = _pages(in_place / "site")
    assert after == _pages(whole / "site")
    assert 'href="../first/"' in after["articles/second/index.html"]
    assert {page for page in after if after[page] != before[page]} == {"articles/second/index.html"}
    sitemap = gzip.decompress((in_place / "site" / "sitemap.xml.gz").read_bytes()).decode()
    assert sitemap.count("<url>") == 4 and sitemap == (whole / "site" / "sitemap.xml").read_text()
    assert {name: (live / name).read_bytes() for name in live_bytes} == live_bytes
    # written anew, not through the live file (its bytes may come out the same)
    assert not any(os.path.samefile(live / name, in_place / "site" / name) for name in live_bytes)
