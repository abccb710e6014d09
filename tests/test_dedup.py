"""Near-duplicate detection by MinHash/LSH finds what comparing every pair finds."""

import datetime as dt
import itertools
import random

import numpy as np

from generator import dedup
from generator.cache import Cache
from generator.dedup import deduplicate, near_identical, shingles
from generator.records import Article

WORDS = ["council", "budget", "river", "bridge", "train", "school", "harvest", "storm", "minister", "court",
         "market", "bank", "election", "hospital", "police", "festival", "airport", "museum", "factory", "strike"]


def article(name: str, text: str) -> Article:
    return Article(slug=name, source_file=name, title=name, paragraphs=(text,), language="en",
                   date=dt.date(2024, 5, 1), date_is_stand_in=False)


def random_text(picker: random.Random, words: int) -> str:
    return " ".join(picker.choice(WORDS) + str(picker.randrange(50)) for _ in range(words))


def edited(picker: random.Random, text: str, share: float) -> str:
    """The text with ``share`` of its words replaced by others."""
    words = text.split()
    for i in picker.sample(range(len(words)), int(len(words) * share)):
        words[i] = "edited" + str(picker.randrange(10**6))
    return " ".join(words)


def test_lsh_finds_every_near_copy_among_hundreds_and_nothing_else(tmp_path):
    picker = random.Random(7)
    originals = [article(f"a{n:03}.txt", random_text(picker, picker.randrange(80, 400))) for n in range(400)]
    copies = [article(f"z{n:03}.txt", edited(picker, originals[n].text, 0.02)) for n in range(0, 400, 10)]
    loose = [article(f"y{n:03}.txt", edited(picker, originals[n].text, 0.5)) for n in range(5, 400, 10)]
    everything = originals + copies + loose
    # the rule itself, on every pair: each copy is near-identical to its original only
    assert all(near_identical(shingles(c.text), shingles(originals[int(c.slug[1:4])].text)) for c in copies)
    assert not any(near_identical(shingles(c.text), shingles(originals[int(c.slug[1:4])].text)) for c in loose)
    for cache in (None, Cache(tmp_path / "cache.sqlite"), Cache(tmp_path / "cache.sqlite")):  # cold, then cached
        kept, problems = deduplicate(everything, cache)
        dropped = sorted(p.subject for p in problems)
        assert len(dropped) == len(copies) and all("near-identical text" in p.reason for p in problems)
        # of each pair the longer text stays: the copy, when the edits made it longer
        assert all((c.source_file in dropped) != (o.source_file in dropped)
                   for c in copies for o in [originals[int(c.slug[1:4])]])
        assert len(kept) == len(everything) - len(copies)


def test_a_rebuild_checks_no_pair_of_texts_it_has_checked_before(tmp_path, monkeypatch):
    # a daily build deduplicates the whole archive again: at 30,000 articles the exact checks of
    # the same pairs, build after build, were 22 s of it (issue #29)
    picker = random.Random(11)
    originals = [article(f"a{n:03}.txt", random_text(picker, 200)) for n in range(60)]
    near = [article(f"z{n:03}.txt", edited(picker, originals[n].text, 0.02)) for n in range(0, 60, 6)]
    first, problems = deduplicate(originals + near, Cache(tmp_path / "cache.sqlite"))
    hashed = []
    monkeypatch.setattr(dedup, "shingles", lambda text: hashed.append(text) or shingles(text))
    again, same = deduplicate(originals + near, Cache(tmp_path / "cache.sqlite"))
    assert hashed == [] and again == first and [p.subject for p in same] == [p.subject for p in problems]
    assert len(problems) == len(near)
    newcomer = article("n.txt", edited(picker, originals[30].text, 0.01))
    deduplicate(originals + near + [newcomer], Cache(tmp_path / "cache.sqlite"))
    assert newcomer.text in hashed  # only the new text's pairs are checked


class _CountingCache(Cache):
    """Counts the verdicts asked for: its first query is the texts' signatures."""

    def __init__(self, path, stashes=False):
        super().__init__(path, stashes)
        self.queries = []

    def get_many(self, keys):
        self.queries.append(len(keys))
        return super().get_many(keys)

    @property
    def verdicts_asked(self):
        return sum(self.queries[1:])


def test_a_day_reads_the_verdicts_of_the_last_build_from_its_stash_and_asks_the_cache_only_for_new_pairs(tmp_path):
    """A build's cache keeps the last build's verdicts (both kinds) in a stash beside it: a day's
    build asks the cache for the verdicts of its new texts' pairs only, and decides as it would
    without the stash."""
    picker = random.Random(12)
    originals = [article(f"a{n:03}.txt", random_text(picker, 200)) for n in range(60)]
    near = [article(f"z{n:03}.txt", edited(picker, originals[n].text, 0.02)) for n in range(0, 60, 6)]
    loose = [article(f"y{n:03}.txt", edited(picker, originals[n].text, 0.1)) for n in range(3, 60, 6)]
    every = originals + near + loose
    deduplicate(every, Cache(tmp_path / "cache.sqlite", stashes=True))
    stashed = Cache(tmp_path / "cache.sqlite", stashes=True).stash(dedup.VERDICTS_FILE).load(
        dedup._read_verdicts, dedup._VERDICTS_VERSION)
    assert set(stashed.values()) == {True, False}
    newcomer = article("n.txt", edited(picker, originals[31].text, 0.01))
    cache = _CountingCache(tmp_path / "cache.sqlite", stashes=True)
    kept, problems = deduplicate(every + [newcomer], cache)
    assert 1 <= cache.verdicts_asked <= dedup.MAX_CHECKED
    alone, same = deduplicate(every + [newcomer])
    assert kept == alone and problems == same and {"n.txt", "a031.txt"} & {p.subject for p in problems}
    again = _CountingCache(tmp_path / "cache.sqlite", stashes=True)
    assert deduplicate(every + [newcomer], again) == (kept, problems)
    assert again.verdicts_asked == 0


def test_a_command_reading_a_few_files_leaves_the_builds_stash_alone(tmp_path):
    picker = random.Random(14)
    originals = [article(f"a{n:03}.txt", random_text(picker, 200)) for n in range(10)]
    deduplicate(originals + [article("z.txt", edited(picker, originals[2].text, 0.02))], Cache(tmp_path / "c.sqlite"))
    assert not (tmp_path / dedup.VERDICTS_FILE).exists()


def test_a_damaged_or_foreign_verdict_stash_is_no_stash(tmp_path, caplog):
    picker = random.Random(13)
    originals = [article(f"a{n:03}.txt", random_text(picker, 200)) for n in range(20)]
    near = [article("z.txt", edited(picker, originals[3].text, 0.02))]
    expected = deduplicate(originals + near)
    store = tmp_path / dedup.VERDICTS_FILE
    for damaged in (b"not an archive", b""):  # b"": torn by a crash (nothing is synced)
        store.write_bytes(damaged)
        caplog.clear()
        assert deduplicate(originals + near, Cache(tmp_path / "cache.sqlite", stashes=True)) == expected
        assert "cannot be read" in caplog.text
    # every pair's verdict stashed as "near-identical", but under other rules: not read
    digests = [a.text_digest for a in originals + near]
    pairs = [dedup._pair(a, b) for a, b in itertools.combinations(digests, 2)]
    Cache(tmp_path / "cache.sqlite", stashes=True).stash(dedup.VERDICTS_FILE).save(
        {"rules": np.array([dedup.SHINGLING_VERSION + 1, dedup.NEAR_DUPLICATE]), "pairs": np.array(pairs, "S32"),
         "verdicts": np.ones(len(pairs), bool)}, dedup._VERDICTS_VERSION)
    assert deduplicate(originals + near, Cache(tmp_path / "cache.sqlite", stashes=True)) == expected


def test_a_stash_that_cannot_be_written_leaves_the_last_one_and_no_scratch_file(tmp_path, monkeypatch, caplog):
    picker = random.Random(15)
    originals = [article(f"a{n:03}.txt", random_text(picker, 200)) for n in range(10)]
    every = originals + [article("z.txt", edited(picker, originals[2].text, 0.02))]
    deduplicate(every, Cache(tmp_path / "cache.sqlite", stashes=True))
    before = (tmp_path / dedup.VERDICTS_FILE).read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", full_disk)
    assert deduplicate(every, Cache(tmp_path / "cache.sqlite", stashes=True)) == deduplicate(every)
    assert "was not written" in caplog.text
    assert (tmp_path / dedup.VERDICTS_FILE).read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir() if "writing" in path.name) == []
