"""A build killed at any point loses nothing: the previous site stays whole, the cache
stays usable, and the next build gives the same bytes as a clean build."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_project

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

pytestmark = pytest.mark.slow  # end-to-end builds; "make unit" leaves them out

EXTRA = {
    f"extra-{n}.txt": f"Extra Story Number {n}\n\nThe extra story {n} has a first sentence. It has a second one. "
                      f"And story {n} ends with a third sentence here.\n"
    for n in range(4)
}
KILL_POINTS = [r"^\[ingest\]", r"^\[summarize\] \d+/", r"^\[translate\]", r"^\[render\]", r"^\[mkdocs\] 1/"]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def add_extra_articles(project: Path) -> None:
    for name, text in EXTRA.items():
        (project / "seeds" / name).write_text(text)


def build_and_kill(project: Path, point: str) -> bool:
    """Start a build and SIGKILL its whole process group when a progress line matches."""
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--project", str(project)],
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed = False
    for line in process.stderr:
        if re.search(point, line):
            os.killpg(process.pid, signal.SIGKILL)
            killed = True
            break
    process.wait()
    # The build's other processes (its stage process, their pool) hold the build lock until
    # the kernel has ended them too: wait for the whole group to be gone.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    return killed


@pytest.fixture(scope="module")
def reference(tmp_path_factory, tiny_models):
    """What a clean, uninterrupted build of the final seeds produces."""
    project = make_project(tmp_path_factory.mktemp("clean") / "project", tiny_models)
    add_extra_articles(project)
    build(load_config(project), SILENT)
    return tree(project / "docs"), tree(project / "site")


@pytest.mark.parametrize("point", KILL_POINTS)
def test_killed_build_keeps_the_previous_site_and_the_next_build_is_identical(sample_project, reference, point):
    project = sample_project  # the sample seeds, just built
    previous_site = tree(project / "site")
    add_extra_articles(project)

    assert build_and_kill(project, point), f"the build ended before reaching {point}"
    assert tree(project / "site") == previous_site  # untouched, not half-overwritten

    report = build(load_config(project), SILENT)
    assert report.articles == 6
    docs, site = reference
    assert tree(project / "docs") == docs
    assert tree(project / "site") == site
    assert not list(project.glob("site.*"))
