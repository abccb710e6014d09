"""A new reader, summarizer or site language is one entry in one place: these tests add one
each, the way GUIDE.md ("Layout") tells a newcomer to, and show the rest of polydigest
picking it up."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import ingest
from generator.config import load_config
from generator.readers import READERS, Reader, Source, read_text


class NoteReader(Reader):
    """A made-up format: '.note' files, text hard-wrapped like plain text, ranked first among copies."""

    kind, extensions, description = "note", (".note",), "notes"
    duplicate_rank = -1
    hard_wrapped = True

    def read(self, path: Path, name: str, max_bytes: int) -> list[Source]:
        return [Source(name=name, text=read_text(path, max_bytes), kind=self.kind, title="A note on the bridge")]


STORY = ("Engineers finished repairs on the old railway bridge on Thursday, and the first\n"
         "trains crossed it again on Friday morning after three months of work.\n")


def test_a_reader_registered_for_a_new_extension_is_read_joined_and_preferred_among_copies(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "READERS", READERS.with_readers(NoteReader))
    (tmp_path / "bridge.note").write_text(STORY)
    (tmp_path / "bridge.txt").write_text(STORY)
    (tmp_path / "other.rst").write_text(STORY)

    articles, problems = ingest.read_folder(tmp_path, load_config(tmp_path))

    (article,) = articles
    assert (article.source_file, article.source_format) == ("bridge.note", "note")
    assert article.title == "A note on the bridge"
    assert article.paragraphs == (" ".join(STORY.split()),)  # its hard-wrapped lines joined
    assert sorted(map(str, problems)) == [
        "bridge.txt: same story as bridge.note (near-identical text); kept that copy: its text is the longest",
        "other.rst: unsupported file type '.rst'; skipped",
    ]


def test_a_reader_cannot_take_an_extension_or_kind_already_registered():
    class Pages(NoteReader):
        kind, extensions = "pages", (".htm",)

    with pytest.raises(ValueError, match="Pages: .htm already registered"):
        READERS.with_readers(Pages)
    with pytest.raises(ValueError, match="txt already registered"):
        READERS.with_readers(type("Text", (NoteReader,), {"kind": "txt"}))


def test_the_formats_every_help_text_lists_come_from_the_registry(tmp_path, capsys):
    from generator.cli import main

    assert main(["config", "--project", str(tmp_path)]) == 0
    listed = capsys.readouterr().out
    for reader in READERS.formats.values():
        assert f"{reader.description} ({', '.join(reader.extensions)})" in listed
    assert set(READERS) == {ext for reader in READERS.formats.values() for ext in reader.extensions}
