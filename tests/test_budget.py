"""The site's size budget (generator/budget.py): the oldest articles fold into their month's
archive page, and a build measures how close the site is to its budget."""

import dataclasses
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from conftest import make_project

from generator import budget, render
from generator.config import load_config
from generator.records import Article, LocalizedArticle, Summary
from generator.stories import group_stories


def _article(number: int, day: dt.date, tags=("Harvest",)) -> LocalizedArticle:
    article = Article(slug=f"a{number}", source_file=f"a{number}.txt", title=f"Story {number}",
                      paragraphs=("P.",), language="en", date=day, date_is_stand_in=False,
                      source_name="Daily Post", source_url=f"https://example.org/news/{number}", tags=tags)
    return LocalizedArticle(Summary(article, ("S.",)), "en", article.title, ("S.",), None)


ITEMS = [_article(1, dt.date(2024, 1, 5)), _article(2, dt.date(2024, 1, 20)), _article(3, dt.date(2024, 2, 3)),
         _article(4, dt.date(2024, 3, 9))]


def test_the_oldest_articles_leave_every_page_but_their_months_archive_which_links_their_original():
    files = render.render_language(ITEMS, "en", group_stories(ITEMS), [], own_pages=2)

    assert {"articles/a3.md", "articles/a4.md"} <= set(files)
    assert "articles/a1.md" not in files and "articles/a2.md" not in files
    january = files["articles/archive/2024-01.md"]
    assert '<a href="https://example.org/news/2">Story 2</a> (Daily Post)' in january
    assert '<a href="https://example.org/news/1">Story 1</a> (Daily Post)' in january
    assert "January 20, 2024" in january
    linking_folded = [path for path, text in files.items() if re.search(r'(?<![\w-])a[12](\.md\b|/"|\.html")', text)]
    assert linking_folded == []  # no list, topic, source or story page links a page that is gone
    assert "(archive/2024-01.md) (2)" in files["articles/index.md"]  # the month still counts them


def test_an_old_article_that_fails_in_its_archive_is_left_out_and_reported_alone(monkeypatch):
    entry = render._folded_entry

    def failing(item, lang):
        if item.article.slug == "a1":
            raise ValueError("damaged title")
        return entry(item, lang)

    monkeypatch.setattr(render, "_folded_entry", failing)
    problems: list = []
    files = render.render_language(ITEMS, "en", group_stories(ITEMS), problems, own_pages=2)
    assert '<a href="https://example.org/news/2">Story 2</a>' in files["articles/archive/2024-01.md"]
    assert "Story 1" not in files["articles/archive/2024-01.md"]
    assert [str(p) for p in problems] == [
        "a1.txt: render failed (ValueError: damaged title); left out of the en site"]


def test_without_a_budget_every_article_keeps_its_page():
    files = render.render_language(ITEMS, "en", group_stories(ITEMS), [], own_pages=None)
    assert all(f"articles/a{n}.md" in files for n in range(1, 5))


def _config(tmp_path: Path, **options):
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").touch()
    config = load_config(tmp_path, options)
    config.path(config.work_dir).mkdir(exist_ok=True)
    return config


def test_over_its_budget_a_site_folds_the_fewest_articles_whose_pages_alone_make_room(tmp_path):
    config = _config(tmp_path, site_budget_bytes=2_000_000, site_budget_files=500)
    # 100 articles with pages: 2.4 MB in 300 files; their pages and fragments 2 MB in 200 files
    # (20 KB each), Material's and Pagefind's 400 KB in 20.
    budget.save(config, budget.SiteUsage(bytes=2_400_000, files=300, article_pages=100, article_bytes=2_000_000,
                                         article_files=200, fixed_bytes=400_000, fixed_files=20))
    assert budget.own_pages(config) == 80  # 400 KB over: 20 articles of 20 KB; the files leave room
    assert budget.own_pages(_config(tmp_path)) is None


def test_under_its_budget_a_site_gives_pages_back_at_its_average_cost_and_a_margin(tmp_path):
    config = _config(tmp_path, site_budget_files=520)
    budget.save(config, budget.SiteUsage(bytes=2_400_000, files=300, article_pages=100, article_bytes=2_000_000,
                                         article_files=200, fixed_bytes=400_000, fixed_files=20))
    assert budget.own_pages(config) == 100 + int(220 // (280 / 100 * budget.GROWTH_MARGIN))


def test_a_first_budgeted_build_estimates_per_language(tmp_path):
    config = _config(tmp_path, site_budget_files=1_000, languages="en,pt")
    first = budget.FIRST_ESTIMATE
    assert budget.own_pages(config) == (1_000 - 2 * first["fixed_files"]) // (2 * first["article_files"])


def test_the_status_says_how_much_of_the_budget_is_used(tmp_path):
    usage = budget.SiteUsage(bytes=5_000_000, files=250, article_pages=10, article_bytes=0, article_files=0,
                             fixed_bytes=0, fixed_files=0)
    state = budget.status(_config(tmp_path, site_budget_bytes=20_000_000, site_budget_files=200), usage)
    assert state["bytes_used"] == 0.25 and state["files_used"] == 1.25 and not state["within_budget"]
    assert budget.describe(state) == "5.0 MB in 250 files (25% of a 20 MB budget, 125% of 200 files: over budget)"
    (tmp_path / "never-built").mkdir()
    assert budget.site_report(_config(tmp_path / "never-built")) == {}


MONTHS = {f"m{month:02d}-{n}": dt.date(2024, month, 3 + 7 * n) for month in (1, 2, 3) for n in range(2)}


@pytest.mark.slow
def test_a_budgeted_build_stays_within_its_files_and_reports_it(tmp_path, tiny_models):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, day in MONTHS.items():
        (seeds / f"{name}.txt").write_text(f"The {name} report\nPublished: {day}\n\n"
                                           f"Farmers in {name} expect a record harvest. Prices may fall.\n")
    project = make_project(tmp_path / "project", tiny_models, seeds=seeds, languages="en,pt")
    from generator.core import build
    from generator.progress import SILENT

    build(load_config(project), SILENT)
    unbudgeted = budget.last_usage(load_config(project))
    assert unbudgeted is not None and unbudgeted.article_pages == 6
    limit = unbudgeted.files - 2 * 2 * 2  # eight files fewer: at least two articles' pages in each language
    (project / "polydigest.toml").write_text(f'[polydigest]\nlanguages = ["en", "pt"]\nsite_budget_files = {limit}\n')

    report = build(load_config(project), SILENT)
    config = load_config(project)
    usage = budget.last_usage(config)
    assert report.site["files"] == usage.files and "% of" in report.one_line() and report.as_dict()["site"]
    assert usage is not None and 0 < usage.article_pages < 6 and usage.files <= limit
    kept = {page.parent.name for page in (project / "site" / "en" / "articles").glob("m*/index.html")}
    assert kept == set(sorted(MONTHS, key=MONTHS.get)[-usage.article_pages:])  # the newest
    assert budget.status(config, usage)["within_budget"] and budget.site_report(config)["files_used"] <= 1
    site = project / "site"
    for lang in ("en", "pt"):
        assert not (site / lang / "articles" / "m01-0").exists()
        january = html.unescape((site / lang / "articles" / "archive" / "2024-01" / "index.html").read_text())
        assert "m01-0 report (m01-0.txt)" in january.lower()  # still listed: its title and source
    assert budget.measure(site) == usage
    assert json.loads((config.path(config.work_dir) / budget.USAGE_FILE).read_text()) == dataclasses.asdict(usage)


def test_every_search_shards_fragments_count_as_the_articles(tmp_path):
    """The search fragments holding articles are in their shard's folder (publish.index_search): the
    newest shard's pagefind/ or an older one's pagefind-<n>/; Pagefind's scripts are fixed."""
    site = tmp_path / "site"
    files = {"en/articles/a1/index.html": 100, "en/articles/a2/index.html": 100, "en/pagefind/pagefind.js": 40,
             "en/pagefind/fragment/a1.pf_fragment": 10, "en/pagefind-1/fragment/a2.pf_fragment": 10,
             "en/pagefind-1/pagefind-entry.json": 5, "en/pagefind-x/fragment/other.pf_fragment": 1}
    for path, size in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(b"x" * size)
    assert budget.measure(site) == budget.SiteUsage(bytes=266, files=7, article_pages=2, article_bytes=220,
                                                    article_files=4, fixed_bytes=40, fixed_files=1)
