"""linkage: turn news articles into traceable tables of who said what about tariffs and troops."""

from __future__ import annotations

from .errors import InputError
from .pipeline import BuildSummary, build, load
from .settings import Settings

__all__ = ["BuildSummary", "InputError", "Settings", "build", "load"]
__version__ = "0.1.0"
