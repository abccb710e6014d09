"""Content-addressed, persistent cache of summaries and translations (SQLite).

A key is the SHA-256 of everything a result depends on (input text, algorithm and
options, model identity), so a changed input or option simply misses, and nothing is
ever invalidated by hand. SQLite transactions in WAL mode survive a killed build; a
file that is corrupt or is not ours is moved aside and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Keys a query asks for (SQLite allows 32,766 parameters since 3.32, 999 before).
_BATCH = 900
# "PDG1": marks the file as a polydigest cache of this schema.
_APPLICATION_ID = 0x50444731


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


class Cache:
    def __init__(self, path: Path):
        self.path = path
        self.hits = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.warning("cache %s is unusable (%s): moved to %s and rebuilt", self.path, exc, aside.name)
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        db = sqlite3.connect(self.path, timeout=30)
        try:
            if fresh:
                db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
                db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
                db.commit()
            elif db.execute("PRAGMA application_id").fetchone()[0] != _APPLICATION_ID:
                raise sqlite3.DatabaseError("not a polydigest cache")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get(self, key: str) -> Any | None:
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        return json.loads(row[0])

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The cached values of ``keys`` (those found), ``_BATCH`` keys a query: one query per
        key cost a daily build at 30,000 articles ~15 s of SQLite calls (410,000 of them)."""
        found: dict[str, Any] = {}
        for start in range(0, len(keys), _BATCH):
            batch = keys[start:start + _BATCH]
            rows = self._db.execute(f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(batch))})",
                                    batch).fetchall()
            found.update((key, json.loads(value)) for key, value in rows)
        self.hits += len(found)
        return found

    def put_many(self, items: dict[str, Any]) -> None:
        """Store results in one transaction: all of them or, if killed, none."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in items.items()],
            )

    def lookup(self, keys: dict[str, str], compute: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        """Values by name: cached ones, and for the rest ``compute(names)``, stored for next time."""
        cached = self.get_many(list(dict.fromkeys(keys.values())))
        found = {name: cached.get(key) for name, key in keys.items()}
        missing = [name for name, value in found.items() if value is None]
        if missing:
            fresh = compute(missing)
            self.put_many({keys[name]: fresh[name] for name in missing})
            found.update(fresh)
        return found

    def close(self) -> None:
        self._db.close()
