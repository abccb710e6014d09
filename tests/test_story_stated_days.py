"""Undated articles that state their event's day ("nesta quarta-feira (14)"): the day one names
first, named by the other too, stands in for the dates they do not state; weekdays that
disagree ("on Tuesday" / "on Friday") tell a thread's next event (#25)."""

import datetime as dt

import pytest

from generator import stories
from generator.records import Article, LocalizedArticle, Summary


def _item(slug, title, text, date=None, language="pt"):
    article = Article(slug=slug, source_file=f"{slug}.txt", title=title, paragraphs=(text,), language=language,
                      date=date or dt.date(2024, 6, 1), date_is_stand_in=date is None)
    sentences = tuple(text.split(". ")[:2])
    return LocalizedArticle(Summary(article, sentences), language, title, sentences, None)


FILLER = [_item(f"filler-{n}", f"Assunto{n} em pauta", f"Palavra{n}a palavra{n}b palavra{n}c aconteceu em Lugar{n}. "
                f"Representantes da Agencia{n} falaram sobre item{n} e coisa{n}.", dt.date(2024, 5, 6))
          for n in range(30)]
ARREST = ("A Polícia Federal prendeu o empresário Joaquim Barreto Nunes em Campinas {day}, na Operação Ferrugem. "
          "Segundo a Polícia Federal, Joaquim Barreto Nunes desviou R$ 48,7 milhões de contratos da Prefeitura de "
          "Campinas. A defesa de Joaquim Barreto Nunes disse que vai recorrer.")
REPORT = ("O empresário Joaquim Barreto Nunes foi preso {day} pela Polícia Federal em Campinas. A Operação Ferrugem "
          "apura desvios de R$ 48,7 milhões em contratos da Prefeitura de Campinas. Advogados do empresário "
          "criticaram a prisão e falaram em abuso. O prefeito não comentou o caso, e vereadores da oposição pediram "
          "uma comissão de inquérito na Câmara Municipal. Moradores do bairro acompanharam a "
          "movimentação diante do prédio, no centro da cidade, durante toda a manhã.")


def _pair(first_day, second_day, date=None):
    """The pair's score and whether it is one story, among unrelated articles."""
    items = [_item("a", "PF prende empresário em Campinas", ARREST.format(day=first_day), date),
             _item("b", "Empresário é preso pela PF", REPORT.format(day=second_day), date), *FILLER]
    together = any({"a", "b"} <= set(story.slugs) for story in stories.group_stories(items).stories)
    return stories.similarities(items)[(0, 1)], together


def test_stated_days_are_weekdays_with_their_day_of_the_month_in_the_order_first_named():
    text = ("Ele foi solto nesta sexta-feira (16), dois dias depois da prisão na quarta-feira (14). No sábado, 17, "
            "volta a depor; na sexta-feira (16) o juiz decidiu. Na quinta-feira (1º) e na terça-feira (20/07) também. "
            "No domingo 17 pessoas foram ouvidas; na segunda-feira o caso segue.")
    assert stories.stated_days(text, "pt") == ["4:16", "2:14", "5:17", "3:1", "1:20"]
    assert stories.stated_days("Ebbers testified on Tuesday 15 March. On Saturday, 3, he rested. Chelsea won on "
                               "Sunday 3-1 and on Monday.", "en") == ["1:15", "5:3"]
    assert stories.stated_days("No weekday here (14).", "xx-unknown") == []


def test_named_weekdays_are_every_weekday_named_with_or_without_its_day_in_the_order_first_named():
    assert stories.named_weekdays("Na sexta-feira (16) ele saiu; na quarta-feira foi preso. Sexta-feira volta.",
                                  "pt") == [4, 2]
    assert stories.named_weekdays("Ebbers testified on Tuesday. On Saturday 3 March he rested.", "en") == [1, 5]
    assert stories.named_weekdays("Tuesday", "xx-unknown") == []


def test_undated_reports_that_name_the_same_event_day_need_less_than_other_undated_pairs():
    dated, _ = _pair("nesta quarta-feira (14)", "na quarta-feira (14)", dt.date(2024, 5, 6))
    one_day, together = _pair("nesta quarta-feira (14)", "na quarta-feira (14)")
    weekday_only, apart = _pair("nesta quarta-feira", "na quarta-feira")
    assert one_day == pytest.approx(dated - stories.STATED_DAY_MARGIN)
    assert weekday_only == pytest.approx(dated - stories.UNDATED_MARGIN)
    threshold = stories.EVENT_THRESHOLD
    assert threshold + stories.STATED_DAY_MARGIN <= dated < threshold + stories.UNDATED_MARGIN  # the rule decides
    assert together and not apart


def test_a_day_both_name_only_in_the_background_is_not_the_event_day():
    """The release on Friday and the hearing on Monday both recall Wednesday's arrest: two events."""
    released = "nesta sexta-feira (16), dois dias depois de ser detido na quarta-feira (14)"
    heard = "nesta segunda-feira (19), depois de ser detido na quarta-feira (14)"
    dated, _ = _pair(released, heard, dt.date(2024, 5, 6))
    score, together = _pair(released, heard)
    assert score == pytest.approx(dated - stories.DAY_CONFLICT_MARGIN) and not together


def test_undated_reports_whose_weekdays_disagree_need_more_than_other_undated_pairs():
    """Friday's report and Tuesday's tell two days of a case; one weekday with two days of the
    month (an outlet's slip: "domingo (4)" and "domingo (5)" for one crash) is no disagreement."""
    dated, _ = _pair("nesta sexta-feira", "nesta terça-feira", dt.date(2024, 5, 6))
    disagree, _ = _pair("nesta sexta-feira", "nesta terça-feira")
    slip_dated, _ = _pair("neste domingo (4)", "neste domingo (5)", dt.date(2024, 5, 6))
    slip, _ = _pair("neste domingo (4)", "neste domingo (5)")
    assert disagree == pytest.approx(dated - stories.DAY_CONFLICT_MARGIN)
    assert slip == pytest.approx(slip_dated - stories.UNDATED_MARGIN)
    assert stories.DAY_CONFLICT_MARGIN > stories.UNDATED_MARGIN


def test_an_undated_report_is_compared_with_the_dated_reports_of_the_day_it_names_whatever_their_year():
    """Its file came in 2024, the arrest it tells was on Thursday 15 March 2018: its day is
    unknown, not the day its file came, and "nesta quinta-feira (15)" names the dated report's."""
    thursday = dt.date(2018, 3, 15)
    dated = _item("a", "PF prende empresário em Campinas", ARREST.format(day="nesta quinta-feira (15)"), thursday)
    named = _item("b", "Empresário é preso pela PF", REPORT.format(day="nesta quinta-feira (15)"))
    other_day = _item("c", "Empresário é preso pela PF", REPORT.format(day="nesta quinta-feira (22)"))
    both_dated = _item("d", "Empresário é preso pela PF", REPORT.format(day="nesta quinta-feira (15)"), thursday)
    same_day = stories.similarities([dated, both_dated, other_day, *FILLER])[(0, 1)]
    scores = stories.similarities([dated, named, other_day, *FILLER])
    assert scores[(0, 1)] == pytest.approx(same_day - stories.STATED_DAY_MARGIN)
    assert (0, 2) not in scores  # another day: not compared, as dated articles years apart are not
    groups = [set(story.slugs) for story in stories.group_stories([dated, named, other_day, *FILLER]).stories]
    assert {"a", "b"} in groups and {"c"} in groups
