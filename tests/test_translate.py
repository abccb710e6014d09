import dataclasses
import datetime as dt
import zipfile

import pytest
from tiny_argos import expected_translation

from generator import translate
from generator.argos import Decoding, TranslationModel, decoding_limit, install_package
from generator.cache import Cache
from generator.errors import InvalidModelPackage, MissingTranslation
from generator.progress import SILENT
from generator.records import Article, Summary
from generator.translate import Translator, find_route


@pytest.fixture
def models(tiny_models, tmp_path):
    packages = tmp_path / "packages"
    opened = {}
    for archive in sorted(tiny_models.glob("*.argosmodel")):
        model = TranslationModel.open(install_package(archive, packages))
        opened[(model.from_code, model.to_code)] = model
    return opened


def test_tiny_package_translates_exactly_through_ctranslate2(models):
    sentences = ["Hello, world!", "Ação já — “quoted”."]
    translated = models[("en", "pt")].translate(sentences, Decoding(beam_size=4), 2)
    assert translated == [expected_translation(s) for s in sentences]


def test_sentences_come_back_in_order_whatever_batches_their_lengths_sort_them_into(models):
    sentences = ["A much longer sentence than the others, by far.", "Mid-length one here.", "Short.", "Tiny", "Hi."]
    translated = models[("en", "pt")].translate(sentences, Decoding(), 2)  # batches of 3, shortest first
    assert translated == [expected_translation(s) for s in sentences]


def test_a_batch_decodes_at_most_three_times_its_longest_source_and_never_past_the_decodings_limit():
    assert decoding_limit(10, Decoding()) == 46
    assert decoding_limit(200, Decoding()) == 512
    assert decoding_limit(10, Decoding(max_decoding_length=12)) == 12


def test_tiny_package_is_genuine_for_argostranslate_itself(models):
    """argostranslate's own pipeline (its MiniSBD splitter, tokenizer and CTranslate2
    call) accepts the package and agrees with the expected output."""
    import argostranslate.translate as argos

    model = models[("en", "pt")]
    translation = argos.PackageTranslation(argos.Language("en", "English"), argos.Language("pt", "Portuguese"),
                                           model._package)
    assert translation.translate("One sentence. And another!") == "ONE SENTENCE. AND ANOTHER!"


def test_route_is_direct_when_a_pair_exists_and_pivots_through_english_otherwise(models):
    assert [m.identity.split("-")[:2] for m in find_route(models, "en", "pt")] == [["en", "pt"]]
    assert [(m.from_code, m.to_code) for m in find_route(models, "pt", "ar")] == [("pt", "en"), ("en", "ar")]
    assert find_route(models, "ar", "pt") is None


def test_translator_caches_every_step_and_counts_only_new_sentences(models, tmp_path):
    cache = Cache(tmp_path / "cache.sqlite")
    translator = Translator(models, cache, Decoding(beam_size=2), threads=1)
    first = translator.translate(["Olá mundo.", "Bom dia."], "pt", "ar")
    assert first == {"Olá mundo.": "OLÁ MUNDO.", "Bom dia.": "BOM DIA."}
    assert translator.translated == 4  # two sentences, two steps (pt->en->ar)
    again = translator.translate(["Olá mundo.", "Boa noite."], "pt", "en")
    assert again["Boa noite."] == "BOA NOITE."
    assert translator.translated == 5  # only the new sentence; pt->en of the others was cached


def test_missing_pair_error_names_the_pair_and_the_fix(models, tmp_path):
    translator = Translator(models, Cache(tmp_path / "c.sqlite"), Decoding(), threads=1)
    with pytest.raises(MissingTranslation, match=r"ar -> pt.*translate-ar_pt\.argosmodel.*--skip-missing-languages"):
        translator.translate(["x"], "ar", "pt")


def test_reinstalling_an_unchanged_package_is_a_no_op(tiny_models, tmp_path):
    archive = tiny_models / "translate-en_pt.argosmodel"
    first = install_package(archive, tmp_path)
    marker = first / "model" / "model.bin"
    before = marker.stat().st_mtime_ns
    assert install_package(archive, tmp_path) == first
    assert marker.stat().st_mtime_ns == before


def _zip(path, entries):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("entries, reason", [
    ({"p/metadata.json": '{"from_code": "en", "to_code": "pt"}', "p/../../evil.txt": "x",
      "p/model/model.bin": "", "p/sentencepiece.model": ""}, "escapes"),
    ({"p/metadata.json": "not json", "p/model/model.bin": "", "p/sentencepiece.model": ""}, "JSON"),
    ({"p/metadata.json": '{"from_code": "en", "to_code": "pt"}', "p/sentencepiece.model": ""}, "model.bin"),
    ({"a/metadata.json": "{}", "b/x": ""}, "one top-level folder"),
])
def test_broken_or_hostile_package_is_refused_and_installs_nothing(tmp_path, entries, reason):
    archive = _zip(tmp_path / "bad.argosmodel", entries)
    packages = tmp_path / "packages"
    with pytest.raises(InvalidModelPackage, match=reason):
        install_package(archive, packages)
    assert not packages.exists() or not any(packages.iterdir())
    assert not (tmp_path / "evil.txt").exists()


def test_file_that_is_not_a_zip_is_refused(tmp_path):
    archive = tmp_path / "x.argosmodel"
    archive.write_text("hello")
    with pytest.raises(InvalidModelPackage, match="not a zip"):
        install_package(archive, tmp_path / "packages")


def test_sentence_the_model_cannot_handle_falls_back_to_the_original(models, tmp_path):
    translator = Translator(models, Cache(tmp_path / "c.sqlite"), Decoding(), threads=1)
    too_long = "word " * 120  # 600 characters: more positions than the tiny model has
    result = translator.translate(["Fine sentence.", too_long], "en", "pt")
    assert result == {"Fine sentence.": "FINE SENTENCE.", too_long: None}
    assert translator.declined == {("en->pt", "model"): 1}
    assert translator.verdicts([too_long], "en", "pt")[too_long].reasons == ("model: it failed on this text",)


def test_a_failed_sentence_is_remembered_not_retried(models, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    too_long = "word " * 120
    first = Translator(models, cache, Decoding(), threads=1)
    first.translate([too_long], "en", "pt")
    again = Translator(models, cache, Decoding(), threads=1)
    assert again.translate([too_long], "en", "pt") == {too_long: None}
    assert again.translated == 0 and again.declined == {("en->pt", "model"): 1}


@pytest.mark.parametrize("text, language, recased", [
    ("ISLAMIC STATE THREATENS TO ATTACKS IN RUSSIA", "en", "Islamic State Threatens to Attacks in Russia"),
    ("THE EU AND THE US SIGN A TRADE DEAL", "en", "The EU and the US Sign a Trade Deal"),  # acronyms, a country
    ("BBC CHIEF QUITS", "en", "BBC Chief Quits"),
    ("GOVERNO ANUNCIA CORTE DE GASTOS", "pt", "Governo anuncia corte de gastos"),  # sentence case
    ("STF JULGA RECURSO HOJE", "pt", "STF julga recurso hoje"),
    ("Normal text, Not Shouted.", "en", "Normal text, Not Shouted."),
    ("A 10% RISE", "en", "A 10% RISE"),  # too short to tell a headline from an acronym
])
def test_a_headline_in_capitals_reaches_the_model_in_the_case_of_its_language(text, language, recased):
    from generator.languages import uncapitalized

    assert uncapitalized(text, language) == recased


@pytest.mark.parametrize("text, read", [
    # a dateline in capitals opens the sentence in the case of a place; acronyms stay
    ("BRASÍLIA - O Senado votou.", "Brasília - O Senado votou."),
    ("RIO DE JANEIRO – A polícia prendeu.", "Rio de Janeiro – A polícia prendeu."),
    ("STF - O tribunal decidiu.", "STF - O tribunal decidiu."),
    ("BRASÍLIA - 12 mortos", "BRASÍLIA - 12 mortos"),
    # a weekday written short where it is one, whole; another 'segunda' or 'quinta' as it is
    ("O presidente disse nesta quinta (14) que sim.", "O presidente disse nesta quinta-feira (14) que sim."),
    ("Nesta terça, a segunda etapa começou.", "Nesta terça-feira, a segunda etapa começou."),
    ("A quinta colocada chega na segunda (3).", "A quinta colocada chega na segunda-feira (3)."),
    ("Nesta segunda-feira, nada muda.", "Nesta segunda-feira, nada muda."),
    # words the model does not know, as words it does (settings.toml [model_input.pt-BR.rewrites])
    ("Delação premiada cita propinas e propina.", "Acordo de colaboração cita subornos e subornos."),
    ("DELAÇÃO DA JBS: VEJA OS VÍDEOS DO DEPOIMENTO", "Acordo de colaboração da JBS: veja os vídeos do depoimento"),
    # an ordinal after 'esta' is no weekday; an acronym in capitals no dateline
    ("Janot apresentou esta segunda denúncia.", "Janot apresentou esta segunda denúncia."),
    ("ONU - A organização falou.", "ONU - A organização falou."),
])
def test_what_the_model_reads_has_a_dateline_as_a_place_a_short_weekday_whole_and_words_it_knows(text, read):
    from generator.languages import as_read

    assert as_read(text, "pt") == read


@pytest.mark.parametrize("text, read", [
    ("Mr Berlusconi said the budget would pass.", "Berlusconi said the budget would pass."),
    ("Mrs Thatcher and Mr Blair met.", "Thatcher and Blair met."),
    ("The MR scanner and Mr. Smith", "The MR scanner and Mr. Smith"),  # an acronym; 'Mr.' is not the BBC's
    ("Mr and Mrs Smith went home.", "Mr and Mrs Smith went home."),
])
def test_english_names_reach_the_model_without_mr_which_it_read_as_a_member_of_parliament(text, read):
    from generator.languages import as_read

    assert as_read(text, "en") == read


def test_portuguese_from_portugal_keeps_its_own_words():
    from generator.languages import as_read

    # 'propinas' are tuition fees in Portugal: only a Brazilian project's texts are given 'subornos'
    assert as_read("O aumento das propinas no ensino superior.", "pt", "pt-PT") == \
        "O aumento das propinas no ensino superior."


def test_a_change_to_what_the_model_reads_translates_again_only_the_texts_it_changes(models, tmp_path, monkeypatch):
    from generator import languages, translate

    cache = Cache(tmp_path / "cache.sqlite")
    article = ("Nesta quinta, houve algo.", "Nada mais.")
    first = Translator(models, cache, Decoding(), threads=1)
    assert [v.translation for v in first.article_verdicts([article], "pt", "en")[0]] == \
        ["NESTA QUINTA-FEIRA, HOUVE ALGO.", "NADA MAIS."]  # the tiny model copies what it reads, in capitals
    # a new reading rule, its version bumped: the article's cached texts are not reused, its
    # unchanged sentence's translation is
    monkeypatch.setattr(translate, "as_read", lambda text, code, portuguese: languages.as_read(
        text, code, portuguese).replace("algo", "isto"))
    monkeypatch.setattr(translate, "READING_VERSION", languages.READING_VERSION + 1)
    again = Translator(models, cache, Decoding(), threads=1)
    assert [v.translation for v in again.article_verdicts([article], "pt", "en")[0]] == \
        ["NESTA QUINTA-FEIRA, HOUVE ISTO.", "NADA MAIS."]
    assert again.translated == 1


def _summary(slug: str, title: str, sentences: list[str], language: str) -> Summary:
    article = Article(slug=slug, source_file=f"{slug}.txt", title=title, paragraphs=(" ".join(sentences),),
                      language=language, date=dt.date(2024, 5, 1), date_is_stand_in=False)
    return Summary(article, tuple(sentences))


def test_what_each_article_showed_in_the_last_build_is_stashed_and_shown_again_the_same(models, tmp_path,
                                                                                      monkeypatch, caplog):
    """A build's cache keeps what each article showed in each language: the next build derives
    only its new articles' texts, and shows, reports and counts everything as it would without
    the stash (declined sentences, quotations, a pivot route, an article gone, others reordered);
    a damaged stash is no stash."""
    too_long = "word " * 120  # the tiny model fails on it: declined, shown in the original
    pool = [
        _summary("a", "Storm hits the coast", ["Fine sentence.", "They called it 'tax amnesty' again."], "en"),
        _summary("b", "SHOUTED HEADLINE ABOUT THE COUNCIL", [too_long.strip() + ".", "Another one."], "en"),
        _summary("c", "Tempestade atinge a costa", ["Frase boa.", "Disse que a 'anistia' acabou."], "pt"),
        _summary("d", "Council meets", ["The council met on Monday.", too_long.strip() + "!"], "en"),
        _summary("e", "Nova ponte", ["A ponte abriu.", "Custou 4,2 milhões."], "pt"),
        _summary("f", "Bridge opens", ["The bridge opened.", "It cost 4.2 million."], "en"),
        _summary("g", too_long.strip(), ["A title too long for the model."], "en"),  # its title declined
    ]
    languages = ["en", "pt", "ar"]
    derived = []
    real = translate._shown_anew
    monkeypatch.setattr(translate, "_shown_anew", lambda group, *rest: derived.append(len(group)) or real(group, *rest))

    def run(summaries, stashes):
        translator = Translator(models, Cache(tmp_path / "c.sqlite", stashes=stashes), Decoding(), threads=1)
        problems = []
        return translate.localize(summaries, languages, translator, SILENT, problems), problems, translator.declined

    run(pool[:4] + pool[6:], stashes=True)
    today = [pool[4], *reversed(pool[1:4]), pool[5], pool[6]]
    derived.clear()
    stashed = run(today, stashes=True)
    assert sum(derived) == 4  # the two new articles, each in the two languages it is not written in
    assert stashed == run(today, stashes=False) and stashed[2]  # what a build from the cache shows
    assert any("shown in en on the pt site" in p.reason for p in stashed[1])
    (tmp_path / translate.LOCALIZED_FILE).write_bytes(b"")  # torn by a crash
    derived.clear()
    assert run(today, stashes=True) == stashed and sum(derived) == 12 and "cannot be read" in caplog.text
    derived.clear()
    assert run(today, stashes=True) == stashed and sum(derived) == 0  # the stash that run left


def test_a_stashed_article_reads_back_as_it_was_shown():
    """None (declined) is not "" (an empty translation, shown as the original without the mark)."""
    shown = {"k1": translate._Shown("TITLE", False, ("ONE.", None, ""), (), (), ()),
             "k2": translate._Shown(None, False, (), ("2 text(s) shown in en", "its title is shown in en"),
                                    (("en->pt", "model", "A."), ("en->pt", "length", "B.")),
                                    (("en->pt", "model", "'phrase'"),)),
             "k3": translate._Shown("Same", True, ("x",), ("its title is shown",), (), ())}
    saved = {}

    class Store:
        def save(self, arrays, version):
            saved.update(arrays)

    translate._save_shown(Store(), shown)
    assert translate._read_shown(saved) == shown


def test_a_stash_key_changes_with_the_article_and_with_how_its_texts_are_translated(models, tmp_path):
    translator = Translator(models, Cache(tmp_path / "c.sqlite"), Decoding(), threads=1)
    article = _summary("a", "Storm hits", ["Fine sentence."], "en")
    others = [_summary("a", "Storm hit", ["Fine sentence."], "en"), _summary("a", "Storm hits", ["Fine one."], "en"),
              Summary(dataclasses.replace(article.article, paragraphs=("Other text.",)), article.sentences)]
    key = translate._shown_keys([article], "en", "pt", translator)[0]
    assert all(translate._shown_keys([other], "en", "pt", translator)[0] != key for other in others)
    assert translate._shown_keys([article], "en", "ar", translator)[0] != key
    assert translate._shown_keys([article], "en", "pt", Translator(models, translator.cache, Decoding(beam_size=2),
                                                                   threads=1))[0] != key
