"""The eval run's report.html: escaping, evidence marks, no external resources, and a real browser."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from evals.report import write_report
from tests.browser import launch, require_playwright

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "test-artifacts" / "eval-report.png"

# Untrusted article text: markup, an ampersand, both quote kinds and a URL that must stay text.
ARTICLE_A = (
    'Mayor Ana Ruiz said the bridge "will reopen in May" after repairs costing $4 million.\n'
    "Critics & residents doubt it: <script>alert(1)</script> was found pasted in a comment.\n"
    "The council's engineer, Tom Lee, said the cost may rise to $5 million.\n"
    "Read more at https://example.com/bridge and subscribe to our newsletter."
)
ARTICLE_B = "Officials said 12 people were hurt in the storm.\nA spokesperson declined to comment."


def _span(text: str, quote: str) -> dict[str, Any]:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def _score(value: float | None, skipped: bool = False) -> dict[str, Any]:
    return {"value": value, "skipped": skipped, "details": {}}


def make_run() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    # p1 and p2 overlap on 'the bridge "will reopen in May"'; p3 leaks; p4 is unmatched.
    claims = [
        {
            "id": "p1",
            "text": "The bridge will reopen in May.",
            "speaker": "Ana Ruiz",
            "kind": "statement",
            "evidence": [_span(ARTICLE_A, 'Mayor Ana Ruiz said the bridge "will reopen in May"')],
        },
        {
            "id": "p2",
            "text": "Repairs cost $4 million.",
            "speaker": "Ana Ruiz",
            "kind": "number",
            "evidence": [
                _span(ARTICLE_A, 'the bridge "will reopen in May" after repairs'),
                _span(ARTICLE_A, "costing $4 million"),
            ],
        },
        {
            "id": "p3",
            "text": "Someone pasted a script.",
            "speaker": "residents",
            "kind": "statement",
            "evidence": [
                _span(ARTICLE_A, "Critics & residents doubt it: <script>alert(1)</script>")
            ],
        },
        {
            "id": "p4",
            "text": "Costs may rise to $5 million.",
            "speaker": "Tom Lee",
            "kind": "hedge",
            "evidence": [_span(ARTICLE_A, "the cost may rise to $5 million")],
        },
    ]
    scores_a = {
        "claim_recall": _score(0.5),
        "claim_precision": _score(0.25),
        "speaker_accuracy": _score(1.0),
        "hedge_fidelity": _score(None, skipped=True),
        "number_fidelity": _score(0.5),
        "grounding_rate": _score(1.0),
        "forbidden_leakage": _score(1.0),
        "boilerplate_leakage": _score(0.0),
        "summary_length": _score(31.0),
        "latency_s": _score(2.5),
    }
    rec_a = {
        "run_id": "run-3",
        "case_id": "case-a",
        "repeat": 0,
        "article_path": "evals/data/articles/a.txt",
        "article_text": ARTICLE_A,
        "ok": True,
        "error": None,
        "result": {
            "claims": claims,
            "summary": {
                "headline": 'Bridge "to reopen" in May & cost <b>rises</b>',
                "summary": "The mayor says the bridge reopens in May.",
                "key_points": [{"text": "Reopening in May", "claim_ids": ["p1"]}],
                "word_count": 9,
            },
        },
        "scores": scores_a,
        "claims": [
            {
                "expected_id": "e1",
                "description": "Ruiz: bridge reopens in May",
                "status": "matched",
                "predicted_id": "p1",
            },
            {
                "expected_id": "e2",
                "description": "Repairs cost $4 million",
                "status": "matched",
                "predicted_id": "p2",
            },
            {
                "expected_id": "e3",
                "description": "Engineer Lee warns of cost overrun",
                "status": "missed",
                "predicted_id": None,
            },
        ],
        "predicted": [
            {
                "id": "p1",
                "text": claims[0]["text"],
                "speaker": "Ana Ruiz",
                "status": "matched",
                "expected_id": "e1",
                "forbidden_id": None,
            },
            {
                "id": "p2",
                "text": claims[1]["text"],
                "speaker": "Ana Ruiz",
                "status": "matched",
                "expected_id": "e2",
                "forbidden_id": None,
            },
            {
                "id": "p3",
                "text": claims[2]["text"],
                "speaker": "residents",
                "status": "leaked",
                "expected_id": None,
                "forbidden_id": "f1",
            },
            {
                "id": "p4",
                "text": claims[3]["text"],
                "speaker": "Tom Lee",
                "status": "unmatched",
                "expected_id": None,
                "forbidden_id": None,
            },
        ],
        "leaks": [
            {
                "forbidden_id": "f1",
                "description": "Content of a reader comment",
                "predicted_id": "p3",
            }
        ],
        "wall_s": 2.5,
        "cached_calls": 3,
    }
    rec_b = {
        "run_id": "run-3",
        "case_id": "case-b",
        "repeat": 0,
        "article_path": "evals/data/articles/b.txt",
        "article_text": ARTICLE_B,
        "ok": False,
        "error": {"code": "LLM_TIMEOUT", "message": "model did not answer within 60 s"},
        "result": None,
        "scores": {},
        "claims": [
            {
                "expected_id": "e9",
                "description": "12 people hurt in the storm",
                "status": "missed",
                "predicted_id": None,
            }
        ],
        "predicted": [],
        "leaks": [],
        "wall_s": 60.0,
        "cached_calls": 0,
    }

    def metric(
        mean: float,
        threshold: float | None,
        status: str,
        baseline: float,
        direction: str = "higher",
    ) -> dict[str, Any]:
        return {
            "mean": mean,
            "std": 0.0,
            "direction": direction,
            "threshold": threshold,
            "status": status,
            "baseline": baseline,
            "delta": mean - baseline,
            "band": 0.02,
        }

    summary = {
        "run_id": "run-3",
        "created_at": "2025-03-03T10:00:00+00:00",
        "model": "qwen2.5-coder-1.5b-instruct-q4_k_m",
        "prompt_versions": {"claims": "v3", "summary": "v2"},
        "cases": ["case-a", "case-b"],
        "repeat": 1,
        "passed": False,
        "failures": [
            "claim_recall 0.500 regressed from baseline 0.800 (band 0.020)",
            "case case-b failed: LLM_TIMEOUT",
        ],
        "metrics": {
            "claim_recall": metric(0.5, 0.6, "fail", 0.8),
            "claim_precision": metric(0.25, None, "info", 0.3),
            "forbidden_leakage": metric(1.0, 0.0, "fail", 0.0, "lower"),
            "summary_length": metric(31.0, None, "info", 30.0),
        },
        "lost_claims": [
            {
                "case_id": "case-a",
                "expected_id": "e3",
                "description": "Engineer Lee warns of cost overrun",
            }
        ],
        "baseline_run_id": "run-2",
        "history": [
            {
                "run_id": "run-1",
                "created_at": "2025-03-01T10:00:00+00:00",
                "metrics": {"claim_recall": 0.7, "claim_precision": None},
            },
            {
                "run_id": "run-2",
                "created_at": "2025-03-02T10:00:00+00:00",
                "metrics": {"claim_recall": 0.8, "claim_precision": 0.3},
            },
            {
                "run_id": "run-3",
                "created_at": "2025-03-03T10:00:00+00:00",
                "metrics": {"claim_recall": 0.5, "claim_precision": 0.25},
            },
        ],
        "judge": {"gating": False, "kappa": 0.41, "note": "kappa < 0.6: judge is advisory"},
    }
    return summary, [rec_a, rec_b]


class _Marks(HTMLParser):
    """Text inside <mark> elements, per case section and claim id, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.claims: list[str] = []
        self.text: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and (a.get("id") or "").startswith("case-"):
            self.section = a["id"] or ""
        if tag == "mark":
            self.claims = (a.get("data-claim") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.claims = []

    def handle_data(self, data: str) -> None:
        for claim in self.claims:
            key = (self.section, claim)
            self.text[key] = self.text.get(key, "") + data


@pytest.fixture
def report(tmp_path: Path) -> Path:
    summary, records = make_run()
    return write_report(tmp_path / "run-3", summary, records)


def test_writes_report_html_into_run_dir(report: Path, tmp_path: Path) -> None:
    assert report == tmp_path / "run-3" / "report.html"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_article_markup_is_escaped(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    assert "<script>alert" not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "<b>rises</b>" not in doc and "&lt;b&gt;rises&lt;/b&gt;" in doc
    assert "Critics &amp; residents" in doc
    # The only script element is the report's own, at the end of the body.
    assert doc.count("<script") == 1 and doc.count("</script>") == 1
    assert re.search(r"<script>\(function \(\) \{", doc)


def test_lost_claim_is_prominent(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    box = re.search(
        r'<section class="card lost-claims" id="lost-claims">(.*?)</section>', doc, re.S
    )
    assert box, "lost-claims box missing"
    assert "Engineer Lee warns of cost overrun" in box.group(1)
    assert "case-a" in box.group(1) and "e3" in box.group(1)
    # The box comes before the metrics table, right under the header.
    assert doc.index('id="lost-claims"') < doc.index("<h2>Metrics</h2>")


def test_every_evidence_quote_is_inside_marks(report: Path) -> None:
    _summary, records = make_run()
    parser = _Marks()
    parser.feed(report.read_text(encoding="utf-8"))
    quotes = [
        (r["case_id"], c["id"], ev["quote"])
        for r in records
        if r["result"]
        for c in r["result"]["claims"]
        for ev in c["evidence"]
    ]
    assert len(quotes) == 5
    for case_id, claim_id, quote in quotes:
        assert quote in parser.text.get(("case-" + case_id, claim_id), ""), (claim_id, quote)


def test_overlapping_spans_share_a_segment(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    shared = re.findall(r'<mark data-claim="p1 p2" class="multi">([^<]*)</mark>', doc)
    assert shared == [html.escape('the bridge "will reopen in May"')]
    assert '<mark data-claim="p1">Mayor Ana Ruiz said </mark>' in doc
    assert '<mark data-claim="p2"> after repairs</mark>' in doc


def test_no_external_resources(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    refs = re.findall(r"""(?:src|href|action|xlink:href)\s*=\s*["']?\s*([^"'\s>]+)""", doc, re.I)
    assert refs, "expected the report's own in-page links"
    external = [r for r in refs if not (r.startswith("#") or r.startswith("data:"))]
    assert external == []
    assert not re.search(r"url\(|@import", doc, re.I)
    # The article's URL is still shown, as text.
    assert "https://example.com/bridge" in doc


def test_case_table_shows_errors_skips_and_links(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    table = re.search(r"<h2>Cases</h2>(.*?)</table>", doc, re.S)
    assert table
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    row_a = next(r for r in rows if 'href="#case-case-a"' in r)
    row_b = next(r for r in rows if 'href="#case-case-b"' in r)
    assert ">skip<" in row_a  # hedge_fidelity skipped
    assert ">2.500 s<" in row_a  # latency_s counts as latency
    # A failed record with no scores: its code in the status column and one spanning message.
    assert row_b.count("LLM_TIMEOUT") == 2 and "model did not answer within 60 s" in row_b
    assert 'colspan="10"' in row_b
    assert 'id="case-case-a"' in doc and 'id="case-case-b"' in doc


def test_claim_table_rows(report: Path) -> None:
    doc = report.read_text(encoding="utf-8")
    table = re.search(r'<table class="claim-table" id="claims-case-a">(.*?)</table>', doc, re.S)
    assert table
    body = table.group(1)
    assert body.count("<tr") == 1 + 3 + 2  # header, three expected, one leaked + one unmatched
    leaked = re.search(r'<tr data-claim="p3" class="leaked">(.*?)</tr>', body, re.S)
    assert leaked and "Content of a reader comment" in leaked.group(1)
    assert "lost vs baseline" in body


def test_failed_record_with_some_scores_shows_code_per_cell(tmp_path: Path) -> None:
    summary, records = make_run()
    records[1]["scores"] = {
        "claim_recall": _score(0.0),
        "hedge_fidelity": _score(None, skipped=True),
    }
    doc = write_report(tmp_path, summary, records).read_text(encoding="utf-8")
    row_b = re.search(r'<tr><td><a href="#case-case-b">.*?</tr>', doc, re.S)
    assert row_b
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row_b.group(0), re.S)
    assert cells[1:5] == ["LLM_TIMEOUT", "0.000", "LLM_TIMEOUT", "LLM_TIMEOUT"]
    assert cells[5] == "skip" and cells[-1] == "LLM_TIMEOUT"


def test_repeats_are_listed_in_case_table(tmp_path: Path) -> None:
    summary, records = make_run()
    extra = dict(records[0], repeat=1, scores={"claim_recall": _score(0.75)})
    summary["repeat"] = 2
    doc = write_report(tmp_path, summary, [extra, *records]).read_text(encoding="utf-8")
    assert '<span class="reps">r1 0.750</span>' in doc
    assert "showing repeat 0; also r1 ok" in doc


def test_report_in_headless_chromium(report: Path) -> None:
    sync_api = require_playwright()
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on(
                "console",
                lambda m: errors.append(m.text) if m.type in ("error", "warning") else None,
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")

            assert page.locator("table.claim-table").count() == 2
            rows = page.locator("#claims-case-a tr[data-claim]")
            assert (
                rows.count() == 4
            )  # e1, e2 matched, p3 leaked, p4 unmatched (e3 has no prediction)

            marks_p2 = page.locator('#case-case-a mark[data-claim~="p2"]')
            assert marks_p2.count() == 3  # overlap segment, rest of the first span, the second span
            assert page.locator("mark.hl").count() == 0

            page.locator('#claims-case-a tr[data-claim="p2"]').click()
            for i in range(marks_p2.count()):
                assert "hl" in (marks_p2.nth(i).get_attribute("class") or "").split()
            # Only p2's marks: p4's span does not overlap it.
            assert "hl" not in (page.locator('mark[data-claim="p4"]').get_attribute("class") or "")
            # The click pins: moving the mouse away keeps the highlight.
            page.mouse.move(5, 5)
            assert page.locator('#case-case-a mark.hl[data-claim~="p2"]').count() == 3
            # Hovering another row previews it; leaving returns to the pinned claim.
            page.locator('#claims-case-a tr[data-claim="p4"]').hover()
            assert page.locator("mark.hl").count() == 1
            assert page.locator("mark.hl").get_attribute("data-claim") == "p4"
            page.mouse.move(5, 5)
            assert page.locator('mark.hl[data-claim~="p2"]').count() == 3

            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.locator('#claims-case-a tr[data-claim="p3"]').click()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert requests and all(u.startswith(("file:", "data:")) for u in requests), requests
    assert SCREENSHOT.stat().st_size > 10_000
