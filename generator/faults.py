"""One article's failure stays that article's.

Every stage handles articles one by one; an exception while handling one of them (a bug
its text reaches, a library choking on it) becomes a ``Problem`` naming the article and the
stage, and the stage goes on without that article, or with a plainer version of it. Only
failures of the whole build pass through: the machine is out of memory or disk, the user
interrupted, or an error polydigest raises about the build itself (no model, a lost cluster,
MkDocs failing). Those stop the build with the previous site intact.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from .errors import BuildError, ExecutorError, PolydigestError, PublishError
from .records import Problem

T = TypeVar("T")

_MACHINE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EMFILE, errno.ENFILE, errno.ENOMEM})


def is_whole_build_failure(exc: BaseException) -> bool:
    """True for a failure no single article causes: stop the build rather than go on."""
    if not isinstance(exc, Exception) or isinstance(exc, MemoryError):  # KeyboardInterrupt, SystemExit
        return True
    if isinstance(exc, OSError) and exc.errno in _MACHINE_ERRNOS:
        return True
    return isinstance(exc, (BuildError, ExecutorError, PublishError))


def describe(exc: BaseException) -> str:
    """'ValueError: its message' on one line, bounded."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message[:200]}" if message else type(exc).__name__


class contained:  # noqa: N801 - used as a statement: ``with contained(...)``
    """``with contained(stage, subject, problems, outcome):`` -- an article's failure inside
    the block is added to ``problems`` as "<stage> failed (<error>); <outcome>" and the
    block is left; ``failed`` tells the caller. Whole-build failures pass through, and so do
    polydigest's own errors, which carry their message for the caller to report."""

    def __init__(self, stage: str, subject: str, problems: list[Problem], outcome: str = "skipped"):
        self.stage, self.subject, self.problems, self.outcome = stage, subject, problems, outcome
        self.failed = False

    def __enter__(self) -> contained:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> bool:
        if exc is None or is_whole_build_failure(exc) or isinstance(exc, PolydigestError):
            return False
        self.problems.append(Problem(self.subject, failed(self.stage, describe(exc), self.outcome)))
        self.failed = True
        return True


def failed(stage: str, error: str, outcome: str) -> str:
    """The reason of a Problem for an article's failure in ``stage``: the error, then what
    became of the article."""
    return f"{stage} failed ({error}); {outcome}"


def result_or_failure(compute: Callable[..., T], *args: Any, **kwargs: Any) -> T | str:
    """``compute(*args, **kwargs)`` for one article, or why it failed, as text: for work done in
    batches (maybe in other processes, maybe cached), where the caller reports the failure."""
    try:
        return compute(*args, **kwargs)
    except Exception as exc:  # one article's failure stays that article's
        if is_whole_build_failure(exc):
            raise
        return describe(exc)
