import datetime as dt

import pytest

from generator.languages import OfflineTokenizer, split_sentences
from generator.records import Article
from generator.summarize import SUMMARIZERS, select_sentences

ENGLISH = [
    "The city council approved a new budget on Monday after weeks of debate.",
    "The budget raises spending on schools and public transport by ten percent.",
    "Opposition members said the plan would raise taxes for small businesses.",
    "The mayor defended the budget, saying schools had been underfunded for years.",
    "Public transport users welcomed the extra money for buses and trains.",
    "A final vote on the tax changes is expected next month.",
]
PORTUGUESE = [
    "O governo anunciou nesta segunda-feira um novo pacote de medidas econômicas.",
    "As medidas incluem a redução de impostos para as famílias de baixa renda.",
    "Segundo o ministro, o pacote deve custar cerca de dez bilhões de reais.",
    "A oposição criticou o plano e disse que ele vai aumentar a dívida pública.",
    "Os economistas estão divididos sobre os efeitos das medidas no crescimento.",
]


def article(sentences, language="en"):
    return Article(slug="a", source_file="a.txt", title="Budget approved", paragraphs=(" ".join(sentences),),
                   language=language, date=dt.date(2024, 1, 1), date_is_stand_in=False)


@pytest.mark.parametrize("algorithm", list(SUMMARIZERS))
def test_every_algorithm_returns_the_requested_sentences_in_source_order(algorithm):
    summary = select_sentences(article(ENGLISH), algorithm, 2, 400)
    assert len(summary) == 2
    assert all(s in ENGLISH for s in summary)
    assert [ENGLISH.index(s) for s in summary] == sorted(ENGLISH.index(s) for s in summary)


def test_portuguese_article_is_summarized_with_portuguese_resources():
    summary = select_sentences(article(PORTUGUESE, "pt"), "lexrank", 2, 400)
    assert len(summary) == 2 and all(s in PORTUGUESE for s in summary)


def test_short_article_is_its_own_summary():
    assert select_sentences(article(ENGLISH[:2]), "lsa", 3, 400) == tuple(ENGLISH[:2])


def test_only_the_first_sentences_reach_the_summarizer():
    summary = select_sentences(article(ENGLISH), "textrank", 2, 3)
    assert set(summary) <= set(ENGLISH[:3])


def test_language_sumy_does_not_know_is_summarized_by_its_lead_sentences():
    assert select_sentences(article(ENGLISH, "th"), "lexrank", 2, 400, words=30) == tuple(ENGLISH[:2])


def test_offline_tokenizer_splits_sentences_and_words_without_nltk_data():
    tokenizer = OfflineTokenizer("en")
    assert tokenizer.to_sentences("Dr. Smith went home. He was tired.") == ("Dr. Smith went home.", "He was tired.")
    assert tokenizer.to_words("It's 5 o'clock, Dr. Smith!") == ("It", "o'clock", "Dr", "Smith")


def test_language_without_punkt_model_splits_on_terminal_punctuation():
    assert split_sentences("مرحبا بكم. كيف حالك؟ بخير", "ar") == ["مرحبا بكم.", "كيف حالك؟", "بخير"]


LONG = [
    "The government announced a plan to build ten thousand new homes in the capital on Monday.",
    "He said the first homes would be ready within two years.",
    "“We have waited too long.",
    "Now we act,” the housing minister told reporters outside parliament.",
    "Critics said the plan did not address rising rents in the rest of the country.",
    "The homes will be built on former industrial land near the river.",
    "Construction companies welcomed the announcement and promised to hire local workers.",
    "The opposition called for a vote on the plan before the summer recess.",
]


def test_default_summary_fills_a_word_budget_in_source_order():
    summary = select_sentences(article(LONG), "lead", 3, 400, words=40)
    assert 0 < sum(len(s.split()) for s in summary) <= 40
    assert [LONG.index(s) for s in summary] == sorted(LONG.index(s) for s in summary)
    assert summary[0] == LONG[0]  # news puts the key sentence first


def test_default_summary_skips_quote_fragments_and_unresolved_pronouns():
    summary = select_sentences(article(LONG), "lead", 3, 400, words=75)
    assert LONG[2] not in summary and LONG[3] not in summary  # a quotation spanning two sentences
    assert LONG[0] in summary and LONG[1] in summary  # "He said …" comes with the sentence that says who he is
    without_antecedent = select_sentences(article(LONG[1:2] + LONG[4:]), "lead", 3, 400, words=75)
    assert LONG[1] not in without_antecedent  # nothing says who "he" is: left out


def test_directions_to_the_reader_and_pointers_to_media_are_not_news():
    # Read on a real build: G1's "(veja vídeo acima)", "Ouça o áudio acima…" and its round-ups'
    # "Aqui estão as principais notícias…" were summary sentences on 20+ pages of 795.
    sentences = ["Aqui estão as principais notícias para você terminar o dia bem-informado.",
                 "O governo anunciou nesta segunda-feira um novo pacote de medidas econômicas (veja vídeo acima).",
                 "Ouça o áudio acima, a partir de 32 minutos, a entrevista do ministro.",
                 "Veja o que já se sabe e o que pode mudar para as famílias.",
                 *PORTUGUESE[1:]]
    summary = select_sentences(article(sentences, "pt"), "lead", 3, 400, words=60)
    assert summary[0] == "O governo anunciou nesta segunda-feira um novo pacote de medidas econômicas."
    assert summary[1:] == tuple(PORTUGUESE[1:len(summary)])  # the three lines between are left out
    for pointer in ("(Assista ao vídeo acima)", "(Veja o vídeo acima)."):  # a pointer alone is no sentence
        assert select_sentences(article([pointer, *ENGLISH], "en"), "lexrank", 7, 400) == tuple(ENGLISH)
    glued = ["Aqui estão as principais notícias para você começar o dia bem-informado. \"O pacote de medidas "
             "econômicas foi anunciado hoje\", disse o ministro.", *PORTUGUESE[1:]]
    summary = select_sentences(article(glued, "pt"), "lead", 3, 400, words=60)
    assert summary[0] == "\"O pacote de medidas econômicas foi anunciado hoje\", disse o ministro."


def test_default_summary_with_sentence_count_instead_of_words():
    assert len(select_sentences(article(LONG), "lead", 2, 400, words=0)) == 2


def test_short_article_is_kept_whole_by_the_default():
    assert select_sentences(article(ENGLISH[:2]), "lead", 3, 400, words=75) == tuple(ENGLISH[:2])


def test_summaries_from_the_local_process_pool_equal_those_made_in_process(tmp_path):
    from dataclasses import replace

    from generator.cache import Cache
    from generator.config import load_config
    from generator.executor import LocalExecutor
    from generator.summarize import SUMMARY_BATCH, summarize_all

    articles = [replace(article(LONG[n % 8 :] + LONG[: n % 8]), slug=f"a{n}") for n in range(2 * SUMMARY_BATCH + 3)]
    config = load_config(tmp_path)
    results, pools = [], []
    for processes in (1, 2):
        executor = LocalExecutor(processes)
        summaries, computed, _ = summarize_all(articles, config, Cache(tmp_path / f"c{processes}.sqlite"),
                                               executor=executor)
        pools.append(executor._pool is not None)
        executor.close()
        assert computed == len(articles)
        results.append([s.sentences for s in summaries])
    assert pools == [False, True]  # the second run really used the pool
    assert results[0] == results[1]


def test_sentence_that_repeats_the_title_is_left_out():
    title = "Supremo reserva julgamentos polêmicos para semana pré-recesso"
    sentences = [title + ".", *PORTUGUESE]
    doc = Article(slug="a", source_file="a.txt", title=title, paragraphs=(" ".join(sentences),), language="pt",
                  date=dt.date(2024, 1, 1), date_is_stand_in=False)
    summary = select_sentences(doc, "lead", 3, 400, words=95)
    assert sentences[0] not in summary and summary[0] == PORTUGUESE[0]


def test_the_sentence_a_cut_title_was_made_from_stays_in_the_summary():
    # a title cut short says less than its sentence: leaving the sentence out lost "que mandou apreender
    # o passaporte" from a real page whose title ended "…"
    lead = ("O juiz federal Ricardo Leite, da 10a Vara Federal de Brasília, levou em consideração as declarações "
            "do ex-presidente ao decidir que mandou apreender o passaporte.")
    doc = Article(slug="a", source_file="a.txt", title=lead[:110].rsplit(" ", 1)[0] + "…",
                  paragraphs=(" ".join([lead, *PORTUGUESE]),), language="pt", date=dt.date(2024, 1, 1),
                  date_is_stand_in=False)
    assert select_sentences(doc, "lead", 3, 400, words=95)[0] == lead


def test_a_quotation_with_mixed_quote_marks_is_one_quotation_not_an_open_one():
    sentences = [
        "The agency said it would publish the report on Monday after a long delay.",
        'Calling on "everyone to act now,” the spokesman spoke for forty minutes to reporters.',
        "The recording did not contain any specific threats against the two countries.",
    ]
    assert select_sentences(article(sentences), "lead", 3, 400, words=95) == tuple(sentences)


def test_on_demand_list_computes_each_item_once_and_only_when_read():
    from generator.summarize import OnDemand

    computed = []
    squares = OnDemand(5, lambda i: computed.append(i) or i * i)
    assert len(squares) == 5 and computed == []
    assert (squares[3], squares[3], squares[-1], squares[1:3]) == (9, 9, 16, [1, 4])
    assert computed == [3, 4, 1, 2]
    with pytest.raises(IndexError):
        squares[5]


def _worker_pid(batch: list[int]) -> int:
    import os

    return os.getpid()


def test_started_local_pool_forks_its_processes_at_once_and_maps_on_them():
    """The build starts its pool before ingest decodes the cached readings, so the workers are
    forked from a small process: they must exist after start() and be the ones map uses."""
    import multiprocessing

    from generator.executor import LocalExecutor

    executor = LocalExecutor(2)
    before = {child.pid for child in multiprocessing.active_children()}
    try:
        executor.start()
        started = {child.pid for child in multiprocessing.active_children()} - before
        assert len(started) == 2
        used = set(executor.map(_worker_pid, [[n] for n in range(8)], processes=True))
        assert used and used <= started
    finally:
        executor.close()
    single = LocalExecutor(1)
    single.start()  # one process: nothing to fork, batches run here
    assert single._pool is None
