"""One article's failure in any stage stays that article's (issue #24, point 1): a failure
injected into reading, summarizing, translating, grouping and rendering one article each becomes a
problem naming the file and the stage, and every other article is published. A failure of
the whole build (a full disk) stops it with a clear message and the previous site intact.

The failures are injected by wrapping a stage's own function for articles that carry a
marker: a real article cannot be made to hit a bug on purpose, and every other part of the
build (sumy, the tiny Argos model, MkDocs, Pagefind) runs for real."""

from __future__ import annotations

import errno

import pytest
from conftest import make_project

from generator import ingest, render, stories, summarize, translate
from generator.config import load_config
from generator.core import build
from generator.errors import PublishError
from generator.progress import SILENT

pytestmark = pytest.mark.slow  # end-to-end builds; "make unit" leaves them out

STAGES = ("reading", "summarize", "translate", "stories", "render")
HEALTHY = 3


PLACES = ["harbour", "library", "stadium", "airport", "museum", "bridge", "school", "hospital", "market", "tunnel"]
WORDS = ["orange", "violet", "silver", "golden", "crimson", "emerald", "amber", "ivory", "scarlet", "cobalt"]


def story(marker: str, n: int) -> str:
    """A distinct article (near-identical ones would be merged as duplicates)."""
    place, word = PLACES[n], WORDS[n]
    return (f"The {word} {place} plan\n\nThe council of {word} town met on Monday {marker} and approved a plan "
            f"for a new {place}. The mayor said work on the {place} starts in spring. Residents of {word} town "
            f"welcomed the decision.\n")


def failing_for(marker: str, original, text_of):  # noqa: ANN001 - wraps any stage function
    def wrapper(*args, **kwargs):
        if marker in text_of(*args, **kwargs):
            raise RuntimeError(f"injected failure for {marker}")
        return original(*args, **kwargs)
    return wrapper


@pytest.fixture
def poisoned(tmp_path, tiny_models, monkeypatch):
    """A project whose article 'poison-<stage>.txt' fails in that stage, next to healthy ones.
    The stages run in forked processes, which inherit these wrappers."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(HEALTHY):
        (seeds / f"healthy-{n}.txt").write_text(story("", n))
    for n, stage in enumerate(STAGES, HEALTHY):
        (seeds / f"poison-{stage}.txt").write_text(story(f"POISON{stage.upper()}", n))
    monkeypatch.setattr(ingest, "parse_article", failing_for(
        "POISONREADING", ingest.parse_article, lambda source, **_: source.text))
    monkeypatch.setattr(summarize, "select_sentences", failing_for(
        "POISONSUMMARIZE", summarize.select_sentences, lambda article, **_: article.text))
    monkeypatch.setattr(translate, "problems", failing_for(
        "POISONTRANSLATE", translate.problems, lambda source, *_: source))
    monkeypatch.setattr(stories, "extract_tags", failing_for(
        "POISONSTORIES", stories.extract_tags, lambda title, text, *_: text))
    monkeypatch.setattr(stories, "_terms", failing_for(  # the English summary (the tiny model upper-cases)
        "POISONSTORIES", stories._terms, lambda text, *_: text.upper()))
    monkeypatch.setattr(render, "render_post", failing_for(
        "POISONRENDER", render.render_post, lambda item, *_, **__: item.article.text))
    return make_project(tmp_path / "project", tiny_models, seeds=seeds)


def test_a_failure_in_any_stage_leaves_out_only_that_article_and_names_file_and_stage(poisoned):
    report = build(load_config(poisoned), SILENT)
    problems = [str(p) for p in report.problems]
    for stage in ("reading", "summarize", "render"):
        assert any(p.startswith(f"poison-{stage}.txt: {stage} failed (RuntimeError: injected failure")
                   for p in problems), (stage, problems)
    assert "poison-stories.txt: stories failed (RuntimeError: injected failure for POISONSTORIES); published with " \
           "no topics" in problems
    assert "poison-stories.txt: stories failed (RuntimeError: injected failure for POISONSTORIES); a story of its " \
           "own, with no topics" in problems
    assert any(p.startswith("poison-translate.txt: 1 text(s) shown in en on the pt site: the translation failed "
                            "the checks (check: it failed on this text, RuntimeError: injected failure")
               for p in problems), problems
    for lang in ("en", "pt"):
        site = poisoned / "site" / lang / "articles"
        for n in range(HEALTHY):
            assert (site / f"healthy-{n}" / "index.html").is_file()
        # summarizing failed: published with its opening words; translating: shown in the original, marked
        assert "council of" in (site / "poison-summarize" / "index.html").read_text()
        assert (site / "poison-translate" / "index.html").is_file()
        assert (site / "poison-stories" / "index.html").is_file()
        assert not (site / "poison-reading").exists()
        assert not (site / "poison-render").exists()  # left out, and out of every list
        assert "poison-render" not in (poisoned / "site" / lang / "articles" / "index.html").read_text()
    translated = (poisoned / "docs" / "pt" / "articles" / "poison-translate.md").read_text()
    assert 'class="pd-original"' in translated  # the sentence the checks failed on, marked


def test_a_full_disk_stops_the_build_and_keeps_the_previous_site(sample_project, monkeypatch):
    project = sample_project  # the sample seeds, just built
    before = {p: p.read_bytes() for p in (project / "site").rglob("*.html")}
    (project / "seeds" / "new.txt").write_text(story("", 9))

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(render, "render_post", disk_full)
    with pytest.raises(Exception, match="No space left on device") as failure:
        build(load_config(project), SILENT)
    assert not isinstance(failure.value, PublishError) or "space" in str(failure.value)
    assert {p: p.read_bytes() for p in (project / "site").rglob("*.html")} == before


def _docs_with_a_failing_page(tmp_path, tiny_models, monkeypatch, texts, fails):
    """write_docs on articles of ``texts`` with tiny models, render_post raising where ``fails(item,
    original_on_site)``; the project and the build's problems, as text."""
    from generator.core import write_docs

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n, text in enumerate(texts):
        (seeds / f"article-{n}.txt").write_text(text)
    original = render.render_post

    def render_post(item, *args, original_on_site=False, **kwargs):  # noqa: ANN001, ANN002, ANN003 - wraps it
        if fails(item, original_on_site):
            raise RuntimeError("injected failure")
        return original(item, *args, original_on_site=original_on_site, **kwargs)
    monkeypatch.setattr(render, "render_post", render_post)
    project = make_project(tmp_path / "project", tiny_models, seeds=seeds)
    return project, [str(p) for p in write_docs(load_config(project), SILENT).problems]


def test_an_article_left_out_of_its_own_language_is_shown_whole_elsewhere_with_no_link_to_its_missing_page(
        tmp_path, tiny_models, monkeypatch):
    from generator.mkdocs_hooks import ORIGINAL_PAGE

    texts = [story("POISONOWN" if n else "", n) + "".join(  # longer than an excerpt: elsewhere, a link to the whole
        f"\nThe {WORDS[(k + 5 * n) % 10]} committee of {PLACES[(k + 3 * n) % 10]} will report in the "
        f"{k + 2 + 20 * n}th week of work.\n" for k in range(10)) for n in range(2)]
    project, problems = _docs_with_a_failing_page(
        tmp_path, tiny_models, monkeypatch, texts,
        lambda item, _: "POISONOWN" in item.article.text and item.language == item.article.language)
    assert "article-1.txt: render failed (RuntimeError: injected failure); left out of the en site" in problems
    docs = project / "docs"
    assert not (docs / "en" / "articles" / "article-1.md").exists()
    assert ORIGINAL_PAGE in (docs / "pt" / "articles" / "article-0.md").read_text()  # to the English page
    elsewhere = (docs / "pt" / "articles" / "article-1.md").read_text()
    assert ORIGINAL_PAGE not in elsewhere and "in the 31th week of work" in elsewhere  # the whole text instead


def test_a_page_that_fails_once_it_shows_the_whole_original_is_left_out_too_and_reported(
        tmp_path, tiny_models, monkeypatch):
    texts = [story("", 0), story("POISONWHOLE", 1) + "".join(
        f"\nThe committee of {place} will report in the {k + 2}th week of work.\n" for k, place in enumerate(PLACES))]
    project, problems = _docs_with_a_failing_page(  # its own page, or the whole text elsewhere
        tmp_path, tiny_models, monkeypatch, texts,
        lambda item, original_on_site: "POISONWHOLE" in item.article.text and not original_on_site)
    for lang in ("en", "pt"):
        assert f"article-1.txt: render failed (RuntimeError: injected failure); left out of the {lang} site" in problems
        assert not (project / "docs" / lang / "articles" / "article-1.md").exists()
        assert (project / "docs" / lang / "articles" / "article-0.md").exists()
    assert len(problems) == len(set(problems))  # the first pass's problem is not reported twice
