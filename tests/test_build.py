"""End to end: seeds -> docs/ -> site/ with the real sumy, argostranslate (tiny model) and MkDocs.
Most tests read the sample site built once per test run (conftest.sample_site); a test that
only needs the Markdown stops there (write_docs) and is not marked slow."""

import html
import json
import os
import re
import signal
from pathlib import Path

import pytest
from conftest import copy_project, search_documents, write_docs
from tiny_argos import expected_translation

from generator.config import load_config
from generator.core import build, build_lock
from generator.errors import BuildError, ConfigError, ExecutorError, PublishError
from generator.executor import run_forked
from generator.progress import SILENT

SLUGS = ["000-a942e54b00490a9e", "002-bafb978d1410a73f"]


def page_text(path: Path) -> str:
    """Visible text of the article body of a built page."""
    body = path.read_text(encoding="utf-8").split('<article class="md-content__inner', 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def built(sample_site):
    """The sample seeds built once per test run, through the CLI (conftest.sample_site)."""
    return sample_site.project, sample_site.result, sample_site.socket_log


@pytest.mark.slow
def test_build_opens_no_network_socket(built):
    project, _, log = built
    assert Path(str(log) + ".loaded").read_text().count("pid ") >= 1  # the guard ran in the build
    assert not log.exists(), log.read_text()


@pytest.mark.slow
def test_every_article_has_a_page_in_every_language(built):
    project = built[0]
    for lang in ("en", "pt"):
        for slug in SLUGS:
            assert (project / "site" / lang / "articles" / slug / "index.html").is_file()
            assert (project / "docs" / lang / "articles" / f"{slug}.md").is_file()
    assert (project / "site" / "index.html").is_file()


@pytest.mark.slow
def test_translated_page_carries_the_translated_summary(built):
    project = built[0]
    from generator.cache import Cache
    from generator.ingest import ingest
    from generator.summarize import summarize_all

    config = load_config(project)
    articles, _ = ingest(config)
    summaries, _, _ = summarize_all(articles, config, Cache(project / ".polydigest" / "cache.sqlite"))
    for summary in summaries:
        pt = page_text(project / "site" / "pt" / "articles" / summary.article.slug / "index.html")
        en = page_text(project / "site" / "en" / "articles" / summary.article.slug / "index.html")
        for sentence in summary.sentences:
            assert " ".join(expected_translation(sentence).split()) in " ".join(pt.split())
            assert " ".join(sentence.split()) in " ".join(en.split())
        assert expected_translation(summary.article.title) in pt
        assert "Traduzido automaticamente do inglês com o Argos Translate." in pt


@pytest.mark.slow
def test_each_language_has_its_own_search_index_of_its_articles_only(built):
    project = built[0]
    indexes = {}
    posts = sorted(p.stem for p in (project / "docs" / "en" / "articles").glob("*.md") if p.stem != "index")
    for lang in ("en", "pt"):
        site = project / "site" / lang
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [lang]  # the language's stemmer, not Material's interface language
        documents = search_documents(site)
        assert sorted(d["url"].split("/")[2] for d in documents) == posts  # articles only, each once
        assert not (site / "search" / "search_index.json").exists()  # lunr is off
        indexes[lang] = " ".join(d["content"] + " " + d["meta"]["title"] for d in documents)
    # "ATTACKS" exists only in the (upper-casing) Portuguese translation.
    assert "ATTACKS" in indexes["pt"] and "ATTACKS" not in indexes["en"]
    # Only title, date and summary: no labels, links, notes or the original text after them.
    for furniture in ("min read", "Argos Translate", "Original text", "Texto original", "leitura"):
        assert furniture not in indexes["en"] + indexes["pt"], furniture


@pytest.mark.slow
def test_no_boilerplate_reaches_any_built_page(built):
    project = built[0]
    for page in (project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for phrase in ("LISTEN MORE", "Leave a Reply", "Your email address", "Required fields", "One thought on"):
            assert phrase not in text, (page, phrase)


@pytest.mark.slow
def test_build_reports_its_work(sample_site):
    report = sample_site.report
    assert report["articles"] == 2 and report["summarized"] == 2 and report["translated"] > 0
    assert set(report["seconds"]) == {"ingest", "summarize", "translate", "stories", "render", "mkdocs"}
    parts = report["publish_seconds"]  # where the mkdocs stage's time went
    # each time is rounded to the millisecond in the report: three parts may sum to 1.5 ms over their whole
    assert set(parts) == {"mkdocs", "search", "measure"} and sum(parts.values()) <= report["seconds"]["mkdocs"] + 0.002
    assert "2 articles, 2 summarized" in sample_site.result.stderr
    assert "[mkdocs] 2/2" in sample_site.result.stderr  # progress


@pytest.mark.slow
def test_site_makes_no_reference_to_google_fonts_or_other_hosts(built):
    project = built[0]
    for page in (project / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


@pytest.mark.slow
def test_rebuild_is_byte_identical_and_recomputes_nothing(sample_project, sample_site):
    project, first = sample_project, sample_site.report  # the sample seeds, just built
    config = load_config(project)
    docs = {p: p.read_bytes() for p in (project / "docs").rglob("*.md")}
    second = build(config, SILENT)  # nothing changed: not even the cache is opened
    assert first["summarized"] == 2 and first["translated"] > 0
    assert (second.summarized, second.translated, second.cache_hits) == (0, 0, 0)
    assert (second.articles, [str(p) for p in second.problems], second.languages) == (
        first["articles"], first["problems"], first["languages"])
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == docs
    (project / ".polydigest" / "last-build.json").unlink()  # every stage runs again, on the cache
    third = build(config, SILENT)
    assert (third.summarized, third.translated) == (0, 0) and third.cache_hits > 0
    assert {p: p.read_bytes() for p in (project / "docs").rglob("*.md")} == docs


def test_bad_articles_are_reported_and_the_rest_still_build(project):
    (project / "seeds" / "empty.txt").write_text("")
    (project / "seeds" / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(200))
    report = write_docs(project)
    assert report.articles == 2
    assert sorted(p.subject for p in report.problems) == ["empty.txt", "picture.txt"]
    assert (project / "docs" / "pt" / "articles" / f"{SLUGS[0]}.md").is_file()


@pytest.mark.slow
def test_missing_model_fails_with_the_fix_and_the_skip_option_leaves_the_language_out(sample_project):
    project = sample_project  # the sample seeds, just built: a switch to de would rebuild every page
    config = load_config(project, {"languages": "en,pt,de"})
    with pytest.raises(BuildError, match=r"en -> de.*translate-en_de\.argosmodel"):
        build(config, SILENT)
    config.skip_missing_languages = True
    report = build(config, SILENT)
    assert report.languages == ["en", "pt"]
    assert any("language de" in str(p) for p in report.problems)
    assert not (project / "site" / "de").exists()
    assert 'hreflang="de"' not in (project / "site" / "en" / "index.html").read_text()  # no switch to it


@pytest.mark.slow
def test_failed_mkdocs_build_leaves_the_previous_site_intact(sample_site, tmp_path):
    project = copy_project(sample_site.project, tmp_path / "project")
    before = (project / "site" / "en" / "index.html").read_bytes()
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text() + "\nnot_an_option: 1\n")
    with pytest.raises(PublishError, match="left as it was"):
        build(load_config(project), SILENT)
    assert (project / "site" / "en" / "index.html").read_bytes() == before
    assert not list(project.glob("site.*"))


def test_second_concurrent_build_refuses_with_a_clear_message(project):
    config = load_config(project)
    with build_lock(config), pytest.raises(BuildError, match="another build"):
        build(config, SILENT)


@pytest.mark.slow
def test_right_to_left_language_gets_rtl_pages(dated_rtl_project):
    page = (dated_rtl_project / "site" / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar"' in page and re.search(r'<body dir="rtl"', page)
    assert 'dir="rtl"' not in (dated_rtl_project / "site" / "en" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_language_switcher_links_to_the_same_article(built):
    project = built[0]
    page = (project / "site" / "en" / "articles" / SLUGS[1] / "index.html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*class="md-select__link"', page))
    assert {v: k for k, v in links.items()}["pt"] == f"../../../pt/articles/{SLUGS[1]}/"


@pytest.mark.slow
def test_the_theme_s_own_words_are_in_each_site_s_language(built):
    # Material writes its footer's "Made with" and its 404 heading in English on every site
    site = built[0] / "site"
    article, missing = site / "pt" / "articles" / SLUGS[1] / "index.html", site / "pt" / "404.html"
    assert "Feito com" in article.read_text(encoding="utf-8") and "Made with" not in article.read_text(encoding="utf-8")
    assert "<h1>404 – Página não encontrada</h1>" in missing.read_text(encoding="utf-8")
    assert "<h1>404 – Page not found</h1>" in (site / "en" / "404.html").read_text(encoding="utf-8")
    assert "Made with" in (site / "en" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_build_passes_with_networking_disabled(sample_site):
    if not sample_site.offline:
        pytest.skip("this machine does not allow network namespaces (unshare -n)")
    assert sample_site.result.returncode == 0, sample_site.result.stderr
    assert (sample_site.project / "site" / "pt" / "articles" / SLUGS[0] / "index.html").is_file()


@pytest.mark.slow
def test_untranslatable_sentence_is_shown_in_the_original_with_a_note(sample_project):
    project = sample_project  # the sample seeds, just built
    long_sentence = "This sentence goes on " + "and on " * 75 + "until it ends."
    (project / "seeds" / "long.txt").write_text(f"A Long Story\n\n{long_sentence} A short one follows.\n")
    report = build(load_config(project), SILENT)
    assert report.translation_fallbacks == 1
    assert [str(p) for p in report.problems] == [
        "long.txt: 1 text(s) shown in en on the pt site: the translation failed the checks "
        "(model: it failed on this text)"]
    page = page_text(project / "site" / "pt" / "articles" / "long" / "index.html")
    assert " ".join(long_sentence.split()) in " ".join(page.split())
    assert "A LONG STORY" in page  # the title translated
    assert "Trechos que não puderam ser traduzidos automaticamente com confiabilidade e aparecem no idioma " \
        "original: 1." in page


def _fails_with(error: BaseException) -> None:
    raise error


def test_stage_process_returns_the_result_and_raises_the_childs_errors_in_the_parent():
    assert run_forked(lambda a, b: (os.getpid(), a + b), 2, 3)[1] == 5
    assert run_forked(os.getpid) != os.getpid()  # really another process
    with pytest.raises(ConfigError, match="seeds_dir: no such folder"):
        run_forked(_fails_with, ConfigError("seeds_dir: no such folder"))
    with pytest.raises(KeyError) as bug:
        run_forked(_fails_with, KeyError("slug"))
    assert "in the build's stage process" in "\n".join(bug.value.__notes__)  # where it happened
    with pytest.raises(ExecutorError, match="died .exit code -9"):
        run_forked(lambda: os.kill(os.getpid(), signal.SIGKILL))
