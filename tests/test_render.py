import dataclasses
import datetime as dt
import re

import markdown
import pytest
import yaml

from generator.records import Article, LocalizedArticle, Summary
from generator.render import escape_paragraph, render_language, render_post, safe_url, write_tree

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=//evil>", "[click](javascript:alert(1))",
    "![img](http://evil/x.png)", "{{ config }} {% raw %}", "**bold** _it_ `code`", "1. list", "# heading",
    "---", "key: value", "&lt;b&gt; &amp;", "<!-- comment -->", "> quote", "| a | b |",
]


def localized(title="T", sentences=("S.",), translated_from=None, **fields):
    values = {"slug": "s", "source_file": "s.txt", "title": title, "paragraphs": ("P.",), "language": "en",
                  "date": dt.date(2024, 5, 6), "date_is_stand_in": False}
    values.update(fields)
    article = Article(**values)
    return LocalizedArticle(Summary(article, tuple(sentences)), "pt" if translated_from else "en", title,
                            tuple(sentences), translated_from)


def html_of(text):
    return markdown.markdown(escape_paragraph(text))


def test_hostile_text_renders_as_exactly_that_text():
    import html

    for text in HOSTILE:
        rendered = html_of(text)
        assert rendered.startswith("<p>") and rendered.endswith("</p>"), (text, rendered)
        assert html.unescape(rendered[3:-4]) == text, (text, rendered)


def test_only_http_urls_are_linked():
    assert safe_url("https://example.org/a?b=c") == "https://example.org/a?b=c"
    for url in ("javascript:alert(1)", "data:text/html,x", "http://x\" onclick=y", "//evil", ""):
        assert safe_url(url) is None


def test_front_matter_has_known_keys_only_and_survives_breakers():
    page = render_post(localized(title="--- key: value", source_name="a: b\n---"))
    _, front, body = page.split("---\n", 2)
    assert yaml.safe_load(front) == {"title": "--- key: value", "date": dt.date(2024, 5, 6)}
    assert body.count("\n---\n") == 0


def test_translated_page_says_so_and_keeps_the_original_in_a_collapsed_block():
    page = render_post(localized(title="TÍTULO", sentences=("RESUMO.",), translated_from="en"))
    assert "Traduzido automaticamente do inglês com o Argos Translate." in page
    assert '??? quote "Texto original &#40;inglês&#41;"' in page
    assert '    <span lang="en">P.</span>' in page  # the original, marked as English on the pt page


def test_undated_page_is_labelled_with_its_stand_in_date():
    page = render_post(localized(date_is_stand_in=True))
    assert "Undated: the article states no date; May 6, 2024 is when it was added." in page


def test_home_lists_articles_newest_first():
    old = localized(title="Old", slug="old", date=dt.date(2020, 1, 1))
    new = localized(title="New", slug="new", date=dt.date(2024, 1, 1))
    from generator.stories import group_stories

    home = render_language([old, new], "en", group_stories([old, new]), [])["index.md"]
    assert home.index("[New]") < home.index("[Old]")


def test_unchanged_files_are_not_rewritten_and_stale_ones_are_removed(tmp_path):
    assert write_tree(tmp_path, [("a.md", "A"), ("d/b.md", "B")]) == (2, 2)
    before = (tmp_path / "a.md").stat().st_mtime_ns
    assert write_tree(tmp_path, [("a.md", "A")]) == (1, 0)
    assert (tmp_path / "a.md").stat().st_mtime_ns == before
    assert not (tmp_path / "d").exists()
    (tmp_path / ".polydigest-output").write_text("ours")
    assert write_tree(tmp_path, [("e/f/g.md", "G"), ("e/h.md", "H")]) == (2, 2)
    assert write_tree(tmp_path, [("e/h.md", None)]) == (1, 0)  # None: kept as it is
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [".polydigest-output", "e", "e/h.md"]


def _storm_report(number: int, day: dt.date):
    return localized(title=f"Storm floods coastal towns, report {number}", slug=f"storm-{number:03}",
                     sentences=(f"A storm flooded the towns of Harlow and Brinton overnight, report {number}.",),
                     date=day)


def test_a_story_stops_growing_at_its_cap_and_links_only_articles_days_apart():
    from generator.stories import MAX_STORY_ARTICLES, STORY_DAYS, group_stories

    # Words in more than a fifth of the articles are ignored: other news keeps the storm's words rare.
    same_day = [_storm_report(n, dt.date(2024, 5, 6)) for n in range(MAX_STORY_ARTICLES + 10)]
    other_news = [localized(title=f"Item{n} alpha{n}", slug=f"other-{n:03}", sentences=(f"Beta{n} gamma{n}.",))
                  for n in range(4 * len(same_day))]
    digest = group_stories(same_day + other_news)
    storm_stories = [story for story in digest.stories if story.slugs[0].startswith("storm")]
    assert sorted(len(story.slugs) for story in storm_stories) == [10, MAX_STORY_ARTICLES]
    assert all(len(digest.related[item.article.slug]) == 8 for item in same_day)  # related links stay
    first = dt.date(2024, 5, 1)
    apart = [_storm_report(1, first), _storm_report(2, first + dt.timedelta(STORY_DAYS + 1))]
    assert len(group_stories(apart).stories) == 2
    near = [_storm_report(1, first), _storm_report(2, first + dt.timedelta(STORY_DAYS))]
    assert len(group_stories(near).stories) == 1


@pytest.mark.parametrize(("count", "first", "numbered"), [(100, 100, 0), (199, 199, 0), (200, 100, 1),
                                                          (299, 199, 1), (300, 100, 2)])
def test_a_list_shows_each_entry_on_one_page_whatever_its_length(count, first, numbered):
    from generator.render import PAGE_SIZE, paginated

    assert PAGE_SIZE == 100
    entries = [f"- entry {n}" for n in range(count, 0, -1)]  # newest first
    files = paginated("tags/t.md", ["# T", ""], entries, "en")
    assert set(files) == {"tags/t.md", *[f"tags/t.{n}.md" for n in range(1, numbered + 1)]}
    shown = {path: re.findall(r"^- entry (\d+)$", text, re.M) for path, text in files.items()}
    assert len(shown["tags/t.md"]) == first
    assert sorted(int(n) for page in shown.values() for n in page) == list(range(1, count + 1))


def test_long_lists_continue_on_numbered_pages_and_the_home_page_stays_short():
    from generator import render
    from generator.stories import group_stories

    start = dt.date(2024, 1, 1)
    items = [dataclasses.replace(
        localized(title=f"Report {n}", slug=f"report-{n:03}", date=start + dt.timedelta(days=n // 5),
                  source_name="Daily Planet"), tags=("Harbor",)) for n in range(350)]
    files = render_language(items, "en", group_stories(items), [])
    home = files["index.md"]
    assert home.count("\n## ") == render.HOME_STORIES and "(editions/index.md)" in home
    # The oldest on numbered pages of 100 filled from the oldest article; the rest (100 to 199,
    # newest first) on the topic's page: each article on one page only.
    pages = [files["tags/harbor.md"], files["tags/harbor.2.md"], files["tags/harbor.1.md"]]
    assert "tags/harbor.3.md" not in files
    assert [page.count("\n<li>") for page in pages] == [150, 100, 100]
    listed = [re.findall(r'<a href="\.\./\.\./articles/report-(\d+)/">', page) for page in pages]
    numbers = [[int(n) for n in page] for page in listed]
    assert sorted(n for page in numbers for n in page) == list(range(350))  # each once
    assert min(numbers[0]) > max(numbers[1]) and min(numbers[1]) > max(numbers[2])  # newest first
    assert pages[0].endswith("[Older →](harbor.2.md)\n")
    assert pages[1].endswith("\n[← Newer](harbor.md) · [Older →](harbor.1.md)\n")
    assert pages[2].endswith("\n[← Newer](harbor.2.md)\n")
    assert [f for f in files if f.startswith("sources/daily-planet")] == [
        "sources/daily-planet.md", "sources/daily-planet.1.md", "sources/daily-planet.2.md"]
    # Fifty more articles change the first page, the page that gains a newer one and add one.
    more = [dataclasses.replace(localized(title=f"Report {n}", slug=f"report-{n:03}", source_name="Daily Planet",
                                          date=start + dt.timedelta(days=n // 5)), tags=("Harbor",))
            for n in range(350, 400)]
    after = render_language(items + more, "en", group_stories(items + more), [])
    changed = {f for f in after if f.startswith("tags/harbor") and after[f] != files.get(f)}
    assert changed == {"tags/harbor.md", "tags/harbor.2.md", "tags/harbor.3.md"}
    assert after["tags/harbor.1.md"] == files["tags/harbor.1.md"]
    assert after["tags/harbor.md"].count("\n<li>") == 100
    editions = files["editions/index.md"]
    assert editions.count("\n- ") == render.EDITION_DAYS and "[2024](2024.md)" in editions
    assert files["editions/2024.md"].count("\n- ") == 70  # 70 days, all on the year's page
    assert max(len(content) for content in files.values()) < 20_000


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("page", ["tags/harbor.md", "tags/harbor.2.md", "sources/daily-planet.md",
                                  "articles/archive/2024-01.md", "articles/archive/2024-01.1.md",
                                  "articles/category/en.md", "stories/report-001.md"])
def test_a_list_entry_links_its_article_as_mkdocs_would_resolve_the_link(page, directory_urls):
    """List entries are HTML, which MkDocs passes through: their addresses are polydigest's."""
    from mkdocs.structure.files import File

    from generator.render import article_hrefs

    def file(path):
        return File(path, "docs", "site", directory_urls)
    assert article_hrefs(page, directory_urls)("report-9") == file("articles/report-9.md").url_relative_to(file(page))
