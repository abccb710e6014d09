"""Issue #30, rule by rule: titles by agreement of a page's og:title, <h1> and <title>; page
furniture in five languages; feed entries that are only a headline; dates only from the
article. The furniture phrases here are written for the tests (in the style of news sites);
bench/page_furniture.py measures the rules on real article text."""

import datetime as dt

import pytest

from generator.cleaning import choose_title, registered_domain, remove_boilerplate, site_names, strip_title_segments
from generator.config import load_config
from generator.ingest import parse_article
from generator.readers import Source, extract_html

COURIER = site_names("The Daily Courier", "https://www.dailycourier.co.uk/world/2019/03/12/story.html")


@pytest.mark.parametrize("host, site", [
    ("politica.estadao.com.br", "estadao.com.br"), ("www.bbc.co.uk", "bbc.co.uk"),
    ("news.northernherald.com", "northernherald.com"), ("www1.folha.uol.com.br", "uol.com.br"),
    ("https://politica.estadao.com.br/x", "estadao.com.br"), ("localhost", ""),
])
def test_the_site_of_a_host_comes_from_the_public_suffix_list(host, site):
    assert registered_domain(host) == site


def test_a_host_with_no_known_suffix_names_its_site_itself():
    assert "localhost" in site_names("", "http://localhost/story.html")


@pytest.mark.parametrize("title", [
    "Rail strike called off | The Daily Courier",
    "Rail strike called off - World - The Daily Courier",
    "The Daily Courier » World » Rail strike called off",
    "Rail strike called off | World | The Daily Courier | Breaking news, analysis and opinion",
    "Rail strike called off - The Daily Courier - 12/03/2019",
    "Rail strike called off · dailycourier.co.uk",
    "Rail strike called off",
])
def test_every_segment_that_is_site_host_section_or_date_leaves_the_title(title):
    assert strip_title_segments(title, COURIER, {"world", "politics"}, "en") == "Rail strike called off"


@pytest.mark.parametrize("title", ["Brexit - what happens next", "Brexit: latest news", "Covid-19 | a timeline"])
def test_segments_of_the_headline_itself_stay(title):
    assert strip_title_segments(title, COURIER, {"world"}, "en") == title


@pytest.mark.parametrize("meta, headings, expected", [
    # an og:title cut mid-word and a <title> chain: the <h1> they agree on
    (["No seasonal lift for house m…", "No seasonal lift for house market | The Daily Courier"],
     ["The Daily Courier", "No seasonal lift for house market"], "No seasonal lift for house market"),
    # a logo <h1> only: the declared title without the site
    (["Rail strike called off | The Daily Courier"], ["The Daily Courier"], "Rail strike called off"),
    # an <h1> that is a section, not the headline
    (["Rail strike called off - World - The Daily Courier"], ["World"], "Rail strike called off"),
    # only a title cut mid-word: the cut word goes, never half of it
    (["No seasonal lift for house m…"], [], "No seasonal lift for house…"),
    (["No seasonal lift for house m…"], ["No seasonal lift for house market"], "No seasonal lift for house market"),
    ([], ["Rail strike called off"], "Rail strike called off"),
])
def test_the_headline_is_what_og_title_h1_and_title_agree_on(meta, headings, expected):
    assert choose_title(meta, headings, COURIER, {"world"}, "en") == expected


@pytest.mark.parametrize("furniture", [
    # recommendations, with the headlines and dates listed under them
    ["You may also be interested in", "Minister resigns after expenses row", "12 Mar 2019"],
    ["Leia também:", "Bolsa fecha em queda com alta do petróleo"],
    ["También te puede interesar", "Dimite el ministro tras la polémica", "03/01/2019"],
    ["À lire aussi", "La Bourse recule avec la hausse du pétrole"],
    ["Mehr zum Thema", "Börse fällt wegen steigender Ölpreise", "17.02.2020"],
    # credits
    ["Photograph: Andy Rain/EPA"], ["Crédit photo : Reuters"], ["© Stéphane de Sakutin / AFP"],
    ["Imagen: Europa Press"], ["Bildquelle: Getty Images"], ["Crédito: Marcelo Camargo/Agência Brasil"],
    # newsletters and "write to us"
    ["Sign up to First Edition, our free daily newsletter, every weekday at 7am."],
    ["Receba as notícias mais importantes do dia no seu e-mail. Cadastre-se gratuitamente."],
    ["Suscríbete a nuestro boletín y recibe cada mañana las noticias más importantes."],
    ["Inscrivez-vous à notre newsletter pour recevoir chaque matin l'essentiel de l'actualité."],
    ["Jetzt den Newsletter abonnieren und nichts mehr verpassen."],
    ["Got a story? Write to us at newsdesk@courier.example"], ["Une info à nous transmettre ? Écrivez-nous."],
    ["Haben Sie Hinweise? Schreiben Sie uns an redaktion@rundschau.example"],
    ["¿Tienes algo que contar? Escríbenos a redaccion@diario.example"],
    ["Tem alguma sugestão de pauta? Escreva para a redação."],
    # a news agency's footer
    ["Reporting by Sarah Jones; Editing by David Clarke"], ["Our Standards: The Thomson Reuters Trust Principles."],
    ["Nossos padrões: Os princípios de confiança da Thomson Reuters."],
    ["(Reportage Claire Martin, édité par Julien Dubois)"],
    ["(Berichterstattung von Anna Schmidt, redigiert von Julia Weber)"],
])
def test_furniture_in_five_languages_leaves_the_text(furniture):
    text = ["The council approved the plan on Tuesday.", "Work starts next year and will take two years."]
    assert remove_boilerplate([text[0], *furniture, text[1]]) == text


@pytest.mark.parametrize("bio", [
    "Sarah Jones is a reporter covering politics and the economy for the Courier.",
    "Ana Souza é repórter de política e cobre o Congresso Nacional desde 2015.",
    "María López es periodista de la sección de Internacional.",
    "Claire Martin est journaliste au service Politique du Courrier.",
    "Thomas Müller ist Wirtschaftsjournalist und schreibt über Finanzen.",
    "Zur Person: Julia Weber leitet das Hauptstadtbüro.",
])
def test_an_author_bio_closing_the_article_leaves_it(bio):
    text = ["The council approved the plan on Tuesday.", "Work starts next year and will take two years."]
    assert remove_boilerplate([*text, bio]) == text


def test_article_sentences_that_look_like_furniture_stay():
    text = ["Sarah Jones is a reporter at the local paper, and she was arrested on Monday at the protest.",
            "Her editor said the arrest was an attack on press freedom and asked for her release.",
            "Police said she was held for questioning.", "Officers later released her without charge.",
            "The paper said it would send an email to its readers explaining what had happened.",
            "Related talks between the union and the police are expected next week."]
    assert remove_boilerplate(text) == text  # a bio only at the end; no invitation; no heading


def test_a_feed_entry_whose_description_is_no_text_is_its_headline(tmp_path):
    source = Source(name="f.xml#1", text="Leia mais »", kind="feed", title="Câmara aprova reforma tributária",
                    url="https://j.example/n/1", language="pt")
    article, _ = parse_article(source, slug="s", config=load_config(tmp_path), stand_in_date=dt.date(2020, 1, 2))
    assert tuple(article.paragraphs) == ("Câmara aprova reforma tributária",)


def test_a_page_date_comes_from_its_metadata_then_its_text_never_from_other_articles(tmp_path):
    related = ('<div class="box"><p>Most read</p><ul><li><a href="/a">Storm hits coast</a>'
               '<span class="date">4 January 2018</span></li><li><a href="/b">Markets fall</a>'
               '<time datetime="2018-02-01">1 Feb 2018</time></li></ul></div>')
    body = "".join(f"<p>Paragraph {n} of the article says something long enough to be text.</p>" for n in range(4))
    page = (f"<html><head><title>Rail strike called off | Courier</title></head><body>{related}<main><div>"
            f"<h1>Rail strike called off</h1><p>Published 12 March 2019</p>{body}</div></main></body></html>")
    source = extract_html(page, "p.html", "html")
    article, _ = parse_article(source, slug="s", config=load_config(tmp_path), stand_in_date=dt.date(2020, 1, 2))
    assert (article.date, article.date_is_stand_in) == (dt.date(2019, 3, 12), False)
    assert "Storm hits coast" not in article.text and article.title == "Rail strike called off"
    undated = extract_html(page.replace("<p>Published 12 March 2019</p>", ""), "p.html", "html")
    article, _ = parse_article(undated, slug="s", config=load_config(tmp_path), stand_in_date=dt.date(2020, 1, 2))
    assert article.date_is_stand_in
