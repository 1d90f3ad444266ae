"""Registries and lexicons (data the extractors read), loaded once per build."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .files import numbered_rows
from .settings import Settings

__all__ = ["Resources"]


@dataclass
class Resources:
    """Data files under data/ (other than raw articles and the manifest), read on demand and memoised."""

    settings: Settings
    _csv: dict[str, list[dict[str, str]]] = field(default_factory=dict, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def data_files(self) -> list[Path]:
        """Registry and lexicon files whose content is part of every article's cache key."""
        data = self.settings.data
        files = [p for p in data.glob("*.csv") if p.name != "articles.csv"]
        if self.settings.lexicons.is_dir():
            files += [p for p in self.settings.lexicons.rglob("*") if p.is_file()]
        return sorted(files)

    @property
    def version(self) -> str:
        """Hash of every registry and lexicon file: changes when an analyst edits one."""
        if "_version" not in self._memo:
            digest = hashlib.sha256()
            for path in self.data_files():
                digest.update(str(path.relative_to(self.settings.data)).encode())
                digest.update(path.read_bytes())
            self._memo["_version"] = digest.hexdigest()[:16]
        return self._memo["_version"]

    def csv(self, relative: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
        """Rows of data/<relative> as dicts; InputError naming the file when it is missing or malformed."""
        if relative not in self._csv:
            path = self.settings.data / relative
            if not path.is_file():
                raise InputError(f"{path}: not found; it is needed by the extractors (see docs/method.md).")
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle, strict=True)
                rows = []
                try:
                    for number, row in numbered_rows(reader):
                        if None in row:
                            raise InputError(f"{path}, line {number}: more fields than the header; quote fields with commas.")
                        rows.append({k: (v or "").strip() for k, v in row.items()})
                except csv.Error as exc:
                    raise InputError(f"{path}, line {reader.reader.line_num}: malformed CSV ({exc}); check the quoting.") from exc
                except UnicodeDecodeError as exc:
                    raise InputError(f"{path}: not UTF-8 (byte {exc.start} of a block); re-save it as UTF-8.") from exc
                missing = [c for c in required if c not in (reader.fieldnames or [])]
                if missing:
                    raise InputError(f"{path}: header lacks column(s) {', '.join(missing)}.")
            self._csv[relative] = rows
        return self._csv[relative]

    def memo(self, key: str, factory: Callable[[], Any]) -> Any:
        """Compute `factory()` once per build (compiled patterns, lookup tables)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]
