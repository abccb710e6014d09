"""Golden output, as Pelican tests its writers: the generated docs/ for a fixed set of seeds
(stated dates, three formats, two languages) with the tiny model, compared file by file.

After an intended change of the output, regenerate the expected tree and review its diff:
    POLYDIGEST_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import make_project, write_docs

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

GOLDEN = Path(__file__).parent / "golden"


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_docs_equal_the_golden_tree(tmp_path, tiny_models):
    project = make_project(tmp_path / "project", tiny_models, GOLDEN / "seeds")
    report = write_docs(project)
    assert report.articles == 3 and not report.problems
    produced = project / "docs"
    expected = GOLDEN / "docs"
    if os.environ.get("POLYDIGEST_REGENERATE_GOLDEN"):
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(produced, expected)
    actual, wanted = tree(produced), tree(expected)
    assert sorted(actual) == sorted(wanted)
    for name in wanted:
        assert actual[name] == wanted[name], name


@pytest.mark.slow
def test_continuation_pages_build_in_strict_mkdocs_and_link_each_other(tmp_path, tiny_models, monkeypatch):
    """With one entry a page, every list continues on numbered pages; MkDocs --strict
    accepts every link between them (a broken one fails the build)."""
    from generator import render

    for name in ("PAGE_SIZE", "HOME_STORIES", "EDITION_DAYS"):
        monkeypatch.setattr(render, name, 1)
    project = make_project(tmp_path / "project", tiny_models, GOLDEN / "seeds")
    report = build(load_config(project), SILENT)
    assert report.published == ["en", "pt"]
    site = project / "site" / "en"
    editions = (site / "editions" / "index.html").read_text()
    year = next(p.stem for p in (project / "docs" / "en" / "editions").glob("20??.md"))
    assert f'href="{year}/"' in editions
    assert 'href="editions/"' in (site / "index.html").read_text()
    # three days: the newest on the year's page, the two before on numbered pages, each day once
    assert f'href="../{year}.2/"' in (site / "editions" / year / "index.html").read_text()  # older days
    second = (site / "editions" / f"{year}.2" / "index.html").read_text()
    assert f'href="../{year}/"' in second and f'href="../{year}.1/"' in second  # newer and older
    assert not (site / "editions" / f"{year}.3").exists()


@pytest.mark.slow
@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_list_entry_written_as_html_leads_to_its_article_page(tmp_path, tiny_models, directory_urls):
    """Topic, source, month, category and story pages list articles in HTML, whose links MkDocs
    passes through unchecked: each must lead to a page MkDocs wrote, with either URL layout."""
    from generator.publish import page_output

    project = make_project(tmp_path / "project", tiny_models, Path(__file__).parent / "fixtures" / "related")
    for seed in (GOLDEN / "seeds").iterdir():  # these name their sources
        shutil.copy(seed, project / "seeds" / seed.name)
    if not directory_urls:
        (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nuse_directory_urls: false\n")
    assert build(load_config(project), SILENT).published == ["en", "pt"]
    checked: set[str] = set()
    for lang in ("en", "pt"):
        for markdown in sorted((project / "docs" / lang).rglob("*.md")):
            page = markdown.relative_to(project / "docs" / lang).as_posix()
            entries = re.findall(r'^<li>.*?<a href="([^"]+)"', markdown.read_text(encoding="utf-8"), re.M)
            if not entries:
                continue
            output = project / "site" / lang / page_output(page, directory_urls)
            for href in entries:
                if not href.startswith("https://"):
                    target = (output.parent / href).resolve()
                    assert (target / "index.html" if directory_urls else target).is_file(), (page, href)
                    checked.add(page.rsplit("/", 1)[0])
    assert checked == {"tags", "sources", "articles/archive", "articles/category", "stories"}
    # The feeds at each language's root link its article pages too ("articles/x/" was a dead link
    # without directory URLs)
    for lang in ("en", "pt"):
        root = project / "site" / lang
        feed = (root / "feed.xml").read_text(encoding="utf-8")
        links = re.findall(r"<link>(articles/[^<]+)</link>", feed)
        links += re.findall(r'<link href="(articles/[^"]+)"', (root / "atom.xml").read_text(encoding="utf-8"))
        links += [item["url"] for item in json.loads((root / "feed.json").read_text(encoding="utf-8"))["items"]]
        assert len(links) == 3 * feed.count("<item>") > 0
        for href in links:
            assert (root / href / "index.html" if directory_urls else root / href).is_file(), (lang, href)
