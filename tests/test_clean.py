from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.pipeline.reading.clean import clean_html, clean_text
from tests.conftest import ARTICLES, FIXTURES

CASES = sorted((ARTICLES.parent.parent / "cases").glob("*.yaml"))


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_labelled_boilerplate_is_removed_and_audited(case_path: Path) -> None:
    case = _case(case_path)
    source = (case_path.parent / case["article"]["path"]).read_text()
    doc = clean_text(source)
    kept_lines = {line.strip() for line in doc.text.split("\n\n")}
    for line in case.get("boilerplate", []):
        assert not any(k.startswith(line) for k in kept_lines if k != doc.title), line
    removed = {r.text for r in doc.removed}
    for line in case.get("boilerplate", []):
        assert any(r.startswith(line) or line.startswith(r) for r in removed), (
            f"not audited: {line}"
        )


@pytest.mark.parametrize("path", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_every_kept_character_maps_back_to_the_same_source_character(path: Path) -> None:
    source = path.read_text()
    doc = clean_text(source)
    for start, end in doc.paragraphs:
        s, e = doc.to_source(start, end)
        assert source[s:e] == doc.text[start:end]
    for r in doc.removed:
        assert source[r.start : r.end] == r.text


def test_duplicated_heading_and_caption_removed_once() -> None:
    doc = clean_text(
        "Big news today\nJane Doe\nJane Doe\nBig news today\nThe mayor resigned on Monday.\n"
    )
    assert doc.title == "Big news today"
    assert doc.text.count("Big news today") == 1
    assert "Jane Doe" not in doc.text
    assert [r.reason for r in doc.removed] == ["fragment", "fragment", "duplicate"]


def test_real_sentences_survive() -> None:
    doc = clean_text(
        "Title of the story here\nIt is realistic.\nBy John Smith\nShare\n0\nRead more: other story\nThe end came quickly."
    )
    assert "It is realistic." in doc.text and "The end came quickly." in doc.text
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons == {
        "By John Smith": "byline",
        "Share": "share_prompt",
        "0": "fragment",
        "Read more: other story": "read_also",
    }


def test_html_body_extracted_without_navigation() -> None:
    doc = clean_html((FIXTURES / "article.html").read_text())
    assert doc.title == "Harbour bridge reopens after repairs"
    assert "35 million dollars" in doc.text
    assert "traffic & tram" in doc.text  # entities decoded
    for junk in ("Home", "Sport", "Read also", "Leave a comment", "Share this"):
        assert junk not in doc.text
    assert doc.removed[0].reason == "html_extraction"


def test_empty_after_cleaning_gives_no_paragraphs() -> None:
    assert clean_text("Share\nLeave a Reply\n\n").paragraphs == []
