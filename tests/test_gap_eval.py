"""The GAP pronoun suite (evals/gap.py) on tiny inline rows: reading a replacement back,
verdicts, tallies and the nearest-name baseline; it skips when the corpus is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.gap import Row, load, nearest_name, pronouns, run, same_person, tally, verdict
from service.pipeline.models import Claim, Span, Substitution, Unresolved

HEADER = "ID\tText\tPronoun\tPronoun-offset\tA\tA-offset\tA-coref\tB\tB-offset\tB-coref\tURL\n"
TEXT = "Maria Lopez won the race. Later she thanked the crowd."


def _row(a_coref: bool = True, b_coref: bool = False) -> Row:
    return Row("t-1", TEXT, "she", TEXT.index("she"), "Maria Lopez", 0, a_coref, "Ana", 99, b_coref)


def test_load_reads_the_tsv_columns(tmp_path: Path) -> None:
    path = tmp_path / "gap-validation.tsv"
    line = f"t-1\t{TEXT}\tshe\t{TEXT.index('she')}\tMaria Lopez\t0\tTRUE\tAna\t99\tFALSE\tu\n"
    path.write_text(HEADER + line, encoding="utf-8")
    (row,) = load(path)
    assert row.gold == "Maria Lopez" and row.offset == 32 and row.gender == "feminine"


def test_verdicts_count_a_shared_surname_as_wrong() -> None:
    assert verdict(_row(), "Maria Lopez") == "right"
    assert verdict(_row(), "Lopez") == "right"
    assert verdict(_row(), None) == "kept"
    assert verdict(_row(a_coref=False), "Maria Lopez") == "wrong"  # gold is neither
    assert verdict(_row(a_coref=False), "Someone Else") == "unjudged"
    assert not same_person("Jane Lopez", "Maria Lopez")


def test_tally_gives_precision_over_replaced_and_coverage_over_all() -> None:
    rows = [_row(), _row(), _row(), _row()]
    t = tally(list(zip(rows, ["right", "right", "wrong", "kept"], strict=True)))
    assert t["precision"] == round(2 / 3, 4) and t["coverage"] == 0.75
    assert t["by_gender"]["feminine"]["kept"] == 1


def test_nearest_name_is_the_closest_before_the_pronoun() -> None:
    row = Row("t", TEXT, "she", 30, "Maria Lopez", 0, True, "Ana", 20, False)
    assert nearest_name(row) == "Ana"


def test_the_pipeline_replacement_is_read_back_by_offset() -> None:
    from evals.gap import claims_of, read_back

    claims = claims_of(TEXT)
    assert read_back(claims, TEXT.index("she")).replaced_by == "Maria Lopez"
    span = Span(start=32, end=35, quote="she")
    left = Claim(
        id="c1",
        text="Later she thanked the crowd.",
        speaker="x",
        kind="statement",
        sentence_ids=[2],
        evidence=[span],
        unresolved=[Unresolved(original="she", span=span, candidates=["A", "B"], reason="r")],
        substitutions=[
            Substitution(
                original="x",
                replacement="[Y's]",
                antecedent=span,
                span=Span(start=0, end=1, quote="M"),
            )
        ],
    )
    assert read_back([left], 32).candidates == ("A", "B")
    assert read_back([left], 0).replaced_by == "Y"


def test_absent_corpus_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path))
    assert run("validation", 5, tmp_path / "runs") is None
    pronouns("validation", 5, tmp_path / "runs")  # says so, raises nothing
    assert not (tmp_path / "runs").exists()


def test_a_run_writes_its_file_without_the_passages(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "gap").mkdir()
    line = f"t-1\t{TEXT}\tshe\t{TEXT.index('she')}\tMaria Lopez\t0\tTRUE\tAna\t99\tFALSE\tu\n"
    (tmp_path / "gap" / "gap-validation.tsv").write_text(HEADER + line, encoding="utf-8")
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path))
    found = run("validation", None, tmp_path / "runs")
    assert found is not None
    result, path = found
    assert result["rules"]["right"] == 1 and result["nearest_name"]["right"] == 1
    assert path.name.startswith("gap-validation-") and "thanked" not in path.read_text()


def test_nightly_skips_without_the_corpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from evals.gap import nightly

    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path))
    said: list[str] = []
    assert nightly(tmp_path / "runs", said.append) == {"skipped": "GAP corpus absent"}
    assert said and "skipped" in said[0]
