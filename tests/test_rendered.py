"""The render stage makes an article page again only when something it shows changed (issue #29)."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator import render
from generator.records import Article, LocalizedArticle, Summary
from generator.rendered import RECORD_FILE, RenderedPages
from generator.stories import Digest, Story


def _item(slug: str, title: str, language: str = "en") -> LocalizedArticle:
    article = Article(slug=slug, source_file=f"{slug}.txt", title=title, paragraphs=(f"Text of {title}.",),
                      language="en", date=dt.date(2024, 5, 6), date_is_stand_in=False)
    return LocalizedArticle(Summary(article, (f"Summary of {title}.",)), language, title, (f"Summary of {title}.",),
                            None if language == "en" else "en")


@pytest.fixture
def made(monkeypatch):
    """The slugs whose page render_post made, in order."""
    slugs = []
    real = render.render_post

    def spy(item, *args, **kwargs):
        slugs.append(item.article.slug)
        return real(item, *args, **kwargs)

    monkeypatch.setattr(render, "render_post", spy)
    return slugs


def _build(tmp_path, items, related=None):
    """One render of ``items`` (English) into tmp_path/docs, as core does it."""
    docs = tmp_path / "docs"
    rendered = RenderedPages(tmp_path / RECORD_FILE, docs)
    digest = Digest([Story((item.article.slug,)) for item in items], related or {})
    files = render.render_language(items, "en", digest, [], None, ["en"], rendered)
    render.write_tree(docs, ((f"en/{path}", content) for path, content in files.items()))
    rendered.save()
    return docs


def test_a_rebuild_makes_no_article_page_again_when_nothing_it_shows_changed(tmp_path, made):
    items = [_item("a", "Alpha"), _item("b", "Beta")]
    docs = _build(tmp_path, items)
    page = (docs / "en/articles/a.md").read_text()
    made.clear()
    _build(tmp_path, [_item("a", "Alpha"), _item("b", "Beta")])  # equal, not the same objects
    assert made == []
    assert (docs / "en/articles/a.md").read_text() == page


def test_a_page_is_made_again_when_its_article_or_a_related_one_changes(tmp_path, made):
    _build(tmp_path, [_item("a", "Alpha"), _item("b", "Beta"), _item("c", "Gamma")], related={"a": ("b",)})
    made.clear()
    docs = _build(tmp_path, [_item("a", "Alpha"), _item("b", "Beta, corrected"), _item("c", "Gamma")],
                  related={"a": ("b",)})
    assert sorted(made) == ["a", "b"]  # b changed; a lists b; c stays
    assert "Beta, corrected" in (docs / "en/articles/a.md").read_text()


def test_a_hand_edited_or_deleted_page_is_made_again(tmp_path, made):
    items = [_item("a", "Alpha"), _item("b", "Beta")]
    docs = _build(tmp_path, items)
    page = (docs / "en/articles/a.md").read_text()
    (docs / "en/articles/a.md").write_text("edited by hand\n")
    (docs / "en/articles/b.md").unlink()
    made.clear()
    _build(tmp_path, items)
    assert sorted(made) == ["a", "b"]
    assert (docs / "en/articles/a.md").read_text() == page and (docs / "en/articles/b.md").is_file()


def test_every_page_is_made_again_when_the_render_code_changes(tmp_path, made, monkeypatch):
    items = [_item("a", "Alpha"), _item("b", "Beta")]
    _build(tmp_path, items)
    made.clear()
    monkeypatch.setattr("generator.rendered.code_fingerprint", lambda: "another version of render.py")
    _build(tmp_path, items)
    assert sorted(made) == ["a", "b"]


def test_the_digest_of_an_article_covers_every_field_it_has():
    item = _item("a", "Alpha")
    rendered = RenderedPages(Path("/nonexistent/record"), Path("/"))
    seen = {rendered.item_digest(item)}
    changes = [{"title": "Other"}, {"paragraphs": ("Other text.",)}, {"source_url": "https://example.org/x"},
               {"date": dt.date(2024, 5, 7)}, {"author": "Someone"}]
    for change in changes:
        other = dataclasses.replace(item, summary=Summary(dataclasses.replace(item.article, **change),
                                                          item.summary.sentences))
        seen.add(rendered.item_digest(other))
    seen.add(rendered.item_digest(dataclasses.replace(item, tags=("Topic",))))
    seen.add(rendered.item_digest(dataclasses.replace(item, original_sentences=(0,))))
    assert len(seen) == len(changes) + 3
