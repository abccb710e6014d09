"""The render stage makes an article page again only when something it shows changed (issue #29)."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator import render
from generator.records import Article, LocalizedArticle, Summary
from generator.rendered import RECORD_FILE, RenderedPages
from generator.stories import Digest, Story, Thread


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


@pytest.fixture
def entries_written(monkeypatch):
    """The (slug, list page kind) of every list entry _entry wrote, in order."""
    written = []
    real = render._entry

    def spy(item, lang, address, after=""):
        written.append(item.article.slug)
        return real(item, lang, address, after)

    monkeypatch.setattr(render, "_entry", spy)
    return written


def _topical(count: int, first: int = 0, topic: str = "Harbour") -> list[LocalizedArticle]:
    return [dataclasses.replace(_item(f"t{n:03d}", f"Story {n}"), tags=(topic,)) for n in range(first, first + count)]


def _build_lists(tmp_path, items, directory_urls=True, own_pages=None):
    docs = tmp_path / "docs"
    rendered = RenderedPages(tmp_path / RECORD_FILE, docs)
    digest = Digest([Story((item.article.slug,)) for item in items], {})
    files = render.render_language(items, "en", digest, [], own_pages, ["en"], rendered,
                                   address=render.SiteAddress(directory_urls=directory_urls))
    render.write_tree(docs, ((f"en/{path}", content) for path, content in files.items()))
    rendered.save()
    return docs, files


def test_a_rebuild_writes_no_list_entry_when_no_list_page_changed(tmp_path, entries_written):
    # At 100,000 articles a language's topic, source, month and category pages held ~640,000
    # entries, all written again every day to change a few hundred pages (issue #29).
    docs, _ = _build_lists(tmp_path, _topical(5))
    topic = (docs / "en/tags/harbour.md").read_text()
    entries_written.clear()
    _, files = _build_lists(tmp_path, _topical(5))
    assert entries_written == []
    assert files["tags/harbour.md"] is None and files["articles/archive/2024-05.md"] is None
    assert (docs / "en/tags/harbour.md").read_text() == topic


def test_a_new_article_writes_again_only_the_list_pages_that_show_it(tmp_path, entries_written):
    from generator.render import PAGE_SIZE

    older = _topical(2 * PAGE_SIZE)  # the topic's first page and one numbered page of the oldest PAGE_SIZE
    docs, files = _build_lists(tmp_path, older)
    assert {"tags/harbour.md", "tags/harbour.1.md"} <= set(files)
    numbered = (docs / "en/tags/harbour.1.md").read_text()
    entries_written.clear()
    newer = dataclasses.replace(_item("t999", "Story 999"), tags=("Harbour",),
                                summary=Summary(dataclasses.replace(older[0].article, slug="t999", title="Story 999",
                                                                    source_file="t999.txt", date=dt.date(2024, 5, 7)),
                                                older[0].summary.sentences))
    _, files = _build_lists(tmp_path, [*older, newer])
    assert files["tags/harbour.1.md"] is None and (docs / "en/tags/harbour.1.md").read_text() == numbered
    assert "t999" in (docs / "en/tags/harbour.md").read_text()
    # the topic's, the month's and the category's first pages: each shows its newest entries again
    assert len(entries_written) == 3 * (PAGE_SIZE + 1) and entries_written.count("t999") == 3


def test_a_list_page_is_written_again_when_its_links_or_an_entry_would_read_otherwise(tmp_path, entries_written):
    items = _topical(4)
    docs, _ = _build_lists(tmp_path, items)
    entries_written.clear()
    _, files = _build_lists(tmp_path, items, directory_urls=False)  # the site's URL layout: every address
    assert files["tags/harbour.md"] is not None and 'href="../articles/t000.html"' in files["tags/harbour.md"]
    # the size budget folds the oldest article into its month: that entry now links its original
    folded = [dataclasses.replace(item, summary=Summary(dataclasses.replace(
        item.article, source_url=f"https://example.org/{item.article.slug}"), item.summary.sentences))
        for item in items]
    _build_lists(tmp_path, folded, directory_urls=False)
    _, files = _build_lists(tmp_path, folded, directory_urls=False, own_pages=3)
    assert 'href="https://example.org/t003"' in files["articles/archive/2024-05.md"]
    (docs / "en/tags/harbour.md").write_text("edited by hand\n")
    _, files = _build_lists(tmp_path, folded, directory_urls=False, own_pages=3)
    assert files["tags/harbour.md"] is not None and files["articles/archive/2024-05.md"] is None


def test_a_day_edition_is_written_again_only_when_its_stories_or_their_links_change(tmp_path):
    items = [_item("a", "Alpha"), _item("b", "Beta")]
    docs = tmp_path / "docs"

    def build(items, stories, threads=()):
        rendered = RenderedPages(tmp_path / RECORD_FILE, docs)
        thread_of = {story: thread.id for thread in threads for story in thread.stories}
        digest = Digest([Story(s, s[0], thread_of.get(s[0])) for s in stories], {}, list(threads))
        files = render.render_language(items, "en", digest, [], None, ["en"], rendered)
        render.write_tree(docs, ((f"en/{path}", content) for path, content in files.items()))
        rendered.save()
        return files["editions/2024-05-06.md"]

    assert "Alpha" in build(items, [("a",), ("b",)])
    assert build(items, [("a",), ("b",)]) is None
    assert "Alpha, corrected" in build([_item("a", "Alpha, corrected"), items[1]], [("a",), ("b",)])
    # the same stories, now a thread of two: each story's line links the other
    threaded = build([_item("a", "Alpha, corrected"), items[1]], [("a",), ("b",)], [Thread("a", ("a", "b"))])
    assert "[More on this subject](../articles/b.md)" in threaded
    joined = build([_item("a", "Alpha, corrected"), items[1]], [("a", "b")])  # one story now: its summary's link
    assert "(../stories/a.md)" in joined


def test_the_record_saved_is_read_back_whole_and_saving_it_again_writes_the_same(tmp_path, made):
    # save() writes the record an entry at a time and lets go of the one it read (issue #29's memory)
    docs = _build(tmp_path, [_item("a", "Alpha"), _item("b", "Beta \"quoted\" ü")])
    record = (tmp_path / RECORD_FILE).read_bytes()
    reread = RenderedPages(tmp_path / RECORD_FILE, docs)
    assert {"en/articles/a.md", "en/articles/b.md"} <= set(reread.pages)
    reread.expected = {path: entry[0] for path, entry in reread.pages.items()}
    reread.save()
    reread.save()  # a second save writes the same record, not an empty one
    assert (tmp_path / RECORD_FILE).read_bytes() == record
