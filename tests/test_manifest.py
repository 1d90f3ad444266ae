"""The manifest and raw files: integrity, and a clear error for each kind of bad input."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from linkage import InputError, build
from linkage.pipeline.manifest import KINDS, load_articles, read_manifest, write_manifest
from linkage.pipeline.settings import Settings


def _rows(root: Path) -> list[dict[str, str]]:
    return read_manifest(Settings(root))


def _write_rows(root: Path, rows: list[dict[str, str]]) -> None:
    write_manifest(Settings(root), rows)


def _cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linkage", "--root", str(project), *args],
        capture_output=True, text=True, timeout=120,
    )


def test_raw_files_match_manifest_checksums(root):
    rows = read_manifest(Settings(root))
    assert len(rows) >= 5
    for row in rows:
        data = (root / "data" / "raw" / row["source_file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["source_file"]


def test_raw_files_equal_the_seeds(root, repo):
    seeds = repo.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    for seed in seeds.glob("*.txt"):
        assert (root / "data" / "raw" / seed.name).read_bytes() == seed.read_bytes()


def test_manifest_rows_are_complete(root):
    for row in read_manifest(Settings(root)):
        assert row["kind"] in KINDS
        assert row["published_basis"] in ("stated", "inferred")
        assert row["published_evidence"], row["article_id"]
        if row["published_basis"] == "inferred":
            assert row["notes"], f"{row['article_id']}: inferred dates need a note on the evidence"
    articles = load_articles(Settings(root))
    assert all(a.published.tzinfo is not None for a in articles)


def _expect_error(project: Path, *needles: str) -> str:
    with pytest.raises(InputError) as info:
        load_articles(Settings(project))
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    return message


def test_missing_file(project):
    rows = _rows(project)
    (project / "data" / "raw" / rows[0]["source_file"]).unlink()
    _expect_error(project, rows[0]["source_file"], "does not exist", "line 2")


def test_raw_file_without_row(project):
    (project / "data" / "raw" / "stray.txt").write_text("Stray text.\n", encoding="utf-8")
    _expect_error(project, "stray.txt", "no manifest row", "linkage add")


def test_duplicate_article_id(project):
    rows = _rows(project)
    rows[1]["article_id"] = rows[0]["article_id"]
    _write_rows(project, rows)
    _expect_error(project, "duplicate article_id", "line 3", "line 2")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"   \n\n", "empty"),
        (b"Caf\xe9 news\n", "not UTF-8"),
        (b"\xef\xbb\xbfHeadline\n\nBody.\n", "byte-order mark"),
        (b"Headline\r\n\r\nBody text.\r\n", "CRLF"),
    ],
)
def test_bad_bytes(project, content, needle):
    rows = _rows(project)
    path = project / "data" / "raw" / rows[2]["source_file"]
    path.write_bytes(content)
    rows[2]["sha256"] = hashlib.sha256(content).hexdigest()
    _write_rows(project, rows)
    _expect_error(project, rows[2]["source_file"], needle)


@pytest.mark.parametrize(
    ("value", "needle"),
    [("19 April 2025", "not an ISO 8601"), ("2025-04-19T06:00", "no time zone"), ("2025-04-19", "no time zone")],
)
def test_bad_dates(project, value, needle):
    rows = _rows(project)
    rows[0]["published"] = value
    _write_rows(project, rows)
    _expect_error(project, needle, "line 2")


def test_sha_mismatch(project):
    rows = _rows(project)
    rows[3]["sha256"] = "0" * 64
    _write_rows(project, rows)
    _expect_error(project, rows[3]["source_file"], "sha256", "restore the original")


def test_path_escape_rejected(project):
    rows = _rows(project)
    rows[0]["source_file"] = "../articles.csv"
    _write_rows(project, rows)
    _expect_error(project, "plain file name inside data/raw/")


def test_failed_build_keeps_previous_outputs(project):
    build(project)
    before = (project / "data" / "processed" / "sentences.csv").read_bytes()
    rows = _rows(project)
    rows[0]["published"] = "not a date"
    _write_rows(project, rows)
    with pytest.raises(InputError):
        build(project)
    assert (project / "data" / "processed" / "sentences.csv").read_bytes() == before
    assert not list((project / "data" / "processed").glob("*.tmp"))


def test_cli_bad_input_exits_nonzero_with_message(project):
    rows = _rows(project)
    rows[0]["published"] = "2025-04-19T06:00"
    _write_rows(project, rows)
    result = _cli(project, "build")
    assert result.returncode != 0
    assert "no time zone" in result.stderr and "line 2" in result.stderr


def test_cli_add_copies_file_and_appends_row(project, tmp_path):
    new = tmp_path / "new_article.txt"
    new.write_text("Ishiba Meets Trump\n\nPrime Minister Shigeru Ishiba met Trump on Friday.\n", encoding="utf-8")
    result = _cli(project, "add", str(new), "--outlet", "Test Wire", "--published", "2025-04-25T10:00+09:00")
    assert result.returncode == 0, result.stderr
    rows = _rows(project)
    assert rows[-1]["source_file"] == "new_article.txt"
    assert rows[-1]["article_id"] == "test-wire-2025-04-25"
    assert rows[-1]["headline"] == "Ishiba Meets Trump"
    assert (project / "data" / "raw" / "new_article.txt").read_bytes() == new.read_bytes()
    assert len(load_articles(Settings(project))) == len(rows)


def test_cli_add_rejects_bad_file_and_leaves_manifest(project, tmp_path):
    before = (project / "data" / "articles.csv").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Headline\r\nBody\r\n")
    result = _cli(project, "add", str(bad), "--outlet", "X", "--published", "2025-04-25T10:00+09:00")
    assert result.returncode != 0 and "CRLF" in result.stderr
    assert (project / "data" / "articles.csv").read_bytes() == before
    assert not (project / "data" / "raw" / "bad.txt").exists()
    result = _cli(project, "add", str(bad), "--outlet", "X", "--published", "2025-04-25")
    assert result.returncode != 0 and "no UTC offset" in result.stderr and "--offset +09:00" in result.stderr


def test_a_bad_time_zone_in_the_countries_file_is_named_with_its_line(project, tmp_path):
    countries = project / "data" / "lexicons" / "countries.csv"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace("Europe/London", "Europe/Londn"), encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("GB,"))
    before = (project / "data" / "articles.csv").read_bytes()
    source = tmp_path / "gb.txt"
    source.write_text("Headline\n\nBody text of the article.\n", encoding="utf-8")
    result = _cli(project, "add", str(source), "--outlet", "Times", "--published", "2025-04-25", "--country", "GB")
    assert result.returncode == 2
    assert f"countries.csv, line {line}: time_zone 'Europe/Londn'" in result.stderr, result.stderr
    assert (project / "data" / "articles.csv").read_bytes() == before


def test_a_bad_name_order_in_the_countries_file_is_refused_with_its_line():
    from linkage.extraction.countries import Countries

    with pytest.raises(InputError, match=r"countries.csv, line 3: name_order 'surname_first'"):
        Countries([{"country": "JP", "name": "Japan", "adjectives": "", "capital": "", "government_words": "",
                    "currency_words": "", "group": "", "name_order": "family_first"},
                   {"country": "HU", "name": "Hungary", "adjectives": "", "capital": "", "government_words": "",
                    "currency_words": "", "group": "", "name_order": "surname_first"}], source="countries.csv")
