"""Page weight (issue #29): what every page carries besides its article stays small, and a
language site holds no file a page never loads."""

import re

import pytest

from generator.mkdocs_hooks import without_indentation

CHROME_BYTES = 6_000
"""An article page's HTML outside its <article> element: header, navigation, footer, head."""


def test_indentation_goes_but_preformatted_text_and_scripts_stay_as_they_are():
    page = ('<div>\n    <p>a\n      b</p>\n  <pre>  x\n    y</pre>\n<script>\n  var s = "  \n  ";\n</script>\n'
            '  <textarea> t\n  u</textarea>\n</div>')
    assert without_indentation(page) == ('<div>\n<p>a\nb</p>\n<pre>  x\n    y</pre>\n<script>\n  var s = "  \n  ";\n'
                                         '</script>\n<textarea> t\n  u</textarea>\n</div>')


def _article_pages(site):
    return [page for page in site.glob("*/articles/*/index.html") if page.parent.name not in ("archive", "category")]


@pytest.mark.slow
def test_an_article_page_carries_little_besides_its_article(sample_site):
    pages = _article_pages(sample_site.project / "site")
    assert pages
    for page in pages:
        text = page.read_text()
        article = re.search(r"<article\b.*</article>", text, re.DOTALL)
        assert article is not None
        assert len(text.encode()) - len(article.group(0).encode()) <= CHROME_BYTES, page
        assert "<svg" not in text  # icons come from the cached stylesheet
        assert "md-tabs" not in text and text.count('class="md-nav md-nav--primary"') == 1  # one navigation
        assert "\n  " not in text.split("<article", 1)[0]  # no template indentation
        assert "md-search__input" not in text  # the search dialog is built by the cached script


@pytest.mark.slow
def test_a_language_site_holds_no_file_its_pages_never_load(sample_site):
    for lang in ("en", "pt"):
        site = sample_site.project / "site" / lang
        assert (site / "pagefind" / "pagefind.js").is_file() and (site / "assets" / "javascripts").is_dir()
        unused = [path for pattern in ("assets/**/*.map", "assets/javascripts/lunr", "assets/javascripts/workers",
                                       "pagefind/pagefind-ui.js", "pagefind/pagefind-component-ui.js",
                                       "pagefind/pagefind-worker.js") for path in site.glob(pattern)]
        assert unused == []


def _post(source_url: str, page_language: str = "en", original_on_site: bool = False) -> str:
    import datetime as dt

    from generator.records import Article, LocalizedArticle, Summary
    from generator.render import render_post

    paragraphs = tuple(f"Paragraph {n} " + "word " * 60 for n in range(10))
    article = Article(slug="long", source_file="long.txt", title="Long", paragraphs=paragraphs, language="en",
                      date=dt.date(2024, 5, 6), date_is_stand_in=False, source_url=source_url)
    translated_from = None if page_language == "en" else "en"
    return render_post(LocalizedArticle(Summary(article, ("S.",)), page_language, "Long", ("S.",), translated_from),
                       original_on_site=original_on_site)


def test_a_linked_original_shows_its_opening_and_links_the_rest():
    from generator.render import ORIGINAL_EXCERPT_CHARACTERS

    page = _post("https://example.org/long")
    original = page.split('??? quote', 1)[1]
    assert "Paragraph 0 " in original and "Paragraph 9 " not in original
    assert original.count("…") == 1
    assert "    [Read the original article](<https://example.org/long>)" in original
    assert len(original) < ORIGINAL_EXCERPT_CHARACTERS + 300


def test_an_original_without_a_link_is_shown_whole():
    original = _post("").split('??? quote', 1)[1]
    assert all(f"Paragraph {n} " in original for n in range(10)) and "…" not in original


def test_an_original_in_another_language_of_the_site_is_whole_only_on_its_own_languages_page():
    from generator.mkdocs_hooks import ORIGINAL_PAGE

    original = _post("", page_language="pt", original_on_site=True).split('??? quote', 1)[1]
    assert "Paragraph 0 " in original and "Paragraph 9 " not in original and original.count("…") == 1
    assert "(polydigest-original-page:en)" in original and ORIGINAL_PAGE == "polydigest-original-page:"
    assert "Paragraph 9 " in _post("", page_language="en", original_on_site=False)


@pytest.mark.parametrize(("page_url", "twin"), [("articles/long/", "../../../en/articles/long/"),
                                                ("articles/long.html", "../../en/articles/long.html")])
def test_a_link_to_the_original_page_leads_to_the_same_page_in_the_original_language(page_url, twin):
    from generator.mkdocs_hooks import twin_page_links

    html = '<p><a href="polydigest-original-page:en">Read</a> <a href="polydigest-original-page:&quot;x">No</a></p>'
    assert twin_page_links(html, page_url) == (f'<p><a href="{twin}" hreflang="en">Read</a> '
                                               '<a href="polydigest-original-page:&quot;x">No</a></p>')


@pytest.mark.slow
def test_every_link_to_an_original_page_finds_that_page(sample_site):
    site = sample_site.project / "site"
    linked = 0
    for page in _article_pages(site):
        text = page.read_text()
        assert "polydigest-original-page:" not in text
        original = text.split('<details class="quote">', 1)[1]  # not the language switcher's links
        for href in re.findall(r'href="(\.\./[^"]*)"', original):
            target = (page.parent / href).resolve()
            if target.parent.name == "articles" and target.parent.parent.name != page.parts[-4]:
                assert (target / "index.html").is_file(), (page, href)
                linked += 1
    assert linked
