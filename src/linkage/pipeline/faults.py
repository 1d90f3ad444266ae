"""Fault injection for tests: `LINKAGE_FAULT=<phase>` kills the process (SIGKILL) when it reaches that phase.

Phases of a build: load, extract, corpus, write (half the tables written), publish (every table
written, pointer not yet switched), switched (pointer switched, old builds not yet removed).
Phases of an add: add-raw (raw file copied, manifest row not yet written).
On a Dask worker: task (a batch extracted, its result not yet returned; the worker process is killed).
Used by tests/test_concurrency.py to check that a kill anywhere leaves the last good outputs and
a correct next build; it does nothing unless the variable names the phase.
"""

from __future__ import annotations

import os
import signal

__all__ = ["FAULT_ENV", "PHASES", "fault"]

FAULT_ENV = "LINKAGE_FAULT"
PHASES = ("load", "extract", "corpus", "write", "publish", "switched", "add-raw", "task")


def fault(phase: str) -> None:
    """Kill this process at once (no cleanup runs) if $LINKAGE_FAULT names `phase`."""
    if os.environ.get(FAULT_ENV) == phase:
        os.kill(os.getpid(), signal.SIGKILL)
