"""The shipped models: decoding over the teacher's lexical shortlist, long sentences clause by clause."""

import struct
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO

from generator.argos import (
    LONG_SENTENCE_WORDS,
    Decoding,
    TranslationModel,
    clauses,
    import_argostranslate,
    install_package,
)

sys.path.insert(0, str(REPO / "tools" / "distill"))
from shortlist import vocabulary_map  # noqa: E402


def marian_shortlist(always: int, targets: list[list[int]]) -> bytes:
    """A Marian binary shortlist: header, one offset per source token (+1), the target ids."""
    offsets, ids = [0], []
    for row in targets:
        ids += row
        offsets.append(len(ids))
    return (struct.pack("<6Q", 0, 0, always, 50, len(offsets), len(ids))
            + struct.pack(f"<{len(offsets)}Q", *offsets) + struct.pack(f"<{len(ids)}I", *ids))


def test_a_marian_shortlist_becomes_the_vocabulary_map_ctranslate2_reads():
    vocabulary = ["</s>", "<unk>", "▁casa", "▁house", "▁a"]
    written = vocabulary_map(marian_shortlist(2, [[], [], [], [2, 4], [4]]), vocabulary)
    # the empty source lists the tokens always allowed; a token without candidates has no line
    assert written.splitlines() == ["\t</s> <unk>", "▁house\t▁casa ▁a", "▁a\t▁a"]


def test_a_shortlist_for_another_vocabulary_is_refused():
    with pytest.raises(SystemExit, match="vocabulary of 3 tokens, not 5"):
        vocabulary_map(marian_shortlist(2, [[0], [1], [2]]), ["</s>", "<unk>", "a", "b", "c"])


@pytest.mark.parametrize("pair", ["en_pt", "pt_en"])
def test_the_shipped_models_translate_over_their_shortlist(pair):
    work = Path(tempfile.mkdtemp(prefix="shortlist-"))
    import_argostranslate(work)
    model = TranslationModel.open(install_package(REPO / "models" / f"translate-{pair}.argosmodel", work / "p"))
    assert model.shortlist
    sentence = {"en_pt": "The house was sold for $2m on Monday.",
                "pt_en": "A casa foi vendida por R$ 2 milhões na segunda-feira."}[pair]
    translation = model.translate([sentence], Decoding(), 1)[0]
    assert "2" in translation
    assert ("casa" if pair == "en_pt" else "house") in translation.lower()


def test_a_long_sentence_is_split_at_its_clauses_and_joined_with_their_separators():
    sentence = "Lula ainda é réu em 4 ações – uma nas mãos de Moro ; e alvo de uma denúncia"
    assert clauses(sentence) == [("Lula ainda é réu em 4 ações", " – "), ("uma nas mãos de Moro", " ; "),
                                 ("e alvo de uma denúncia", "")]
    assert clauses("Sem separador, só vírgulas, e um hífen em ex-presidente.") == [
        ("Sem separador, só vírgulas, e um hífen em ex-presidente.", "")]


def test_a_long_brazilian_lead_is_translated_to_its_end():
    # A real build showed this 70-word lead in Portuguese: translated whole, the model stopped
    # before its last clause ('name: JBS lost'); clause by clause, every clause comes back.
    work = Path(tempfile.mkdtemp(prefix="clauses-"))
    import_argostranslate(work)
    model = TranslationModel.open(install_package(REPO / "models" / "translate-pt_en.argosmodel", work / "p"))
    lead = ("Condenado a 9 anos e 6 meses de prisão por corrupção passiva e lavagem de dinheiro de R$ 2,25 milhões "
            "no caso triplex, o ex-presidente Lula ainda é réu em 4 ações penais – uma nas mãos do juiz federal "
            "Sérgio Moro e três sob análise de Vallisney de Oliveira, da 10a Vara do Distrito Federal -, e alvo de "
            "uma denúncia no âmbito da Lava Jato ; requerimentos de investigação da Procuradoria-Geral da "
            "República com base nas delações da Odebrecht e inquérito baseado na colaboração de executivos da JBS.")
    assert len(lead.split()) > LONG_SENTENCE_WORDS
    translation = model.translate([lead], Decoding(), 1)[0]
    assert "JBS" in translation and "2.25" in translation and translation.count(" – ") == 1


def test_the_n_best_choices_samples_are_the_same_on_every_run():
    # Each replica seeds its generator when it starts: re-seeding a running translator gave
    # other samples on every call, so a rebuild could publish another choice.
    from generator.translate import CHOICE_DECODINGS

    work = Path(tempfile.mkdtemp(prefix="samples-"))
    import_argostranslate(work)
    model = TranslationModel.open(install_package(REPO / "models" / "translate-en_pt.argosmodel", work / "p"))
    sentences = [f"The {n} ministers met in London on Monday and agreed a plan worth £{n}bn." for n in range(2, 12)]
    first = model.candidates(sentences, CHOICE_DECODINGS[0], 2)
    assert all(model.candidates(sentences, CHOICE_DECODINGS[0], 2) == first for _ in range(3))
