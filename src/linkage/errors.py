"""Errors raised for bad input; each message names the file or row and the fix."""

from __future__ import annotations

__all__ = ["InputError"]


class InputError(ValueError):
    """Bad input (manifest, raw file, registry): the message says where and what to do."""
