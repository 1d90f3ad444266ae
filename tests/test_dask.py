"""`build --engine dask` on a real scheduler and workers started on loopback: same tables, faults, clear errors."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkage import InputError, build
from linkage.pipeline import build as pipeline_module
from linkage.pipeline.faults import FAULT_ENV

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(*args: str, env: dict[str, str] | None = None, log: Path) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *args], stdout=handle, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, cwd=log.parent,
        )
    finally:
        handle.close()


def _worker(address: str, log: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return _start("worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1", *extra, env=env, log=log)


def _wait_for_workers(address: str, n: int) -> None:
    from distributed import Client

    with Client(address, timeout=START_TIMEOUT) as client:
        client.wait_for_workers(n, timeout=START_TIMEOUT)


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A scheduler and two single-thread workers (with nannies) on 127.0.0.1; its address and a log folder."""
    logs = tmp_path_factory.mktemp("dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [_start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard", log=logs / "scheduler.log")]
    try:
        procs += [_worker(address, logs / f"worker{i}.log") for i in range(2)]
        _wait_for_workers(address, 2)
        yield address, logs
    finally:
        _stop(procs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A synthetic corpus of 60 articles from several outlets and months."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_synth_dask", ROOT / "benchmarks" / "synth.py")
    module = sys.modules.setdefault("bench_synth_dask", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module.generate(60, tmp_path_factory.mktemp("synth") / "corpus")


@pytest.fixture(scope="module")
def local_outputs(corpus, tmp_path_factory) -> dict[str, bytes]:
    """The outputs of a local serial build of `corpus` (Parquet and the dataset included)."""
    root = _copy(corpus, tmp_path_factory.mktemp("local") / "p")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pipeline_module, "LARGE_CORPUS", 10)
        build(root, jobs=1, cache=False)
    return _outputs(root)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src / "data", dst / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
    return dst


def _outputs(root: Path) -> dict[str, bytes]:
    folder = root / "data" / "processed"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def test_build_on_a_cluster_equals_local_build_and_fills_the_cache(cluster, corpus, local_outputs, tmp_path, monkeypatch):
    address, _ = cluster
    root = _copy(corpus, tmp_path / "dask")
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
    monkeypatch.setattr(pipeline_module, "BATCH", 8)
    first = build(root, engine="dask", scheduler=address)
    assert first.extracted == first.articles == 60 and first.jobs == 2
    assert any(name.startswith("parquet/quotes/outlet_slug=") for name in local_outputs)
    assert _outputs(root) == local_outputs
    # The client stored what the workers extracted: a second build reads every batch from the cache.
    second = build(root, engine="dask", scheduler=address)
    assert second.extracted == 0 and second.cached == 60
    assert _outputs(root) == local_outputs


def test_a_worker_killed_mid_build_changes_nothing(cluster, corpus, local_outputs, tmp_path, monkeypatch):
    """A third worker (no nanny to restart it) is killed by SIGKILL after extracting its first batch, before
    returning it; the scheduler gives its tasks to the other two and the tables are the same."""
    address, logs = cluster
    doomed = _worker(address, logs / "doomed.log", "--no-nanny", env={FAULT_ENV: "task"})
    try:
        _wait_for_workers(address, 3)
        root = _copy(corpus, tmp_path / "killed")
        monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
        monkeypatch.setattr(pipeline_module, "BATCH", 4)
        summary = build(root, engine="dask", scheduler=address, cache=False)
        assert doomed.wait(timeout=30) == -9, "the worker was not killed during the build"
        assert summary.articles == 60
        assert _outputs(root) == local_outputs
    finally:
        _stop([doomed])


def test_an_unreachable_scheduler_fails_fast_with_a_clear_message(project):
    port = _free_port()  # nothing listens there
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), "build", "--engine", "dask",
         "--scheduler", f"tcp://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in done.stderr
    assert time.monotonic() - start < 20
    assert not (project / "data" / "builds").exists()


def test_a_worker_without_the_package_is_refused_at_once(project, tmp_path):
    """A worker whose `linkage` is an empty package (shadowed on PYTHONPATH): the build stops before any task."""
    shadow = tmp_path / "shadow" / "linkage"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("", encoding="utf-8")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = [_start("scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard", log=tmp_path / "s.log")]
    try:
        procs.append(_worker(address, tmp_path / "w.log", env={"PYTHONPATH": str(shadow.parent)}))
        _wait_for_workers(address, 1)
        start = time.monotonic()
        with pytest.raises(InputError, match=r"cannot run linkage \(.*No module named 'linkage\.pipeline'"):
            build(project, engine="dask", scheduler=address)
        assert time.monotonic() - start < 20
        assert not (project / "data" / "builds").exists()
    finally:
        _stop(procs)


def test_the_command_starts_and_closes_a_local_cluster(project, tmp_path):
    local = _copy(project, tmp_path / "local")
    build(local, jobs=1, cache=False)
    done = subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), "build", "--engine", "dask", "--jobs", "2"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 5 articles")
    assert _outputs(project) == _outputs(local)


def test_scheduler_needs_the_dask_engine(project):
    with pytest.raises(InputError, match="--scheduler needs --engine dask"):
        build(project, scheduler="tcp://127.0.0.1:1")
    with pytest.raises(InputError, match="unknown engine 'spark'"):
        build(project, engine="spark")
