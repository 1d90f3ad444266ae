"""Benchmark `build --engine dask` on a loopback cluster against the local engine.

For each size: generate a synthetic corpus (benchmarks/synth.py), then run cold builds (no cache)
of two copies, each in a fresh interpreter: `python -m linkage build --jobs 2` (local worker
processes) and `python -m linkage build --engine dask --scheduler ADDRESS` on a scheduler plus two
single-thread workers started here on 127.0.0.1 (started once, before the timings; cluster start-up
is not counted, as on a cluster that already runs). Checks that both builds wrote the same files and
reports the best wall time of the interleaved repeats, articles per second and the Dask/local ratio
(target: at least 0.8).

    python benchmarks/dask_run.py                 # 2000 articles
    python benchmarks/dask_run.py --sizes 2000 20000 --repeat 2
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

TARGET_RATIO = 0.8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cluster(logs: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and `workers` single-thread workers on 127.0.0.1 (their output in `logs`)."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = [sys.executable, "-m", "dask"]
    procs = []

    def start(name: str, *args: str) -> None:
        with open(logs / f"{name}.log", "wb") as log:
            procs.append(subprocess.Popen([*dask, *args], stdout=log, stderr=subprocess.STDOUT, cwd=logs))

    start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard")
    for i in range(workers):
        start(f"worker{i}", "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1")
    with Client(address, timeout=60) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, procs


def _build(root: Path, *args: str) -> float:
    """Wall seconds of one cold build in a fresh interpreter."""
    shutil.rmtree(root / ".cache", ignore_errors=True)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "linkage", "--root", str(root), "build", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _digest(root: Path) -> str:
    folder = (root / "data" / "processed").resolve()
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="builds per engine and size (the best is reported)")
    args = parser.parse_args(argv)
    import synth

    with tempfile.TemporaryDirectory(prefix="linkage-dask-bench-") as tmp:
        work = Path(tmp)
        address, procs = _cluster(work, args.workers)
        try:
            print(f"| articles | local --jobs {args.workers} (s) | art/s | dask, {args.workers} workers (s) | art/s | dask/local |")
            print("|---:|---:|---:|---:|---:|---:|")
            for n in args.sizes:
                source = synth.generate(n, work / f"corpus-{n}")
                local, remote = work / f"local-{n}", work / f"dask-{n}"
                for copy in (local, remote):
                    shutil.copytree(source / "data", copy / "data", ignore=shutil.ignore_patterns("processed", "builds"))
                times: dict[str, list[float]] = {"local": [], "dask": []}
                for _ in range(args.repeat):  # interleaved, so a change in the machine's load hits both
                    times["local"].append(_build(local, "--jobs", str(args.workers)))
                    times["dask"].append(_build(remote, "--engine", "dask", "--scheduler", address))
                t_local, t_dask = min(times["local"]), min(times["dask"])
                same = _digest(local) == _digest(remote)
                ratio = t_local / t_dask
                print(
                    f"| {n:,} | {t_local:.1f} | {n / t_local:.0f} | {t_dask:.1f} | {n / t_dask:.0f} | {ratio:.2f}"
                    f"{'' if ratio >= TARGET_RATIO else ' (below 0.8)'} |",
                    flush=True,
                )
                if not same:
                    print(f"outputs differ at {n} articles", file=sys.stderr)
                    return 1
        finally:
            for proc in procs[::-1]:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
