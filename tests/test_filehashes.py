"""generator.filehashes: a file is read again only when its stat says it may have changed."""

import hashlib
import os
from pathlib import Path

import pytest

from generator import filehashes
from generator.filehashes import FileHashes, walk_files


@pytest.fixture
def reads(monkeypatch):
    """The names of the files whose content FileHashes reads."""
    read: list[str] = []
    real = filehashes.file_sha256

    def counted(path: str | Path) -> str:
        read.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(filehashes, "file_sha256", counted)
    return read


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch, reads):
    monkeypatch.setattr(filehashes, "SETTLED_NS", 0)  # the file below was written a moment ago
    page = tmp_path / "page.md"
    page.write_bytes(b"# A page\n")
    first = FileHashes(tmp_path / "record.json")
    assert first.sha256("page.md", page) == _sha(b"# A page\n")
    first.save()
    assert FileHashes(tmp_path / "record.json").sha256("page.md", page) == _sha(b"# A page\n")
    assert reads == ["page.md"]


def test_a_rewritten_file_is_read_again_though_its_size_and_modification_time_are_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr(filehashes, "SETTLED_NS", 0)
    page = tmp_path / "page.md"
    page.write_bytes(b"before")
    hashes = FileHashes(tmp_path / "record.json")
    hashes.sha256("page.md", page)
    hashes.save()
    mtime = page.stat().st_mtime_ns
    page.write_bytes(b"after!")
    os.utime(page, ns=(mtime, mtime))  # its change time still moves: only the system sets it
    assert FileHashes(tmp_path / "record.json").sha256("page.md", page) == _sha(b"after!")


def test_a_file_changed_less_than_the_time_resolution_ago_is_not_trusted_next_time(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"just written")
    hashes = FileHashes(tmp_path / "record.json")
    assert hashes.sha256("page.md", page) == _sha(b"just written")
    hashes.save()
    assert not (tmp_path / "record.json").exists()  # nothing settled to keep


def test_files_no_longer_asked_about_leave_the_record(tmp_path, monkeypatch, reads):
    monkeypatch.setattr(filehashes, "SETTLED_NS", 0)
    for name in ("kept.md", "gone.md"):
        (tmp_path / name).write_text(name)
    hashes = FileHashes(tmp_path / "record.json")
    for name in ("kept.md", "gone.md"):
        hashes.sha256(name, tmp_path / name)
    hashes.save()
    (tmp_path / "gone.md").unlink()
    again = FileHashes(tmp_path / "record.json")
    again.sha256("kept.md", tmp_path / "kept.md")
    again.save()
    (tmp_path / "gone.md").write_text("gone.md")  # back, with another stat: read again
    FileHashes(tmp_path / "record.json").sha256("gone.md", tmp_path / "gone.md")
    assert reads == ["kept.md", "gone.md", "gone.md"]


def test_an_unreadable_record_means_every_file_is_read(tmp_path, reads):
    (tmp_path / "record.json").write_text("{not json")
    (tmp_path / "page.md").write_text("text")
    assert FileHashes(tmp_path / "record.json").sha256("page.md", tmp_path / "page.md") == _sha(b"text")
    assert reads == ["page.md"]


def test_the_walk_lists_every_file_below_the_folder_with_its_folders(tmp_path):
    (tmp_path / "en" / "articles").mkdir(parents=True)
    (tmp_path / "en" / "articles" / "a.md").write_text("a")
    (tmp_path / "index.md").write_text("i")
    (tmp_path / "en" / "link.md").symlink_to(tmp_path / "index.md")
    assert sorted((parts, entry.name) for parts, entry in walk_files(str(tmp_path))) == [
        ((), "index.md"), (("en",), "link.md"), (("en", "articles"), "a.md")]


def test_the_walk_passes_over_a_folder_it_cannot_read(tmp_path, monkeypatch):
    (tmp_path / "readable").mkdir()
    (tmp_path / "readable" / "a.md").write_text("a")
    (tmp_path / "lost+found").mkdir()
    (tmp_path / "lost+found" / "b.md").write_text("b")
    real = os.scandir

    def refusing(path):  # as root (the tests here), a folder's mode does not refuse: its scan does
        if str(path).endswith("lost+found"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(filehashes.os, "scandir", refusing)
    assert [(parts, entry.name) for parts, entry in walk_files(str(tmp_path))] == [(("readable",), "a.md")]


def _listing(folder: Path) -> list[tuple[str, str, os.stat_result]]:
    return sorted((entry.name, entry.path, entry.stat()) for _, entry in walk_files(str(folder)))


def _settled_folder(tmp_path: Path, monkeypatch) -> Path:
    """docs/ with a.md and b.md, taken as settled though just written."""
    monkeypatch.setattr(filehashes, "SETTLED_NS", 0)
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text(name)
    return folder


def test_an_unchanged_folder_is_answered_from_its_whole_stamp_without_its_files_record(tmp_path, monkeypatch, reads):
    folder = _settled_folder(tmp_path, monkeypatch)
    first = FileHashes(tmp_path / "record.json").fingerprint(_listing(folder))
    (tmp_path / "record.json").unlink()  # a look at any file now would read it again
    assert FileHashes(tmp_path / "record.json").fingerprint(_listing(folder)) == first
    assert reads == ["a.md", "b.md"]


def test_a_file_rewritten_in_a_settled_folder_changes_its_fingerprint(tmp_path, monkeypatch):
    folder = _settled_folder(tmp_path, monkeypatch)
    before = FileHashes(tmp_path / "record.json").fingerprint(_listing(folder))
    mtime = (folder / "b.md").stat().st_mtime_ns
    (folder / "b.md").write_text("B.md")
    os.utime(folder / "b.md", ns=(mtime, mtime))
    after = FileHashes(tmp_path / "record.json").fingerprint(_listing(folder))
    assert after != before
    assert after == FileHashes(tmp_path / "fresh.json").fingerprint(_listing(folder))


def test_a_file_just_written_is_read_and_compared_again_when_the_folder_is_answered_whole(tmp_path, reads):
    page = tmp_path / "a.md"
    page.write_text("as written")
    listing = [("a.md", str(page), page.stat())]  # written a moment ago: not settled
    first = FileHashes(tmp_path / "record.json").fingerprint(listing)
    assert FileHashes(tmp_path / "record.json").fingerprint(listing) == first
    assert reads == ["a.md", "a.md"]  # its stamp alone is not trusted
    page.write_text("rewritten")  # as if within the time resolution: the stat given is the old one
    assert FileHashes(tmp_path / "record.json").fingerprint(listing) != first


def test_a_file_compared_again_once_settled_is_trusted_by_its_stamp_from_then_on(tmp_path, monkeypatch, reads):
    page = tmp_path / "a.md"
    page.write_text("as written")
    listing = [("a.md", str(page), page.stat())]
    FileHashes(tmp_path / "record.json").fingerprint(listing)  # just written: kept to compare again
    monkeypatch.setattr(filehashes, "SETTLED_NS", 0)  # later: it has settled
    first = FileHashes(tmp_path / "record.json").fingerprint(listing)
    assert FileHashes(tmp_path / "record.json").fingerprint(listing) == first
    assert reads == ["a.md", "a.md"]  # written, then compared once more; not a third time
