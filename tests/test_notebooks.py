"""Notebooks: stored without outputs, open with question/method/findings, hold no logic, run top to bottom."""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from linkage.presentation import charts

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_corpus", "02_timeline", "03_framing", "04_voices", "05_figures_and_claims"]


def test_the_five_numbered_notebooks_exist_in_reading_order():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has stored outputs; clear them before committing"
            assert cell.execution_count is None, f"{path.name}: stored execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_opens_with_question_method_then_findings(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Question.**" in first.source and "**Method.**" in first.source
    sources = [c.source for c in nb.cells]
    findings = next(i for i, s in enumerate(sources) if s.startswith("## Key findings"))
    evidence = next(i for i, s in enumerate(sources) if s.startswith("## Evidence"))
    assert findings < evidence
    assert "_findings(tables)" in sources[findings + 1], "findings must be computed from the tables"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_only_call_the_package(path: Path):
    """Notebooks hold narrative and calls into linkage: no definitions, loops or other imports."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda), (
                f"{path.name}: logic belongs in the package:\n{cell.source}")
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] == "linkage", f"{path.name}: imports only from linkage"
            assert not isinstance(node, ast.Import), f"{path.name}: imports only from linkage"


def test_every_chart_is_written_by_a_notebook():
    text = "\n".join(c.source for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells)
    for chart in charts.CHARTS:
        assert f"charts.{chart.__name__}(tables).save()" in text, f"no notebook writes {chart.__name__}"


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory) -> Path:
    """A throw-away copy of the project inputs and notebooks, with its tables built."""
    from conftest import copy_project

    from linkage import build

    dst = copy_project(ROOT, tmp_path_factory.mktemp("nbproj"))
    shutil.copytree(ROOT / "notebooks", dst / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    build(dst)
    return dst


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executes_top_to_bottom(path: Path, project_copy: Path):
    from linkage.pipeline.settings import Settings
    from linkage.presentation.report import execute

    os.environ.setdefault("MPLBACKEND", "Agg")
    nb, error = execute(project_copy / "notebooks" / path.name, Settings(project_copy), timeout=120, fresh=True)
    assert not error, f"{path.name} failed: {error}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    findings = code[1].outputs
    assert findings and "text/html" in findings[0]["data"], "findings cell shows no findings"
    from linkage import load

    tables = load(root=project_copy, rebuild=False)
    source = "\n".join(c.source for c in nb.cells)
    for chart in charts.CHARTS:
        if f"charts.{chart.__name__}(tables)" in source:
            slug = chart(tables).slug
            for ext in ("png", "svg", "csv"):
                assert (project_copy / "figures" / f"{slug}.{ext}").is_file(), f"{path.name} did not write {slug}.{ext}"
