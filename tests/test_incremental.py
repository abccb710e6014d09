"""A rebuild costs what changed: counts of work done, not times."""

import zipfile

import pytest

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

pytestmark = pytest.mark.slow  # end-to-end builds; "make unit" leaves them out

NEW_ARTICLE = ("Council Approves Budget\n\nThe city council approved the budget on Monday. Schools get more money. "
               "Bus fares will not rise this year. The vote was close.\n")


def texts_of(project, slug):
    """Title and summary sentences of one article, as the build saw them."""
    from generator.cache import Cache
    from generator.ingest import ingest
    from generator.summarize import summarize_all

    config = load_config(project)
    articles, _ = ingest(config)
    summaries, _, _ = summarize_all([a for a in articles if a.slug == slug], config,
                                    Cache(project / ".polydigest" / "cache.sqlite"))
    return 1 + len(summaries[0].sentences)


@pytest.fixture
def built(project):
    first = build(load_config(project), SILENT)
    assert first.summarized == 2 and first.translated > 0 and first.published == ["en", "pt"]
    return project, first


def test_noop_rebuild_summarizes_translates_and_publishes_nothing(built):
    project, _ = built
    report = build(load_config(project), SILENT)
    assert (report.summarized, report.translated, report.published) == (0, 0, [])
    assert report.cache_hits > 0
    assert (project / "site" / "pt" / "index.html").is_file()


def test_adding_one_article_costs_one_summary_and_its_translations(built):
    project, _ = built
    (project / "seeds" / "budget.txt").write_text(NEW_ARTICLE)
    report = build(load_config(project), SILENT)
    assert report.articles == 3 and report.summarized == 1
    assert report.translated == texts_of(project, "budget") * (2 - 1)  # one other language
    assert (project / "site" / "pt" / "articles" / "budget" / "index.html").is_file()


def test_changing_the_beam_retranslates_but_does_not_resummarize(built):
    project, first = built
    report = build(load_config(project, {"beam_size": 3}), SILENT)
    assert report.summarized == 0 and report.translated == first.translated


def test_changing_the_summarizer_resummarizes_every_article(built):
    project, _ = built
    report = build(load_config(project, {"summary_algorithm": "luhn"}), SILENT)
    assert report.summarized == 2


def test_a_changed_model_file_invalidates_only_its_own_translations(built):
    project, first = built
    with zipfile.ZipFile(project / "models" / "translate-en_pt.argosmodel", "a") as archive:
        archive.comment = b"retrained"
    report = build(load_config(project), SILENT)
    assert report.summarized == 0 and report.translated == first.translated


def test_a_new_language_translates_only_into_that_language(tmp_path, tiny_models):
    from conftest import make_project

    project = make_project(tmp_path / "p", tiny_models, languages="en,pt")
    first = build(load_config(project), SILENT)
    report = build(load_config(project, {"languages": "en,pt,ar"}), SILENT)
    assert report.summarized == 0 and report.translated == first.translated  # en->ar, as many as en->pt
    assert sorted(report.published) == ["ar", "en", "pt"]  # every page's switcher gained a language
