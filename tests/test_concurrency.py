"""Concurrency, faults and hostile files: one writer at a time, outputs published whole, bad files refused.

Every test works on seed copies in temporary folders. Faults are injected with LINKAGE_FAULT=<phase>
(linkage.pipeline.faults), which SIGKILLs the process at that phase: no timing is involved.
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project

from linkage import InputError, build
from linkage.pipeline.manifest import load_articles, read_manifest, write_manifest
from linkage.pipeline.outputs import snapshot
from linkage.pipeline.settings import Settings

EXTRA = "Trade Talks Resume\n\nPrime Minister Shigeru Ishiba said on Friday that tariffs and troops are separate.\n"


def _cli(project: Path, *args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}, **kw,
    )


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    """Run the block (and the processes it starts) under umask `mask`."""
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def _outputs(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}  # the Parquet dataset's partitions too


# --- one writer at a time ---------------------------------------------------------------------------


def test_fifty_concurrent_adds_keep_every_article_exactly_once(project, tmp_path):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    names = [f"c{i:02d}.txt" for i in range(50)]
    for i, name in enumerate(names):
        (incoming / name).write_text(f"Story {i}\n\nOfficials met on Friday for round {i} of the talks.\n", encoding="utf-8")
    before = read_manifest(Settings(project))
    with _umask(0o022):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "linkage", "--root", str(project), "add", str(incoming / name),
                 "--outlet", "Wire", "--published", "2025-04-25", "--country", "JP"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for name in names
        ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert all(code == 0 for code, _ in results), [err for code, err in results if code]
    rows = read_manifest(Settings(project))
    added = [r for r in rows if r["source_file"] in names]
    assert len(rows) == len(before) + 50
    assert sorted(r["source_file"] for r in added) == names  # each once
    assert len({r["article_id"] for r in rows}) == len(rows)  # ids made unique under the lock
    assert {r["published"] for r in added} == {"2025-04-25T00:00+09:00"}
    assert {r["published_precision"] for r in added} == {"day"}
    assert len(load_articles(Settings(project))) == len(rows)  # no orphaned raw file
    for path in (project / "data" / "articles.csv", project / "data" / "raw" / "c00.txt"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_an_add_killed_between_raw_file_and_row_leaves_nothing_behind(project, tmp_path):
    source = tmp_path / "late.txt"
    source.write_text(EXTRA, encoding="utf-8")
    before = (project / "data" / "articles.csv").read_bytes()
    result = _cli(project, "add", str(source), "--outlet", "Wire", "--published", "2025-04-25T09:00+09:00",
                  env={"LINKAGE_FAULT": "add-raw"})
    assert result.returncode == -signal.SIGKILL
    assert (project / "data" / "raw" / "late.txt").exists()  # written, row not yet
    assert (project / "data" / "articles.csv").read_bytes() == before
    assert len(load_articles(Settings(project))) == 5  # a reader ignores the unfinished add's file
    (project / "data" / "raw" / ".late.txt.x1y2.tmp").write_text("half", encoding="utf-8")  # as a kill leaves it
    build(project)  # the next writer undoes the killed add
    assert not list((project / "data" / "raw").glob(".*"))
    assert not (project / "data" / "raw" / "late.txt").exists()
    assert not (project / "data" / ".add-journal").exists()
    again = _cli(project, "add", str(source), "--outlet", "Wire", "--published", "2025-04-25T09:00+09:00")
    assert again.returncode == 0, again.stderr


def test_an_add_whose_manifest_write_fails_removes_its_raw_file(project, tmp_path, monkeypatch):
    from linkage.pipeline import manifest

    source = tmp_path / "fails.txt"
    source.write_text(EXTRA, encoding="utf-8")
    before = (project / "data" / "articles.csv").read_bytes()

    def disk_full(settings, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(manifest, "write_manifest", disk_full)
    with pytest.raises(OSError, match="No space"):
        manifest.add_article(Settings(project), source, outlet="Wire", published="2025-04-25T09:00+09:00")
    assert not (project / "data" / "raw" / "fails.txt").exists()
    assert not (project / "data" / ".add-journal").exists()
    assert (project / "data" / "articles.csv").read_bytes() == before


# --- all tables change together ----------------------------------------------------------------------


def _set_corpus(project: Path, extra: bool, seeds: list[dict[str, str]], extra_row: dict[str, str]) -> None:
    """Switch the project's inputs between the five seeds and the seeds plus one article."""
    write_manifest(Settings(project), [*seeds, extra_row] if extra else seeds)


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory):
    """A seed copy with one extra article on disk, the manifest rows of both corpora, and each corpus's clean build."""
    from linkage.pipeline.manifest import add_article

    base = tmp_path_factory.mktemp("two")
    project = copy_project(Path(__file__).resolve().parents[1], base / "proj")
    seeds = read_manifest(Settings(project))
    source = base / "900_extra.txt"
    source.write_text(EXTRA, encoding="utf-8")
    extra_row = add_article(Settings(project), source, outlet="Wire", published="2025-04-25T09:00+09:00")
    clean = {}
    for extra in (False, True):
        ref = copy_project(Path(__file__).resolve().parents[1], base / f"ref{int(extra)}")
        (ref / "data" / "raw" / "900_extra.txt").write_bytes(source.read_bytes())
        _set_corpus(ref, extra, seeds, extra_row)
        if not extra:
            (ref / "data" / "raw" / "900_extra.txt").unlink()
        build(ref, cache=False)
        clean[extra] = _outputs(snapshot(Settings(ref)))
    assert clean[False] != clean[True]
    return project, seeds, extra_row, clean


PHASES = ["load", "extract", "corpus", "write", "publish", "switched"]


def test_a_kill_at_each_build_phase_keeps_the_last_good_outputs_and_the_next_build_is_clean(two_corpora):
    project, seeds, extra_row, clean = two_corpora
    settings = Settings(project)
    _set_corpus(project, False, seeds, extra_row)
    raw_extra = (project / "data" / "raw" / "900_extra.txt").read_bytes()
    (project / "data" / "raw" / "900_extra.txt").unlink()
    build(project)
    state = False
    for phase in PHASES:
        assert _outputs(settings.processed) == clean[state]
        target = not state
        if target:
            (project / "data" / "raw" / "900_extra.txt").write_bytes(raw_extra)
        _set_corpus(project, target, seeds, extra_row)
        if not target:
            (project / "data" / "raw" / "900_extra.txt").unlink()
        result = _cli(project, "build", env={"LINKAGE_FAULT": phase, "PYTHONHASHSEED": "0"})
        assert result.returncode == -signal.SIGKILL, (phase, result.stderr)
        # The last good outputs are whole and readable (after "switched" the new build is already published).
        published = target if phase == "switched" else state
        assert _outputs(settings.processed) == clean[published], phase
        build(project)  # the next build is correct and removes what the killed one left
        assert _outputs(settings.processed) == clean[target], phase
        unfinished = [p.name for p in settings.builds.iterdir() if not (p / ".built").is_file()]
        assert not unfinished, (phase, unfinished)
        assert not list(settings.data.glob(".processed.*"))
        state = target
    assert len(list(settings.builds.iterdir())) <= 3  # old builds are collected


def test_a_reader_polling_during_builds_never_sees_a_mix(two_corpora):
    project, seeds, extra_row, clean = two_corpora
    settings = Settings(project)
    (project / "data" / "raw" / "900_extra.txt").write_text(EXTRA, encoding="utf-8")
    _set_corpus(project, True, seeds, extra_row)
    build(project)
    stop = threading.Event()
    seen: dict[str, int] = {}
    problems: list[str] = []

    def ids(path: Path) -> set[str]:
        with open(path, encoding="utf-8", newline="") as handle:
            return {row["article_id"] for row in csv.DictReader(handle)}

    def poll() -> None:
        while not stop.is_set():
            folder = snapshot(settings)  # the pointer, resolved once per read of the whole set
            try:
                ident = (folder / ".built").read_text(encoding="utf-8").strip()
                articles = ids(folder / "articles.csv")
                for table in ("blocks", "sentences", "mentions", "framing"):
                    if not ids(folder / f"{table}.csv") <= articles:
                        problems.append(f"{ident}: {table} has articles that articles.csv lacks")
                if ids(folder / "blocks.csv") != articles:
                    problems.append(f"{ident}: blocks and articles disagree")
                seen[ident] = len(articles)
                # A reader opening one file through data/processed always gets a whole file.
                if len(ids(settings.processed / "articles.csv")) not in (5, 6):
                    problems.append("a partial articles.csv")
            except FileNotFoundError as exc:
                problems.append(f"snapshot {folder.name} vanished while read: {exc}")

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        for extra in (False, True, False, True):
            _set_corpus(project, extra, seeds, extra_row)
            if not extra:
                (project / "data" / "raw" / "900_extra.txt").unlink()
            else:
                (project / "data" / "raw" / "900_extra.txt").write_text(EXTRA, encoding="utf-8")
            build(project)
    finally:
        stop.set()
        reader.join()
    assert not problems, problems[:5]
    assert len(seen) >= 2 and set(seen.values()) == {5, 6}


def test_the_snapshot_command_prints_the_current_build(project):
    assert _cli(project, "snapshot").returncode == 2
    build(project)
    result = _cli(project, "snapshot")
    assert result.returncode == 0 and Path(result.stdout.strip()) == snapshot(Settings(project))
    assert (Path(result.stdout.strip()) / "quotes.csv").is_file()


def test_load_reads_one_snapshot_even_if_a_build_is_published_meanwhile(project, monkeypatch):
    import pandas as pd

    from linkage import load

    build(project)
    first = snapshot(Settings(project))
    real = pd.read_csv
    read: list[Path] = []

    def read_then_switch(path, *args, **kwargs):
        read.append(Path(path))
        if len(read) == 2:  # a build lands between two tables
            build(project, cache=False)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", read_then_switch)
    tables = load(root=project, rebuild=False)
    assert snapshot(Settings(project)) != first  # a new build was published meanwhile
    assert len(read) == len(tables) >= 10
    assert {p.parent for p in read} == {first}  # yet every table came from the first


# --- hostile and odd files ---------------------------------------------------------------------------


def _expect(project: Path, *needles: str) -> str:
    with pytest.raises(InputError) as info:
        load_articles(Settings(project))
    for needle in needles:
        assert needle in str(info.value), str(info.value)
    return str(info.value)


def test_a_symlinked_raw_file_is_refused_listed_or_not(project, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nNot an article.\n", encoding="utf-8")
    (project / "data" / "raw" / "link.txt").symlink_to(outside)
    _expect(project, "data/raw/link.txt", "symbolic link")
    rows = read_manifest(Settings(project))
    os.replace(project / "data" / "raw" / "link.txt", project / "data" / "raw" / rows[0]["source_file"])
    _expect(project, rows[0]["source_file"], "symbolic link", "not a regular file")
    with pytest.raises(InputError):
        build(project)
    result = _cli(project, "build")
    assert result.returncode == 2 and "symbolic link" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_pipes_and_folders_under_raw_are_refused(project, kind):
    path = project / "data" / "raw" / "odd.txt"
    os.mkfifo(path) if kind == "fifo" else path.mkdir()
    _expect(project, "data/raw/odd.txt", "named pipe" if kind == "fifo" else "a folder")
    rows = read_manifest(Settings(project))
    rows[0]["source_file"] = "odd.txt"
    write_manifest(Settings(project), rows)
    _expect(project, "data/raw/odd.txt", "not a regular file")  # read without blocking on the pipe


def test_control_characters_in_a_manifest_field_are_refused_with_the_byte_offset(project):
    rows = read_manifest(Settings(project))
    rows[1]["headline"] = "Talks\x1b[31m resume" + "\x00" * 200
    write_manifest(Settings(project), rows)
    _expect(project, "line 3", "column headline", "U+001B", "byte 5")


def test_control_characters_in_article_text_are_refused_with_the_byte_offset(project, tmp_path):
    source = tmp_path / "ansi.txt"
    source.write_bytes("Héadline\n\nBody \x1b[31mred\n".encode())
    result = _cli(project, "add", str(source), "--outlet", "X", "--published", "2025-04-25T10:00+09:00")
    assert result.returncode == 2
    assert "U+001B" in result.stderr and "byte 16" in result.stderr and "line 3" in result.stderr
    assert not (project / "data" / "raw" / "ansi.txt").exists()
    tab = tmp_path / "tab.txt"
    tab.write_text("Headline\n\nA\ttabbed line.\n", encoding="utf-8")
    assert _cli(project, "add", str(tab), "--outlet", "X", "--published", "2025-04-25T10:00+09:00").returncode == 0


def test_an_article_over_the_size_limit_is_refused_with_the_limit(project, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Headline\n\n" + b"word " * 3000)
    result = _cli(project, "add", str(big), "--outlet", "X", "--published", "2025-04-25T10:00+09:00",
                  env={"LINKAGE_MAX_ARTICLE_BYTES": "10000"})
    assert result.returncode == 2 and "15,010 bytes is over the limit of 10,000 bytes" in result.stderr
    assert "LINKAGE_MAX_ARTICLE_BYTES" in result.stderr
    assert _cli(project, "add", str(big), "--outlet", "X", "--published", "2025-04-25T10:00+09:00").returncode == 0
    with pytest.raises(InputError, match="over the limit of 10,000 bytes"):
        load_articles(Settings(project, max_article_bytes=10_000))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("Headline\n\nCafé".encode()[:-1], "looks truncated"),
        ("Headline\n".encode("utf-16"), "UTF-16"),
        (b"  \n", "the file is empty; supply the article text."),
    ],
)
def test_odd_encodings_and_empty_files_are_named(project, tmp_path, content, needle):
    source = tmp_path / "odd.txt"
    source.write_bytes(content)
    result = _cli(project, "add", str(source), "--outlet", "X", "--published", "2025-04-25T10:00+09:00")
    assert result.returncode == 2 and needle in result.stderr, result.stderr
    assert "manifest row" not in result.stderr


def test_written_files_respect_the_umask(project, tmp_path):
    source = tmp_path / "perm.txt"
    source.write_text(EXTRA, encoding="utf-8")
    with _umask(0o002):
        result = _cli(project, "add", str(source), "--outlet", "X", "--published", "2025-04-25T10:00+09:00")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((project / "data" / "raw" / "perm.txt").stat().st_mode) == 0o664
    (project / "data" / "articles.csv").chmod(0o640)
    second = tmp_path / "perm2.txt"
    second.write_text(EXTRA, encoding="utf-8")
    _cli(project, "add", str(second), "--outlet", "X", "--published", "2025-04-25T10:00+09:00")
    assert stat.S_IMODE((project / "data" / "articles.csv").stat().st_mode) == 0o640  # a replaced file keeps its mode
    with _umask(0o027):
        assert _cli(project, "build").returncode == 0
    built = snapshot(Settings(project))
    assert {stat.S_IMODE(p.stat().st_mode) for p in built.iterdir()} == {0o640}


# --- dates and CSV errors ----------------------------------------------------------------------------


def test_a_date_alone_is_day_precision_with_the_outlet_countrys_offset(project, tmp_path):
    source = tmp_path / "day.txt"
    source.write_text(EXTRA, encoding="utf-8")
    ok = _cli(project, "add", str(source), "--outlet", "Times", "--published", "2025-04-25", "--country", "GB")
    assert ok.returncode == 0, ok.stderr
    row = read_manifest(Settings(project))[-1]
    assert (row["published"], row["published_precision"]) == ("2025-04-25T00:00+01:00", "day")  # summer time


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--published", "2025-04-25", "--country", "US"], "US spans several time zones"),
        (["--published", "2025-04-25", "--precision", "minute", "--offset", "+09:00"], "cannot have minute precision"),
        (["--published", "2025-04-25T10:00+09:00", "--offset", "+09:00"], "already carries a UTC offset"),
        (["--published", "2025-04-25", "--offset", "9h"], "is not a UTC offset"),
    ],
)
def test_date_options_that_do_not_fit_are_refused(project, tmp_path, args, needle):
    source = tmp_path / "d.txt"
    source.write_text(EXTRA, encoding="utf-8")
    result = _cli(project, "add", str(source), "--outlet", "X", *args)
    assert result.returncode == 2 and needle in result.stderr, result.stderr


def test_explicit_offset_and_precision_are_recorded(project, tmp_path):
    source = tmp_path / "h.txt"
    source.write_text(EXTRA, encoding="utf-8")
    result = _cli(project, "add", str(source), "--outlet", "X", "--published", "2025-04-25T09", "--offset=-04:00")
    assert result.returncode == 0, result.stderr
    row = read_manifest(Settings(project))[-1]
    assert (row["published"], row["published_precision"]) == ("2025-04-25T09:00-04:00", "hour")


def test_the_suggested_fix_for_a_date_without_offset_is_accepted(project):
    from linkage.pipeline.manifest import parse_published

    rows = read_manifest(Settings(project))
    rows[0]["published"] = "2025-04-25"
    write_manifest(Settings(project), rows)
    message = _expect(project, "no time zone", "line 2")
    suggestion = message.split("write the day as ")[1].split(" ")[0]
    assert parse_published(suggestion, "x").isoformat() == "2025-04-25T00:00:00+09:00"


def test_csv_errors_give_the_physical_line(project):
    path = project / "data" / "articles.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Row 2 gets a notes field spanning three lines, so records and lines no longer agree.
    rows = read_manifest(Settings(project))
    rows[0]["notes"] = "first line\nsecond line\nthird line"
    rows[2]["published"] = "not a date"
    write_manifest(Settings(project), rows)
    _expect(project, "line 6: published 'not a date'")  # record 4 starts on line 6
    text = path.read_text(encoding="utf-8")
    path.write_text(text + 'broken,"unclosed quote\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 10: malformed CSV|line 9: malformed CSV"):
        read_manifest(Settings(project))
    assert len(lines) == 6
    path.write_text(text + 'x,"y"z,a\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"articles.csv, line 9: malformed CSV"):
        read_manifest(Settings(project))


def test_a_utf16_manifest_is_named(project):
    path = project / "data" / "articles.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_manifest(Settings(project))


# --- the suite does not depend on the user's data ------------------------------------------------------


def test_the_suite_passes_in_a_copy_of_the_project_with_an_added_article(tmp_path):
    repo = Path(__file__).resolve().parents[1]
    copy = tmp_path / "checkout"
    copy.mkdir()
    import shutil

    shutil.copytree(repo / "tests", copy / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "data", copy / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"), symlinks=True)
    shutil.copy2(repo / "pyproject.toml", copy / "pyproject.toml")
    source = tmp_path / "extra.txt"
    source.write_text("Trump Says Japan Should Pay\n\nDonald Trump said on Friday that Japan pays too little.\n",
                      encoding="utf-8")
    added = _cli(copy, "add", str(source), "--outlet", "Wire", "--published", "2025-04-25", "--country", "JP")
    assert added.returncode == 0, added.stderr
    assert _cli(copy, "build").returncode == 0
    # These read article counts (Donald Trump in all 5 seeds) and the manifest: they failed on a user's corpus.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider",
         "tests/test_actors.py::test_actors_table_lists_registry_and_counts",
         "tests/test_manifest.py::test_raw_files_match_manifest_checksums",
         "tests/test_manifest.py::test_manifest_rows_are_complete"],
        cwd=copy, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "3 passed" in result.stdout


def test_registry_errors_give_the_physical_line(project):
    from linkage.pipeline.resources import Resources

    path = project / "data" / "actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    multi = ",".join(['"a\nb"'] + [""] * (len(header) - 1))  # record 2 spans lines 2-3
    path.write_text("\n".join([lines[0], multi, "x," * (len(header) + 1)]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"actors.csv, line 4: more fields"):
        Resources(Settings(project)).csv("actors.csv")
    path.write_text("\n".join([lines[0], multi, 'x,"y"z']) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"actors.csv, line 4: malformed CSV"):
        Resources(Settings(project)).csv("actors.csv")


def test_the_report_pins_one_snapshot_for_itself_and_its_notebooks(project):
    from linkage import load
    from linkage.pipeline.outputs import SNAPSHOT_ENV
    from linkage.presentation.report import _one_snapshot

    with _one_snapshot(Settings(project)) as folder:  # builds first: the copy has no outputs yet
        assert os.environ[SNAPSHOT_ENV] == str(folder) == str(snapshot(Settings(project)))
        for _ in range(4):  # published while the report runs: more builds than are kept
            build(project, cache=False)
        assert snapshot(Settings(project)) == folder != Path(os.path.realpath(Settings(project).processed))
        assert len(load(root=project)["articles"]) == 5  # the held snapshot was not collected
    assert SNAPSHOT_ENV not in os.environ
    build(project)
    assert not folder.exists()  # released: collected by the next build


def test_the_lock_is_reentrant_in_one_thread_and_exclusive_between_threads(project):
    from linkage.pipeline.lock import writer_lock

    settings = Settings(project)
    outcome: list[str] = []

    def other() -> None:
        try:
            with writer_lock(settings, timeout=0.2):
                outcome.append("got it")
        except InputError:
            outcome.append("refused")

    with writer_lock(settings), writer_lock(settings):  # the same thread takes it twice
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert outcome == ["refused"]
    other()
    assert outcome == ["refused", "got it"]
