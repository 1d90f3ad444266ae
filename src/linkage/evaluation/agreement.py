"""How far the stance labels agree with hand coding on real coverage: written by `evaluate` to
docs/stance_agreement.csv (committed), read by the views that report stance."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from ..errors import InputError
from .common import Score

__all__ = ["AGREEMENT_FILE", "COLUMNS", "rows_from_scores", "write", "read", "note"]

AGREEMENT_FILE = Path("docs") / "stance_agreement.csv"
"""Relative to the project root."""

COLUMNS = ("set", "measure", "value", "n")
_MEASURES = {
    "kappa": "kappa",
    "agreement": "agreement",
    "separation recall": "separation_recall",
    "separation precision": "separation_precision",
    "linkage recall": "linkage_recall",
    "linkage precision": "linkage_precision",
    "mean article bias (package − hand)": "mean_article_bias",
}
"""Stance metrics of the challenge scorer -> measure names in the file."""


def rows_from_scores(challenge: list[Score], seeds: list[Score] = ()) -> list[dict[str, str]]:
    """The file's rows: the challenge set's stance figures (real coverage) and the seeds' stance kappa."""
    out = []
    for s in challenge:
        if s.table == "stance" and s.metric in _MEASURES:
            out.append({"set": "challenge", "measure": _MEASURES[s.metric], "value": f"{s.value:.3f}", "n": str(s.support)})
    for s in seeds:
        if s.table == "framing" and s.metric == "stance kappa":
            out.append({"set": "seeds", "measure": "kappa", "value": f"{s.value:.3f}", "n": str(s.support)})
    return out


def write(root: str | Path, rows: list[dict[str, str]]) -> Path | None:
    """Write the rows to docs/stance_agreement.csv under `root` atomically (nothing written when there are none)."""
    if not any(r["set"] == "challenge" for r in rows):
        return None
    path = Path(root) / AGREEMENT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".stance_agreement.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read(root: str | Path) -> dict[tuple[str, str], tuple[float, int]]:
    """{(set, measure): (value, n)} from docs/stance_agreement.csv under `root`; InputError naming the file and line
    when it is missing or malformed (run `python -m linkage evaluate` to write it)."""
    path = Path(root) / AGREEMENT_FILE
    if not path.is_file():
        raise InputError(f"{path}: not found; run `python -m linkage evaluate` to write the stance agreement figures.")
    out: dict[tuple[str, str], tuple[float, int]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"{path}: header must be {','.join(COLUMNS)}; run `python -m linkage evaluate` to rewrite it.")
        for line, row in enumerate(reader, start=2):
            try:
                out[(row["set"], row["measure"])] = (float(row["value"]), int(row["n"]))
            except (TypeError, ValueError):
                raise InputError(f"{path}, line {line}: value must be a number and n a whole number; "
                                 "run `python -m linkage evaluate` to rewrite the file.") from None
    return out


def note(root: str | Path) -> str:
    """One sentence for a chart's method note: kappa and mean article bias of the stance labels on real coverage."""
    fig = read(root)
    try:
        kappa, n = fig[("challenge", "kappa")]
        bias, articles = fig[("challenge", "mean_article_bias")]
    except KeyError as exc:
        raise InputError(f"{Path(root) / AGREEMENT_FILE}: no challenge row for {exc.args[0][1]}; "
                         "run `python -m linkage evaluate` to rewrite it.") from None
    signed = f"{bias:+.2f}".replace("-", "−")
    return (f"Stance labels agree with hand coding on {n} sentences of real coverage ({articles} articles) with "
            f"Cohen's κ = {kappa:.2f}; the mean article stance score is off by {signed} on the −1…+1 scale "
            "(package minus hand coding).")
