import datetime as dt

import pytest

from generator.cleaning import remove_boilerplate
from generator.config import load_config
from generator.errors import UnreadableArticle
from generator.ingest import ingest, parse_article
from generator.readers import Source, read_text
from generator.slugs import assign_slugs, slugify

STAND_IN = dt.date(2020, 1, 2)


def parse(text, tmp_path, languages="en,pt"):
    config = load_config(tmp_path, {"languages": languages})
    return parse_article(Source(name="a.txt", text=text, kind="txt"), slug="s", config=config,
                         stand_in_date=STAND_IN)[0]


def test_headline_first_line_becomes_title_and_leaves_body(tmp_path):
    article = parse("Markets Rally After Rate Cut\n\nStocks rose on Monday. Bonds fell.", tmp_path)
    assert article.title == "Markets Rally After Rate Cut"
    assert tuple(article.paragraphs) == ("Stocks rose on Monday. Bonds fell.",)


def test_title_made_from_first_sentence_when_first_line_is_prose(tmp_path):
    text = ("The central bank cut its main interest rate by half a point on Tuesday, citing weak growth "
            "across the region, falling prices and the slowest hiring in a decade. Markets rallied.\n"
            "Analysts were surprised.")
    article = parse(text, tmp_path)
    assert article.title.startswith("The central bank cut its main interest rate")
    assert article.title.endswith("…") and len(article.title) <= 131
    assert article.paragraphs[0].startswith("The central bank cut")  # the body keeps the sentence


def test_a_first_sentence_short_enough_to_be_the_title_whole_leaves_the_body(tmp_path):
    """An untitled text that opens with its headline as a sentence (G1's, 91-130 characters):
    the title whole, and the summary does not say it again."""
    text = ("Em decisão unânime, tribunal condena Lula em segunda instância e aumenta pena de 9 para 12 anos. "
            "Recurso foi rejeitado pelos três desembargadores.\nPor unanimidade, os desembargadores votaram.")
    article = parse(text, tmp_path)
    assert article.title == ("Em decisão unânime, tribunal condena Lula em segunda instância e aumenta pena de 9 "
                             "para 12 anos")
    assert tuple(article.paragraphs) == ("Recurso foi rejeitado pelos três desembargadores.",
                                  "Por unanimidade, os desembargadores votaram.")
    abbreviated = parse("Gov. Smith signed the budget bill on Tuesday. The vote was close.", tmp_path)
    assert abbreviated.text.startswith("Gov. Smith signed")  # no sentence ends at "Gov.": the body keeps it


@pytest.mark.parametrize("line", [
    "LISTEN MORE:", "READ MORE: Another story here", "Read also: other news", "Share this:",
    "Share on Facebook", "Subscribe to our newsletter", "Advertisement", "Follow us on Twitter",
    "Facebook Twitter WhatsApp Email",
])
def test_boilerplate_lines_are_removed(line):
    assert remove_boilerplate(["First paragraph.", line, "Second paragraph."]) == [
        "First paragraph.", "Second paragraph."]


@pytest.mark.parametrize("marker", [
    "Leave a Reply", "One thought on “Some title", "3 thoughts on “Some title”", "Leave a Comment",
])
def test_comment_section_and_everything_after_it_is_removed(marker):
    paragraphs = ["Body.", marker, "Your email address will not be published. Required fields are marked *",
                  "Great article, thanks!"]
    assert remove_boilerplate(paragraphs) == ["Body."]


def test_long_paragraph_starting_like_boilerplate_is_kept():
    paragraph = "Share prices fell sharply on Monday as investors " + "worried about the outlook " * 8
    assert remove_boilerplate([paragraph]) == [paragraph]


def test_sample_seeds_lose_their_boilerplate(tmp_path):
    from conftest import SEEDS

    config = load_config(tmp_path, {"seeds_dir": str(SEEDS)})
    articles, problems = ingest(config)
    assert problems == []
    text = "\n".join(a.title + "\n" + a.text for a in articles)
    for phrase in ("LISTEN MORE", "Leave a Reply", "Your email address", "Required fields", "One thought on"):
        assert phrase not in text
    titles = {a.slug: a.title for a in articles}
    assert titles["002-bafb978d1410a73f"] == "Islamic State Threatens to Attacks in Russia"
    assert all(a.language == "en" for a in articles)
    assert all(a.date_is_stand_in for a in articles)  # neither sample states a full date


@pytest.mark.parametrize("header, expected", [
    ("Published: 2024-03-05", dt.date(2024, 3, 5)),
    ("March 5, 2024", dt.date(2024, 3, 5)),
    ("Posted on 5 March 2024", dt.date(2024, 3, 5)),
    ("Publicado em 5 de março de 2024", dt.date(2024, 3, 5)),
])
def test_stated_date_is_used_and_removed_from_body(tmp_path, header, expected):
    article = parse(f"A Headline\n{header}\n\nThe body says something. It goes on.", tmp_path)
    assert article.date == expected and not article.date_is_stand_in
    assert header not in article.text


def test_a_date_run_into_the_first_sentence_dates_the_article_and_is_not_its_title(tmp_path):
    article = parse("Terça-feira, 18 de abril de 2017. Boa noite! Aqui estão as principais notícias do dia. "
                    "O projeto do governo para a aposentadoria está sendo alterado na Câmara.", tmp_path)
    assert article.date == dt.date(2017, 4, 18) and not article.date_is_stand_in
    # an untitled day's round-up, a greeting after its date, is titled by the date as its outlet
    # titles it; the text loses it
    assert article.title == "Terça-feira, 18 de abril de 2017" and "2017" not in article.text
    assert article.roundup
    assert article.text.startswith("Boa noite! Aqui estão")
    # its date without a year (G1's morning round-up: "Terça-feira, 21 de novembro . Bom dia!"): a
    # round-up still, undated (a Segóvia column that names "terça-feira 21" was joined to one)
    article = parse("Terça-feira, 21 de novembro . Bom dia! Aqui estão as principais notícias para você começar o "
                    "dia.  A PEC que proíbe o aborto volta a ser discutida na comissão especial da Câmara.", tmp_path)
    assert article.roundup and article.date_is_stand_in and article.title.startswith("Terça-feira, 21 de novembro")
    article = parse("Terça-feira será decisiva para o governo no Senado. Boa parte da base resiste ao texto. "
                    "O relator fala amanhã.", tmp_path)
    assert not article.roundup  # a weekday opens it, but no greeting follows
    # a dated report is titled by its first sentence
    article = parse("Brasília, 18 de abril de 2017 . O Senado aprovou a reforma trabalhista por 50 votos a 26. "
                    "A oposição protestou.", tmp_path)
    assert article.date == dt.date(2017, 4, 18)
    assert article.title == "O Senado aprovou a reforma trabalhista por 50 votos a 26" and not article.roundup
    # a short sentence after the date is no greeting: a report, not a round-up
    article = parse("Terça-feira, 18 de abril de 2017. Temer cai. O presidente deixou o cargo.", tmp_path)
    assert not article.roundup and article.title != "Terça-feira, 18 de abril de 2017"
    # a date inside the first sentence is not a date line: the article stays undated
    article = parse("O relator disse em 18 de abril de 2017 que o texto muda. Mais nada.", tmp_path)
    assert article.date_is_stand_in and article.title.startswith("O relator disse em 18 de abril de 2017")


def test_a_language_babel_does_not_know_has_no_opening_date_and_loses_no_article():
    from generator.dates import opening_date

    # Egyptian Arabic ('arz', a code language detection gives): Babel's error lost the article
    assert opening_date(["Uma frase curta. Mais."], "arz") is None
    assert opening_date(["Terça-feira, 18 de abril de 2017. Boa noite!"], "pt") == "Terça-feira, 18 de abril de 2017."


def test_a_sentence_end_written_twice_is_written_once(tmp_path):
    article = parse("Por que Harvard levará Dilma aos EUA?. Conferência sobre o Brasil nas universidades do mundo.. "
                    "O que têm em comum o juiz e a ex-presidente? Nada... ou quase.", tmp_path)
    assert article.text == ("Conferência sobre o Brasil nas universidades do mundo. O que têm em comum o juiz e a "
                            "ex-presidente? Nada... ou quase.")
    assert article.title == "Por que Harvard levará Dilma aos EUA?"  # out of the text: the summary does not repeat it
    assert parse("Uma pausa . . . e outra. . . . Fim.", tmp_path).text == "Uma pausa . . . e outra. . . . Fim."


def test_undated_article_gets_the_stand_in_and_is_marked(tmp_path):
    article = parse("A Headline\n\nOn August 1, something happened. More text.", tmp_path)
    assert article.date == STAND_IN and article.date_is_stand_in


def test_source_line_and_url_become_source_fields(tmp_path):
    article = parse("A Headline\nSource: Daily Planet\nhttps://example.org/story\n\nBody text here. More.", tmp_path)
    assert article.source_name == "Daily Planet"
    assert article.source_url == "https://example.org/story"
    assert "Daily Planet" not in article.text


def test_a_source_line_at_the_end_names_the_outlet_only_when_short(tmp_path):
    body = ("A Headline\n\nJudges cited the doctrine in twelve rulings. More text follows here.\n\n"
            "The court declined to comment.\n\n")
    assert parse(body + "Source: Agência Brasil", tmp_path).source_name == "Agência Brasil"
    citation = "Fonte: Processos na 13a Vara Federal de Curitiba e na 7a Vara Federal do Rio"
    cited = parse(body + citation, tmp_path)
    assert cited.source_name == "" and cited.text.endswith("Vara Federal do Rio")
    short = parse(f"A Headline\n\nJudges cited the doctrine in twelve rulings. More text.\n\n{citation}", tmp_path)
    assert short.source_name == ""  # in a short text the last paragraphs are also among the first


def test_portuguese_text_is_detected_as_portuguese(tmp_path):
    text = ("Governo anuncia novas medidas\n\nO governo anunciou nesta segunda-feira que vai reduzir os impostos "
            "para as famílias de baixa renda. A medida deve entrar em vigor no próximo ano, segundo o ministro.")
    assert parse(text, tmp_path).language == "pt"


@pytest.mark.parametrize("name, slug", [
    ("../../etc/passwd", "etc-passwd"), ("Notícia de Hoje", "noticia-de-hoje"), ("CON", "article-con"),
    ("   ", "article"), ("a b/c", "a-b-c"),
])
def test_slugs_are_safe_and_stable(name, slug):
    assert slugify(name) == slug


def test_colliding_slugs_get_distinct_suffixes_in_order():
    assert assign_slugs(["A b", "a-b", "a_b"]) == ["a-b", "a-b-2", "a-b-3"]


def test_unreadable_and_empty_articles_are_reported_by_name_and_skipped(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "good.txt").write_text("Good Headline\n\nThis is a fine article. It has two sentences.")
    (seeds / "empty.txt").write_text("")
    (seeds / "boiler.txt").write_text("Leave a Reply\nYour email address will not be published.")
    (seeds / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (seeds / "notes.pdf").write_bytes(b"%PDF-1.4")
    articles, problems = ingest(load_config(tmp_path))
    assert [a.source_file for a in articles] == ["good.txt"]
    reasons = {p.subject: p.reason for p in problems}
    assert set(reasons) == {"empty.txt", "boiler.txt", "image.txt", "notes.pdf"}
    assert "binary" in reasons["image.txt"] and "unsupported" in reasons["notes.pdf"]


def test_windows_1252_text_is_decoded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Caf\u00e9 \u201cquoted\u201d".encode("cp1252"))
    assert read_text(path, 1000) == "Café “quoted”"


def test_oversized_article_is_refused_with_the_limit_in_the_message(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(UnreadableArticle, match="limit"):
        read_text(path, 100)


def _counting_readers(monkeypatch) -> list[str]:
    """The real readers, counting which files they are handed."""
    from generator import ingest as ingest_module

    read: list[str] = []
    for suffix, reader in list(ingest_module.READERS.items()):
        def counted(path, name, limit, reader=reader):
            read.append(name)
            return reader(path, name, limit)
        monkeypatch.setitem(ingest_module.READERS, suffix, counted)
    return read


def test_a_rebuild_reads_only_new_or_changed_files_and_gets_the_same_articles(tmp_path, monkeypatch):
    from generator.cache import Cache

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("one", "two", "three"):
        (seeds / f"{name}.txt").write_text(f"The {name} story\nPublished: 2024-05-01\n\n"
                                           f"Workers repaired the {name} bridge over the river this week. "
                                           "Trains will run again on Monday.\n")
    (seeds / "empty.txt").write_text("")
    config = load_config(tmp_path)
    cache = Cache(tmp_path / "cache.sqlite")
    read = _counting_readers(monkeypatch)
    first = ingest(config, cache)
    assert sorted(read) == ["empty.txt", "one.txt", "three.txt", "two.txt"]
    read.clear()
    assert ingest(config, cache) == first  # the problem with the empty file is reported again
    assert read == []
    (seeds / "two.txt").write_text((seeds / "two.txt").read_text().replace("bridge", "tunnel"))
    articles, _ = ingest(config, cache)
    assert read == ["two.txt"] and "tunnel" in next(a.text for a in articles if a.source_file == "two.txt")
    assert ingest(config) == ingest(config, cache)  # the same as without a cache


def test_a_cached_reading_that_refused_a_late_date_is_good_only_until_the_day_before_it_counts(tmp_path):
    from generator.cache import Cache
    from generator.ingest import ParsedFiles, read_files

    later = dt.date.today() + dt.timedelta(days=2)  # counts tomorrow, when it is a day ahead
    path = tmp_path / "early.md"
    path.write_text(f"---\ntitle: Early news\ndate: {later.isoformat()}\n---\n\n"
                    "Workers repaired the bridge over the river this week. Trains will run again on Monday.\n")
    config = load_config(tmp_path)
    parsed = ParsedFiles(Cache(tmp_path / "cache.sqlite"))
    articles, problems = read_files([(path, "early.md")], config, {"early.md": dt.date(2024, 1, 1)}, readings=parsed)
    assert articles[0].date_is_stand_in and "after tomorrow" in str(problems[0])
    key = parsed.key(path, "early.md", dt.date(2024, 1, 1), config)
    assert parsed.cache.get_many([key])[key]["until"] == dt.date.today().isoformat()


def test_files_read_in_parallel_processes_give_the_same_articles_and_problems_in_order(tmp_path):
    from generator.cache import Cache
    from generator.executor import LocalExecutor
    from generator.ingest import READ_BATCH

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number in range(2 * READ_BATCH + 5):  # three batches
        (seeds / f"n{number:03d}.txt").write_text(
            f"Bridge {number} reopens\nPublished: 2024-05-{1 + number % 28:02d}\n\n"
            f"Workers repaired bridge number {number} over the river this week, {number * 7} metres long. "
            "Trains will run again on Monday.\n")
    (seeds / "n010.txt").write_text("")
    (seeds / "n020.md").write_text((seeds / "n021.txt").read_text())  # a duplicate of n021
    config = load_config(tmp_path)
    serial = ingest(config)
    pool = LocalExecutor(2)
    try:
        parallel = ingest(config, Cache(tmp_path / "cache.sqlite"), executor=pool)
    finally:
        pool.close()
    assert parallel == serial
    assert len(serial[0]) == 2 * READ_BATCH + 4  # 70 files: one empty, one duplicate
    assert [p.subject for p in serial[1]] == ["n010.txt", "n021.txt"]  # empty; the same story as n020.md


def test_a_first_sentence_that_starts_with_the_headline_keeps_its_words(tmp_path):
    config = load_config(tmp_path)
    sentence = "A feira do livro de Lisboa abriu neste sábado com mais de trezentos expositores no parque."
    glued = Source(name="a.md", kind="md", title="A feira do livro",
                   text=f"A feira do livro Os livreiros esperam um milhão de visitantes. {sentence}")
    kept = Source(name="b.md", kind="md", title="A feira do livro",
                  text=sentence + " Os livreiros esperam muita gente.")
    article, _ = parse_article(glued, slug="a", config=config, stand_in_date=dt.date(2024, 1, 1))
    assert article.paragraphs[0].startswith("Os livreiros esperam")
    article, _ = parse_article(kept, slug="b", config=config, stand_in_date=dt.date(2024, 1, 1))
    assert article.paragraphs[0].startswith("A feira do livro de Lisboa abriu")


@pytest.mark.parametrize("raw, author", [
    # a byline ends with where it was written after its outlet: the place is no author
    ("Por G1 PR, Curitiba", "G1 PR"),
    ("Por Renan Ramalho, G1, Brasília", "Renan Ramalho, G1"),
    ("Por G1 e TV Globo, Brasília", "G1, TV Globo"),
    ("Por Mateus Rodrigues, G1 DF", "Mateus Rodrigues, G1 DF"),
    # unless it names another outlet, or a regional edition of one
    ("Por G1 RS e RBS TV", "G1 RS, RBS TV"),
    ("The Economist, O Estado de S. Paulo", "The Economist, O Estado de S. Paulo"),
    ("Por G1 Triângulo Mineiro", "G1 Triângulo Mineiro"),
    # a role is no name; particles are part of names
    ("Ricardo Brandt, enviado especial a Curitiba, e Fausto Macedo", "Ricardo Brandt, Fausto Macedo"),
    ("Vera Rosa, O Estado de S.Paulo", "Vera Rosa, O Estado de S.Paulo"),
    ("By John Smith | Updated 12:30", "John Smith"),
    # a place or role in capitals run into the byline (Estadão's)
    ("Fabio SerapiãoBRASÍLIA e Fausto Macedo", "Fabio Serapião, Fausto Macedo"),
    ("Breno Pires e Teo Cury  BRASÍLIA", "Breno Pires, Teo Cury"),
    ("Eduardo Kattah e Pedro Venceslau, ENVIADOS ESPECIAIS A VITÓRIA", "Eduardo Kattah, Pedro Venceslau"),
    ("CRIS OLIVETTE", "CRIS OLIVETTE"),
    ("Par Jean-Pierre DUPONT et Marie MARTIN", "Jean-Pierre DUPONT, Marie MARTIN"),  # French surnames in capitals
    ("Cláudia Trevisan CORRESPONDENTE, O Estado de S.Paulo", "Cláudia Trevisan, O Estado de S.Paulo"),
    ("Tânia MonteiroCarla AraújoVera Rosa", "Tânia Monteiro, Carla Araújo, Vera Rosa"),
    ("Ricardo Galhardo - enviado especial a Florianópolis, O Estado de S. Paulo",
     "Ricardo Galhardo, O Estado de S. Paulo"),
    ("Ronald McDonald e Leonardo DiCaprio", "Ronald McDonald, Leonardo DiCaprio"),
    # a team of reporters and its outlet, all named
    ("Felipe Frazão, Igor Gadelha, Vera Rosa e Adriana Fernandes, O Estado de S. Paulo",
     "Felipe Frazão, Igor Gadelha, Vera Rosa, Adriana Fernandes, O Estado de S. Paulo"),
    ("View author archive", ""),
])
def test_an_author_field_gives_the_names_of_people_and_outlets_only(raw, author):
    from generator.cleaning import clean_author

    assert clean_author(raw) == author


@pytest.mark.parametrize("sentence, title", [
    # after a word that ends a phrase: not a small word, a currency or a figure cut from its unit
    ("Moro decide soltar o ex-deputado federal Cândido Vaccarezza, preso na 44ª e recente fase da Lava Jato, mas exige "
     "fiança de R$ 1,5 milhão para a soltura imediata.",
     "Moro decide soltar o ex-deputado federal Cândido Vaccarezza, preso na 44ª e recente fase da Lava Jato, mas exige "
     "fiança…"),
    # not at a comma before who said it
    ("Advogados competentes já provaram minha inocência perante a Justiça e a sociedade brasileira, diz Lula em "
     "manifestação em Porto Alegre nesta tarde.",
     "Advogados competentes já provaram minha inocência perante a Justiça e a sociedade brasileira, diz Lula em "
     "manifestação…"),  # nor inside a name (Porto Alegre)
    ("Em decisão unânime nesta quarta-feira, a turma do tribunal regional manteve a condenação e aumentou a pena do "
     "ex-presidente Luiz Inácio Lula da Silva para doze anos.",
     "Em decisão unânime nesta quarta-feira, a turma do tribunal regional manteve a condenação e aumentou a pena do "
     "ex-presidente…"),  # not "… ex-presidente Luiz…"
    ("Cuba comemorará o primeiro aniversário da morte do emblemático líder revolucionário e ex-presidente do país "
     "Fidel Castro a 25 de novembro com atos em todo o país.",
     "Cuba comemorará o primeiro aniversário da morte do emblemático líder revolucionário e ex-presidente do país "
     "Fidel Castro…"),
    ("Prefeitura de São Miguel do Araguaia, cidade de Goiás, entra com ação na Justiça contra a JBS e pede indenização "
     "de R$ 1 milhão por danos morais coletivos.",
     "Prefeitura de São Miguel do Araguaia, cidade de Goiás, entra com ação na Justiça contra a JBS e pede indenização "
     "de R$ 1 milhão…"),
])
def test_a_title_made_from_a_long_first_sentence_ends_where_a_phrase_ends(tmp_path, sentence, title):
    assert parse(f"{sentence} Mais texto aqui.", tmp_path).title == title


def test_only_the_settings_that_reading_follows_read_every_seed_again(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    from generator import settings
    from generator.cache import Cache
    from generator.ingest import ParsedFiles

    # every section the reading modules ask for is in the readings' key, but what only the
    # translation models read (languages.as_read, the acronyms it keeps in capitals)
    asked = set()
    for module in ParsedFiles._CODE:
        source = (Path(settings.__file__).parent / module).read_text(encoding="utf-8")
        asked |= set(re.findall(r'settings\.section\("([\w.]+)"\)', source))
    assert asked - set(ParsedFiles.SETTINGS) == {"checks", "model_input"}
    cache = Cache(tmp_path / "c.sqlite")
    before = ParsedFiles(cache).code
    edited = {**settings.settings(), "stories": {**settings.section("stories"), "event_threshold": 0.5}}
    monkeypatch.setattr(settings, "settings", lambda: edited)
    monkeypatch.setattr(settings, "digest", settings.digest.__wrapped__)  # not its answers for the file
    assert ParsedFiles(cache).code == before  # a story's threshold reads no seed again
    edited["dates"] = {**edited["dates"], "max_other_words": 3}
    assert ParsedFiles(cache).code != before  # a date rule does


def test_an_articles_text_is_held_compressed_and_reads_back_exactly_through_the_cache(tmp_path):
    import hashlib
    import pickle

    from generator.cache import Cache
    from generator.ingest import ParsedFiles
    from generator.records import Article

    paragraphs = ("Olá “mundo”: a first paragraph.", "", "A second\n\nwith a blank line inside, as hostile text may.")
    article = Article(slug="s", source_file="s.md", title="T", paragraphs=paragraphs, language="pt",
                      date=STAND_IN, date_is_stand_in=True)
    assert tuple(article.paragraphs) == paragraphs and article.paragraphs != paragraphs  # not a tuple
    assert article.text == "\n\n".join(paragraphs) and article.body.characters == len(article.text)
    assert article.text_digest == hashlib.sha256(article.text.encode()).hexdigest()
    long = Article(slug="l", source_file="l.md", title="T", language="en", date=STAND_IN, date_is_stand_in=True,
                   paragraphs=("The council met on Monday to vote. " * 60,) * 5)
    assert len(long.body.to_json()["z"]) < long.body.characters / 20  # held compressed (base64), not as text
    assert pickle.loads(pickle.dumps(article)) == article  # the forked stages hand articles back pickled
    files = ParsedFiles(Cache(tmp_path / "cache.sqlite"))
    files.put("key", [article], [], None)
    files.save()
    (again,), _ = files.get_many(["key"])["key"]
    assert again == article and tuple(again.paragraphs) == paragraphs and again.text == article.text
