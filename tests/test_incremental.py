"""A rebuild costs what changed: counts of work done, not times. Each test changes the sample
site just built (conftest.sample_project), and is marked slow."""

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT
from generator.publish import page_output

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
def built(sample_project, sample_site):
    """The sample site just built (conftest.sample_project) and that build's report."""
    first = sample_site.report
    assert first["summarized"] == 2 and first["translated"] > 0 and first["published"] == ["en", "pt"]
    return sample_project, first


@pytest.mark.slow
def test_noop_rebuild_summarizes_translates_and_publishes_nothing(built):
    project, first = built
    report = build(load_config(project), SILENT)
    assert (report.summarized, report.translated, report.published) == (0, 0, [])
    assert (report.articles, [str(p) for p in report.problems]) == (first["articles"], first["problems"])  # again
    assert (project / "site" / "pt" / "index.html").is_file()


@pytest.mark.slow
def test_a_hand_edited_page_or_a_lost_site_page_makes_the_next_build_restore_it(built):
    project, _ = built
    page = project / "docs" / "en" / "index.md"
    generated = page.read_text()
    page.write_text(generated + "\nedited by hand\n")
    build(load_config(project), SILENT)
    assert page.read_text() == generated
    (project / "site" / "pt" / "index.html").unlink()
    report = build(load_config(project), SILENT)
    assert report.published == ["pt"] and (project / "site" / "pt" / "index.html").is_file()


def test_a_reading_that_expires_makes_the_build_run_again(tmp_path):
    import datetime as dt

    from generator.records import BuildReport
    from generator.state import LastBuild

    last = LastBuild(tmp_path)
    last.save("inputs", BuildReport(articles=3, languages=["en"]), None)
    assert last.unchanged("inputs").articles == 3 and last.unchanged("other") is None
    last.save("inputs", BuildReport(articles=3), dt.date.today())
    assert last.unchanged("inputs") is not None  # good through today
    last.save("inputs", BuildReport(articles=3), dt.date.today() - dt.timedelta(days=1))
    assert last.unchanged("inputs") is None


@pytest.mark.slow
def test_adding_one_article_costs_one_summary_and_its_translations(built):
    project, _ = built
    (project / "seeds" / "budget.txt").write_text(NEW_ARTICLE)
    report = build(load_config(project), SILENT)
    assert report.articles == 3 and report.summarized == 1
    assert report.translated == texts_of(project, "budget") * (2 - 1)  # one other language
    assert (project / "site" / "pt" / "articles" / "budget" / "index.html").is_file()


@pytest.mark.slow
def test_a_build_in_place_rewrites_only_changed_pages_and_never_a_file_of_the_live_site(built, tmp_path):
    """The new article's pages are built over hard links to the current site: every file the
    current site had keeps its bytes (a hard-linked snapshot would show any rewrite), pages
    whose Markdown did not change are the very same files, and a removed article's page goes."""
    project, _ = built
    site = project / "site"
    snapshot = tmp_path / "snapshot"
    before = {}
    for path in site.rglob("*"):
        if path.is_file():
            relative = path.relative_to(site)
            (snapshot / relative).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, snapshot / relative)  # shares the file: a rewrite in place would show here
            before[relative] = path.read_bytes()
    docs = project / "docs" / "en"
    markdown_before = {str(page.relative_to(docs)): page.read_bytes() for page in docs.rglob("*.md")}
    (project / "seeds" / "budget.txt").write_text(NEW_ARTICLE)
    removed = sorted((project / "seeds").glob("*.txt"))[0]
    removed_slug = next(p.parent.name for p in (site / "en" / "articles").glob("*/index.html")
                        if removed.stem.split("_")[0] in p.parent.name)
    removed.unlink()
    report = build(load_config(project), SILENT)
    assert report.published == ["en", "pt"]
    assert all((snapshot / relative).read_bytes() == content for relative, content in before.items())
    assert (site / "en" / "articles" / "budget" / "index.html").is_file()
    assert not (site / "en" / "articles" / removed_slug).exists()
    unchanged = changed = 0
    for page, markdown in markdown_before.items():
        output = Path("en") / page_output(page)
        if (project / "docs" / "en" / page).is_file():
            same = (project / "docs" / "en" / page).read_bytes() == markdown
            assert os.path.samefile(site / output, snapshot / output) == same, page
            unchanged, changed = unchanged + same, changed + (not same)
    assert unchanged and changed


@pytest.mark.slow
def test_changing_the_beam_retranslates_but_does_not_resummarize(built):
    project, first = built
    report = build(load_config(project, {"beam_size": 3}), SILENT)
    assert report.summarized == 0 and report.translated == first["translated"]


@pytest.mark.slow
def test_changing_the_summarizer_resummarizes_every_article(built):
    project, _ = built
    report = build(load_config(project, {"summary_algorithm": "luhn"}), SILENT)
    assert report.summarized == 2


@pytest.mark.slow
def test_a_changed_model_file_invalidates_only_its_own_translations(built):
    project, first = built
    with zipfile.ZipFile(project / "models" / "translate-en_pt.argosmodel", "a") as archive:
        archive.comment = b"retrained"
    report = build(load_config(project), SILENT)
    assert report.summarized == 0 and report.translated == first["translated"]


@pytest.mark.slow
def test_a_new_language_translates_only_into_that_language(built):
    project, first = built
    report = build(load_config(project, {"languages": "en,pt,ar"}), SILENT)
    assert report.summarized == 0 and report.translated == first["translated"]  # en->ar, as many as en->pt
    assert sorted(report.published) == ["ar", "en", "pt"]  # every page's switcher gained a language


def _setup_fingerprint(project: Path, monkeypatch, package: Path) -> str:
    """The en site's setup fingerprint with polydigest's theme and hooks taken from ``package``."""
    from generator import publish

    monkeypatch.setattr(publish, "THEME_OVERRIDES", package / "theme")
    monkeypatch.setattr(publish, "HOOKS", package / "mkdocs_hooks.py")
    config = load_config(project)
    parent = publish.read_parent(config.path(config.mkdocs_config))
    derived = publish.derived_config(config, parent, "en", ["en", "pt"], project / "site")
    return publish.setup_fingerprint(config, derived)


def test_polydigest_or_the_project_moved_elsewhere_does_not_build_every_page_afresh(tmp_path, monkeypatch):
    from generator import publish

    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: News\nhooks: [my_hook.py]\n")
    (project / "my_hook.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n")
    here = _setup_fingerprint(project, monkeypatch, publish.THEME_OVERRIDES.parent)
    shutil.copytree(project, tmp_path / "moved project")
    assert _setup_fingerprint(tmp_path / "moved project", monkeypatch, publish.THEME_OVERRIDES.parent) == here
    moved = tmp_path / "venv" / "generator"  # a moved checkout or virtualenv: same theme, same hooks
    shutil.copytree(publish.THEME_OVERRIDES, moved / "theme")
    shutil.copy(publish.HOOKS, moved / "mkdocs_hooks.py")
    assert _setup_fingerprint(project, monkeypatch, moved) == here
    (moved / "theme" / "main.html").write_text("{% extends 'base.html' %}\n")  # its theme changed
    assert _setup_fingerprint(project, monkeypatch, moved) != here
    (project / "my_hook.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown + '!'\n")
    assert _setup_fingerprint(project, monkeypatch, publish.THEME_OVERRIDES.parent) != here  # the maintainer's hook


@pytest.mark.slow
def test_a_build_in_place_starts_from_the_site_it_replaced_and_a_page_removed_since_stays_gone(built):
    """The site a build replaces is kept as the next build's spare copy: the next build in place
    starts from it, links again only what changed since, and a page it holds that the current
    site no longer has does not come back (paths' tests check the copy file by file)."""
    project, _ = built
    site, spare = project / "site", project / ".polydigest" / "spare-site"
    (project / "seeds" / "budget.txt").write_text(NEW_ARTICLE)
    build(load_config(project), SILENT)
    assert (spare / "en" / "index.html").is_file() and not (spare / "en" / "articles" / "budget").exists()
    before = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    spare_assets = (spare / "en" / "assets").stat().st_ino  # a folder moved into place keeps its inode
    (project / "seeds" / "budget.txt").unlink()  # the page the spare lacks goes, the spare's pages stay out
    (project / "seeds" / "park.txt").write_text(NEW_ARTICLE.replace("Council Approves Budget", "Town Opens Park"))
    report = build(load_config(project), SILENT)
    assert report.published == ["en", "pt"]
    after = {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    assert (site / "en" / "articles" / "park" / "index.html").is_file()
    assert not (site / "en" / "articles" / "budget").exists()
    assets = [path for path in after if path.parts[:2] == ("en", "assets")]
    assert assets and all(before[path] == after[path] for path in assets)  # unchanged: the very same files
    assert {p.relative_to(spare): p.stat().st_ino for p in spare.rglob("*") if p.is_file()} == before
    assert (site / "en" / "assets").stat().st_ino == spare_assets  # the copy was made from the spare


@pytest.mark.slow
def test_a_spare_site_that_links_elsewhere_is_not_used_and_what_it_leads_to_is_left_alone(built, tmp_path):
    project, _ = built
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "en").mkdir(parents=True)
    (elsewhere / "en" / "notes.txt").write_text("mine")
    (elsewhere / ".polydigest-output").write_text("looks claimed")
    spare = project / ".polydigest" / "spare-site"
    if spare.exists():
        shutil.rmtree(spare)
    spare.symlink_to(elsewhere)
    (project / "seeds" / "budget.txt").write_text(NEW_ARTICLE)
    report = build(load_config(project), SILENT)
    assert report.published == ["en", "pt"] and (project / "site" / "en" / "articles" / "budget").is_dir()
    assert (elsewhere / "en" / "notes.txt").read_text() == "mine"
    assert spare.is_dir() and not spare.is_symlink()  # the site just replaced, kept in its place
