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
    assert tuple(article.paragraphs) == (" ".join(STORY.split()),)  # its hard-wrapped lines joined
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


ARTICLE = ("Engineers finished repairs on the old railway bridge on Thursday after three months of work. "
           "The first trains crossed it again on Friday morning, the operator said. "
           "Commuters had taken buses around the river since the spring floods damaged the piers. "
           "The council will now repair the road bridge next to it, starting in the autumn.\n")


def test_a_summarizer_registered_by_name_is_a_choice_of_the_config_and_the_command_line(tmp_path, capsys,
                                                                                          monkeypatch):
    from generator.cli import main
    from generator.summarize import SUMMARIZERS, SumySummarizer

    reduction = SumySummarizer("reduction", sumy_class="reduction.ReductionSummarizer")
    monkeypatch.setitem(SUMMARIZERS, "reduction", reduction)
    (tmp_path / "bridge.txt").write_text(f"Bridge reopens\n\n{ARTICLE}")

    assert load_config(tmp_path, {"summary_algorithm": "reduction"}).summary_algorithm == "reduction"
    assert main(["summarize", "--project", str(tmp_path), "--algorithm", "reduction", "--sentences", "2",
                 str(tmp_path / "bridge.txt")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("# Bridge reopens")
    assert len(printed[1:3]) == 2 and all(line in ARTICLE for line in printed[1:3])


def test_an_unregistered_summarizer_is_refused_with_the_registered_choices(tmp_path):
    from generator.errors import ConfigError
    from generator.summarize import SUMMARIZERS

    with pytest.raises(ConfigError, match="'reduction' is not one of " + ", ".join(SUMMARIZERS)):
        load_config(tmp_path, {"summary_algorithm": "reduction"})


def test_a_site_language_is_one_block_of_settings_toml(tmp_path, monkeypatch):
    import tomllib

    from generator import languages, publish, settings

    shipped = settings.SETTINGS_FILE.read_text(encoding="utf-8")
    added = tomllib.loads(shipped + '\n[language.dv]\nright_to_left = true\n')  # Dhivehi, written right to left
    known = languages.read_languages(added["language"])
    assert known["dv"] == languages.Language("dv", right_to_left=True)
    assert {code: known[code] for code in languages.LANGUAGES} == languages.LANGUAGES  # the others unchanged

    monkeypatch.setattr(languages, "LANGUAGES", known)
    config = load_config(tmp_path, {"languages": "en,dv"})
    derived = {lang: publish.derived_config(config, {}, lang, config.languages, tmp_path / "site")
               for lang in config.languages}
    assert (derived["dv"]["theme"]["direction"], derived["en"]["theme"]["direction"]) == ("rtl", "ltr")


@pytest.mark.parametrize(("block", "error"), [
    ('[language.dv]\nrtl = true\n', "unknown key 'rtl'"),
    ('[language.dv]\nright_to_left = "yes"\n', "right_to_left = 'yes' is not bool"),
    ('[language.Dhivehi]\n', "not an ISO 639 language code"),
    ('[language.dv]\npivot = true\n', "exactly one language block has pivot = true, not 2"),
])
def test_a_language_block_that_cannot_be_used_is_an_error_naming_it(block, error):
    import tomllib

    from generator import languages, settings

    blocks = tomllib.loads(settings.SETTINGS_FILE.read_text(encoding="utf-8") + "\n" + block)["language"]
    with pytest.raises(ValueError, match=error):
        languages.read_languages(blocks)


def test_the_one_pivot_is_the_pivot_language_block():
    from generator import languages

    assert languages.PIVOT == "en" and [c for c, lang in languages.LANGUAGES.items() if lang.pivot] == ["en"]
