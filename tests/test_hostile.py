"""Articles from the open web: nothing in them may become live markup, break the
build, or cost unbounded time. Builds use the real pipeline with the tiny model."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from conftest import make_project
from hostile_corpus import HOSTILE_ARTICLES, MARK, PAYLOADS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.core import build
from generator.errors import UnreadableArticle
from generator.ingest import parse_article
from generator.progress import SILENT
from generator.readers import Source
from generator.records import LocalizedArticle, Summary
from generator.render import SEARCH_TEXT_END, render_blog, render_post, render_story_page, render_tags
from generator.stories import Story

pytestmark = pytest.mark.slow  # end-to-end builds; "make unit" leaves them out

ALLOWED_SCHEMES = ("http://", "https://", "#", "../", "./", "/", "mailto:")


class LiveMarkupFinder(HTMLParser):
    """Collects every element, attribute or URL that carries the marker."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if MARK in tag:
            self.findings.append(f"element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if MARK in name or name.startswith("on") and MARK in value:
                self.findings.append(f"attribute {name}={value!r} on <{tag}>")
            elif name in ("href", "src", "action", "formaction", "data") and MARK in value:
                self.findings.append(f"URL {name}={value!r} on <{tag}>")
            elif name in ("href", "src") and not value.startswith(ALLOWED_SCHEMES) and ":" in value.split("/")[0]:
                self.findings.append(f"non-http URL {name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        # Text is inert except inside elements whose content is code or resource text.
        if MARK in data and self.stack and self.stack[-1] in ("script", "style", "iframe", "svg", "textarea"):
            self.findings.append(f"text in <{self.stack[-1]}>: {data[:60]!r}")


def live_markup(page_html: str) -> list[str]:
    finder = LiveMarkupFinder()
    finder.feed(page_html)
    return finder.findings


def test_hostile_corpus_builds_every_article(hostile_site):
    project, report = hostile_site
    assert report.articles == len(HOSTILE_ARTICLES)
    assert len(list((project / "site" / "pt" / "articles").glob("*/index.html"))) == len(HOSTILE_ARTICLES)


def test_no_markup_from_an_article_is_live_in_any_language(hostile_site):
    project, _ = hostile_site
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 20
    findings = {str(p.relative_to(project / "site")): live_markup(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in findings.items() if v} == {}


def test_hostile_text_is_shown_as_text(hostile_site):
    project, _ = hostile_site
    page = (project / "site" / "en" / "articles" / "raw-block" / "index.html").read_text(encoding="utf-8")
    visible = html.unescape(re.sub(r"<[^>]+>", "", page))
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in " ".join(visible.split()), payload


def test_only_http_source_links_are_kept(hostile_site):
    project, _ = hostile_site
    safe = (project / "site" / "en" / "articles" / "safe-link" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://news.example.org/story?a=1&amp;b=2"' in safe
    hostile = (project / "site" / "en" / "articles" / "source-line" / "index.html").read_text(encoding="utf-8")
    assert "javascript:alert" not in re.sub(r">[^<]*<", "><", hostile)  # not in any tag


def test_front_matter_breakers_in_titles_stay_in_the_title(hostile_site):
    project, _ = hostile_site
    post = (project / "docs" / "en" / "articles" / "yaml-title.md").read_text(encoding="utf-8")
    front = post.split("---\n", 2)[1]
    assert set(re.findall(r"^(\w+):", front, re.M)) == {"title", "date"}
    assert yaml.safe_load(front)["title"] == f"title: {MARK}20 --- key: value"


# Property-based: random text through ingest -> render -> Markdown, with the site's extensions.
_PIECES = st.sampled_from(list("ab <>&\"'`*_[](){}#!|~=^-+.:;/\\\n\t@%$1") + ["javascript:", "script", "on", "    "])
_MARKDOWN_EXTENSIONS = ["admonition", "pymdownx.details", "toc", "tables", "attr_list", "md_in_html"]
_EXPECTED_TAGS = {"h1", "p", "em", "strong", "details", "summary", "a", "span"}  # span: lang of the original


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}
        self.links |= {value for name, value in attrs if name == "href"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.lists(_PIECES, min_size=1, max_size=40).map("".join),
       body=st.lists(st.lists(_PIECES, min_size=1, max_size=80).map("".join), min_size=1, max_size=4))
def test_random_text_never_becomes_markup(tmp_path_factory, title, body):
    config = load_config(tmp_path_factory.getbasetemp(), {"languages": "en"})
    text = title + "\n\n" + "\n\n".join(body)
    try:
        article, _ = parse_article(Source(name="s.txt", text=text, kind="txt"), slug="s", config=config,
                                   stand_in_date=dt.date(2024, 1, 1))
    except UnreadableArticle:
        return
    item = LocalizedArticle(Summary(article, article.paragraphs[:2]), "pt", article.title.upper(),
                            tuple(p.upper() for p in article.paragraphs[:2]), "en")
    page = render_post(item).split("---\n", 2)[2]
    rendered = markdown.markdown(page, extensions=_MARKDOWN_EXTENSIONS)
    collector = TagCollector()
    collector.feed(rendered)
    assert collector.tags <= _EXPECTED_TAGS, (text, rendered)
    assert collector.attributes <= {"id", "class", "href", "lang"}, (text, rendered)
    # the only link: the page's category (whatever language the detector guesses for random text)
    assert collector.links == {f"category/{article.language}.md"}, (text, rendered)
    visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
    for paragraph in article.paragraphs:
        assert " ".join(paragraph.split()) in visible
    # the lists that name it, whose entries are HTML (render._entry): its title, and as its source's name
    named = dataclasses.replace(article, source_name=title, source_url="https://example.org/news")
    listed = dataclasses.replace(item, summary=Summary(named, item.sentences), tags=("Topic",), tag_pages=("Topic",))
    folded = dataclasses.replace(listed, summary=Summary(dataclasses.replace(named, slug="old"), item.sentences))
    month = f"articles/archive/{article.date:%Y-%m}.md"
    lists = {"tags/topic.md": render_tags([listed] * 3, "pt")["tags/topic.md"],
             month: render_blog([listed], "pt", folded=[folded])[month],
             "stories/s.md": render_story_page(Story(("s", "s"), id="s"), [listed, listed], (), "pt")}
    for page, markdown_text in lists.items():
        rendered = markdown.markdown(markdown_text.split("---\n", 2)[2], extensions=_MARKDOWN_EXTENSIONS)
        collector = TagCollector()
        collector.feed(rendered)
        assert collector.tags <= _EXPECTED_TAGS | {"ul", "li", "h2"}, (page, text, rendered)
        assert collector.attributes <= {"id", "href", "lang"}, (page, text, rendered)
        assert collector.links <= {"../../articles/s/", "../../s/", "https://example.org/news",
                                   f"category/{article.language}.md", "../articles/s.md"}, (page, text, rendered)
        visible = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())
        assert " ".join(listed.title.split()) in visible, (page, text, rendered)


def test_giant_sentence_and_ten_thousand_lines_are_bounded_and_build(tmp_path, tiny_models):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one-sentence.txt").write_text("Endless Sentence\n\n" + "word and " * 11_000 + "end.\n")
    (seeds / "many-lines.txt").write_text("Many Lines\n\n" + "\n".join(f"line{n}" for n in range(10_000)) + "\n")
    (seeds / "normal.txt").write_text("A Normal Story\n\nThe council met on Monday. It approved the budget.\n")
    project = make_project(tmp_path / "p", tiny_models, seeds=seeds)
    report = build(load_config(project), SILENT)
    assert report.articles == 3
    for slug in ("one-sentence", "many-lines", "normal"):
        page = project / "docs" / "pt" / "articles" / f"{slug}.md"
        summary = page.read_text().split(SEARCH_TEXT_END)[0]
        assert len(summary) < 5_000  # the summary is bounded, whatever the input
