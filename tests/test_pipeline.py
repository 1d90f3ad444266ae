"""The build at scale: parallel equals serial, the per-article cache, interrupted builds, path safety."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from linkage import InputError, build, load
from linkage.pipeline import build as pipeline_module
from linkage.pipeline import cache as cache_module
from linkage.pipeline.cache import ArticleStore, decode, encode
from linkage.pipeline.manifest import load_articles, read_manifest, write_manifest
from linkage.pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _synth():
    """The benchmark corpus generator (benchmarks/synth.py)."""
    spec = importlib.util.spec_from_file_location("bench_synth", ROOT / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_synth", module)
    spec.loader.exec_module(sys.modules["bench_synth"])
    return sys.modules["bench_synth"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """A generated corpus of 60 articles (a project root)."""
    return _synth().generate(60, tmp_path_factory.mktemp("synth") / "corpus")


def _copy(src: Path, dst: Path) -> Path:
    import shutil

    shutil.copytree(src / "data", dst / "data", ignore=shutil.ignore_patterns("processed", "builds", ".*"))
    return dst


def _outputs(root: Path) -> dict[str, bytes]:
    folder = root / "data" / "processed"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}  # the Parquet dataset's partitions too


def _rows(root: Path) -> list[dict[str, str]]:
    return read_manifest(Settings(root))


def _write_rows(root: Path, rows: list[dict[str, str]]) -> None:
    write_manifest(Settings(root), rows)


def _store(root: Path) -> Path:
    return root / ".cache" / "articles.sqlite"


def _stored(root: Path) -> list[tuple[str, bytes, bytes]]:
    """(key, head, body) of every entry of the article store (read-only, beside any writer)."""
    import sqlite3

    if not _store(root).is_file():
        return []
    db = sqlite3.connect(f"file:{_store(root)}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute("SELECT key, head, body FROM entries ORDER BY key").fetchall()
    except sqlite3.OperationalError:  # the writer has not created the table yet
        return []
    finally:
        db.close()


# --- parallel == serial -------------------------------------------------------------------------


@pytest.mark.parametrize("corpus", ["real", "synthetic"])
def test_parallel_build_equals_serial_build(corpus, project, synthetic, tmp_path, monkeypatch):
    source = project if corpus == "real" else synthetic
    serial, parallel = _copy(source, tmp_path / "serial"), _copy(source, tmp_path / "parallel")
    monkeypatch.setattr(pipeline_module, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline_module, "BATCH", 2)
    one = build(serial, jobs=1, cache=False)
    two = build(parallel, jobs=2)
    assert one.jobs == 1 and two.jobs == 2
    assert two.extracted == one.articles
    assert _outputs(serial) == _outputs(parallel)
    assert one.line().split(" in ")[0] == two.line().split(" in ")[0]


def test_summary_counts_match_tables(project):
    summary = build(project)
    tables = load(root=project, rebuild=False)
    assert summary.articles == len(tables["articles"]) == len(load_articles(Settings(project)))
    assert summary.sentences == len(tables["sentences"])
    assert summary.quotes == len(tables["quotes"])
    assert summary.figures == len(tables["figures"])
    assert summary.dates == len(tables["dates"])
    assert summary.line().startswith(f"built {summary.articles} articles: {summary.sentences} sentences")


def test_large_corpus_also_writes_parquet(synthetic, tmp_path, monkeypatch):
    root = _copy(synthetic, tmp_path / "p")
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
    build(root, jobs=1)
    import pandas as pd

    out = root / "data" / "processed"
    for name in ("articles", "sentences", "blocks"):
        from_csv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""])
        from_parquet = pd.read_parquet(out / f"{name}.parquet")
        assert len(from_csv) == len(from_parquet) > 0
        assert list(from_csv.columns) == list(from_parquet.columns)
        assert from_csv["article_id"].tolist() == from_parquet["article_id"].tolist()
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10_000)
    build(root, jobs=1)
    assert not list(out.glob("*.parquet")), "a small rebuild must not leave stale Parquet behind"


def test_parquet_types_are_the_declared_ones_whatever_the_corpus_holds(synthetic, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from linkage.pipeline.schema import ARTICLE_TABLES

    root = _copy(synthetic, tmp_path / "p")
    rows = _rows(root)[:1]
    data = b"Talks resume\n\nThe talks resume.\n"
    for other in (root / "data" / "raw").iterdir():
        other.unlink()
    (root / "data" / "raw" / rows[0]["source_file"]).write_bytes(data)
    rows[0]["sha256"] = hashlib.sha256(data).hexdigest()
    _write_rows(root, rows)
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 1)
    build(root, jobs=1)
    out = root / "data" / "processed"
    for name in ARTICLE_TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.schema.equals(pipeline_module.arrow_schema(name)), name
        assert table.num_rows == sum(1 for _ in (out / f"{name}.csv").open(encoding="utf-8")) - 1, name
    assert pq.read_table(out / "figures.parquet").num_rows == 0


def test_failed_large_build_keeps_outputs_and_leaves_no_partial_files(synthetic, tmp_path, monkeypatch):
    """A stage that fails mid-corpus, while CSV and Parquet files are streaming, changes nothing on disk."""
    root = _copy(synthetic, tmp_path / "fail")
    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
    build(root, jobs=1, cache=False)
    before = _outputs(root)
    assert any(name.endswith(".parquet") for name in before)
    name, stage = pipeline_module.ARTICLE_STAGES[-1]
    seen = {"n": 0}

    def failing(doc, res):
        seen["n"] += 1
        if seen["n"] == 40:
            raise RuntimeError("stage failed")
        return stage(doc, res)

    monkeypatch.setattr(pipeline_module, "ARTICLE_STAGES", [*pipeline_module.ARTICLE_STAGES[:-1], (name, failing)])
    with pytest.raises(RuntimeError, match="stage failed"):
        build(root, jobs=1, cache=False)
    assert _outputs(root) == before
    assert not [p.name for p in (root / "data" / "processed").iterdir() if p.name.endswith(".tmp")]


def test_a_value_of_the_wrong_type_names_table_and_column():
    with pytest.raises(TypeError, match=r"sentences\.block_id holds 'x'"):
        pipeline_module.arrow_table("sentences", [("a", 1, "x", 0, 1, "t")])


# --- the cache ------------------------------------------------------------------------------------


def test_second_build_comes_from_cache_with_same_outputs(project):
    first = build(project)
    before = _outputs(project)
    assert first.extracted == first.articles and first.cached == 0
    second = build(project)
    assert second.extracted == 0 and second.cached == second.articles
    assert _outputs(project) == before


def test_adding_one_article_extracts_only_that_article(synthetic, tmp_path):
    root = _copy(synthetic, tmp_path / "inc")
    first = build(root, jobs=1)
    text = "Tariff Talks Resume\n\nTrade minister Ryosei Akazawa met officials in Washington on Friday.\n"
    data = text.encode()
    (root / "data" / "raw" / "extra.txt").write_bytes(data)
    rows = _rows(root)
    rows.append({**rows[0], "article_id": "extra-2025-04-25", "source_file": "extra.txt",
                 "sha256": hashlib.sha256(data).hexdigest(), "headline": "Tariff Talks Resume"})
    _write_rows(root, rows)
    second = build(root, jobs=1)
    assert second.articles == first.articles + 1
    assert (second.extracted, second.cached) == (1, first.articles)
    fresh = _copy(root, tmp_path / "fresh")
    build(fresh, jobs=1, cache=False)
    assert _outputs(fresh) == _outputs(root)


def _add_article(root: Path) -> None:
    text = "Tariff Talks Resume\n\nTrade minister Ryosei Akazawa met officials in Washington on Friday.\n"
    data = text.encode()
    (root / "data" / "raw" / "extra.txt").write_bytes(data)
    rows = _rows(root)
    rows.append({**rows[0], "article_id": "extra-2025-04-25", "source_file": "extra.txt",
                 "sha256": hashlib.sha256(data).hexdigest(), "headline": "Tariff Talks Resume"})
    _write_rows(root, rows)


def test_incremental_build_extends_the_previous_one_with_parquet(synthetic, tmp_path, monkeypatch):
    """A grown manifest: the old articles' files are copied, only the new one is extracted, and every table
    (CSV bytes, Parquet rows and types) equals a build from scratch."""
    import duckdb
    import pandas as pd
    import pyarrow.parquet as pq

    monkeypatch.setattr(pipeline_module, "LARGE_CORPUS", 10)
    root = _copy(synthetic, tmp_path / "inc")
    first = build(root, jobs=1)
    assert first.reused == 0
    _add_article(root)
    second = build(root, jobs=1)
    assert (second.extracted, second.reused, second.articles) == (1, first.articles, first.articles + 1)
    fresh = _copy(root, tmp_path / "fresh")
    build(fresh, jobs=1, cache=False)
    ours, theirs = root / "data" / "processed", fresh / "data" / "processed"
    csvs = sorted(p.name for p in theirs.glob("*.csv"))
    assert csvs == sorted(p.name for p in ours.glob("*.csv"))
    for name in csvs:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    for path in sorted(theirs.glob("*.parquet")):
        assert pq.read_schema(ours / path.name).equals(pq.read_schema(path)), path.name
        pd.testing.assert_frame_equal(pd.read_parquet(ours / path.name), pd.read_parquet(path))
    n = duckdb.sql(f"SELECT count(*) FROM '{ours / 'sentences.parquet'}'").fetchall()[0][0]
    assert n == len(pd.read_csv(theirs / "sentences.csv"))
    # Nothing new: the whole build comes from the previous one and the store.
    third = build(root, jobs=1)
    assert (third.extracted, third.reused) == (0, second.articles)
    for name in csvs:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name


def test_incremental_build_starts_over_when_the_previous_one_is_not_a_prefix(synthetic, tmp_path):
    root = _copy(synthetic, tmp_path / "inc")
    build(root, jobs=1)
    rows = _rows(root)
    rows[3]["outlet"] = rows[3]["outlet"] + " (edited)"  # an article in the middle changes
    _write_rows(root, rows)
    again = build(root, jobs=1)
    assert (again.extracted, again.reused) == (1, 0)
    # A per-article file of the published build altered by hand: not trusted, the build starts over.
    _add_article(root)
    with open(root / "data" / "processed" / "quotes.csv", "a", encoding="utf-8") as handle:
        handle.write("x\n")
    third = build(root, jobs=1)
    assert (third.extracted, third.reused) == (1, 0)
    fresh = _copy(root, tmp_path / "fresh")
    build(fresh, jobs=1, cache=False)
    assert _outputs(fresh) == _outputs(root)


def test_manifest_row_change_reextracts_that_article(project):
    build(project)
    rows = _rows(project)
    rows[1]["outlet"] = rows[1]["outlet"] + " (edited)"
    _write_rows(project, rows)
    again = build(project)
    assert (again.extracted, again.cached) == (1, again.articles - 1)


def test_lexicon_change_invalidates_every_article(project):
    build(project)
    extra = project / "data" / "lexicons" / "zz_benchmark_note.csv"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text("note\nchanges the registry and lexicon version\n", encoding="utf-8")
    again = build(project)
    assert again.extracted == again.articles and again.cached == 0


def test_damaged_store_entries_are_extracted_again(project):
    import sqlite3

    build(project)
    before = _outputs(project)
    entries = _stored(project)
    assert len(entries) == len(_rows(project))
    (k0, head0, _), (k1, _, _) = entries[0], entries[1]
    db = sqlite3.connect(_store(project))
    with db:
        db.execute("UPDATE entries SET head = ? WHERE key = ?", (head0[:-10], k0))  # truncated
        db.execute("UPDATE entries SET body = ? WHERE key = ?", (b"garbage", k1))
    # Extending the previous build: both are extracted again (a small corpus has no Parquet to take
    # the mentions from, so the bodies are read too).
    again = build(project)
    assert (again.extracted, again.reused) == (2, again.articles)
    assert _outputs(project) == before
    # A full build reads every entry whole.
    with db:
        db.execute("UPDATE entries SET head = ? WHERE key = ?", (head0[:-10], k0))
    (project / "data" / "processed" / ".keys").unlink()
    full = build(project)
    assert (full.extracted, full.reused) == (1, 0)
    assert _outputs(project) == before
    assert all(decode(h) is not None and decode(b) is not None for _, h, b in _stored(project))
    db.close()


def test_unreadable_store_is_set_aside_and_rebuilt(project):
    build(project)
    before = _outputs(project)
    for suffix in ("-wal", "-shm"):
        Path(str(_store(project)) + suffix).unlink(missing_ok=True)
    _store(project).write_bytes(b"not a database" * 100)
    again = build(project)
    assert again.extracted == again.articles
    assert _outputs(project) == before
    assert len(_stored(project)) == again.articles
    assert list(_store(project).parent.glob("articles.sqlite.damaged-*"))


def test_old_code_versions_are_dropped_from_the_store(project, monkeypatch):
    build(project)
    keys = {k for k, _, _ in _stored(project)}
    monkeypatch.setattr(cache_module, "_code_version", "another code version")
    again = build(project)
    assert again.extracted == again.articles
    now = {k for k, _, _ in _stored(project)}
    assert len(now) == again.articles and not now & keys


def test_cache_key_depends_on_text_row_and_salt(tmp_path):
    cache = ArticleStore(tmp_path / "s.sqlite", "v1")
    row = {"outlet": "A", "published": "2025-04-19T06:00+09:00"}
    base = cache.key("a", "text", row)
    assert base == cache.key("a", "text", dict(row))
    assert base != cache.key("a", "text.", row)
    assert base != cache.key("b", "text", row)
    assert base != cache.key("a", "text", {**row, "outlet": "B"})
    assert base != ArticleStore(tmp_path / "s.sqlite", "v2").key("a", "text", row)


def test_cache_never_executes_code(tmp_path):
    """Entries are plain data (marshal of dicts and lists): a stored code object is refused."""
    import marshal

    import pyarrow as pa

    from linkage.pipeline.cache import FORMAT

    def blob(raw: bytes) -> bytes:
        payload = pa.compress(raw, codec="zstd", asbytes=True)
        return FORMAT + len(raw).to_bytes(4, "little") + zlib.crc32(payload).to_bytes(4, "little") + payload

    assert decode(blob(marshal.dumps(compile("import os; os.system('false')", "x", "exec")))) is None
    plain = {"columns": {}, "csv": {}, "stats": [0, 0, 0, 0]}
    assert decode(blob(marshal.dumps(plain))) == plain == decode(encode(plain))
    assert decode(encode(plain)[:-3]) is None


# --- interrupted builds ----------------------------------------------------------------------------

_SLOW_BUILD = textwrap.dedent(
    """
    import sys, time
    import linkage.pipeline.build as p
    name, stage = p.ARTICLE_STAGES[0]
    def slow(doc, res):
        time.sleep(0.02)
        return stage(doc, res)
    p.ARTICLE_STAGES[0] = (name, slow)
    p.PARALLEL_MIN = 1
    p.BATCH = 3
    p.build(sys.argv[1], jobs=2)
    """
)


def _wait_until_gone(group: int, seconds: float = 10.0) -> None:
    """Wait until every process of a killed process group has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)


def test_killed_build_keeps_outputs_and_cache_consistent(synthetic, tmp_path, monkeypatch):
    root = _copy(synthetic, tmp_path / "kill")
    build(root, jobs=1)
    before = _outputs(root)
    stamp = (root / "data" / "processed" / ".built").read_bytes()
    # A lexicon edit invalidates every cache entry, so the next build re-extracts all 60 articles.
    note = root / "data" / "lexicons" / "zz_kill_test.csv"
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text("note\ninvalidate\n", encoding="utf-8")
    old_entries = {k for k, _, _ in _stored(root)}
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(root)], env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while len({k for k, _, _ in _stored(root)} - old_entries) < 5:
            assert proc.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "the build wrote no cache entries"
            time.sleep(0.005)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    _wait_until_gone(proc.pid)
    # The previous outputs are untouched and every stored entry is complete.
    assert _outputs(root) == before
    assert (root / "data" / "processed" / ".built").read_bytes() == stamp
    written = {k for k, _, _ in _stored(root)} - old_entries
    assert 5 <= len(written) < 60
    assert all(decode(h) is not None and decode(b) is not None for _, h, b in _stored(root))
    # The next build recovers: it reuses what the killed build cached and cleans up its leftovers.
    monkeypatch.setattr(cache_module, "_code_version", None)  # hash the code as the subprocess saw it
    again = build(root, jobs=1)
    assert again.cached >= len(written) and again.extracted == 60 - again.cached
    assert not list((root / "data" / "processed").glob(".*.tmp"))
    fresh = _copy(root, tmp_path / "fresh")
    build(fresh, jobs=1, cache=False)
    assert _outputs(fresh) == _outputs(root)


def test_interrupted_pointer_switch_keeps_the_previous_build(project, monkeypatch):
    from linkage.pipeline import outputs

    build(project)
    settings = Settings(project)
    before = os.readlink(settings.processed)
    stamp = (settings.processed / ".built").read_bytes()
    real_replace = os.replace

    def interrupted(src, dst):
        if Path(dst) == settings.processed:
            raise KeyboardInterrupt("killed while switching")
        return real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(project)
    monkeypatch.setattr(outputs.os, "replace", real_replace)
    assert os.readlink(settings.processed) == before
    assert (settings.processed / ".built").read_bytes() == stamp
    assert [p.name for p in settings.builds.iterdir()] == [Path(before).name]  # the unfinished build is gone
    tables = load(root=project, rebuild=False)
    assert len(tables["articles"]) == len(_rows(project))


_HOLD_LOCK = """
import sys, time
from linkage.pipeline.lock import writer_lock
from linkage.pipeline.settings import Settings
with writer_lock(Settings.discover(sys.argv[1]), what="a test"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_second_writer_waits_then_fails_clearly_and_a_killed_holder_frees_the_lock(project):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(InputError, match=r"another writer .*held by pid \d+, a test"):
            build(project, wait=0.2)
        result = _cli_wait(project, "0.3", "build")
        assert result.returncode == 2 and "another writer" in result.stderr and "gave up after 0.3 s" in result.stderr
        assert "waiting for another writer to finish (held by pid" in result.stderr
    finally:
        holder.kill()
        holder.wait()
    assert build(project, wait=5).articles == len(_rows(project))


def _cli_wait(project: Path, wait: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), "--wait", wait, *args],
        capture_output=True, text=True, timeout=120,
    )


# --- path safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../articles.csv", "../../etc/passwd", "..", ".", "/etc/passwd", "sub/file.txt", "sub\\file.txt",
        "..\\articles.csv", "C:\\Windows\\win.ini", "C:file.txt", "\\\\server\\share\\x.txt",
        "x/../../articles.csv", "a\x00b.txt", "line\nbreak.txt", "x" * 300 + ".txt",
    ],
)
def test_manifest_paths_cannot_escape_raw(project, name):
    rows = _rows(project)
    rows[0]["source_file"] = name
    _write_rows(project, rows)
    with pytest.raises(InputError) as info:
        load_articles(Settings(project))
    assert "source_file" in str(info.value) or "does not exist" in str(info.value)
    assert "line 2" in str(info.value)


def test_traversal_to_a_real_file_is_refused(project):
    """A manifest name is looked up only inside data/raw/; a traversal never reaches the file outside."""
    outside = project / "data" / "secret.txt"
    outside.write_text("Secret\n\nNot an article.\n", encoding="utf-8")
    rows = _rows(project)
    rows[0]["source_file"] = "../secret.txt"
    rows[0]["sha256"] = hashlib.sha256(outside.read_bytes()).hexdigest()
    _write_rows(project, rows)
    with pytest.raises(InputError, match="plain file name inside data/raw/"):
        build(project)


def test_cli_rejects_escaping_path_with_exit_code(project):
    rows = _rows(project)
    rows[2]["source_file"] = "../../../../etc/passwd"
    _write_rows(project, rows)
    result = subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), "build"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert "plain file name inside data/raw/" in result.stderr and "line 4" in result.stderr


def test_outputs_do_not_depend_on_hash_seed(project, tmp_path):
    """Two fresh interpreters with different PYTHONHASHSEED write identical tables (no set-order leaks)."""
    outputs = []
    for seed in ("1", "2"):
        root = _copy(project, tmp_path / f"seed{seed}")
        code = "import sys, linkage; linkage.build(sys.argv[1], jobs=1, cache=False)"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", code, str(root)], check=True, env=env, timeout=300)
        outputs.append(_outputs(root))
    assert outputs[0] == outputs[1]


def test_report_tables_escape_article_text():
    """Article text shown in a report table is HTML-escaped, never markup or script."""
    import pandas as pd

    from linkage.presentation.htmltable import DataTable

    nasty = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted"'
    html = DataTable(pd.DataFrame({"text": [nasty], "char_start": [0]}), caption=nasty)._repr_html_()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
