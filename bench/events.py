#!/usr/bin/env python3
"""Event-level story grouping measured on a labelled set of real news: B-cubed precision and
recall, and the share of near misses merged, on the tuning half and the held-out half.

    .venv/bin/python bench/events.py [--background 600] [--grid] [--threads] [--before]
    .venv/bin/python bench/events.py --labels bench/labels/events.tsv --labels bench/labels/events-fresh.tsv
    .venv/bin/python bench/events.py --pairs tune   # that split's same-event and near-miss pair scores
    .venv/bin/python bench/events.py --time      # the stories stage on all 5,213 corpus articles
    .venv/bin/python bench/events.py --time --articles 10000  # on bench/archive.py's archive of 10,000
    .venv/bin/python bench/events.py --topics    # the 60 most frequent topics per language

The labels are bench/labels/events.tsv, or the files given with ``--labels`` (one or more: their
articles are grouped together in one run and every split they name is scored; the fresh,
never-tuned-on set is bench/labels/events-fresh.tsv, split "fresh"); how they were judged:
bench/labels/README.md. Each names corpus
records of ../shared/corpus (read at run time, never copied into the project) named by file,
line, id and a hash of their text, each with its event and thread. Near misses are labelled
pairs of different events in one thread, or naming one labelled entity. The labelled articles
are grouped among ``--background`` other articles of the same corpus (seeded sample), as in a
build; scores count the labelled articles only. Without translation: every article's pivot
text is its own title and lead (the labelled events are within one language; grouping across
languages is checked by tests/test_stories.py with the real models). ``--before`` also scores
the grouping of the commit before event-level stories (TF-IDF links of title + lead at 0.25,
capped at 30). An undated article's stand-in day (the day its file was added) is BUILD_DAY.

Threads are scored the same way against the labelled threads (an article's predicted thread is
its story's thread, or its story when that is in none); ``--threads`` scores a grid of thread
thresholds and windows on the tuning half only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import itertools
import json
import random
import subprocess
import sys
import threading
import time
import types
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
LABELS = REPO / "bench" / "labels" / "events.tsv"
sys.path.insert(0, str(REPO))

from generator import stories  # noqa: E402
from generator.cleaning import make_title  # noqa: E402
from generator.languages import split_sentences  # noqa: E402
from generator.memory import large_blocks_returned  # noqa: E402
from generator.records import Article, LocalizedArticle, Summary  # noqa: E402

BUILD_DAY = dt.date(2024, 6, 1)
BEFORE_COMMIT = "9fc4dc2"  # main before event-level stories


def read_labels(path: Path = LABELS) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        corpus, number, ident, digest, event, thread, entities, split = line.split("\t")
        rows.append({"corpus": corpus, "line": int(number), "id": ident, "sha": digest, "event": event,
                     "thread": thread, "entities": {e for e in entities.split(",") if e}, "split": split})
    return rows


def read_corpus() -> dict[str, list[dict]]:
    return {name.name: [json.loads(line) for line in gzip.open(name, "rt", encoding="utf-8")]
            for name in sorted(CORPUS.glob("news-*.jsonl.gz"))}


def localized(row: dict) -> LocalizedArticle:
    paragraphs = [p.strip() for p in row["text"].replace("\r", "").split("\n") if p.strip()]
    title = row.get("title")
    if not title:
        title, paragraphs = make_title(paragraphs, row["language"])
    date = dt.date.fromisoformat(row["date"]) if row.get("date") else None
    article = Article(slug=row["id"], source_file=f"{row['id']}.md", title=title, paragraphs=tuple(paragraphs),
                      language=row["language"], date=date or BUILD_DAY, date_is_stand_in=date is None,
                      source_url=row.get("url") or "", source_name="BBC News" if row["language"] == "en" else "")
    lead = tuple(split_sentences(" ".join(" ".join(paragraphs).split()), row["language"])[:3])
    return LocalizedArticle(Summary(article, lead), row["language"], title, lead, None)


def scores(groups: list[list[str]], labels: list[dict], level: str = "event") -> dict:
    """B-cubed precision and recall over the labelled articles, and near misses merged
    (``level``: the labelled "event" or "thread" is the truth)."""
    cluster = {}
    for number, group in enumerate(groups):
        for slug in group:
            cluster[slug] = number
    event = {row["id"]: row[level] for row in labels}
    ids = list(event)
    predicted = defaultdict(set)
    truth = defaultdict(set)
    for i in ids:
        predicted[cluster[i]].add(i)
        truth[event[i]].add(i)
    precision = recall = 0.0
    for i in ids:
        mine = predicted[cluster[i]]
        real = truth[event[i]]
        precision += len(mine & real) / len(mine)
        recall += len(mine & real) / len(real)
    by_id = {row["id"]: row for row in labels}
    near = [(a, b) for a, b in itertools.combinations(ids, 2) if event[a] != event[b] and (
        by_id[a]["thread"] == by_id[b]["thread"] or by_id[a]["entities"] & by_id[b]["entities"])]
    merged = sum(cluster[a] == cluster[b] for a, b in near)
    return {"precision": precision / len(ids), "recall": recall / len(ids), "near": len(near),
            "near_merged": merged / len(near) if near else 0.0, "articles": len(ids),
            "events": len(truth)}


def old_grouping():
    """The grouping of BEFORE_COMMIT, loaded from git."""
    source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:generator/stories.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("generator.stories_before")
    module.__package__ = "generator"
    sys.modules[module.__name__] = module
    exec(compile(source, "stories_before.py", "exec"), module.__dict__)  # noqa: S102 - our own file
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, action="append",
                        help="a label file to score (repeatable; default bench/labels/events.tsv)")
    parser.add_argument("--errors", action="append", default=[], metavar="SPLIT",
                        help="also list that split's same-event pairs split and different-event pairs merged")
    parser.add_argument("--pairs", action="append", default=[], metavar="SPLIT",
                        help="also print that split's same-event and near-miss pair scores, and their distributions")
    parser.add_argument("--background", type=int, default=600, help="unlabelled articles added (default 600)")
    parser.add_argument("--grid", action="store_true", help="also score a grid of thresholds and weights")
    parser.add_argument("--threads", action="store_true", help="also score a grid of thread thresholds and windows")
    parser.add_argument("--before", action="store_true", help="also score the grouping before event stories")
    parser.add_argument("--time", action="store_true", help="time the stories stage on every corpus article")
    parser.add_argument("--topics", action="store_true", help="the 60 most frequent topics per language")
    parser.add_argument("--articles", type=int, default=0,
                        help="with --time: the first N articles of bench/archive.py's archive (real news with "
                             "its dates, then generated articles) instead of the corpus as it is")
    args = parser.parse_args()
    if args.time and args.articles:
        time_stage(archive_items(args.articles))
        return

    corpus = read_corpus()
    if args.time or args.topics:
        rows = [row for records in corpus.values() for row in records]
        items = [localized(row) for row in rows]
        if args.time:
            time_stage(items)
        if args.topics:
            show_topics(items)
        return
    labels = [label for path in (args.labels or [LABELS]) for label in read_labels(path)]
    assert len({label["id"] for label in labels}) == len(labels), "an article is labelled twice"
    rows = []
    for label in labels:
        row = corpus[label["corpus"]][label["line"] - 1]
        assert row["id"] == label["id"] and hashlib.sha256(row["text"].encode()).hexdigest()[:10] == label["sha"], \
            f"{label['id']}: the corpus changed"
        rows.append(row)
    labelled = {row["id"] for row in rows}
    others = [row for records in corpus.values() for row in records if row["id"] not in labelled]
    rows += random.Random(7).sample(others, min(args.background, len(others)))
    items = [localized(row) for row in rows]
    halves = {split: [label for label in labels if label["split"] == split]
              for split in dict.fromkeys(label["split"] for label in labels)}
    print(f"{len(labels)} labelled articles (" + ", ".join(f"{len(part)} {split}" for split, part in halves.items())
          + f") among {len(items)}; languages: "
          + ", ".join(f"{lang} {sum(1 for r in rows[:len(labels)] if r['language'] == lang)}" for lang in ("en", "pt")))
    print(f"{'grouping':44} {'half':5} {'arts':>4} {'events':>6} {'B3 P':>5} {'B3 R':>5} {'near':>5} {'merged':>6}")

    def report(name: str, groups: list[list[str]], splits: tuple[str, ...] = tuple(halves)) -> None:
        for split in splits:
            s = scores(groups, halves[split])
            print(f"{name:44} {split:5} {s['articles']:4} {s['events']:6} {s['precision']:5.2f} {s['recall']:5.2f} "
                  f"{s['near']:5} {s['near_merged']:6.1%}")

    if (args.grid or args.threads) and "tune" not in halves:
        parser.error("--grid and --threads score the tuning half: give a label file with split 'tune'")
    memo = Memo()
    if args.before:
        old = old_grouping()
        report("before (TF-IDF links 0.25, main 9fc4dc2)", [list(s.slugs) for s in old.group_stories(items).stories])
    digest = stories.group_stories(items, cache=memo)
    report(f"events {stories.EVENT_THRESHOLD:.2f} (default)", [list(s.slugs) for s in digest.stories])
    titles = {item.summary.article.slug: item.title for item in items}
    for split in args.errors:
        show_errors(digest, halves[split], titles)
    for split in args.pairs:
        show_pairs(items, halves[split], memo)

    def thread_report(name: str, digest: stories.Digest, splits: tuple[str, ...] = tuple(halves)) -> None:
        threads: dict[str, list[str]] = defaultdict(list)
        for story in digest.stories:
            threads[story.thread or story.id] += story.slugs
        for split in splits:
            s = scores(list(threads.values()), halves[split], "thread")
            print(f"{name:44} {split:5} {s['articles']:4} {s['events']:6} {s['precision']:5.2f} {s['recall']:5.2f}")

    print(f"{'threads':44} {'half':5} {'arts':>4} {'thrds':>6} {'B3 P':>5} {'B3 R':>5}")
    thread_report(f"threads {stories.THREAD_THRESHOLD:.2f}, {stories.THREAD_DAYS} days (default)", digest)
    if args.threads:  # the tuning half only
        defaults_t = (stories.THREAD_THRESHOLD, stories.THREAD_DAYS, stories.THREAD_ENTITIES)
        for days in (14, 30, 60):
            for main in (3, 5, 8):
                for threshold in (0.2, 0.3, 0.4, 0.5, 0.6):
                    stories.THREAD_THRESHOLD, stories.THREAD_DAYS, stories.THREAD_ENTITIES = threshold, days, main
                    thread_report(f"t {threshold:.2f} days {days} entities {main}",
                                  stories.group_stories(items, cache=memo), ("tune",))
        stories.THREAD_THRESHOLD, stories.THREAD_DAYS, stories.THREAD_ENTITIES = defaults_t
    if args.grid:  # the tuning half only: the held-out half is scored once, with the defaults
        # Every labelled article is undated (neither corpus states dates for them), so the
        # labels measure the threshold an undated pair needs (EVENT_THRESHOLD + UNDATED_MARGIN),
        # not EVENT_THRESHOLD alone: the grid varies the margin and the entity weight.
        defaults = (stories.EVENT_THRESHOLD, stories.ENTITY_WEIGHT, stories.UNDATED_MARGIN)
        defaults_day = stories.STATED_DAY_MARGIN
        for weight in (0.5, 0.6, 0.7, 0.8):
            stories.ENTITY_WEIGHT = weight
            for margin in (0.05, 0.08, 0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22):
                stories.UNDATED_MARGIN = margin
                groups = [list(s.slugs) for s in stories.group_stories(items, cache=memo).stories]
                report(f"undated {stories.EVENT_THRESHOLD + margin:.2f} w {weight:.1f}", groups, ("tune",))
        stories.EVENT_THRESHOLD, stories.ENTITY_WEIGHT, stories.UNDATED_MARGIN = defaults
        # An undated pair whose texts name one event day (stories._one_day) needs STATED_DAY_MARGIN instead.
        for margin in (0.20, 0.15, 0.10, 0.05, 0.0):
            stories.STATED_DAY_MARGIN = margin
            groups = [list(s.slugs) for s in stories.group_stories(items, cache=memo).stories]
            report(f"stated day {stories.EVENT_THRESHOLD + margin:.2f}", groups, ("tune",))
        stories.STATED_DAY_MARGIN = defaults_day


def show_errors(digest: stories.Digest, labels: list[dict], titles: dict[str, str]) -> None:
    """The labelled pairs the grouping got wrong: one event's articles in different stories, and
    articles of different events in one story (a near miss when they share a thread or entity)."""
    story = {slug: number for number, s in enumerate(digest.stories) for slug in s.slugs}
    size = {number: len(s.slugs) for number, s in enumerate(digest.stories)}
    for a, b in itertools.combinations(labels, 2):
        same_story, same_event = story[a["id"]] == story[b["id"]], a["event"] == b["event"]
        if same_story == same_event:
            continue
        kind = "split" if same_event else (
            "merged near miss" if a["thread"] == b["thread"] or a["entities"] & b["entities"] else "merged unrelated")
        print(f"{kind}: {a['event']} / {b['event']} (stories of {size[story[a['id']]]} and {size[story[b['id']]]})"
              f"\n    {a['id']}: {titles[a['id']]}\n    {b['id']}: {titles[b['id']]}")


def show_pairs(items: list[LocalizedArticle], labels: list[dict], memo: Memo) -> None:
    """Every same-event and near-miss pair of ``labels`` in one language, highest score first: its
    score as placing sees it (undated margin taken off; 0 when not scored), whether the texts name
    one event day (the smaller margin applies), and each kind's distribution."""
    index = {item.article.slug: i for i, item in enumerate(items)}
    scores = stories.similarities(items, memo)
    features = stories._features_of(items, memo, [])
    pairs: dict[str, list[tuple[float, str]]] = {"same event": [], "near miss": []}
    for a, b in itertools.combinations(labels, 2):
        if a["corpus"] != b["corpus"]:
            continue
        near = a["thread"] == b["thread"] or a["entities"] & b["entities"]
        kind = "same event" if a["event"] == b["event"] else "near miss" if near else None
        if kind:
            i, j = sorted((index[a["id"]], index[b["id"]]))
            day = stories._one_day(features.days[i], features.days[j])
            pairs[kind].append((scores.get((i, j), 0.0), f"{a['event']} / {b['event']}{'  (one day)' if day else ''}"))
    for kind, found in pairs.items():
        found.sort(key=lambda pair: -pair[0])
        for score, name in found:
            print(f"  {kind:10} {score:5.2f}  {name}")
    for kind, found in pairs.items():
        values = sorted(score for score, _ in found)
        if values:
            quantiles = " ".join(f"{q:.0%} {values[min(len(values) - 1, int(q * len(values)))]:.2f}"
                                 for q in (0.1, 0.25, 0.5, 0.75, 0.9))
            joined = sum(score >= stories.EVENT_THRESHOLD for score in values)
            print(f"{kind}: {len(values)} pairs, {joined} at least {stories.EVENT_THRESHOLD:.2f}; {quantiles}")


class Memo:
    """In-memory stand-in for the build's cache: the grid computes each article's features once."""

    def __init__(self) -> None:
        self.values: dict = {}

    def lookup(self, keys: dict, compute):  # noqa: ANN001, ANN201 - the Cache.lookup protocol
        missing = [name for name, key in keys.items() if key not in self.values]
        if missing:
            fresh = compute(missing)
            self.values.update({keys[name]: fresh[name] for name in missing})
        return {name: self.values[key] for name, key in keys.items()}


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def time_stage(items: list[LocalizedArticle]) -> None:
    """The stories stage as a build runs it (topics, then grouping), cold: no cache. Wall time,
    the process's CPU time (the stage runs in one process: on a shared machine, its CPU time
    is what it costs) and how much its resident memory grew at most (sampled every 50 ms)."""
    before, peak, running = _resident_mb(), [0.0], [True]

    def sample() -> None:
        while running[0]:
            peak[0] = max(peak[0], _resident_mb())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start, start_cpu = time.perf_counter(), time.process_time()
    summaries = [item.summary for item in items]
    with large_blocks_returned():  # as the build's stories stage (generator/core.py)
        tagged = stories.tag_articles(summaries, {"en": items}, None, [])
        middle = time.perf_counter()
        digest = stories.group_stories(tagged["en"])
    end, end_cpu = time.perf_counter(), time.process_time()
    running[0] = False
    sampler.join()
    sizes = Counter(len(s.slugs) for s in digest.stories)
    print(f"stories stage on {len(items)} articles: {end - start:.1f} s, CPU {end_cpu - start_cpu:.1f} s "
          f"(topics {middle - start:.1f} s, grouping {end - middle:.1f} s), memory +{peak[0] - before:.0f} MB "
          f"(from {before:.0f}); {len(digest.stories)} stories, "
          f"largest {max(sizes)}, "
          f"{sum(c for size, c in sizes.items() if size > 1)} of several; {len(digest.threads)} threads, "
          f"largest {max((len(t.stories) for t in digest.threads), default=0)} stories, "
          f"{sum(len(t.stories) for t in digest.threads)} stories in threads")


def archive_items(count: int) -> list[LocalizedArticle]:
    """The first ``count`` articles of the archive bench/archive.py builds (bench/corpus.py:
    the corpus's real news, 20 a day with stated dates, then generated articles), read as the
    build's ingest reads them, each with its first three sentences as its summary."""
    import tempfile

    from corpus import write_archive_day

    from generator.config import load_config
    from generator.ingest import read_paths

    with tempfile.TemporaryDirectory() as folder:
        seeds = Path(folder) / "seeds"
        seeds.mkdir()
        write_archive_day(seeds, 0, count)
        found, _, _ = read_paths([seeds], load_config(Path(folder)))
        articles = [article for article, _, _ in found]
    items = []
    for article in articles:
        lead = tuple(split_sentences(" ".join(article.text.split()), article.language)[:3])
        items.append(LocalizedArticle(Summary(article, lead), article.language, article.title, lead, None))
    return items


def show_topics(items: list[LocalizedArticle]) -> None:
    """The 60 most frequent topics of each language's articles, as shown on that language's site."""
    summaries = [item.summary for item in items]
    tagged = stories.tag_articles(summaries, dict.fromkeys(("en", "pt"), items), None, [])
    for lang in ("en", "pt"):
        counts = Counter(tag for item in tagged[lang] if item.article.language == lang for tag in item.tags)
        print(f"{lang}: " + "; ".join(f"{tag} {count}" for tag, count in counts.most_common(60)))


if __name__ == "__main__":
    main()
