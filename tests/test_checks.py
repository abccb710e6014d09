"""Every translated sentence is checked before it is published: numbers, loops, length,
untranslated copies. A failing sentence is retried with safer decoding, then shown in the
original, marked; verdicts are cached under the version of the rules."""

from __future__ import annotations

import pytest
from conftest import make_project
from tiny_argos import build_tiny_package, expected_translation

from generator import checks, translate
from generator.argos import Decoding, TranslationModel, install_package
from generator.cache import Cache
from generator.config import load_config
from generator.core import build
from generator.executor import LocalExecutor
from generator.progress import SILENT
from generator.translate import Translator


@pytest.mark.parametrize("source, translation", [
    ("About 16,700 deaths were recorded.", "Cerca de 16.700 mortes foram registadas."),
    ("Sales rose to $531.7 million.", "As vendas subiram para $531,7 milhões."),
    ("A £1,000 fine and 3 points.", "Uma multa de £1.000 e 3 pontos."),
    ("He said: no, no, no.", "Ele disse: não, não, não."),  # the source repeats too
    ("Very very good news today for the town.", "Notícias muito muito boas hoje para a cidade."),
    ("Short.", "Curto e grosso, mas curto."),  # too short for the length check
    ("BBC", "BBC"),
    ("The BBC and IBM signed a deal with the US.", "A BBC e a IBM assinaram um acordo com os EUA."),
    ("On 7 May 2015 the vote took place in 650 seats.", "Em 7 de maio de 2015 a votação decorreu em 650 lugares."),
    ("Trade between India and Pakistan grew.", "O comércio entre a Índia e o Paquistão cresceu."),
    ("Talks with Iran and the Netherlands resumed.", "As negociações com o Irã e a Holanda foram retomadas."),
    ("The Brazil squad won in Peru.", "A seleção brasileira venceu no Peru."),  # a country's adjective counts
    # a country as European Portuguese writes it (CLDR pt: 'Turcomenistão', pt_PT: 'Turquemenistão')
    ("Gas from Turkmenistan reached China.", "O gás do Turquemenistão chegou à China."),
    ("Jordan scored twice for the US team.", "Jordan marcou duas vezes pela equipa dos EUA."),  # the name kept
    # two scores, not the number 16; a country's name inside a longer place name names no country
    ("Mauresmo won 6-1 6-0 in Paris.", "Mauresmo venceu por 6-1 por 6-0 em Paris."),
    ("A New South Wales state inquiry criticised the firm.", "Um inquérito de Nova Gales do Sul criticou a firma."),
    ("The Prince of Wales opened the hospital.", "O Príncipe de Gales inaugurou o hospital."),  # Gales is Wales
    # an acronym whose letters swap places with its words', and the other clock
    ("Israel shared information with the PA in the hunt.", "Israel compartilhou informações com a AP na caça."),
    ("The meeting starts at 5pm on Monday.", "A reunião começa às 17h de segunda-feira."),
    ("Remember THAT title-winning goal against QPR in 2012?", "Lembra do gol do título contra o QPR em 2012?"),
])
def test_faithful_translations_pass_every_check(source, translation):
    assert checks.problems(source, translation, "en", "pt") == []


@pytest.mark.parametrize("source, translation, kind", [
    ("About 16,700 deaths were recorded.", "Cerca de 16.", "number"),
    ("Sales rose to $531.7 million.", "As vendas subiram para $ 551,7 milhões.", "number"),
    ("A £1,000 fine.", "Uma multa de 1.000 euros.", "currency"),
    ("The State of the Union speech.", "O Estado de Estado de Estado de Estado da União.", "loop"),
    ("He said that it was fine.", "Ele disse isso, e isso, e isso, e isso, e isso.", "loop"),
    ("It was not good at all.", "Não não não não foi nada bom.", "loop"),
    ("Users should run an antivirus program.", "Os usuários devem usar um programa antivírus antivírus.", "loop"),
    ("in the middle of the night he left", "no meio da noite no meio da noite ele saiu", "loop"),
    ("The minister said the plan would be announced next week.", "O ministro.", "length"),
    ("The prime minister spoke on Monday.", "O ministro disse na segunda-feira que o plano seria anunciado na próxima "
                                      "semana com todos os pormenores.", "length"),
    ("The minister said the plan would change.", "The minister said the plan would change.", "copy"),
    ("The minister said.", "   ", "empty"),
    ("He called for a Holy War against the US and Russia and the BBC reported it.",
     "Ele pediu uma Guerra Santa contra a Rússia e a emissora informou.", "name"),
    ("India-Pakistan peace boosts trade.", "A paz entre a Turquia-Paquistão impulsiona o comércio.", "country"),
    ("Talks with Iran resumed in Vienna.", "As negociações com o Iraque foram retomadas em Viena.", "country"),
])
def test_each_check_catches_its_failure(source, translation, kind):
    assert kind in [checks.reason_kind(r) for r in checks.problems(source, translation, "en", "pt")]


@pytest.mark.parametrize("source, translation", [
    ("Ele morreu às 17h45 de sábado (16), em São Paulo.", "He died at 5:45 p.m. on Saturday (16) in São Paulo."),
    ("O G20 acontece nos dias 07 e 08 de julho em Hamburgo.", "The G20 takes place on 7 and 8 July in Hamburg."),
    ("Estamos mais vulneráveis do que em 2008, diz ex-presidente do BCE.",
     "We are more vulnerable than in 2008, says former president of the ECB."),
    ("RIO – O temor de um embate fez a manhã atípica.", "Rio - The fear of a clash made the morning atypical."),
    # words in capitals, not acronyms: emphasis carried over in capitals, a drop capital
    ("E falou o SENHOR a Moisés, dizendo que viria.", "And the LORD spoke to Moses, saying he would come."),
    ("NO ano em que morreu o rei Uzias, eu vi o Senhor.", "In the year when King Uzziah died, I saw the Lord."),
    # a time's separator and a decade's century (a real build declined both)
    ("Dilma chegou ao hospital por volta das 11h30 e almoçou com Lula.",
     "Dilma arrived at the hospital around 11.30 and had lunch with Lula."),
    ("Aprendi cedo, ainda na minha infância, nos anos 50, a ser do contra.",
     "I learned early, still in my childhood, in the 1950s, to be against."),
])
def test_faithful_portuguese_to_english_translations_pass_every_check(source, translation):
    assert checks.problems(source, translation, "pt", "en") == []


@pytest.mark.parametrize("source, translation, languages, lost", [
    ("It grew 0.5% in 2004.", "Cresceu 5% em 2004.", ("en", "pt"), "number"),  # only a whole number drops zeros
    ("He flew to England on Monday.", "Ele voou na segunda-feira.", ("en", "pt"), "country"),
    ("Ele chegou às 17h45 de sábado.", "He arrived at 6:45 p.m. on Saturday.", ("pt", "en"), "number"),
    ("Morreram 23 homens em 11 cidades.", "Men died in 11 cities.", ("pt", "en"), "number"),  # 23 h-omens: no hour
    ("Ele chegou às 11h30.", "He arrived at 11.45.", ("pt", "en"), "number"),
    ("Nos anos 50, ele cantava.", "In the 1960s, he sang.", ("pt", "en"), "number"),
    ("The band began in the 1960s.", "A banda começou nos anos 70.", ("en", "pt"), "number"),
    ("A decisão da PGR saiu ontem.", "The decision of the RMP came out yesterday.", ("pt", "en"), "name"),
])
def test_what_the_relaxed_rules_still_catch(source, translation, languages, lost):
    assert lost in [checks.reason_kind(r) for r in checks.problems(source, translation, *languages)]


def test_acronyms_the_target_language_writes_differently_pass():
    assert checks.problems("The US economy grew, the IMF said.", "A economia dos EUA cresceu, disse o FMI.",
                           "en", "pt") == []
    assert checks.problems("BREAKING NEWS FROM THE BBC TONIGHT", "ÚLTIMAS NOTÍCIAS DA EMISSORA", "en", "pt") == []


@pytest.mark.parametrize("source, translation, languages, shown", [
    # the en -> pt model writes India in lower case, an Indian woman in Portuguese
    ("India calls for fair trade rules", "A índia pede regras de comércio justo", ("en", "pt"),
     "A Índia pede regras de comércio justo"),
    ("Exports to India and Peru rose.", "As exportações para a índia e o peru aumentaram", ("en", "pt"),
     "As exportações para a Índia e o Peru aumentaram"),
    # a country the source does not name is left as written: here a word, not the country
    ("The chef cooked a turkey.", "O chef cozinhou um peru.", ("en", "pt"), "O chef cozinhou um peru."),
    ("Os Estados Unidos e o Brasil assinaram.", "The united states and brazil signed.", ("pt", "en"),
     "The United States and Brazil signed."),
    # not inside a compound: a guinea pig is no country
    ("India's guinea pigs", "Os porquinhos-da-índia da índia", ("en", "pt"), "Os porquinhos-da-índia da Índia"),
])
def test_a_country_the_source_names_is_shown_with_its_capital(source, translation, languages, shown):
    assert checks.country_case(source, translation, *languages) == shown


def test_numbers_compare_across_separator_conventions():
    assert checks.numbers("16,700 and 531.7 and 1 000") == checks.numbers("16.700 e 531,7 e 1 000")
    assert checks.missing_numbers("in 2015, 3 people", "em 2016, 3 pessoas") == ["2015"]
    assert checks.missing_numbers("R$ 500 mil", "R$ 500,000") == []
    assert checks.missing_numbers("28,000 staff", "28 mil funcionários") == []
    assert checks.missing_numbers("R$ 500 mil", "R$ 5,000") == ["500"]


@pytest.fixture(scope="module")
def digit_changer(tmp_path_factory):
    """A genuine tiny en->pt model that changes every digit: it always fails the number check."""
    folder = tmp_path_factory.mktemp("digit-changer")
    return build_tiny_package(folder, "en", "pt", changes_digits=True)


def _open(archive, tmp_path):
    return TranslationModel.open(install_package(archive, tmp_path / "packages"))


def test_failing_sentence_is_retried_with_safer_decoding_and_kept_when_it_passes(tiny_models, tmp_path):
    model = _open(tiny_models / "translate-en_pt.argosmodel", tmp_path)
    # A first decoding cut at 12 tokens fails the length check; the retry (beam 4) is not cut.
    # (The default retry also forbids repeated 4-grams, which a character-level copy model cannot keep.)
    translator = Translator({("en", "pt"): model}, Cache(tmp_path / "c.sqlite"),
                            Decoding(max_decoding_length=12), threads=1, safer_decoding=Decoding(beam_size=4))
    long, short = "The council approved the new park on Monday.", "Rain."
    verdicts = translator.verdicts([long, short], "en", "pt")
    assert verdicts[long] == translate.Verdict(expected_translation(long), (), retried=True)
    assert verdicts[short] == translate.Verdict(expected_translation(short), (), retried=False)
    assert translator.retried == 1 and not translator.declined


def test_sentence_failing_every_attempt_is_declined_and_counted(digit_changer, tmp_path):
    model = _open(digit_changer, tmp_path)
    translator = Translator({("en", "pt"): model}, Cache(tmp_path / "c.sqlite"), Decoding(), threads=1)
    sentence, plain = "Sales rose by 531.7 million.", "Sales rose sharply."
    verdicts = translator.verdicts([sentence, plain], "en", "pt")
    assert verdicts[sentence].translation is None and verdicts[sentence].retried
    assert verdicts[sentence].reasons == ("number: 5317 lost or changed",)
    assert verdicts[plain].translation == expected_translation(plain)
    assert translator.declined == {("en->pt", "number"): 1}


def test_verdicts_are_cached_and_a_rule_change_checks_again(digit_changer, tmp_path, monkeypatch):
    model = _open(digit_changer, tmp_path)
    cache = Cache(tmp_path / "c.sqlite")
    sentence = "Sales rose by 531.7 million."
    first = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    first.translate([sentence], "en", "pt")
    again = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    assert again.translate([sentence], "en", "pt") == {sentence: None}
    assert again.translated == 0 and again.declined == {("en->pt", "number"): 1}  # cached, still counted
    monkeypatch.setattr(translate, "RULES_VERSION", checks.RULES_VERSION + 1)
    changed = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    changed.translate([sentence], "en", "pt")
    assert changed.translated == 1


def test_an_article_translated_before_is_read_from_one_entry_and_its_declined_texts_are_counted_once(
        digit_changer, tmp_path):
    model = _open(digit_changer, tmp_path)
    cache = Cache(tmp_path / "c.sqlite")
    declined = "Sales rose by 531.7 million."
    articles = [("Sales rose", declined, "Shares fell."), ("Rain", declined)]
    first = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    made = first.article_verdicts(articles, "en", "pt")
    assert [[v.translation for v in verdicts] for verdicts in made] == [
        [expected_translation("Sales rose"), None, expected_translation("Shares fell.")],
        [expected_translation("Rain"), None]]
    assert first.declined == {("en->pt", "number"): 1}  # one text, though two articles hold it
    cache.hits = 0
    again = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    def shown(results):  # what pages show and the report counts (retries are counted when made)
        return [[(v.translation, v.reasons, v.declined_by) for v in verdicts] for verdicts in results]
    assert shown(again.article_verdicts(articles, "en", "pt")) == shown(made)
    assert cache.hits == 2 and again.translated == 0  # one entry an article, not one a sentence
    assert again.declined == {("en->pt", "number"): 1}


class _OutOfMemory(LocalExecutor):
    """Stands in for the executor: an out-of-memory error cannot be provoked on demand here."""

    def map(self, *args, **kwargs):
        raise MemoryError("std::bad_alloc")


def test_an_error_of_the_machinery_is_never_cached_as_a_verdict(tiny_models, tmp_path):
    model = _open(tiny_models / "translate-en_pt.argosmodel", tmp_path)
    cache = Cache(tmp_path / "c.sqlite")
    broken = Translator({("en", "pt"): model}, cache, Decoding(), threads=1, executor=_OutOfMemory())
    with pytest.raises(MemoryError):
        broken.translate(["Rain."], "en", "pt")
    healthy = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    assert healthy.translate(["Rain."], "en", "pt") == {"Rain.": "RAIN."}
    assert healthy.translated == 1  # nothing had been cached for it


class _FailsOnThirdPart(LocalExecutor):
    """Stands in for the executor: out of memory on the third part of a pair's sentences (a
    machine running out of memory an hour into a cold build cannot be provoked on demand)."""

    def __init__(self):
        super().__init__()
        self.first_passes = 0

    def map(self, function, *args, **kwargs):
        if function is translate.translate_batch:
            self.first_passes += 1
            if self.first_passes == 3:
                raise MemoryError("std::bad_alloc")
        return super().map(function, *args, **kwargs)


def test_a_build_killed_while_translating_keeps_the_parts_it_finished(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setattr(translate, "CACHED_EVERY", 2)
    model = _open(tiny_models / "translate-en_pt.argosmodel", tmp_path)
    cache = Cache(tmp_path / "c.sqlite")
    sentences = [f"Rain number {n}." for n in "abcdef"]
    dying = Translator({("en", "pt"): model}, cache, Decoding(), threads=1, executor=_FailsOnThirdPart())
    with pytest.raises(MemoryError):
        dying.translate(sentences, "en", "pt")
    again = Translator({("en", "pt"): model}, cache, Decoding(), threads=1)
    assert again.translate(sentences, "en", "pt") == {s: s.upper() for s in sentences}
    assert again.translated == 2  # the two parts done before the failure were cached


@pytest.mark.slow  # builds a site: the mark is on the page MkDocs writes
def test_declined_sentence_is_shown_in_the_original_and_marked_in_the_page_language(tmp_path, tiny_models,
                                                                                  digit_changer):
    models = tmp_path / "models"
    models.mkdir()
    (models / "translate-en_pt.argosmodel").write_bytes(digit_changer.read_bytes())
    (models / "translate-pt_en.argosmodel").write_bytes((tiny_models / "translate-pt_en.argosmodel").read_bytes())
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "budget.txt").write_text("Council budget\n\nThe council approved a budget of 531.7 million on "
                                      "Monday. Residents welcomed the plan for the town centre.\n")
    project = make_project(tmp_path / "project", models, seeds)
    report = build(load_config(project), SILENT)
    page = (project / "docs" / "pt" / "articles").glob("*.md")
    text = next(page).read_text(encoding="utf-8")
    assert '<span lang="en" class="pd-original">*The council approved a budget of 531.7 million on Monday.*' \
           '</span> *(texto original: a tradução automática não era confiável)*' in text
    assert "RESIDENTS WELCOMED THE PLAN" in text
    built = (project / "site" / "pt" / "articles" / "budget" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="en" class="pd-original"><em>The council approved' in built
    assert report.declined == {"en->pt": {"number": 1}}


@pytest.mark.parametrize("source, translation, repaired", [
    ("It could cost the UK £1 billion.", "Poderia custar ao Reino Unido 1 mil milhões de euros.",
     "Poderia custar ao Reino Unido 1 mil milhões de libras."),
    ("IBM is spending $100m (£52m).", "A IBM está gastando US$ 100 milhões (R$ 52 milhões).",
     "A IBM está gastando US$ 100 milhões (£ 52 milhões)."),
    ("They sent $5bn (£2.6bn) in aid.", "Enviaram US$ 5 bilhões (2,6 bilhões) em ajuda.",
     "Enviaram US$ 5 bilhões (£ 2,6 bilhões) em ajuda."),
])
def test_a_lost_currency_is_put_back_where_that_is_unambiguous(source, translation, repaired):
    assert checks.repair_currency(source, translation, "en", "pt") == repaired
    assert checks.problems(source, repaired, "en", "pt") == []


def test_an_ambiguous_currency_is_left_for_the_checks_to_decline():
    source = "Profits rose to 2.4bn euros ($3.1bn; £2.9bn)."
    translation = "Os lucros subiram para 2,4 bilhões de euros (3,1 bilhões de dólares; 2,9 bilhões de euros)."
    assert checks.repair_currency(source, translation, "en", "pt") == translation
    assert [checks.reason_kind(r) for r in checks.problems(source, translation, "en", "pt")] == ["currency"]


@pytest.mark.parametrize("source, translation, repaired", [
    # a quotation opened with a single mark and closed with a double one (BBC headlines)
    ("Blair 'damaged' by Blunkett row", "Blair 'damaged\" por Blunkett row", "Blair 'damaged' por Blunkett row"),
    ("T-Mobile bets on 'pocket office'", "T-Mobile aposta em 'pocket office\"", "T-Mobile aposta em 'pocket office'"),
    # quotation marks the translation writes as a pair, or a source with no quotation in single marks: as written
    ("Economy 'strong' in election year", "Economia \"forte\" no ano eleitoral", "Economia \"forte\" no ano eleitoral"),
    ("He said \"it's fine\"", "Ele disse 'it's fine\"", "Ele disse 'it's fine\""),
    ("Lloyd's of London's 'bad year'", "O 'ano ruim\" do Lloyd's", "O 'ano ruim' do Lloyd's"),
])
def test_a_quotation_closed_with_the_other_mark_is_closed_with_its_own(source, translation, repaired):
    assert checks.repair(source, translation, "en", "pt") == repaired
