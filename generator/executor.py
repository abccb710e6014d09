"""Where batches of work run: in this process, in local processes, or on a Dask cluster.

An executor knows nothing of the stages: it maps a function over batches and returns the
results in order. The stages (summarize, translate) own their batch functions and decide
what to send. Large read-only inputs (a translation model) are handed over with ``share``:
in this process that is the object itself; on Dask it is scattered to every worker once.

- ``LocalExecutor`` (the default): in this process, or in a pool of local processes (one
  per core) for work that is pure Python (summaries).
- ``DaskExecutor`` (``--scheduler tcp://HOST:PORT``): batches become Dask tasks, retried on
  another worker if one dies. Results come back to this process, which alone writes the
  cache, so a dying worker cannot corrupt it.
"""

from __future__ import annotations

import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, Protocol, TypeVar

from .errors import ExecutorError, ModelFailure, PolydigestError

T = TypeVar("T")

BatchProgress = Callable[[int, int], None]
"""Called with (batches done, batches in all)."""


class Executor(Protocol):
    remote: bool
    """True when functions run in other processes, which get copies of their arguments."""

    def share(self, key: str, value: Callable[[], Any]) -> Any:
        """A handle to pass to ``map`` for a large input, built by ``value()`` once per ``key``."""
        ...

    def map(self, function: Callable, batches: Sequence, *, processes: bool = False,
            progress: BatchProgress | None = None, **shared: Any) -> list: ...

    def start(self) -> None:
        """Start the local processes now, before this process holds the articles: forked later,
        each would come to copy what it inherited (Python's garbage collector writes to every
        object it visits), ~700 MB a process on a day's build at 100,000 articles."""
        ...

    def pause(self) -> None:
        """Stop the local processes between stages: their memory goes back now (a later map
        starts them again)."""
        ...

    def close(self) -> None: ...


def _no_progress(done: int, total: int) -> None:
    pass


class LocalExecutor:
    """This machine. ``map(..., processes=True)`` uses a pool of local processes (for pure
    Python work such as sumy); otherwise batches run here, where CTranslate2 already runs
    one replica per core."""

    remote = False

    def __init__(self, processes: int = 1):
        self.processes = processes
        self._pool: Any = None  # a ProcessPoolExecutor once the first parallel map starts

    def share(self, key: str, value: Callable[[], Any]) -> Any:
        return value()

    def map(self, function: Callable, batches: Sequence, *, processes: bool = False,
            progress: BatchProgress | None = None, **shared: Any) -> list:
        progress = progress or _no_progress
        if processes and self.processes > 1 and len(batches) > 1:
            results = []
            for done, result in enumerate(self._started().map(_call, [(function, b, shared) for b in batches]), 1):
                results.append(result)
                progress(done, len(batches))
            return results
        results = []
        for done, batch in enumerate(batches, 1):
            results.append(function(batch, **shared))
            progress(done, len(batches))
        return results

    def _started(self) -> Any:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            # fork: the pool starts before any model or thread pool of this process, and
            # spawn would re-run the caller's main script (failing for 'python -' and notebooks)
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"))
            self._pool.submit(int).result()  # a forking pool starts all its processes at its first task
        return self._pool

    def start(self) -> None:
        if self.processes > 1:
            self._started()

    def pause(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def close(self) -> None:
        self.pause()


def _call(job: tuple[Callable, Any, dict]) -> Any:
    function, batch, shared = job
    return function(batch, **shared)


class DaskExecutor:
    remote = True

    def __init__(self, address: str, timeout: str = "20s"):
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError("--scheduler needs Dask: pip install 'polydigest[dask]'") from None

        try:
            self.client = Client(address, timeout=timeout)
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self._shared: dict[str, Any] = {}

    def share(self, key: str, value: Callable[[], Any]) -> Any:
        if key not in self._shared:
            self._shared[key] = self.client.scatter(value(), broadcast=True)
        return self._shared[key]

    def map(self, function: Callable, batches: Sequence, *, processes: bool = False,
            progress: BatchProgress | None = None, **shared: Any) -> list:
        from distributed import as_completed

        progress = progress or _no_progress
        futures = self.client.map(function, list(batches), pure=False, retries=2, **shared)
        try:
            for done, _ in enumerate(as_completed(futures), 1):
                progress(done, len(futures))
            return self.client.gather(futures)
        except ModelFailure:
            raise  # a verdict on the input, not a failure of the cluster: the stage deals with it
        except Exception as exc:  # a task failed on every try, or the cluster went away
            raise ExecutorError(f"{getattr(function, '__name__', 'a task')} failed on the Dask cluster: "
                                f"{type(exc).__name__}: {exc}") from exc

    def start(self) -> None:
        pass  # the cluster's workers are its own

    def pause(self) -> None:
        pass

    def close(self) -> None:
        self.client.close()


def run_forked(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in a forked child process; its result, or its exception, comes back.
    When the child ends, everything it allocated goes back to the system at once, which
    glibc does not do for a long-lived process."""
    context = multiprocessing.get_context("fork")  # the arguments are inherited, not pickled
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send_outcome, args=(sender, function, args), name="polydigest-stages")
    child.start()
    sender.close()
    try:
        succeeded, value = receiver.recv()
    except EOFError:
        child.join()
        raise ExecutorError(f"the process running the build's stages died (exit code {child.exitcode}; "
                            "-9 is usually the system running out of memory)") from None
    except BaseException:  # interrupted: the child must not go on writing
        child.terminate()
        child.join()
        raise
    child.join()
    if not succeeded:
        raise value
    return value


def _send_outcome(sender: Connection, function: Callable, args: tuple) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the parent
        if not isinstance(exc, PolydigestError | KeyboardInterrupt):  # a bug: keep where it happened
            exc.add_note("in the build's stage process:\n" + "".join(traceback.format_exception(exc)).rstrip())
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:  # noqa: BLE001 - an exception that does not survive pickling
            exc = (PolydigestError if isinstance(exc, PolydigestError) else RuntimeError)(
                f"{type(exc).__name__}: {exc}")
        outcome = (False, exc)
    sender.send(outcome)
    sender.close()


def make_executor(scheduler: str, processes: int, timeout: int = 20) -> Executor:
    return DaskExecutor(scheduler, f"{timeout}s") if scheduler else LocalExecutor(processes)


def batches_of(items: Sequence, size: int) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
