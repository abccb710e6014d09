"""Language of parts (WCAG 3.1.2, issue #28): text shown in another language than its page's
carries that language, so screen readers switch voice; text in the page's language does not.
Fast: render.py's functions only (tests/test_browser.py checks the built site in Chromium)."""

from __future__ import annotations

import datetime as dt
import json
import re
from xml.etree import ElementTree as ET

import markdown

from generator.records import Article, LocalizedArticle, Summary
from generator.render import (
    render_atom,
    render_editions,
    render_home,
    render_json_feed,
    render_post,
    render_sources,
    render_tags,
    summary_paragraph,
)

# The site's Markdown extensions (mkdocs.yml): the article's original text is a details block.
_EXTENSIONS = ["admonition", "pymdownx.details", "toc"]
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def item(page: str = "pt", language: str = "en", title: str = "Council budget", translated: bool = True,
         slug: str = "budget", **fields) -> LocalizedArticle:
    """An article first written in ``language`` as shown on the ``page`` site (upper-cased
    where translated, like the tiny test model), from one source, with one topic."""
    article = Article(slug=slug, source_file=f"{slug}.md", title=title, language=language,
                      paragraphs=("The council approved a budget.", "Residents welcomed it."),
                      date=dt.date(2024, 5, 3), date_is_stand_in=False, source_name="Town Crier")
    sentences = ("The council approved a budget.", "Residents welcomed it.")
    if page != language and translated and not fields.get("missing_model"):
        shown = tuple(s if n in fields.get("original_sentences", ()) else s.upper() for n, s in enumerate(sentences))
        return LocalizedArticle(Summary(article, sentences), page, title if fields.get("original_title")
                                else title.upper(), shown, language, tags=("Town",), **fields)
    return LocalizedArticle(Summary(article, sentences), page, title, sentences, None, tags=("Town",), **fields)


def html(markdown_text: str) -> str:
    return markdown.markdown(markdown_text.split("---\n", 2)[-1], extensions=_EXTENSIONS)


def langs(text: str) -> list[str]:
    """The lang attributes in ``text``, in order."""
    return re.findall(r'lang="([^"]+)"', text)


def test_a_title_and_a_sentence_whose_translation_failed_carry_their_language():
    declined = item(original_title=True, original_sentences=(0,))
    page = html(render_post(declined))
    assert '<h1 id="council-budget"><span lang="en">Council budget</span></h1>' in page
    assert '<span lang="en" class="pd-original"><em>The council approved a budget.</em></span>' in page
    assert "RESIDENTS WELCOMED IT." in page and "<span lang=\"en\">RESIDENTS" not in page
    original = page.split("<details", 1)[1]
    assert '<summary>Texto original &#40;inglês&#41;</summary>' in original  # in the page's language
    assert '<p><span lang="en"><strong>Council budget</strong></span></p>' in original
    assert '<p><span lang="en">The council approved a budget.</span></p>' in original
    assert '<p><span lang="en">Residents welcomed it.</span></p>' in original


def test_a_translated_article_marks_only_its_original_text():
    page = html(render_post(item()))
    assert "<h1 id=\"council-budget\">COUNCIL BUDGET</h1>" in page
    before, original = page.split("<details", 1)
    assert langs(before) == []
    assert langs(original) == ["en", "en", "en"]  # title and both paragraphs


def test_an_article_in_the_page_language_has_nothing_marked():
    own = item(page="en")
    assert langs(html(render_post(own))) == []
    assert langs(render_home([[own]], "en") + "".join(render_editions([[own]], "en").values())) == []


def test_an_article_no_model_translates_is_marked_as_its_language_wherever_it_is_listed():
    shown_as_is = item(page="pt", language="fr", title="Le marché", slug="marche", missing_model=True)
    assert summary_paragraph(shown_as_is) == \
        '<span lang="fr">The council approved a budget. Residents welcomed it.</span>'
    post = html(render_post(shown_as_is))
    assert '<span lang="fr">Le marché</span></h1>' in post
    home = render_home([[shown_as_is]], "pt")
    assert "## [<span lang=\"fr\">Le marché</span>](articles/marche.md)" in home
    assert '<span lang="fr">The council approved a budget.</span>' in home  # the story's first sentence
    edition = render_editions([[shown_as_is]], "pt")["editions/2024-05-03.md"]
    assert "[<span lang=\"fr\">Le marché</span>](../articles/marche.md)" in edition
    source = render_sources([shown_as_is], "pt")["sources/town-crier.md"]
    assert '<a href="../../articles/marche/"><span lang="fr">Le marché</span></a>' in source
    topic = render_tags([shown_as_is, item(slug="other"), item(slug="third")], "pt")["tags/town.md"]
    assert '<a href="../../articles/marche/"><span lang="fr">Le marché</span></a>' in topic
    assert '<a href="../../articles/other/">COUNCIL BUDGET</a>' in topic


def test_a_related_article_in_another_language_is_marked_in_the_list():
    related = item(page="pt", language="fr", title="Le marché", slug="marche", missing_model=True)
    post = render_post(item(), related=[related])
    assert "- [<span lang=\"fr\">Le marché</span>](../articles/marche.md) (Town Crier)" in post


def test_feeds_say_which_titles_and_summaries_are_not_in_the_feed_language():
    declined = item(original_title=True)
    shown_as_is = item(language="fr", title="Le marché", slug="marche", missing_model=True)
    translated = item(slug="park", title="Park")
    stories = [[declined], [shown_as_is], [translated]]
    entries = {e.findtext(f"{ATOM}title"): e for e in ET.fromstring(render_atom(stories, "pt")).iter(f"{ATOM}entry")}
    assert entries["Council budget"].find(f"{ATOM}title").get(XML_LANG) == "en"
    assert entries["Council budget"].find(f"{ATOM}summary").get(XML_LANG) is None  # translated
    assert entries["Le marché"].find(f"{ATOM}title").get(XML_LANG) == "fr"
    assert entries["Le marché"].find(f"{ATOM}summary").get(XML_LANG) == "fr"
    assert entries["PARK"].find(f"{ATOM}title").get(XML_LANG) is None
    items = {i["title"]: i for i in json.loads(render_json_feed(stories, "pt"))["items"]}
    assert items["Le marché"]["language"] == "fr" and items["PARK"]["language"] == "pt"
