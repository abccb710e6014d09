"""Arrays a stage stashes from one build to the next, in files beside the cache.

A day's build of a large archive looked up and decoded, article by article, results the last
build already held (100,000 articles: ~25 s for the stories' features, ~60,000 queries for
dedup's verdicts). A stage keeps them as arrays instead, keyed as the cache keys them, and asks
the cache only for what is new. A kept file is written whole or not at all; one that cannot be
read whole is no file: the cache still holds everything it held.
"""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")

_SEPARATOR = "\0"


def save(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``arrays`` as ``path`` (NumPy's .npz, uncompressed), in place of what it held."""
    scratch = path.with_name(path.name + ".writing")
    with open(scratch, "wb") as handle:
        np.savez(handle, allow_pickle=False, **arrays)
    os.replace(scratch, path)


def load(path: Path, read: Callable[[dict[str, np.ndarray]], T]) -> T | None:
    """``read`` of the arrays ``path`` holds; None when there is no such file, or when it
    cannot be read whole or ``read`` finds it does not fit together (ValueError, KeyError)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            return read({name: stored[name] for name in stored.files})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        log.warning("%s cannot be read (%s): what it kept is read from the cache", path, exc)
        return None


def strings_array(strings: Sequence[str]) -> np.ndarray | None:
    """``strings`` as one array of bytes (UTF-8, NUL-separated); None when one holds a NUL."""
    joined = _SEPARATOR.join(strings)
    if joined.count(_SEPARATOR) != max(len(strings) - 1, 0):
        return None
    return np.frombuffer(joined.encode(), np.uint8)


def strings(array: np.ndarray, count: int) -> list[str]:
    """The ``count`` strings of ``strings_array``."""
    found = array.tobytes().decode().split(_SEPARATOR) if count else []
    if len(found) != count:
        raise ValueError(f"{len(found)} strings where {count} were kept")
    return found
