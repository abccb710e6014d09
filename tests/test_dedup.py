"""Near-duplicate detection by MinHash/LSH finds what comparing every pair finds."""

import datetime as dt
import random

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
