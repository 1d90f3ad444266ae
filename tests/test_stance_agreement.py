"""The stance agreement figures: written by the evaluation, read back for the stance chart's method note."""

from __future__ import annotations

import pytest

from linkage.errors import InputError
from linkage.evaluation import agreement
from linkage.evaluation.challenge import evaluate_challenge
from linkage.evaluation.common import Score
from linkage.pipeline.settings import Settings
from linkage.presentation import views

CHALLENGE = [
    Score("stance", "agreement", 0.9, None, 200),
    Score("stance", "kappa", 0.8123, 0.75, 200),
    Score("stance", "linkage recall", 0.85, 0.8, 40),
    Score("stance", "mean article bias (package − hand)", -0.0449, None, 30),
    Score("quotes", "direct+partial recall", 0.9, 0.97, 50),
]
SEEDS = [Score("framing", "stance kappa", 0.835, 0.7, 126), Score("framing", "topic trade kappa", 0.9, 0.8, 126)]


def test_written_figures_read_back_into_the_note(tmp_path):
    path = agreement.write(tmp_path, agreement.rows_from_scores(CHALLENGE, SEEDS))
    assert path == tmp_path / "docs" / "stance_agreement.csv"
    fig = agreement.read(tmp_path)
    assert fig[("challenge", "kappa")] == (0.812, 200)
    assert fig[("challenge", "linkage_recall")] == (0.85, 40)
    assert fig[("seeds", "kappa")] == (0.835, 126)
    assert not any(m == "direct+partial recall" for _, m in fig)
    text = views.stance_agreement_note(tmp_path)
    assert "200 sentences" in text and "30 articles" in text and "κ = 0.81" in text and "−0.04" in text


def test_nothing_written_without_challenge_stance(tmp_path):
    assert agreement.write(tmp_path, agreement.rows_from_scores([], SEEDS)) is None
    assert not (tmp_path / "docs").exists()


def test_missing_or_bad_file_names_the_file_and_line(tmp_path):
    with pytest.raises(InputError, match="stance_agreement.csv: not found"):
        agreement.note(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "stance_agreement.csv").write_text("set,measure,value,n\nchallenge,kappa,high,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        agreement.read(tmp_path)
    (tmp_path / "docs" / "stance_agreement.csv").write_text("set,measure,value,n\nseeds,kappa,0.8,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="no challenge row for kappa"):
        agreement.note(tmp_path)


def test_committed_figures_are_what_the_evaluation_gives_now(repo):
    """docs/stance_agreement.csv is current: re-run `python -m linkage evaluate` after changing the rules or the set."""
    committed = agreement.read(repo)
    scores = evaluate_challenge(Settings(repo).root)
    now = {(r["set"], r["measure"]): (float(r["value"]), int(r["n"])) for r in agreement.rows_from_scores(scores)}
    assert now and all(committed[key] == value for key, value in now.items())


def test_method_note_under_the_stance_chart_reads_the_project_copy_first(tmp_path):
    agreement.write(tmp_path, agreement.rows_from_scores(CHALLENGE, SEEDS))
    note = views.stance_method_note(tmp_path)
    assert "κ = 0.81" in repr(note) and "200 sentences" in note._repr_html_()
    assert note._repr_html_().count("<strong>") == 1 and "&lt;" not in note._repr_html_()


def test_method_note_of_a_new_corpus_uses_the_checkouts_measurement(tmp_path, repo):
    # a synthetic or new project has no docs/stance_agreement.csv: the rules' agreement is the checkout's
    assert not (tmp_path / "docs").exists()
    expected = agreement.note(repo)
    assert views.stance_method_note(tmp_path).text == expected


def test_stance_note_follows_the_stance_chart_in_the_framing_notebook(repo):
    import nbformat

    nb = nbformat.read(repo / "notebooks" / "03_framing.ipynb", as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    chart = next(i for i, s in enumerate(code) if "charts.stance_by_voice(" in s)
    assert code[chart + 1].startswith("views.stance_method_note(")
