"""The per-article extraction as tasks on a Dask cluster (`python -m linkage build --engine dask`).

The client (the process running `build`) reads the manifest, the raw texts, the registry and the
lexicons, cuts the articles into the build's batches and submits each batch that is not wholly in
the article store as one task. A task runs the same code as a local worker process
(`build._run_batch`) with no store (every article extracted) and returns the packed batch, whose
`entries` hold the encoded store entries of its articles; the client writes those into its store
(`ArticleStore.put_many`, one transaction per batch, as for local workers; workers never touch the
store), reads the batches wholly in the store itself, and appends the batches in manifest order, so the tables are byte for byte those of a local build. The corpus-level steps run
in the client, as in a local build.

Workers need the same Python environment (the `linkage` package and its dependencies at the same
versions); they need no project files: the registry and lexicons travel with the tasks (sent
once per worker), the article texts inside each batch. Before the first task the client asks
every worker for its code version (`client.run`), so a worker without the package, or with other
code, stops the build at once with a message naming the worker. See docs/dask.md.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import shutil
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from .cache import code_version
from .faults import fault
from .resources import Resources
from .settings import DASK_CONNECT_TIMEOUT, DASK_TASKS_PER_WORKER, Settings

__all__ = ["DaskEngine", "Shipped", "dask_engine", "probe"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shipped:
    """The registry and lexicon files (path under data/ -> bytes) and the code version the client runs."""

    version: str
    code: str
    files: dict[str, bytes]

    @classmethod
    def of(cls, res: Resources) -> Shipped:
        data = res.settings.data
        files = {str(p.relative_to(data)): p.read_bytes() for p in res.data_files()}
        return cls(res.version, code_version(), files)


def probe() -> dict[str, str]:
    """Run on each worker before the build: what it would run the tasks with."""
    import sys

    return {"code": code_version(), "python": sys.version.split()[0]}


# --- worker side ---------------------------------------------------------------------------------

_materialised: dict[str, Resources] = {}
_lock = threading.Lock()


def _scratch() -> str | None:
    """The worker's own folder (Dask removes those of dead workers), else the system's temporary folder."""
    try:
        from distributed import get_worker

        return get_worker().local_directory
    except (ImportError, ValueError):
        return None


def _resources(shipped: Shipped) -> Resources:
    """Resources reading the shipped files (written once per worker process into a folder of its own)."""
    with _lock:
        found = _materialised.get(shipped.version)
        if found is None:
            root = Path(tempfile.mkdtemp(prefix=f"linkage-data-{shipped.version}-", dir=_scratch()))
            atexit.register(shutil.rmtree, root, True)
            for relative, data in shipped.files.items():
                path = root / "data" / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            found = _materialised[shipped.version] = Resources(Settings(root))
        return found


def _given(shipped: Shipped) -> Shipped:
    return shipped


def run_task(shipped: Shipped, jobs: list[tuple[Any, str]]) -> Any:
    """One batch on a worker, extracted afresh: the packed batch (`build._Batch`), with the store entries of its
    articles in `entries` when the client keeps a store (the keys are empty otherwise)."""
    from . import build

    if code_version() != shipped.code:
        raise RuntimeError(
            f"this worker runs other linkage code (version {code_version()[:12]}) than the client "
            f"({shipped.code[:12]}); install the same version everywhere (see docs/dask.md)"
        )
    build._worker.update(res=_resources(shipped), cache=None)  # no store on a worker: never a hit, never a write
    batch = build._run_batch(jobs)
    fault("task")
    return batch


# --- client side ---------------------------------------------------------------------------------


class DaskEngine:
    """A connected client; `batches` runs the extraction of a build on its cluster."""

    def __init__(self, client: Any, address: str) -> None:
        self.client = client
        self.address = address

    @property
    def workers(self) -> int:
        """Worker threads on the cluster now."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        return sum(int(w.get("nthreads", 1)) for w in info.values()) or 1

    def check_workers(self) -> None:
        """Fail with a clear message unless every worker runs the client's code (the package importable, same version)."""
        try:
            self.client.wait_for_workers(1, timeout=DASK_CONNECT_TIMEOUT)
        except TimeoutError:
            raise InputError(
                f"the Dask scheduler at {self.address} has no workers (waited {DASK_CONNECT_TIMEOUT:.0f} s); "
                "start some with `dask worker ADDRESS` in the project's environment."
            ) from None
        try:
            found = self.client.run(probe, on_error="return")
        except Exception as exc:  # noqa: BLE001 - reported with the worker's own words
            raise InputError(f"the Dask workers could not run linkage: {exc}; see docs/dask.md.") from exc
        ours = code_version()
        for worker, answer in sorted(found.items()):
            if isinstance(answer, BaseException):
                raise InputError(
                    f"Dask worker {worker} cannot run linkage ({type(answer).__name__}: {answer}); "
                    "every worker needs the same environment as the client, with linkage installed "
                    "(see docs/dask.md)."
                )
            if answer.get("code") != ours:
                raise InputError(
                    f"Dask worker {worker} runs other linkage code (version {str(answer.get('code'))[:12]}, "
                    f"Python {answer.get('python')}) than this client ({ours[:12]}); install the same "
                    "version everywhere (see docs/dask.md)."
                )

    def batches(self, batches: list[list[tuple[Any, str]]], cache: Any, res: Resources) -> Iterator[Any]:
        """The packed result of each batch, in order: batches wholly in the store `cache` read here, the others as tasks.

        At most DASK_TASKS_PER_WORKER tasks per worker thread are in flight, so neither the
        cluster nor the client holds more than a window of results. The entries the tasks
        extracted come back in each batch's `entries`; the caller (build.run_articles) stores them.
        """
        from distributed import KilledWorker

        from . import build

        if cache is not None:
            remote = [not all(key for _, key in batch) or cache.present(key for _, key in batch) < len({k for _, k in batch})
                      for batch in batches]
        else:
            remote = [True] * len(batches)
        todo = deque(i for i, far in enumerate(remote) if far)
        if not todo:
            yield from map(build._run_batch, batches)
            return
        # The files as a task's result, not scattered data: a worker that dies holding the only copy of
        # scattered data fails the build, while a task's result is computed again elsewhere.
        shipped = self.client.submit(_given, Shipped.of(res), key=f"linkage-data-{res.version}-{uuid.uuid4().hex[:12]}", pure=False)
        window = max(2, DASK_TASKS_PER_WORKER * self.workers)
        run = uuid.uuid4().hex[:12]
        futures: dict[int, Any] = {}

        def top_up() -> None:
            while todo and len(futures) < window:
                i = todo.popleft()
                futures[i] = self.client.submit(
                    run_task, shipped, batches[i], key=f"linkage-batch-{run}-{i}", priority=-i, pure=False
                )

        try:
            for i, batch in enumerate(batches):
                top_up()
                if not remote[i]:
                    yield build._run_batch(batch)
                    continue
                future = futures.pop(i)
                try:
                    result = future.result()
                except KilledWorker as exc:
                    first, last = batch[0][0].article_id, batch[-1][0].article_id
                    raise RuntimeError(
                        f"Dask gave up the batch of articles {first} to {last}: every worker that ran it died ({exc}); "
                        "see the workers' logs (an article that exhausts a worker's memory does this)."
                    ) from exc
                future.release()
                yield result
        finally:
            for future in futures.values():
                future.cancel()
            shipped.release()


@contextlib.contextmanager
def dask_engine(scheduler: str | None = None, workers: int | None = None) -> Iterator[DaskEngine]:
    """A client of the cluster at `scheduler`, or of a local cluster of `workers` single-thread processes
    started here and closed on exit; every worker checked (`DaskEngine.check_workers`)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - pinned in requirements.txt
        raise InputError(f"--engine dask needs the dask and distributed packages ({exc}); run `make install`.") from exc
    if not logging.getLogger("linkage").isEnabledFor(logging.INFO):  # distributed logs every step at INFO
        logging.getLogger("distributed").setLevel(logging.WARNING)
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            from .build import default_jobs

            cluster = stack.enter_context(LocalCluster(
                n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR,
            ))
            address = cluster.scheduler_address
            client = stack.enter_context(Client(cluster))
        else:
            address = scheduler
            try:
                client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise InputError(
                    f"cannot reach the Dask scheduler at {address} within {DASK_CONNECT_TIMEOUT:.0f} s ({exc}); "
                    "check the address (tcp://host:8786) and that `dask scheduler` runs there."
                ) from None
            stack.callback(client.close)
        engine = DaskEngine(client, address)
        engine.check_workers()
        yield engine
