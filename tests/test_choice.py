"""The retry's n-best and the choice after it, and the site's one Portuguese (issue #26)."""

from pathlib import Path

import pytest

from generator import checks, variety
from generator.argos import Decoding, TranslationModel
from generator.cache import Cache
from generator.translate import Translator

SENTENCE = "Sales rose by 531.7 million in 2004."


class _Scripted(TranslationModel):
    """A model whose outputs are given: ``first`` for the first attempt, ``candidates`` for the
    retry's and the choice's n-best."""

    def __init__(self, first: str, candidates: list[tuple[str, float]], to_code: str = "pt"):
        super().__init__(Path("scripted"), "en", to_code, "0" * 64)
        self.first, self.hypotheses, self.calls = first, candidates, []

    def translate(self, sentences, decoding, threads):
        self.calls.append(("translate", decoding))
        return [self.first for _ in sentences]

    def candidates(self, sentences, decoding, threads):
        self.calls.append(("candidates", decoding))
        return [self.hypotheses[: decoding.num_hypotheses] for _ in sentences]


def _translator(model, tmp_path, **options):
    return Translator({("en", model.to_code): model}, Cache(tmp_path / "c.sqlite"), Decoding(), threads=1, **options)


def test_the_best_scored_candidate_that_passes_every_check_is_published(tmp_path):
    model = _Scripted("As vendas subiram 537 milhões em 2004.", [
        ("As vendas subiram 537 milhões em 2004.", -0.1),  # the best score, a changed number
        ("As vendas subiram 531,7 milhões em 2004.", -0.3),
        ("As vendas cresceram 531,7 milhões em 2004.", -0.6),
        ("As vendas vendas vendas subiram 531,7 milhões em 2004.", 0.0),  # a loop, however likely
    ])
    translator = _translator(model, tmp_path)
    verdict = translator.verdicts([SENTENCE], "en", "pt")[SENTENCE]
    assert verdict.translation == "As vendas subiram 531,7 milhões em 2004."
    assert verdict.chosen and verdict.retried and verdict.reasons == ()
    assert translator.chosen == 1 and translator.retried == 1 and not translator.declined
    assert [kind for kind, _ in model.calls] == ["translate", "candidates"]  # the retry's n-best was enough
    again = _translator(model, tmp_path)  # the same cache: the verdict is reused, the choice too
    assert again.verdicts([SENTENCE], "en", "pt")[SENTENCE] == verdict and again.translated == 0


def test_the_retrys_best_scored_candidate_is_a_retry_not_a_choice(tmp_path):
    model = _Scripted("As vendas subiram 537 milhões em 2004.", [("As vendas subiram 531,7 milhões em 2004.", -0.2)])
    translator = _translator(model, tmp_path)
    verdict = translator.verdicts([SENTENCE], "en", "pt")[SENTENCE]
    assert verdict.translation == "As vendas subiram 531,7 milhões em 2004."
    assert verdict.retried and not verdict.chosen and translator.chosen == 0


def test_when_no_candidate_passes_the_sentence_is_declined_after_every_choice(tmp_path):
    model = _Scripted("As vendas subiram 537 milhões.", [("As vendas subiram 537 milhões em 2004.", -0.1)])
    translator = _translator(model, tmp_path)
    verdict = translator.verdicts([SENTENCE], "en", "pt")[SENTENCE]
    assert verdict.translation is None and not verdict.chosen
    assert verdict.reasons == ("number: 5317 lost or changed",)  # the retry's reasons
    assert [kind for kind, _ in model.calls] == ["translate", "candidates", "candidates"]
    assert translator.declined == {("en->pt", "number"): 1} and translator.chosen == 0


def test_without_choice_decodings_the_retry_is_the_last_attempt(tmp_path):
    model = _Scripted("As vendas subiram 537 milhões.", [("As vendas subiram 537 milhões em 2004.", -0.1)])
    translator = _translator(model, tmp_path, choice_decodings=())
    assert translator.translate([SENTENCE], "en", "pt") == {SENTENCE: None}
    assert [kind for kind, _ in model.calls] == ["translate", "candidates"]


def test_portuguese_is_written_in_the_sites_one_variety_and_cached_by_variety(tmp_path):
    sentence = "The bus hit the team's goalkeeper."
    model = _Scripted("O autocarro atingiu o guarda-redes da equipa.", [])
    brazilian = _translator(model, tmp_path)
    assert brazilian.translate([sentence], "en", "pt") == {sentence: "O ônibus atingiu o goleiro da equipe."}
    assert brazilian.normalized == 1
    european = _translator(_Scripted("O ônibus atingiu o goleiro da equipe.", []), tmp_path, portuguese="pt-PT")
    assert european.translate([sentence], "en", "pt") == {sentence: "O autocarro atingiu o guarda-redes da equipa."}
    assert european.translated == 1  # not the pt-BR verdict from the cache


def test_english_outputs_are_never_normalized(tmp_path):
    model = _Scripted("The equipa arrived.", [], to_code="en")
    assert _translator(model, tmp_path).translate(["A equipa chegou."], "en", "en") == {
        "A equipa chegou.": "The equipa arrived."}


@pytest.mark.parametrize("text, brazilian", [
    ("O Prémio Nobel da crise económica", "O Prémio Nobel da crise econômica"),  # a capitalized name is kept
    ("de facto, o registo do contacto", "de fato, o registro do contato"),
    ("Equipa de António", "Equipe de António"),  # a name is not a word of the table
    ("o autocarro-escola e o megaautocarro", "o autocarro-escola e o megaautocarro"),  # whole words only
])
def test_normalization_replaces_whole_words_of_the_table(text, brazilian):
    assert variety.normalize(text, "pt-BR") == brazilian


def test_the_variety_table_has_no_word_on_both_sides():
    european = {pt for pt, _, _ in variety._PAIRS}
    brazilian = {br for _, br, _ in variety._PAIRS}
    assert not european & brazilian
    with pytest.raises(ValueError):
        variety.normalize("x", "pt-AO")


@pytest.mark.parametrize("source, translation, repaired", [
    ("Profits rose to 2.4bn euros ($3.1bn; £2.9bn).",
     "Os lucros subiram para 2,4 bilhões de euros (3,1 bilhões de dólares; 2,9 bilhões de euros).",
     "Os lucros subiram para 2,4 bilhões de euros (3,1 bilhões de dólares; 2,9 bilhões de libras)."),
    ("Brown wants a £5.5bn ($10bn) plan.", "Brown quer um plano de 5,5 bilhões de dólares (10 bilhões de dólares).",
     "Brown quer um plano de 5,5 bilhões de libras (10 bilhões de dólares)."),
    ("A fraud of $11bn (£6bn).", "Uma fraude de 11 bilhões de dólares (R$ 6 bilhões).",
     "Uma fraude de 11 bilhões de dólares (£ 6 bilhões)."),
    ("Priced at £229, it sells.", "Com um preço de 229 euros, vende.", "Com um preço de 229 libras, vende."),
])
def test_each_amount_gets_the_currency_its_number_has_in_the_source(source, translation, repaired):
    assert checks.repair(source, translation, "en", "pt") == repaired
    assert checks.problems(source, repaired, "en", "pt") == []


@pytest.mark.parametrize("source, translation, languages, repaired", [
    ("Jim Carrey took $30.2m (£15.5m) in its debut weekend.", "Jim Carrey levou US$ 30,2 milhões na estreia.",
     ("en", "pt"), "Jim Carrey levou US$ 30,2 milhões (£ 15,5 milhões) na estreia."),
    ("It cost £1,500 ($2,800) to fix.", "Custou 1.500 libras para consertar.", ("en", "pt"),
     "Custou 1.500 libras (US$ 2.800) para consertar."),
    ("O valor é de R$ 51 milhões (US$ 15 milhões).", "The amount is R$ 51 million.", ("pt", "en"),
     "The amount is R$ 51 million ($ 15 million)."),
])
def test_a_dropped_conversion_in_brackets_is_put_back_in_the_targets_number_format(source, translation, languages,
                                                                                     repaired):
    assert checks.repair(source, translation, *languages) == repaired
    assert checks.problems(source, repaired, *languages) == []


def test_a_conversion_is_not_put_back_where_its_scale_differs_or_its_number_is_there():
    source = "Costs fell by $1bn (£530m) a year."
    assert checks.repair_conversion(source, "Os custos caíram US$ 1 bilhão por ano.", "en", "pt") == \
        "Os custos caíram US$ 1 bilhão por ano."
    kept = "Fez 17,1 milhões de dólares (£ 8,8 milhões) em vendas."
    assert checks.repair_conversion("It made $17.1m (£8.8m) in sales.", kept, "en", "pt") == kept


@pytest.mark.parametrize("source, translation", [
    ("It cost £5m, then £5m more.", "Custou 5 milhões de euros, depois mais 5 milhões de euros."),  # twice: which?
    ("It cost £5m.", "Custou 6 milhões de euros."),  # the number changed: the checks decline it
    ("Shares rose 5% to $20.", "As ações subiram 5% para US$ 20."),  # already right
])
def test_an_amount_is_left_alone_where_its_number_does_not_say_which(source, translation):
    assert checks.repair_amounts(source, translation, "en", "pt") == translation


@pytest.mark.parametrize("european, brazilian", [
    ("O Quénia e a Polónia", "O Quênia e a Polônia"),
    ("Moscovo, Teerão e o Irão", "Moscou, Teerã e o Irã"),
    ("em Nova Iorque", "em Nova York"),
    # Salvador is El Salvador in Portugal and a Brazilian city; Madrid is Real Madrid's name
    ("o Real Madrid em Salvador", "o Real Madrid em Salvador"),
])
def test_place_names_are_written_as_in_the_sites_variety(european, brazilian):
    assert variety.normalize(european, "pt-BR") == brazilian
    assert variety.normalize(brazilian, "pt-PT") == european
