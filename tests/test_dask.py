"""Summarize and translate on a Dask cluster (two worker processes on 127.0.0.1): the site
is the same, byte for byte, as a local build, even when a worker dies mid-build."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

import pytest
from conftest import make_project

from generator.config import load_config
from generator.core import build
from generator.progress import SILENT

pytestmark = pytest.mark.dask  # a local Dask cluster

distributed = pytest.importorskip("distributed")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None, silence_logs=logging.ERROR)
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def local_site(sample_site):
    """The sample seeds built on this machine (conftest.sample_site)."""
    return tree(sample_site.project / "docs"), tree(sample_site.project / "site")


class DieOnFirstTask(distributed.WorkerPlugin):
    """The first worker to start a task kills its own process (once, across all workers:
    the marker file says it happened); the nanny starts a new worker in its place."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing":
            try:
                descriptor = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.close(descriptor)
            os._exit(1)


def test_build_on_a_cluster_equals_the_local_build(tmp_path, tiny_models, cluster, local_site):
    project = make_project(tmp_path / "project", tiny_models)
    report = build(load_config(project, {"scheduler": cluster.scheduler_address}), SILENT)
    assert report.summarized == 2 and report.translated > 0
    assert (tree(project / "docs"), tree(project / "site")) == local_site
    with distributed.Client(cluster.scheduler_address) as client:
        loaded = client.run(lambda: len(importlib.import_module("generator.argos")._LOADED))
    assert sum(loaded.values()) >= 1  # the translation ran on the workers, with models they installed


def test_a_worker_that_dies_mid_build_does_not_change_the_result(tmp_path, tiny_models, cluster, local_site):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    project = make_project(tmp_path / "project", tiny_models)
    marker = tmp_path / "a-worker-died"
    with distributed.Client(cluster.scheduler_address) as client:
        client.register_plugin(DieOnFirstTask(str(marker)), name="die-on-first-task")
        try:
            build(load_config(project, {"scheduler": cluster.scheduler_address}), SILENT)
        finally:
            client.unregister_worker_plugin("die-on-first-task")
    assert marker.exists()  # a worker did die during the build
    assert (tree(project / "docs"), tree(project / "site")) == local_site


def test_unreachable_scheduler_is_a_clear_error(tmp_path, tiny_models):
    from generator.errors import ExecutorError

    project = make_project(tmp_path / "project", tiny_models)
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        build(load_config(project, {"scheduler": "tcp://127.0.0.1:9", "scheduler_timeout": 1}), SILENT)
