import sqlite3

import numpy as np

from generator import stash
from generator.cache import Cache, _identity, cache_key, cache_keys


def test_results_survive_reopening_and_count_hits(tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    cache.put_many({"k": ["a", "b"]})
    cache.close()
    reopened = Cache(tmp_path / "c.sqlite")
    assert reopened.get_many(["k", "missing"]) == {"k": ["a", "b"]}
    assert reopened.hits == 1


def test_key_changes_with_any_part_and_not_with_order():
    assert cache_key("t", a=1, b=2) == cache_key("t", b=2, a=1)
    assert cache_key("t", a=1, b=2) != cache_key("t", a=1, b=3)
    assert cache_key("t", a=1) != cache_key("u", a=1)


def test_corrupt_cache_file_is_moved_aside_and_rebuilt(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = Cache(path)
    cache.put_many({"k": 1})
    assert cache.get_many(["k"]) == {"k": 1}
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_foreign_sqlite_database_is_not_trusted(tmp_path):
    import sqlite3

    path = tmp_path / "c.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO entries VALUES ('k', '\"poisoned\"')")
    db.commit()
    db.close()
    assert Cache(path).get_many(["k"]) == {}


def test_keys_made_together_are_the_keys_made_one_by_one():
    texts = ["Plain text.", 'A "quoted" one, with \\ and \n a line break', "Ação é notícia — ‘já’", "", "\x00x"]
    options = {"model": "abc", "decoding": {"beam_size": 1, "options": [1, 2]}, "variety": None, "zeta": "z"}
    assert cache_keys("translation", "text", texts, **options) == [
        cache_key("translation", **options, text=text) for text in texts]


def _damaged(path, entries=3000):
    """A cache file of ``entries`` entries whose pages in the middle were overwritten; their keys."""
    cache = Cache(path)
    keys = [cache_key("t", n=n) for n in range(entries)]
    cache.put_many(dict.fromkeys(keys, "x" * 200))
    cache.close()
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 // 4096 * 4096)
        handle.write(b"\xff" * 4096 * 4)
    return keys


def test_a_cache_damaged_inside_is_rebuilt_when_a_query_meets_the_damage_and_the_query_still_answers(tmp_path):
    path = tmp_path / "c.sqlite"
    keys = _damaged(path)
    cache = Cache(path)  # closed cleanly last time: opened without reading the whole file
    assert not list(tmp_path.glob("c.sqlite.corrupt-*"))
    assert cache.get_many(keys) == {}  # met the damage: a new file, where nothing is cached yet
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1
    cache.put_many({"k": 1})
    assert cache.get_many(["k"]) == {"k": 1}


def test_a_cache_a_process_did_not_close_is_checked_whole_when_opened_next(tmp_path):
    path = tmp_path / "c.sqlite"
    _damaged(path)
    (tmp_path / "c.sqlite.in-use").touch()  # as a killed build leaves it
    Cache(path)
    assert len(list(tmp_path.glob("c.sqlite.corrupt-*"))) == 1


def test_a_stash_keeps_strings_whole_and_belongs_to_its_version_and_its_cache_file(tmp_path):
    names = ["são paulo", "", "name:acme steel", "figure:4.2"]
    kept = Cache(tmp_path / "c.sqlite", stashes=True).stash("kept.npz")
    kept.save({"names": stash.strings_array(names)}, version=1)
    assert kept.load(lambda arrays: stash.strings(arrays["names"], len(names)), version=1) == names
    assert stash.strings_array(["one", "two\0three"]) is None
    assert kept.load(lambda arrays: stash.strings(arrays["names"], 3), version=1) is None  # does not fit
    assert kept.load(lambda arrays: stash.strings(arrays["names"], len(names)), version=2) is None
    assert Cache(tmp_path / "c.sqlite", stashes=True).stash("kept.npz").owner == kept.owner  # the same file
    assert Cache(tmp_path / "c.sqlite").stash("kept.npz") is None  # only a build's cache stashes
    (tmp_path / "c.sqlite").unlink()  # the cache deleted: what it held is gone, and so is its stash
    again = Cache(tmp_path / "c.sqlite", stashes=True).stash("kept.npz")
    assert again.owner != kept.owner and again.load(dict, version=1) is None
    assert stash.Stash(tmp_path / "missing.npz", kept.owner).load(dict, version=1) is None


def test_a_cache_made_before_identities_is_given_one_but_not_while_another_process_writes(tmp_path):
    def forget_identity():
        with sqlite3.connect(tmp_path / "c.sqlite") as db:  # as a cache made before identities
            db.execute("DELETE FROM entries WHERE key LIKE 'polydigest: %'")

    Cache(tmp_path / "c.sqlite").close()
    forget_identity()
    given = Cache(tmp_path / "c.sqlite", stashes=True)
    assert given.identity and given.stash("s.npz").owner == given.identity
    given.close()
    forget_identity()
    writer = sqlite3.connect(tmp_path / "c.sqlite")
    writer.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        reader = sqlite3.connect(tmp_path / "c.sqlite", timeout=0.2)
        assert _identity(reader) is None  # no stashes this time; the file is not treated as damaged
        reader.close()
    finally:
        writer.rollback()
        writer.close()


def test_a_kept_lookup_reads_what_its_stash_holds_and_keeps_the_keys_of_the_last_lookup(tmp_path):
    cache = Cache(tmp_path / "c.sqlite", stashes=True)
    computed: list[str] = []

    def compute(names):
        computed.extend(names)
        return {name: {"tags": [(name, name.upper())], "failed": None} if name != "bad" else "it failed"
                for name in names}

    keys = {name: cache_key("t", name=name) for name in ("one", "two", "bad")}
    first = cache.lookup(keys, compute, kept="kept.npz")
    assert computed == ["one", "two", "bad"] and first["bad"] == "it failed"
    written = (tmp_path / "kept.npz").stat().st_mtime_ns
    hits = cache.hits
    again = cache.lookup(keys, compute, kept="kept.npz")
    assert cache.hits == hits and computed == ["one", "two", "bad"]  # nothing asked of the cache or computed
    assert again == {"one": {"tags": [["one", "ONE"]], "failed": None}, "two": {"tags": [["two", "TWO"]],
                     "failed": None}, "bad": "it failed"}  # as the cache gives them back (JSON)
    assert again == Cache(tmp_path / "c.sqlite").lookup(keys, compute)
    assert (tmp_path / "kept.npz").stat().st_mtime_ns == written  # the same keys: the stash is not written again
    fewer = {"two": keys["two"], "three": cache_key("t", name="three")}
    assert cache.lookup(fewer, compute, kept="kept.npz")["three"] == {"tags": [("three", "THREE")], "failed": None}
    assert computed[3:] == ["three"] and cache.hits == hits  # "two" from the stash, "three" new
    assert set(cache.stash("kept.npz").load_values()) == set(fewer.values())  # the last lookup's keys only


def test_a_damaged_or_foreign_kept_stash_is_no_stash(tmp_path, caplog):
    cache = Cache(tmp_path / "c.sqlite", stashes=True)
    keys = {"one": cache_key("t", name="one")}
    for damaged in (b"PK\x03\x04 not an archive", b""):  # b"": torn by a crash (nothing is synced)
        (tmp_path / "kept.npz").write_bytes(damaged)
        assert cache.lookup(keys, lambda names: dict.fromkeys(names, 1), kept="kept.npz") == {"one": 1}
        assert cache.stash("kept.npz").load_values() == {keys["one"]: 1}  # replaced
    store = cache.stash("kept.npz")
    store.save({"keys": stash.strings_array([keys["one"], keys["one"]]), "count": np.array([2]),
                "values": np.frombuffer(b"[2, 3]", np.uint8)}, stash._VALUES_VERSION)  # one key twice: does not fit
    caplog.clear()
    assert store.load_values() is None and "cannot be read" in caplog.text
    store.save_values({keys["one"]: 4})
    assert Cache(tmp_path / "other.sqlite", stashes=True).lookup(keys, lambda names: dict.fromkeys(names, 5),
                                                                  kept="kept.npz") == {"one": 5}  # another cache's
