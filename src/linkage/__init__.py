"""linkage: turn news articles into traceable tables of who said what about tariffs and troops."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import InputError
from .pipeline.settings import Settings

if TYPE_CHECKING:
    from .pipeline.build import BuildSummary, build, load

__all__ = ["BuildSummary", "InputError", "Settings", "build", "load"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the pipeline (pandas, pyarrow) only when it is used: `linkage add` and `check` start fast."""
    if name in ("BuildSummary", "build", "load"):
        from .pipeline import build as pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'linkage' has no attribute {name!r}")
