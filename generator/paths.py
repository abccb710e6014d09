"""Where polydigest may write, and what it may delete.

Before anything is written, the output folders (docs, site, work) are checked against the
project, its inputs and each other, as MkDocs' ``SiteDir`` option checks ``site_dir``
against ``docs_dir``: a typo such as ``--out .`` or ``--docs seeds`` is refused with nothing
touched. polydigest deletes only inside folders it created, which it marks with
``MARKER``; an existing folder without the marker is refused unless it is empty.
The finished site replaces the previous one in one atomic exchange of two folders.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .errors import UnsafePathError

MARKER = ".polydigest-output"
MARKER_TEXT = (
    "This folder is written by polydigest. Every build may replace or delete anything in it:\n"
    "keep your own files elsewhere.\n"
)


def _folded(path: Path) -> Path:
    """``path`` compared without case: on a case-insensitive volume 'Seeds/' is 'seeds/'."""
    return Path(str(path).casefold())


def _overlap(a: Path, b: Path) -> str | None:
    """How ``a`` and ``b`` overlap ('is', 'contains', 'lies inside'), or None, whatever the case."""
    a, b = _folded(a), _folded(b)
    if a == b:
        return "is"
    if a in b.parents:
        return "contains"
    if b in a.parents:
        return "lies inside"
    return None


def check_output_file(path: Path, name: str, protected: dict[str, Path]) -> Path:
    """``path`` resolved, when a file written there destroys nothing of the project's: it is no
    folder, and is not, and lies inside none of, ``protected`` (option name: resolved path of
    the inputs, outputs and config files). Else an UnsafePathError that says which."""
    resolved = path.resolve()
    if resolved.is_dir():
        raise UnsafePathError(f"{name}: {resolved} is a folder; give a file name")
    for other_name, other in protected.items():
        relation = _overlap(resolved, other)
        if relation in ("is", "lies inside"):
            raise UnsafePathError(f"{name}: {resolved} {relation} {other_name} ({other}); polydigest will not "
                                  "write there: choose a file outside the project's inputs and outputs")
    return resolved


def write_file(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(data, encoding="utf-8")
    temporary.replace(path)


def check_layout(project_dir: Path, outputs: dict[str, Path], inputs: dict[str, Path]) -> None:
    """Refuse an output folder that is, contains or lies inside an input, another output
    or the project folder itself (an output may lie inside the project folder, as docs/ does).
    ``outputs`` and ``inputs`` map option names to resolved paths."""
    for name, folder in outputs.items():
        relation = _overlap(folder, project_dir)
        if relation in ("is", "contains"):
            raise UnsafePathError(f"{name}: {folder} {relation} the project folder {project_dir}; "
                                  "choose a folder of its own, such as the default")
    for name, folder in outputs.items():
        others = {**inputs, **{n: p for n, p in outputs.items() if n != name}}
        for other_name, other in others.items():
            relation = _overlap(folder, other)
            if relation:
                raise UnsafePathError(f"{name}: {folder} {relation} {other_name} ({other}); "
                                      "output folders must be separate from the inputs and from each other")


def is_claimed(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def claim(folder: Path, name: str) -> None:
    """Make ``folder`` an output folder of polydigest: create it with the marker, or accept it
    when it holds the marker already or is empty. A folder with other content is refused."""
    check_claimable(folder, name)
    folder.mkdir(parents=True, exist_ok=True)
    mark(folder)


def check_claimable(folder: Path, name: str) -> None:
    """Raise unless ``claim`` would accept ``folder``; touches nothing."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UnsafePathError(f"{name}: {folder} is not a folder; polydigest will not replace it")
    if folder.is_dir() and not is_claimed(folder) and any(folder.iterdir()):
        raise UnsafePathError(
            f"{name}: {folder} already holds files that polydigest did not write (it has no {MARKER}); "
            "choose another folder, or empty this one if its content can go")


def mark(folder: Path) -> None:
    marker = folder / MARKER
    if not marker.is_file():
        marker.write_text(MARKER_TEXT, encoding="utf-8")


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2():
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    function = getattr(libc, "renameat2", None)  # glibc 2.28+
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def exchange(new: Path, current: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``): readers see
    either the old or the new one, never none. Returns False where the system cannot do that."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(current), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system or kernel cannot exchange
        return False
    raise OSError(error, os.strerror(error), str(current))


def copy_tree(source: Path, target: Path, leave_out: Callable[[str], bool] = lambda name: False,
              copy: Callable[[str, str], object] = os.link, spare: Path | None = None) -> None:
    """Make ``target`` a copy of the folder ``source``, without the entries of ``source`` whose
    name is to ``leave_out``, each file copied by ``copy`` (a hard link by default). Hard links
    are made by GNU ``cp -al`` where there is one: half the time of ``shutil.copytree``, which
    also copies every folder's times and modes (14 s for one language of the 30,000-article
    site, 42,000 folders). Even so, one language of the 100,000-article site takes 8 s (128,000
    files in 118,000 folders), so with hard links and a ``spare`` folder (an older copy of
    ``source`` that is no longer needed, in any state), the spare is moved to ``target`` and only
    the entries that are not already the same files as ``source``'s are linked again."""
    if spare is not None and copy is os.link and spare.is_dir() and not spare.is_symlink():
        try:
            spare.rename(target)
            _relink(str(source), str(target), leave_out)
            return
        except OSError:
            shutil.rmtree(target, ignore_errors=True)  # a copy from scratch instead
    names = sorted(name for name in os.listdir(source) if not leave_out(name))
    if copy is os.link and names:
        target.mkdir(parents=True)
        try:
            linked = subprocess.run(["cp", "-al", "--", *(str(source / name) for name in names), str(target)],
                                    capture_output=True).returncode == 0
        except OSError:  # no cp at all
            linked = False
        if linked:
            return
        shutil.rmtree(target)
    shutil.copytree(source, target, copy_function=copy, ignore=lambda folder, entries: (
        [entry for entry in entries if leave_out(entry)] if Path(folder) == source else []))


def _relink(source: str, target: str, leave_out: Callable[[str], bool]) -> None:
    """Make the folder ``target`` hold hard links to ``source``'s files, without the entries of
    ``source`` whose name is to ``leave_out``: what already is the same file (the same inode, which
    listing a folder gives without a stat) stays, everything else is linked, made or removed."""
    with os.scandir(target) as entries:
        held = {entry.name: entry for entry in entries}
    with os.scandir(source) as entries:
        for entry in entries:
            if leave_out(entry.name):
                continue
            old, path = held.pop(entry.name, None), os.path.join(target, entry.name)
            if entry.is_dir(follow_symlinks=False):
                if old is not None and not old.is_dir(follow_symlinks=False):
                    os.unlink(path)
                    old = None
                if old is None:
                    os.mkdir(path)
                _relink(entry.path, path, lambda name: False)
                continue
            if old is not None:
                if not old.is_dir(follow_symlinks=False) and old.inode() == entry.inode():
                    continue
                _remove(old)
            os.link(entry.path, path, follow_symlinks=False)
    for old in held.values():  # gone from source, or left out
        _remove(old)


def _remove(entry: os.DirEntry) -> None:
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)

