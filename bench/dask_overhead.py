#!/usr/bin/env python3
"""Dask on this machine: per-task overhead, and translation throughput with 1 and 2
workers and several batch sizes, next to the local (in-process) translator, in one run.

    .venv/bin/python bench/dask_overhead.py [--sentences 400]

Workers are local processes on 127.0.0.1 (one thread each); each receives the model
bytes once and loads the model once, as in a build with --scheduler.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).parent))

from translate_throughput import news_sentences  # noqa: E402

from generator import executor as executors  # noqa: E402
from generator.argos import (  # noqa: E402
    Decoding,
    ShippedModel,
    TranslationModel,
    import_argostranslate,
    install_package,
    translate_batch,
)


def noop(x):
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "cnndm-dev100.jsonl")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "translate-en_pt.argosmodel")
    parser.add_argument("--sentences", type=int, default=400)
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    work = Path(tempfile.mkdtemp(prefix="polydigest-dask-"))
    import_argostranslate(work)
    model = TranslationModel.open(install_package(args.model, work / "packages"))
    model.archive = args.model
    sentences = news_sentences(args.data, args.sentences)
    cores = os.cpu_count() or 1

    greedy = Decoding(beam_size=1)
    model.translate(sentences[:8], greedy, cores)
    start = time.perf_counter()
    model.translate(sentences, greedy, cores)
    local = len(sentences) / (time.perf_counter() - start)
    per_core = local / cores
    print(f"{len(sentences)} sentences, beam 1, {cores} cores")
    print(f"{'setup':34} {'sent/s':>8} {'vs local':>9} {'per core vs local per core':>27}")
    print(f"{'local, in-process (' + str(cores) + ' replicas)':34} {local:8.1f} {1.0:9.2f} {1.0:27.2f}")

    rates = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            client.gather(client.map(noop, range(50), pure=False))
            start = time.perf_counter()
            client.gather(client.map(noop, range(500), pure=False))
            overhead = (time.perf_counter() - start) / 500 * 1000
            runner = executors.DaskExecutor(cluster.scheduler_address)
            shipped = runner.share(model.identity, lambda: ShippedModel.of(model))

            def translate_all(size: int, texts: list[str], runner=runner, shipped=shipped) -> None:
                runner.map(translate_batch, executors.batches_of(texts, size), model=shipped, decoding=greedy,
                           threads=1)

            translate_all(8, sentences[:8])  # ship and load the model
            for batch in (32, 128, 256):
                start = time.perf_counter()
                translate_all(batch, sentences)
                rate = len(sentences) / (time.perf_counter() - start)
                rates[(workers, batch)] = rate
                print(f"{f'dask, {workers} worker(s), batch {batch}':34} {rate:8.1f} {rate / local:9.2f} "
                      f"{rate / workers / per_core:27.2f}")
            runner.close()
            print(f"{f'dask, {workers} worker(s): no-op task':34} {overhead:7.2f} ms per task")
    best = max(rates[(1, b)] for b in (32, 128, 256))
    best2 = max(rates[(2, b)] for b in (32, 128, 256))
    print(f"scaling 1 -> 2 workers (best batch each) = {best2 / best:.2f}x")


if __name__ == "__main__":
    main()
