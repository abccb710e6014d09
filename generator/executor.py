"""Where the expensive work runs: in this process, or on a Dask cluster.

Both stages that cost (summarize, translate) hand their work to one ``Executor``:

- ``LocalExecutor`` (the default) runs it on this machine: summaries in a pool of local
  processes (one per core), translation in this process, where CTranslate2 already runs
  one replica per core.
- ``DaskExecutor`` (``--scheduler tcp://HOST:PORT``) sends batches to a ``dask.distributed``
  cluster. Each worker gets a model's ``.argosmodel`` bytes once (scattered to every
  worker), installs it into a worker-local folder and keeps it loaded. Results come back
  to this process, which alone writes the cache: a worker that dies cannot corrupt it,
  and its tasks are run again on another worker by the scheduler.

Batch sizes come from ``bench/dask_overhead.py``: a task costs 2-3 milliseconds of
scheduling, a batch of 256 sentences several seconds of translation.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from .errors import ExecutorError, ModelFailure
from .model import Article
from .summarize import UnsupportedLanguage, select_sentences
from .translate import Decoding, TranslationModel, install_package

SUMMARY_BATCH = 16  # articles per summarize task
TRANSLATION_BATCH = 256  # sentences per translate task


class Executor(Protocol):
    def summarize(self, articles: list[Article], options: dict) -> list[list[str] | str]: ...

    def translate(self, model: TranslationModel, texts: list[str], decoding: Decoding, threads: int,
                  progress: Callable[[int, int], None]) -> list[str]: ...

    def close(self) -> None: ...


def summarize_batch(articles: list[Article], options: dict) -> list[list[str] | str]:
    """Summaries of a batch of articles; an article that cannot be summarized gives its reason."""
    results: list[list[str] | str] = []
    for article in articles:
        try:
            results.append(list(select_sentences(article, **options)))
        except UnsupportedLanguage as exc:
            results.append(str(exc))
    return results


class LocalExecutor:
    """This machine: summaries in a pool of local processes (sumy is pure Python, one core
    each), translation in this process (CTranslate2 already runs one replica per core)."""

    def __init__(self, processes: int = 1):
        self.processes = processes
        self._pool = None

    def summarize(self, articles: list[Article], options: dict) -> list[list[str] | str]:
        if self.processes < 2 or len(articles) < 2 * SUMMARY_BATCH:
            return summarize_batch(articles, options)  # not worth starting processes
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork: summaries run before any model or thread pool starts in this process, and
            # spawn would re-run the caller's main script (failing for 'python -' and notebooks)
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"))
        batches = _batches(articles, SUMMARY_BATCH)
        return [result for batch in self._pool.map(summarize_batch, batches, [options] * len(batches))
                for result in batch]

    def translate(self, model: TranslationModel, texts: list[str], decoding: Decoding, threads: int,
                  progress: Callable[[int, int], None]) -> list[str]:
        return model.translate(texts, decoding, threads, progress)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


# Models loaded in a worker process, by identity: installed and opened once per worker.
_WORKER_MODELS: dict[str, TranslationModel] = {}


def translate_on_worker(texts: list[str], package: bytes, identity: str, decoding: Decoding) -> list[str]:
    model = _WORKER_MODELS.get(identity)
    if model is None:
        folder = Path(tempfile.mkdtemp(prefix="polydigest-worker-"))
        archive = folder / "package.argosmodel"
        archive.write_bytes(package)
        model = TranslationModel.open(install_package(archive, folder / "packages"))
        _WORKER_MODELS[identity] = model
    return model.translate(texts, decoding, threads=1)


def _batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class DaskExecutor:
    def __init__(self, address: str):
        from distributed import Client

        try:
            self.client = Client(address, timeout="20s")
        except OSError as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self._packages: dict[str, Any] = {}

    def _gather(self, futures: list, what: str) -> list:
        try:
            return self.client.gather(futures)
        except ModelFailure:
            raise  # the model failed on some input: the translator splits the batch, as it does locally
        except Exception as exc:  # a task failed on every try, or the cluster went away
            raise ExecutorError(f"{what} failed on the Dask cluster: {type(exc).__name__}: {exc}") from exc

    def summarize(self, articles: list[Article], options: dict) -> list[list[str] | str]:
        futures = self.client.map(summarize_batch, _batches(articles, SUMMARY_BATCH), options=options,
                                  pure=False, retries=2)
        return [result for batch in self._gather(futures, "summarizing") for result in batch]

    def translate(self, model: TranslationModel, texts: list[str], decoding: Decoding, threads: int,
                  progress: Callable[[int, int], None]) -> list[str]:
        if model.identity not in self._packages:
            if model.archive is None:
                raise ExecutorError(f"{model.path.name}: no .argosmodel file to send to the workers")
            self._packages[model.identity] = self.client.scatter(model.archive.read_bytes(), broadcast=True)
        futures = self.client.map(translate_on_worker, _batches(texts, TRANSLATION_BATCH),
                                  package=self._packages[model.identity], identity=model.identity,
                                  decoding=decoding, pure=False, retries=2)
        outputs = [text for batch in self._gather(futures, "translation") for text in batch]
        progress(len(outputs), len(texts))
        return outputs

    def close(self) -> None:
        self.client.close()


def make_executor(scheduler: str, processes: int) -> Executor:
    return DaskExecutor(scheduler) if scheduler else LocalExecutor(processes)
