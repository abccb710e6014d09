"""Talking to glibc's allocator, where there is one (elsewhere these do nothing but collect).

Freed memory stays in the process unless glibc is asked to hand it back; and the thresholds
a Dask nanny sets for its workers make CTranslate2 fault its buffers in again every batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
_LARGEST_HEAP_BLOCK = 32 * 1024 * 1024  # glibc's adaptive mmap threshold's ceiling (DEFAULT_MMAP_THRESHOLD_MAX)


def _glibc():  # noqa: ANN202 - a ctypes library, or None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def _call(name: str, *args: int) -> None:
    """glibc's ``name`` (``mallopt``, ``malloc_trim``) with ``args``, where there is one."""
    libc = _glibc()
    with contextlib.suppress(AttributeError):
        if libc is not None:
            getattr(libc, name)(*args)


def release_memory() -> None:
    """Collect garbage, then ask glibc to hand freed memory back to the system (it keeps it
    otherwise): what a stage freed then does not count against the next one."""
    gc.collect()
    _call("malloc_trim", 0)


def relax_allocator() -> None:
    """Undo the memory trimming Dask asks of its workers. Its nanny starts each worker with
    MALLOC_TRIM_THRESHOLD_=65536, which also turns off glibc's adaptive thresholds, so the
    buffers CTranslate2 allocates and frees for every batch go back to the system and are
    faulted in again: a worker then translated at 0.52x the rate of a local replica (40 vs
    76 sentences/s), and at 1.07x with these thresholds (bench/dask_overhead.py)."""
    _call("mallopt", _M_TRIM_THRESHOLD, 128 * 1024 * 1024)
    _call("mallopt", _M_MMAP_THRESHOLD, _LARGEST_HEAP_BLOCK)


@contextlib.contextmanager
def large_blocks_returned(threshold: int = 4 * 1024 * 1024) -> Iterator[None]:
    """Within: blocks of ``threshold`` bytes or more are mapped from the system and handed back
    when freed. glibc otherwise raises its threshold to each large block freed (up to 32 MB) and
    keeps the next ones in its heap, where they stay when freed: the stories stage's arrays,
    made and dropped phase after phase, held ~65 MB more at their peak (30,000 archive articles,
    bench/events.py's items with the build's cache: +387-395 MB, +322-327 MB within). After, the
    threshold is set to 32 MB, where glibc's adaptive one ends (setting one turns adaptation off
    for good): the later stages' blocks come from the heap as they did. Not to be nested."""
    _call("mallopt", _M_MMAP_THRESHOLD, threshold)
    try:
        yield
    finally:
        _call("mallopt", _M_MMAP_THRESHOLD, _LARGEST_HEAP_BLOCK)
