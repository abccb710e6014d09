"""Content-addressed, persistent cache of summaries and translations (SQLite).

A key is the SHA-256 of everything a result depends on (input text, algorithm and
options, model identity), so a changed input or option simply misses, and nothing is
ever invalidated by hand. SQLite transactions in WAL mode survive a killed build; a
file that is corrupt or is not ours is moved aside and rebuilt, never trusted: one that is
not ours is refused when opened, a damaged one when a query meets the damage (the
operation is then done again on a new file), or when opened after a process that had it
open did not close it (``PRAGMA quick_check``, which reads the whole file: 0.54-0.85 s warm and
9.8 s from disk for a 30,000-article archive's 830 MB, on every build when it ran each time).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .stash import Stash

log = logging.getLogger(__name__)
T = TypeVar("T")

# Keys a query asks for (SQLite allows 32,766 parameters since 3.32, 999 before).
_BATCH = 900
# "PDG1": marks the file as a polydigest cache of this schema.
_APPLICATION_ID = 0x50444731
# The entry naming this file (no hex digest, so no result's key): a stash belongs to the file it was made beside.
_IDENTITY = "polydigest: the identity of this cache file"


def _serialized(parts: dict[str, Any]) -> str:
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(kind: str, **parts: Any) -> str:
    return hashlib.sha256(_serialized({"kind": kind, **parts}).encode("utf-8")).hexdigest()


_PLACE = "\x00polydigest: one value\x00"


def cache_keys(kind: str, name: str, values: Iterable[Any], **parts: Any) -> list[str]:
    """``cache_key(kind, **parts, name=value)`` for each of ``values``, the parts they share
    serialized once: a daily build of a large archive asks for every sentence's translation,
    and serializing the same options again for each took a fifth of its lookups' time."""
    before, after = _serialized({"kind": kind, **parts, name: _PLACE}).split(json.dumps(_PLACE, ensure_ascii=False))
    return [hashlib.sha256(f"{before}{json.dumps(value, ensure_ascii=False)}{after}".encode()).hexdigest()
            for value in values]


def _identity(db: sqlite3.Connection) -> str | None:
    """The file's identity; a file without one (new, or made before identities) is given one,
    unless it cannot be written now (locked by another process, read-only): then it has none this
    time."""
    row = db.execute("SELECT value FROM entries WHERE key = ?", (_IDENTITY,)).fetchone()
    if row is None:
        try:
            with db:
                db.execute("INSERT OR IGNORE INTO entries (key, value) VALUES (?, ?)",
                           (_IDENTITY, json.dumps(uuid.uuid4().hex)))
        except sqlite3.OperationalError:
            return None
        row = db.execute("SELECT value FROM entries WHERE key = ?", (_IDENTITY,)).fetchone()
    return json.loads(row[0])


class Cache:
    def __init__(self, path: Path, stashes: bool = False):
        self.path = path
        self.stashes = stashes
        """Whether stages keep arrays beside this cache (stash.py): a build's cache does."""
        self.hits = 0
        self.in_use = path.with_name(path.name + ".in-use")
        """Exists while a process has the file open: found when opening, the last one did not close it."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._open()
        # Read once: a file rebuilt later in this build has another, and disowns what this build stashes.
        self.identity: str | None = self._query(_identity)
        """This file's own name for itself (None: it has none and could not be given one now)."""

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect(check=self.in_use.exists())
        except sqlite3.DatabaseError as exc:
            db = self._rebuild(exc)
        self.in_use.touch()
        return db

    def _rebuild(self, damage: sqlite3.DatabaseError) -> sqlite3.Connection:
        """A new, empty file in place of the one that is damaged or not ours (kept aside)."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.time_ns()}")
        log.warning("cache %s is unusable (%s): moved to %s and rebuilt", self.path, damage, aside.name)
        self.path.rename(aside)
        for suffix in ("-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        return self._connect(check=False)

    def _connect(self, check: bool) -> sqlite3.Connection:
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        db = sqlite3.connect(self.path, timeout=30)
        try:
            if fresh:
                db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
                db.commit()
            elif db.execute("PRAGMA application_id").fetchone()[0] != _APPLICATION_ID:
                raise sqlite3.DatabaseError("not a polydigest cache")
            if check and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _query(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """``operation`` on the database; where it meets damage, again on a rebuilt file (a
        cache loses nothing it cannot make again). Errors of the machinery (a full disk, a lock
        held too long) are no damage: they propagate."""
        try:
            return operation(self._db)
        except sqlite3.OperationalError:
            raise
        except sqlite3.DatabaseError as exc:
            self._db.close()
            self._db = self._rebuild(exc)
            return operation(self._db)

    def get_many(self, keys: list[str], decode: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """The cached values of ``keys`` (those found), ``_BATCH`` keys a query: one query per
        key cost a daily build at 30,000 articles ~15 s of SQLite calls (410,000 of them). Each
        value goes through ``decode`` as it is read, when given: ingest's 110,000 readings held
        as JSON all at once took ~1 GB more at their peak than the articles made of them."""
        found: dict[str, Any] = {}

        def select(batch: list[str]) -> Callable[[sqlite3.Connection], list]:
            return lambda db: db.execute(f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(batch))})",
                                         batch).fetchall()
        for start in range(0, len(keys), _BATCH):
            rows = self._query(select(keys[start:start + _BATCH]))
            read = ((key, json.loads(value)) for key, value in rows)
            found.update(read if decode is None else ((key, decode(value)) for key, value in read))
        self.hits += len(found)
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        """Store results in one transaction: all of them or, if killed, none."""
        rows = [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()]

        def insert(db: sqlite3.Connection) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", rows)
        self._query(insert)

    def lookup(self, keys: dict[str, str], compute: Callable[[list[str]], dict[str, Any]],
               kept: str | None = None) -> dict[str, Any]:
        """Values by name: cached ones, and for the rest ``compute(names)``, stored for next time.
        ``kept`` names a stash (``stash``) holding the values of the keys last looked up so: those
        it holds are read from it instead of the cache, and it is left holding these keys' (a day's
        build of a large archive decoded every article's cached entry again). One lookup a build
        per name: a second would replace the first's stash."""
        store = self.stash(kept) if kept else None
        stored = (store.load_values() if store else None) or {}
        found = {name: stored[key] for name, key in keys.items() if stored.get(key) is not None}
        if len(found) < len(keys):
            found |= self._looked_up({name: key for name, key in keys.items() if name not in found}, compute)
        if store and set(stored) != set(keys.values()):
            store.save_values({keys[name]: value for name, value in found.items()})
        return found

    def _looked_up(self, keys: dict[str, str], compute: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        cached = self.get_many(list(dict.fromkeys(keys.values())))
        found = {name: cached.get(key) for name, key in keys.items()}
        missing = [name for name, value in found.items() if value is None]
        if missing:
            fresh = compute(missing)
            self.put_many({keys[name]: fresh[name] for name in missing})
            found.update(fresh)
        return found

    def stash(self, name: str) -> Stash | None:
        """A stage's stash ``name`` beside this cache; None when this cache keeps none. A stash
        holds results this file held: another file (the cache deleted, or rebuilt after damage)
        disowns it."""
        return Stash(self.path.with_name(name), self.identity) if self.stashes and self.identity else None

    def close(self) -> None:
        self._db.close()
        self.in_use.unlink(missing_ok=True)
