"""Fuzzing the whole build with damaged real articles (issue #24, point 4): metadata of every
wrong shape and impossible dates, in Markdown, HTML and RSS. The build finishes, every article
with usable text is published in every language, and no impossible date reaches a page.
Seeded: hypothesis draws the damage (derandomized in CI, see conftest.py); the full build uses
one fixed seed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, make_project
from damaged_corpus import write_damaged
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import load_config
from generator.core import build
from generator.ingest import MAX_TITLE_CHARS, read_folder
from generator.progress import SILENT

FIXTURES = REPO / "tests" / "fixtures"


def real_articles() -> list[tuple[str, str]]:
    """(title, text) of the repository's real news: the seeds and the plain-text fixtures."""
    articles = []
    folders = (REPO / "seeds", FIXTURES, FIXTURES / "realworld", REPO / "tests" / "golden" / "seeds")
    for path in sorted(path for folder in folders for path in folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n(?=[A-Z])", text) if len(p.split()) >= 8]
        if len(paragraphs) >= 1:
            articles.append((path.stem.replace("-", " ").replace("_", " ").title(), "\n\n".join(paragraphs[:6])))
    return articles


ARTICLES = real_articles()


def plausible(day: dt.date) -> bool:
    return dt.date(1990, 1, 1) <= day <= dt.date.today() + dt.timedelta(days=1)


@pytest.mark.slow  # 25 folders of damaged articles read: 5-11 s, more than make unit affords
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_damaged_articles_are_all_read_with_plausible_dates_and_bounded_titles(tmp_path_factory, seed):
    seeds = tmp_path_factory.mktemp("damaged")
    expected = write_damaged(seeds, ARTICLES, seed)
    articles, problems = read_folder(seeds, load_config(seeds))
    read = {a.source_file for a in articles}
    duplicates = {p.subject for p in problems if p.reason.startswith("same story as")}
    assert set(expected) - read <= duplicates, (set(expected) - read, [str(p) for p in problems])
    for article in articles:
        assert article.date_is_stand_in or plausible(article.date), (article.source_file, article.date)
        assert len(article.title) <= MAX_TITLE_CHARS + 1 and "\x00" not in article.text + article.title
        assert "\u202e" not in article.title


@pytest.mark.slow
def test_a_damaged_real_corpus_builds_with_every_article_published(tmp_path, tiny_models):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    expected = write_damaged(seeds, ARTICLES, seed=24)
    project = make_project(tmp_path / "project", tiny_models, seeds=seeds)
    report = build(load_config(project), SILENT)
    published = report.articles + sum(p.reason.startswith("same story as") for p in report.problems)
    assert published == len(expected), [str(p) for p in report.problems]
    for lang in ("en", "pt"):
        pages = sorted((project / "docs" / lang / "articles").glob("*.md"))
        pages = [p for p in pages if p.name != "index.md"]
        assert len(pages) == report.articles
        for page in pages:
            meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
            assert plausible(meta["date"]), (page.name, meta["date"])
            assert (project / "site" / lang / "articles" / page.stem / "index.html").is_file()
    for problem in report.problems:  # each names its file (or the language pair it is about)
        subject = Path(problem.subject.split("#")[0].split(" (")[0]).name
        assert subject.startswith(("damaged", "language", "translation")), problem
