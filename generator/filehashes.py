"""SHA-256 of many files, read again only when a file changed.

Whether anything changed since the last build is a hash of every seed and of every page in
docs_dir: at 100,000 articles (three languages) that read 470,000 files, ~27 s with the files
in the page cache, on every build, even one with nothing to do. As git's index does, each
file's hash is kept with its stat (size, modification and change times, inode): a file whose
stat is what it was is not read again. A stamp taken less than ``SETTLED_NS`` after the file
last changed is not kept (a second change within the file system's time resolution would
leave the stat as it was), so that file is read again next time. A folder asked about as a
whole (``FileHashes.fingerprint``) also keeps one stamp of all its files' stats: while that is
unchanged, its answer stands and only the files that had not settled are read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import operator
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

SETTLED_NS = 2_000_000_000  # the coarsest common file time resolution (FAT: 2 s)
HASHES_DIR = "file-hashes"  # in the work folder: one record per folder hashed (seeds, each language's docs)


def walk_files(top: str) -> Iterator[tuple[tuple[str, ...], os.DirEntry]]:
    """(folder parts relative to ``top``, entry) of every file (or symbolic link) below ``top``,
    in no particular order. A plain scandir walk: a site or docs tree has a folder per page
    (130,000 at 30,000 articles), and os.walk or Path.rglob with a Path per entry took most of
    the time of listing one. A folder that cannot be read is passed over, as Path.rglob does."""
    folders: list[tuple[str, tuple[str, ...]]] = [(top, ())]
    while folders:
        folder, relative = folders.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, (*relative, entry.name)))
                else:
                    yield relative, entry


def files_by_name(top: Path, keep: Callable[[os.DirEntry], bool]) -> list[tuple[str, os.DirEntry]]:
    """(name relative to ``top``, directory entry) of the files below ``top`` that ``keep``
    accepts, in the order of their names' folder parts."""
    # Sorted as "\0"-joined strings, which order as the parts' tuples do ("\0" sorts first and is
    # in no file name) at a fraction of the cost: 350,000 pages a no-op build lists.
    found = [("\0".join((*relative, entry.name)), entry) for relative, entry in walk_files(str(top)) if keep(entry)]
    found.sort(key=operator.itemgetter(0))
    return [(key.replace("\0", "/"), entry) for key, entry in found]


def file_sha256(path: str | Path) -> str:
    """The SHA-256 (hex) of a file's content, read a MB at a time (a model file is ~60 MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class FileHashes:
    """The hashes of one folder's files by name, kept in the JSON file ``record`` between builds.
    ``save`` keeps the stamps of the files asked about since it was loaded (files that are gone
    leave the record), so a caller asks about every file of the folder before it saves."""

    def __init__(self, record: Path):
        self.record = record
        self.whole = record.with_name(f"{record.stem}-whole.json")
        """The last ``fingerprint``: the stamp of the whole folder and the answer."""
        self._known: dict[str, list] | None = None  # read when first needed
        self._kept: dict[str, list] = {}
        self._settled_before = time.time_ns() - SETTLED_NS  # earlier than any stat taken later: safe

    def _files(self) -> dict[str, list]:
        if self._known is None:
            self._known = _read_json(self.record)  # none yet, or unreadable: every file is read
        return self._known

    def sha256(self, name: str, path: str | Path, stat: os.stat_result | None = None) -> str:
        """The SHA-256 (hex) of ``path``'s content; ``stat`` is its stat when the caller has it."""
        stat = stat or os.stat(path)
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        known = self._files().get(name)
        # read after the stat: a change in between leaves a stamp that will not match next time
        digest = known[4] if isinstance(known, list) and len(known) == 5 and known[:4] == stamp else file_sha256(path)
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < self._settled_before:
            self._kept[name] = [*stamp, digest]
        return digest

    def save(self) -> None:
        if self._kept == self._files():
            return
        _write_json(self.record, self._kept)
        self._known = dict(self._kept)

    def fingerprint(self, files: list[tuple[str, str, os.stat_result]]) -> str:
        """The SHA-256 over each of ``files`` (name, path, stat, in a fixed order): its name and its
        content's hash; the record is saved. When the stamps of them all are what they were last
        time, the answer is last time's, with no file's record read (a language's 124,000 pages at
        100,000 articles: the record alone is 18 MB of JSON): only the files that had not settled
        then (written just before, as a build's pages are) are read again and compared."""
        stamps = hashlib.sha256("".join(
            f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0{stat.st_ino}\0"
            for name, _, stat in files).encode())
        unsettled = [(name, path) for name, path, stat in files
                     if stat.st_mtime_ns >= self._settled_before or stat.st_ctime_ns >= self._settled_before]
        last = _read_json(self.whole)
        recheck = last.get("unsettled")  # the same stamps: the same files, and these were unsettled then
        if last.get("stamps") == stamps.hexdigest() and isinstance(last.get("fingerprint"), str) \
                and isinstance(recheck, dict) and self._same_contents(recheck, files):
            still = {name: recheck[name] for name, _ in unsettled if name in recheck}
            if still != recheck:  # settled since, their contents just compared: their stamps stand now
                _write_json(self.whole, {**last, "unsettled": still})
            return last["fingerprint"]
        digest = hashlib.sha256()
        hashes = {}
        for name, path, stat in files:
            hashes[name] = self.sha256(name, path, stat)
            digest.update(f"{name}\0{hashes[name]}\0".encode())
        self.save()
        _write_json(self.whole, {"stamps": stamps.hexdigest(), "fingerprint": digest.hexdigest(),
                                 "unsettled": {name: hashes[name] for name, _ in unsettled}})
        return digest.hexdigest()

    @staticmethod
    def _same_contents(hashes: dict[str, str], files: list[tuple[str, str, os.stat_result]]) -> bool:
        if not hashes:
            return True
        paths = {name: path for name, path, _ in files}
        return all(name in paths and file_sha256(paths[name]) == digest
                   for name, digest in hashes.items())


def _read_json(path: Path) -> dict:
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(found, dict):
            return found
    return {}


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    temporary.replace(path)
