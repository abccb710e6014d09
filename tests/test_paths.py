"""A typo must never delete a project: unsafe output folders are refused with nothing touched,
polydigest deletes only inside folders it marked, and the site is swapped in atomically."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import paths
from generator.cli import main
from generator.config import load_config
from generator.errors import UnsafePathError


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("arguments, refused_option", [
    (["--out", "."], "site_dir"),
    (["--docs", "."], "docs_dir"),
    (["--out", ".."], "site_dir"),
    (["--docs", "seeds"], "docs_dir"),
    (["--out", "seeds"], "site_dir"),
    (["--out", "seeds/site"], "site_dir"),
    (["--docs", "site"], "docs_dir"),
    (["--out", "docs"], "site_dir"),
    (["--out", "docs/en"], "site_dir"),
    (["--docs", "models"], "docs_dir"),
    (["--out", ".polydigest"], "site_dir"),
    (["--out", "mkdocs.yml"], "site_dir"),
    (["--out", "Seeds"], "site_dir"),  # on a case-insensitive volume, the seeds folder
    (["--docs", "MODELS/docs"], "docs_dir"),
])
def test_unsafe_output_folder_is_refused_and_nothing_is_touched(project, capsys, arguments, refused_option):
    (project / "site").mkdir()
    (project / "site" / "keep.txt").write_text("a reader's copy")
    parent_files = {p.name for p in project.parent.iterdir()}
    before = snapshot(project)
    assert main(["build", "--project", str(project), *arguments]) == 2
    err = capsys.readouterr().err
    assert "error: " in err and refused_option in err
    assert snapshot(project) == before
    assert {p.name for p in project.parent.iterdir()} == parent_files


def test_seeds_inside_an_output_folder_is_refused(project):
    with pytest.raises(UnsafePathError, match=r"docs_dir: .* contains seeds_dir"):
        load_config(project, {"seeds_dir": "docs/seeds"})


def test_output_folder_holding_mkdocs_yml_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere"
    with pytest.raises(UnsafePathError, match="contains the project folder"):
        load_config(project, {"site_dir": str(tmp_path)})
    # an output folder outside the project is fine when it touches nothing else
    assert load_config(project, {"site_dir": str(outside)}).path(Path(str(outside))) == outside.resolve()


def test_symlink_to_the_seeds_is_seen_through(project):
    (project / "alias").symlink_to(project / "seeds")
    with pytest.raises(UnsafePathError, match="seeds_dir"):
        load_config(project, {"docs_dir": "alias"})


def test_existing_folder_with_foreign_files_is_refused_and_kept(project, capsys, tmp_path):
    foreign = tmp_path / "my-photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8 not really")
    assert main(["build", "--project", str(project), "--out", str(foreign)]) == 2
    assert "already holds files that polydigest did not write" in capsys.readouterr().err
    assert snapshot(foreign) == {"holiday.jpg": b"\xff\xd8 not really"}
    assert not (project / "docs").exists() or not any((project / "docs").rglob("*.md"))


def test_docs_folder_with_foreign_files_is_refused_before_any_page_is_written(project, capsys):
    (project / "docs").mkdir()
    (project / "docs" / "notes.md").write_text("my notes")
    assert main(["build", "--project", str(project)]) == 2
    assert "docs_dir" in capsys.readouterr().err
    assert snapshot(project / "docs") == {"notes.md": b"my notes"}
    assert not (project / "site").exists()


@pytest.mark.slow
def test_build_marks_its_output_folders_leaves_lookalikes_alone_and_swaps_each_rebuild_in_whole(project):
    lookalike = project / "site.building-mine"  # named like a build's own folder, but not marked
    lookalike.mkdir()
    (lookalike / "draft.txt").write_text("not polydigest's")
    assert main(["build", "--project", str(project), "-q"]) == 0
    for folder in ("docs", "site", ".polydigest"):
        assert paths.is_claimed(project / folder), folder
    assert (lookalike / "draft.txt").read_text() == "not polydigest's"
    first = os.stat(project / "site").st_ino
    (project / "docs" / "en" / "stray.md").write_text("left by hand")
    (project / "seeds" / "extra.txt").write_text("Extra news\n\nThe council met on Monday to discuss the budget. "
                                                  "It approved a new park for the town centre.\n")
    assert main(["build", "--project", str(project), "-q"]) == 0
    assert not (project / "docs" / "en" / "stray.md").exists()  # a marked folder holds exactly the build
    assert os.stat(project / "site").st_ino != first  # a new folder took the old one's name in one rename
    assert (project / "site" / "index.html").is_file()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site", lookalike.name]
    assert (lookalike / "draft.txt").read_text() == "not polydigest's"


@pytest.mark.slow
def test_empty_existing_folder_is_accepted(project, tmp_path):
    empty = tmp_path / "empty-site"
    empty.mkdir()
    assert main(["build", "--project", str(project), "-q", "--out", str(empty)]) == 0
    assert (empty / "en" / "index.html").is_file()


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    old, new = tmp_path / "site", tmp_path / "site.building"
    for folder in (old, new):
        folder.mkdir()
        (folder / "which").write_text("old" if folder == old else "new")
    inode_new = os.stat(new).st_ino
    if not paths.exchange(new, old):
        pytest.skip("this kernel or file system has no renameat2(RENAME_EXCHANGE); two renames are used")
    assert (old / "which").read_text() == "new" and (new / "which").read_text() == "old"
    assert os.stat(old).st_ino == inode_new


@pytest.mark.parametrize("target, refused", [
    ("seeds/000_a942e54b00490a9e.txt", "lies inside seeds_dir"),
    ("Seeds/000_a942e54b00490a9e.txt", "lies inside seeds_dir"),
    ("mkdocs.yml", "is mkdocs_config"),
    ("polydigest.toml", "is polydigest.toml"),
    ("site/report.json", "lies inside site_dir"),
    ("models", "is a folder"),
])
def test_a_report_that_would_overwrite_the_project_is_refused_before_building(project, capsys, target, refused):
    before = snapshot(project)
    assert main(["build", "--project", str(project), "--report", str(project / target)]) == 2
    assert refused in capsys.readouterr().err
    assert snapshot(project) == before  # the seed untouched, nothing built


def test_a_report_elsewhere_is_written_whole(tmp_path):
    config = load_config(tmp_path)
    target = config.check_output_file(tmp_path / "reports" / ".." / "report.json", "--report")
    paths.write_file(target, '{"articles": 2}\n')
    assert target == tmp_path / "report.json" and target.read_text() == '{"articles": 2}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def _tree(root):
    (root / "articles" / "a").mkdir(parents=True)
    (root / "articles" / "a" / "index.html").write_text("A")
    (root / "index.html").write_text("home")
    (root / "pagefind").mkdir()
    (root / "pagefind" / "pagefind.js").write_text("js")


def _linked_copy_is_right(source, target):
    assert sorted(str(p.relative_to(target)) for p in target.rglob("*")) == [
        "articles", "articles/a", "articles/a/index.html", "index.html"]
    assert (target / "articles/a/index.html").stat().st_ino == (source / "articles/a/index.html").stat().st_ino


def test_a_copy_of_a_site_is_made_of_hard_links_without_the_entries_left_out(tmp_path):
    from generator.paths import copy_tree

    _tree(tmp_path / "site")
    copy_tree(tmp_path / "site", tmp_path / "copy", lambda name: name == "pagefind")
    _linked_copy_is_right(tmp_path / "site", tmp_path / "copy")


def test_a_copy_of_a_site_is_made_without_cp_where_there_is_none(tmp_path, monkeypatch):
    from generator.paths import copy_tree

    _tree(tmp_path / "site")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))  # a system without cp (as Windows)
    copy_tree(tmp_path / "site", tmp_path / "copy", lambda name: name == "pagefind")
    _linked_copy_is_right(tmp_path / "site", tmp_path / "copy")


def test_a_copy_made_from_a_spare_copy_relinks_only_what_differs(tmp_path):
    from generator.paths import copy_tree

    _tree(tmp_path / "site")
    spare = tmp_path / "spare"
    (spare / "articles" / "a").mkdir(parents=True)
    os.link(tmp_path / "site" / "index.html", spare / "index.html")  # the same file: stays
    (spare / "articles" / "a" / "index.html").write_text("A, as it was")  # an older version
    (spare / "articles" / "gone").mkdir()  # a page removed since
    (spare / "articles" / "gone" / "index.html").write_text("gone")
    (spare / "pagefind").mkdir()  # left out of the copy
    (spare / "stale.html").mkdir()  # a folder where the site has ... nothing
    copy_tree(tmp_path / "site", tmp_path / "copy", lambda name: name == "pagefind", spare=spare)
    _linked_copy_is_right(tmp_path / "site", tmp_path / "copy")
    assert (tmp_path / "copy" / "articles" / "a" / "index.html").read_text() == "A"
    assert not spare.exists()


def test_a_spare_copy_that_is_not_a_folder_is_not_used(tmp_path):
    from generator.paths import copy_tree

    _tree(tmp_path / "site")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "spare").symlink_to(tmp_path / "elsewhere")
    copy_tree(tmp_path / "site", tmp_path / "copy", lambda name: name == "pagefind", spare=tmp_path / "spare")
    _linked_copy_is_right(tmp_path / "site", tmp_path / "copy")
    assert (tmp_path / "spare").is_symlink() and list((tmp_path / "elsewhere").iterdir()) == []
