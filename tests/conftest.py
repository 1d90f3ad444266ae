"""Shared fixtures: the real project, and throw-away copies of it for bad-input tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    """The project root."""
    return ROOT


@pytest.fixture(scope="session")
def tables(root):
    """Every table, built once for the session from the real corpus (outputs in a temp copy)."""
    from linkage import build, load

    return _built_tables(root, build, load)


def _built_tables(root: Path, build, load):
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="linkage-tables-"))
    copy_project(root, tmp)
    build(tmp)
    return load(root=tmp, rebuild=False)


def copy_project(src: Path, dst: Path) -> Path:
    """Copy the inputs of a project (data files, tests/gold) into `dst`."""
    (dst / "data").mkdir(parents=True, exist_ok=True)
    for item in (src / "data").iterdir():
        if item.name == "processed":
            continue
        if item.is_dir():
            shutil.copytree(item, dst / "data" / item.name)
        else:
            shutil.copy2(item, dst / "data" / item.name)
    if (src / "tests" / "gold").is_dir():
        shutil.copytree(src / "tests" / "gold", dst / "tests" / "gold")
    return dst


@pytest.fixture
def project(tmp_path: Path, root: Path) -> Path:
    """A writable copy of the project's inputs."""
    return copy_project(root, tmp_path / "proj")


@pytest.fixture(scope="session")
def raw_texts(root):
    """article_id -> raw text for the committed corpus."""
    from linkage.evaluation.common import raw_texts
    from linkage.settings import Settings

    return raw_texts(Settings(root))
