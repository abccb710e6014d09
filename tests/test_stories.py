"""From a pile of pages to a digest: related stories across sources and languages,
topics, daily editions and feeds. Uses the real en<->pt models: grouping compares the
English translation of a Portuguese article with English articles."""

import re
import shutil
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import REPO, make_project

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

RELATED = Path(__file__).parent / "fixtures" / "related"
STORM = ["storm-gazette", "storm-herald", "storm-pt"]


@pytest.fixture(scope="module")
def digest(tmp_path_factory):
    seeds = tmp_path_factory.mktemp("digest-seeds")
    for name in STORM + ["wildfire", "phone-launch"]:
        shutil.copy(RELATED / f"{name}.txt", seeds / f"{name}.txt")
    project = make_project(tmp_path_factory.mktemp("digest") / "project", REPO / "models", seeds=seeds)
    report = build(load_config(project), SILENT)
    return project, report


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n", 2)[1])


def test_three_sources_of_one_event_are_one_story_on_the_home_page(digest):
    project, _ = digest
    for lang, sources in (("en", "3 sources"), ("pt", "3 fontes")):
        home = (project / "docs" / lang / "index.md").read_text()
        headings = re.findall(r"^## \[.*\]\(articles/([\w-]+)\.md\)", home, re.M)
        assert headings == ["storm-pt", "wildfire", "phone-launch"]  # newest story first, each once
        assert home.count(sources) == 1
        for slug in ("storm-gazette", "storm-herald"):
            assert f"articles/{slug}.md" in home  # listed under the story


def test_each_article_lists_its_related_articles(digest):
    project, _ = digest
    for lang in ("en", "pt"):
        for slug in STORM:
            page = (project / "docs" / lang / "articles" / f"{slug}.md").read_text()
            linked = set(re.findall(r"\(\.\./articles/([\w-]+)\.md\)", page))
            assert linked == set(STORM) - {slug}
        lone = (project / "docs" / lang / "articles" / "wildfire.md").read_text()
        assert "../articles/" not in lone


def test_articles_carry_topics_in_the_site_language(digest):
    project, _ = digest
    english = (project / "docs" / "en" / "articles" / "storm-gazette.md").read_text()
    assert "[Port Harbor](../tags/port-harbor.md)" in english
    portuguese = (project / "docs" / "pt" / "articles" / "storm-herald.md").read_text()
    assert "[Port Harbor](../tags/port-harbor.md)" in portuguese
    for lang in ("en", "pt"):
        tags_page = (project / "site" / lang / "tags" / "index.html").read_text()
        count = int(re.search(r'href="port-harbor/">Port Harbor</a> \((\d+)\)', tags_page).group(1))
        topic = (project / "site" / lang / "tags" / "port-harbor" / "index.html").read_text()
        assert count >= 2 and topic.count('href="../../articles/storm-') == count


def test_daily_editions_list_each_day_newest_first(digest):
    project, _ = digest
    index = (project / "docs" / "en" / "editions" / "index.md").read_text()
    assert re.findall(r"\((\d{4}-\d{2}-\d{2})\.md\)", index) == ["2024-03-15", "2024-03-14", "2024-03-12"]
    day = (project / "docs" / "en" / "editions" / "2024-03-14.md").read_text()
    assert "wildfire.md" in day and "storm" not in day  # the storm story belongs to its lead's day
    assert "Edição de 15 de março de 2024" in (project / "docs" / "pt" / "editions" / "2024-03-15.md").read_text()
    assert (project / "site" / "en" / "editions" / "2024-03-15" / "index.html").is_file()
    assert "editions/index.md" in (project / "docs" / "en" / "index.md").read_text()  # reachable from home


def test_feed_per_language_is_valid_and_linked_from_every_page(digest):
    project, _ = digest
    for lang in ("en", "pt"):
        feed = feedparser.parse((project / "site" / lang / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.language == lang and len(feed.entries) == 5
        titles = [e.title for e in feed.entries]
        assert titles[0] == ("Tempestade inunda cidades costeiras" if lang == "pt" else titles[0])
        assert all(e.summary for e in feed.entries)
        for page in (project / "site" / lang).rglob("*.html"):
            assert 'type="application/rss+xml"' in page.read_text(), page


# --- Event-level stories, outlets and entity topics (no models needed) ---

import datetime as dt  # noqa: E402
import json  # noqa: E402

from generator import entities, stories  # noqa: E402
from generator.outlets import count_outlets, outlet_key  # noqa: E402
from generator.records import Article, LocalizedArticle, Summary  # noqa: E402


def _item(slug, title, text, date=None, language="en", added=dt.date(2024, 6, 1), **fields):
    article = Article(slug=slug, source_file=f"{slug}.txt", title=title, paragraphs=(text,), language=language,
                      date=date or added, date_is_stand_in=date is None, **fields)
    sentences = tuple(text.split(". ")[:2])
    return LocalizedArticle(Summary(article, sentences), language, title, sentences, None)


FILLER = [_item(f"filler-{n}", f"Topic{n} news", f"Word{n}a word{n}b word{n}c happened in Place{n}. "
                f"Officials of Agency{n} spoke about item{n} and thing{n}.", dt.date(2024, 5, 6)) for n in range(30)]
MERGER = ("Acme Steel agrees takeover by Borealis Metals for $4.2bn. The board of Acme Steel accepted the "
          "4.2bn offer from Borealis Metals on Monday. Shareholders of Acme Steel will receive 310 pence a share.")


def _groups(digest):
    return {frozenset(s.slugs) for s in digest.stories}


def test_reports_of_one_event_are_one_story_and_a_chain_of_neighbours_is_not():
    a = _item("merger-a", "Acme Steel accepts Borealis bid", MERGER, dt.date(2024, 5, 6))
    b = _item("merger-b", "Borealis Metals buys Acme Steel", MERGER.replace("Monday", "Monday evening"),
              dt.date(2024, 5, 7))
    # Shares a name with the merger, but not the event: close to one neighbour, not to the story.
    c1 = _item("steel-c1", "Acme Steel workers strike", "Workers at Acme Steel walked out over pay at the "
               "Redford plant. Union leaders at the Redford plant of Acme Steel said the strike over pay "
               "would go on.", dt.date(2024, 5, 7))
    items = [a, b, c1, *FILLER]
    digest = stories.group_stories(items)
    assert frozenset({"merger-a", "merger-b"}) in _groups(digest)
    assert frozenset({"steel-c1"}) in _groups(digest)
    assert sorted(slug for s in digest.stories for slug in s.slugs) == sorted(i.article.slug for i in items)


def test_dated_articles_years_apart_never_merge_and_undated_is_compared_near_the_day_it_was_added():
    old = _item("old", "Acme Steel accepts Borealis bid", MERGER, dt.date(2004, 5, 6))
    new = _item("new", "Acme Steel accepts Borealis bid", MERGER, dt.date(2016, 5, 6))
    assert _groups(stories.group_stories([old, new, *FILLER])) >= {frozenset({"old"}), frozenset({"new"})}
    near = _item("undated-near", "Acme Steel accepts Borealis bid", MERGER, added=dt.date(2004, 5, 8))
    far = _item("undated-far", "Acme Steel accepts Borealis bid", MERGER, added=dt.date(2004, 6, 8))
    groups = _groups(stories.group_stories([old, near, far, *FILLER]))
    assert frozenset({"old", "undated-near"}) in groups and frozenset({"undated-far"}) in groups


def test_undated_articles_are_compared_within_their_window_only():
    """5,000 undated articles added over a year: each is compared with those added within
    STORY_DAYS of it, not with every other (the backed-out attempt took 117 s on 5,213; the
    stage's time is measured by bench/events.py --time, not asserted here)."""
    items = [_item(f"a{n}", f"Storm{n % 97} hits town{n % 89}", f"Rain{n % 83} and wind{n % 79} hit the "
                   f"region of Place{n % 73} near Lake{n % 71}. Residents{n % 67} were moved.",
                   added=dt.date(2023, 1, 1) + dt.timedelta(days=n % 365)) for n in range(5000)]
    scores = stories.similarities(items)
    days = [item.article.date.toordinal() for item in items]
    assert all(abs(days[i] - days[j]) <= stories.STORY_DAYS for i, j in scores)


def test_a_failing_article_is_a_problem_and_a_story_of_its_own(monkeypatch):
    real = stories._terms

    def failing(text, language, stem):
        if text.startswith("Broken"):
            raise ValueError("bad text")
        return real(text, language, stem)

    monkeypatch.setattr(stories, "_terms", failing)
    broken = _item("broken", "Broken Acme Steel accepts Borealis bid", MERGER, dt.date(2024, 5, 6))
    fine = _item("fine", "Acme Steel accepts Borealis bid", MERGER, dt.date(2024, 5, 6))
    problems = []
    digest = stories.group_stories([broken, fine, *FILLER], problems=problems)
    assert [str(p) for p in problems] == ["broken.txt: stories failed (ValueError: bad text); a story of its own, "
                                          "with no topics"]
    assert frozenset({"broken"}) in _groups(digest)


def test_outlets_are_names_and_registered_domains_not_articles():
    def art(**fields):
        return Article(slug="s", source_file=fields.pop("file", "a.txt"), title="t", paragraphs=("x",),
                       language="pt", date=dt.date(2024, 1, 1), date_is_stand_in=False, **fields)

    estadao = [art(source_url="http://politica.estadao.com.br/a"), art(source_url="https://esportes.estadao.com.br/b")]
    assert count_outlets(estadao) == 1  # one site, two sections
    blogs = [art(source_name="Blog do Ana", source_url="http://ana.blogosfera.uol.com.br/1"),
             art(source_name="Blog do Rui", source_url="http://rui.blogosfera.uol.com.br/2")]
    assert count_outlets(blogs) == 2  # one domain, two names
    assert outlet_key(art(source_url="https://news.bbc.co.uk/x")) == outlet_key(art(source_url="http://www.bbc.co.uk/"))
    assert count_outlets([art(file="feed-a/1.md"), art(file="feed-a/2.md"), art(file="feed-b/1.md")]) == 2


def test_a_story_counts_its_outlets_and_says_when_it_has_one():
    from generator.render import _story_lines

    def reported(slug, name):
        item = _item(slug, "Acme Steel accepts Borealis bid", MERGER, dt.date(2024, 5, 6), source_name=name)
        return item

    two = "\n".join(_story_lines([reported("a", "Daily Planet"), reported("b", "Daily Planet"),
                                  reported("c", "Gazette")], "en"))
    assert "**3 articles · 2 sources**" in two
    one = "\n".join(_story_lines([reported("a", "Daily Planet"), reported("b", "Daily Planet")], "pt"))
    assert "**2 artigos · uma fonte**" in one


def test_topics_are_entities_with_aliases_merged_and_never_calendar_generic_or_outlet_words():
    text = ("Michel Temer met officials of the London Stock Exchange (LSE) on Friday in December, the BBC "
            "reported. Temer said the LSE would open an office in the United States. The US market and American "
            "investors welcomed it. Justice was not on the agenda, the justice minister said on TV. Temer flew "
            "to São Paulo. São Paulo officials met Temer.")
    found = entities.find_entities("Temer visits LSE", text, "en")
    keys = set(found.counts)
    assert "name:michel temer" in keys and "name:temer" not in keys
    assert "name:london stock exchange" in keys and "name:lse" not in keys
    assert "country:US" in keys and found.counts["country:US"] >= 3  # United States, US, American
    assert not keys & {"name:friday", "name:december", "name:justice", "name:tv", "name:bbc"}
    assert entities.display_name("country:US", "US", "pt") == "Estados Unidos"  # CLDR, not a machine translation
    assert entities.display_name("name:sao paulo", "São Paulo", "en") == "São Paulo"  # copied, never translated
    pt = entities.find_entities("EUA e Brasil", "Os EUA e o Brasil assinaram, segundo o G1. Os Estados Unidos "
                                "disseram sim. O Ministério Público Federal aprovou na segunda-feira, em janeiro. "
                                "O Ministério Público Federal recorreu.", "pt")
    assert pt.counts.get("country:US", 0) >= 3 and "country:BR" in pt.counts
    assert "name:ministerio publico federal" in pt.counts and "name:publico federal" not in pt.counts
    assert not any("segunda" in k or "janeiro" in k or k == "name:g1" for k in pt.counts)


def test_one_entity_has_one_topic_across_the_collection():
    def lula(slug, text):
        item = _item(slug, "Lula fala", text, dt.date(2017, 5, 6), language="pt")
        return item.summary

    summaries = [lula("a", "Luiz Inácio Lula da Silva falou em Curitiba. Luiz Inácio Lula da Silva negou."),
                 lula("b", "O ex-presidente Luiz Inácio Lula da Silva depôs. Luiz Inácio Lula da Silva saiu."),
                 lula("c", "Lula falou de novo em Curitiba. Lula negou tudo ao juiz.")]
    localized = {lang: [LocalizedArticle(s, lang, s.article.title, s.sentences, None) for s in summaries]
                 for lang in ("pt", "en")}
    tagged = stories.tag_articles(summaries, localized, None, [])
    for lang in ("pt", "en"):
        shown = {tag for item in tagged[lang] for tag in item.tags}
        assert "Luiz Inácio Lula da Silva" in shown and "Lula" not in shown
        assert "Brasil" not in shown or lang == "pt"


def test_stories_command_prints_every_article_once(tmp_path, capsys):
    from generator.cli import main

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in STORM + ["wildfire", "phone-launch"]:
        shutil.copy(RELATED / f"{name}.txt", seeds / f"{name}.txt")
    project = make_project(tmp_path / "project", REPO / "models", seeds=seeds)
    assert main(["stories", "--json", "--project", str(project), str(seeds)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    files = sorted(a["file"] for line in lines for a in line["articles"])
    assert files == sorted(str(seeds / f"{n}.txt") for n in STORM + ["wildfire", "phone-launch"])
    storm = [line for line in lines if len(line["articles"]) > 1]
    assert [sorted(a["file"] for a in line["articles"]) for line in storm] == [
        sorted(str(seeds / f"{n}.txt") for n in STORM)]
    for line in lines:
        assert set(line) == {"story", "title", "articles", "thread", "topics"}
        assert all(set(a) == {"file", "entry", "outlet", "date"} for a in line["articles"])
        assert all(a["date"] in ("2024-03-12", "2024-03-14", "2024-03-15") for a in line["articles"])
        assert line["thread"] is None and isinstance(line["topics"], list)


def test_a_run_of_capitalized_words_is_split_into_the_names_it_holds():
    text = ("UK Foreign Secretary Jack Straw met Britain's Kelly Holmes. Jack Straw said so. Kelly Holmes agreed. "
            "Labour MPs and Home Secretary Charles Clarke spoke. Charles Clarke left.")
    keys = set(entities.find_entities("Straw meets Holmes", text, "en").counts)
    assert {"name:jack straw", "name:kelly holmes", "name:charles clarke", "country:GB"} <= keys
    assert not any("secretary" in key or key.endswith(" mps") for key in keys)
    pt = entities.find_entities("STF Gilmar Mendes", "O presidente da Câmara dos Deputados Eduardo Cunha falou. "
                                "O ministro do STF Gilmar Mendes respondeu a Eduardo Cunha.", "pt")
    assert {"name:eduardo cunha", "name:gilmar mendes"} <= set(pt.counts)
    assert entities.collection_aliases({"name:pt": 3, "name:partido dos trabalhadores": 2, "name:tories": 2,
                                        "name:tory": 5}) == {"name:pt": "name:partido dos trabalhadores",
                                                             "name:tories": "name:tory"}
