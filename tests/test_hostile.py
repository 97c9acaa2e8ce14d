"""Hostile articles through the real pipeline and the HTTP API (issue 7).

Each article runs against a model that obeys it (tests/hostile_model.py). Whatever it
answers, the result is schema-valid, every quote is the exact input slice, nothing the
injections ask for comes out, the system prompt is never repeated, and memory stays bounded.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from langchain_core.messages import BaseMessage

from service.compose import build_api, build_services
from service.config import Settings
from service.pipeline.models import ArticleInput, SummaryResult
from service.pipeline.reading.clean import clean_html
from service.pipeline.reading.segment import is_instruction
from service.pipeline.run import summarize_article
from service.prompts import PromptLibrary
from tests.conftest import ARTICLES, FIXTURES, ROOT, make_backend
from tests.fakes import reader_responder
from tests.faults import bounded
from tests.hostile_model import PWNED, Obedient, shingles

HOSTILE = sorted((FIXTURES / "hostile").iterdir())
PROMPTS = PromptLibrary(ROOT / "prompts")
SYSTEM = PROMPTS.get("summarize").system or ""
MEDIA = {".txt": "text/plain; charset=utf-8", ".html": "text/html"}
MB = 1_000_000
BODY = "The city council voted on Tuesday to approve a new tram line, officials said.\n"


def client_for(tmp_path: Path, responder: Any, **limits: int) -> TestClient:
    # sync_max_bytes: articles this large may go to the job queue; here the sync path is tested.
    settings = Settings(cache_dir=tmp_path, sync_max_bytes=10 * MB, **limits)  # type: ignore[arg-type]
    app = build_api(build_services(settings, backend=make_backend(responder)), warm=False)
    return TestClient(app, raise_server_exceptions=False)


def assert_safe(body: dict[str, Any], sent: str) -> SummaryResult:
    """Schema-valid, grounded, and free of what the injections and the obedient model say."""
    result = SummaryResult.model_validate(body)
    source = result.source.extracted_text if result.source.input_type == "html" else sent
    assert source is not None
    result.check_grounded(source)
    for claim in result.claims:
        for span in claim.evidence:
            assert not is_instruction(span.quote), span.quote
    said = json.dumps({k: body[k] for k in ("claims", "summary", "entities", "warnings")})
    assert PWNED.lower() not in said.lower()
    assert "SYSTEM" not in said and "pirate" not in said
    # The audit of dropped claims shows what the model said, except what repeats an
    # injection (tests/test_properties.py) or the prompt.
    said += json.dumps(body["dropped"])
    assert not shingles(said) & shingles(SYSTEM), "the system prompt was repeated"
    return result


# ----------------------------------------------------------------------------- injections


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_article_through_the_pipeline(path: Path) -> None:
    raw = path.read_bytes().decode("utf-8")  # CRLF kept: offsets count it
    model = Obedient()
    field = "html" if path.suffix == ".html" else "text"
    result = bounded(
        lambda: summarize_article(ArticleInput(**{field: raw}), make_backend(model), PROMPTS)
    )
    assert_safe(result.model_dump(mode="json"), raw)
    assert result.claims, "the honest part of the article is still summarised"
    # The headline is a claim's own words or its main clause by deletion; the model is
    # asked at most once (a top claim deletion cannot shorten) and its obedient answer
    # never passes.
    assert model.headlines <= 1 and result.summary.headline_path != "model"
    # The model sees a claim only (never a sentence addressed to an AI) inside one fence it
    # cannot close, with chat-template markup defused; the system message is the prompt's.
    doc = clean_html(raw) if field == "html" else None
    text = doc.text if doc is not None else raw
    orders = [ln for ln in text.splitlines() if is_instruction(ln)]
    for user in model.users:
        fences = ("<claim>", "</claim>") if "<claim>" in user else ("<before>", "</before>")
        assert all(user.count(f) == 1 for f in fences)
        assert not any(order[:40] in user for order in orders)
        assert "<|" not in user and "|>" not in user
    assert set(model.systems) <= {SYSTEM}


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.name)
def test_hostile_article_through_the_api(path: Path, tmp_path: Path) -> None:
    raw = path.read_bytes()
    model = Obedient()
    with client_for(tmp_path, model) as client:
        r = bounded(
            lambda: client.post(
                "/v1/summaries", content=raw, headers={"content-type": MEDIA[path.suffix]}
            )
        )
    assert r.status_code == 200, r.text
    result = assert_safe(r.json(), raw.decode("utf-8"))
    assert model.headlines <= 1, "asked more than once"
    assert result.summary.headline_path != "model", "the obedient answer was kept"


def test_hidden_html_never_reaches_the_model() -> None:
    doc = clean_html((FIXTURES / "hostile" / "hidden.html").read_text())
    for hidden in ("resigned", "collapsed", "sold", "tolls", "Template", "Noscript", "Zero-size",
                   "Transparent", "PWNED", "reveal", "DAN"):  # fmt: skip
        assert hidden not in doc.text, hidden
    assert "35 million dollars" in doc.text and "60,000 vehicles" in doc.text


def test_the_same_page_gives_the_same_text_every_time() -> None:
    """trafilatura's deduplication remembered paragraphs across calls: the 4th extraction
    of one page lost them."""
    html = (FIXTURES / "article.html").read_text()
    texts = {clean_html(html).text for _ in range(5)}
    assert len(texts) == 1 and "35 million dollars" in texts.pop()


def test_a_model_that_changes_the_json_shape_gets_a_clear_502(tmp_path: Path) -> None:
    def reshaped(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        data = json.loads(Obedient()(messages, kwargs))
        return json.dumps({**data, "pwned": True, "leak": SYSTEM[:200]})

    # Its top claim is too long for a headline and no deletion shortens it (all of it is
    # under "did not"), so the model is asked for one.
    text = (FIXTURES / "hostile" / "json_shape.txt").read_text()
    with client_for(tmp_path, reshaped) as client:
        r = bounded(lambda: client.post("/v1/summaries", json={"text": text}))
    assert r.status_code == 502, r.text
    error = r.json()["error"]
    assert error["code"] == "model_invalid_output"
    assert "pwned" not in r.text.lower() and not shingles(r.text) & shingles(SYSTEM)


# ----------------------------------------------------------------------------- size


def peak_of(request: Callable[[], Any]) -> tuple[Any, int]:
    """The response, and the peak of memory allocated while it was made (tracemalloc)."""
    tracemalloc.start()
    try:
        response = bounded(request, 900)  # a 1 MB article is parsed twice: ~1 min when quiet
        return response, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_one_megabyte_line_is_processed_in_bounded_memory(tmp_path: Path) -> None:
    line = BODY.strip() + " " + ("and the tram will run every ten minutes " * 25_000) + "end."
    assert len(line) > MB and "\n" not in line
    with client_for(tmp_path, reader_responder) as client:
        r, peak = peak_of(lambda: client.post("/v1/summaries", json={"text": line}))
    assert r.status_code == 200, r.text[:300]
    result = SummaryResult.model_validate(r.json())
    result.check_grounded(line)
    assert len(result.claims) > 1  # cut into parts, every part read
    assert peak < 150 * MB, f"peak {peak / MB:.0f} MB for a 1 MB article"  # measured: 39 MB


def _article(size: int) -> str:
    lines = [ln for f in sorted(ARTICLES.glob("*.txt")) for ln in f.read_text().splitlines()]
    body = [ln for ln in lines if len(ln.split()) > 8]
    out: list[str] = []
    i = 0
    while sum(len(x) + 2 for x in out) < size:
        out.append(f"In dispatch {i}, {body[i % len(body)]}")  # unique: not a duplicate line
        i += 1
    return "\n\n".join(out)[:size].rsplit("\n\n", 1)[0]


def post_text(client: TestClient, text: str) -> Any:
    return client.post(
        "/v1/summaries", content=text.encode(), headers={"content-type": "text/plain"}
    )


def test_just_under_the_limit_is_processed_in_bounded_memory_and_over_it_is_413(
    tmp_path: Path,
) -> None:
    limit = 150_000
    text = _article(limit - 2_000)
    with client_for(tmp_path, reader_responder, max_input_bytes=limit) as client:
        r, peak = peak_of(lambda: post_text(client, text))
        assert r.status_code == 200, r.text[:300]
        result = SummaryResult.model_validate(r.json())
        result.check_grounded(text)
        assert len(result.claims) > 300
        # Claims, spans and one prompt at a time, not a copy of the article per claim.
        assert peak < 200 * len(text.encode()), f"peak {peak / MB:.0f} MB"  # measured: 14 MB
        over = client.post("/v1/summaries", json={"text": _article(limit + 1_000)})
        assert over.status_code == 413 and over.json()["error"]["code"] == "input_too_large"


@pytest.mark.parametrize("media", ["application/json", "text/plain", "text/html"])
def test_five_megabytes_is_413_without_running_the_model(media: str, tmp_path: Path) -> None:
    model = Obedient()
    big = ("word " * (MB + 1)).encode()
    payload = json.dumps({"text": big.decode()}).encode() if media == "application/json" else big
    with client_for(tmp_path, model) as client:
        r = bounded(
            lambda: client.post("/v1/summaries", content=payload, headers={"content-type": media})
        )
    assert r.status_code == 413 and r.json()["error"]["code"] == "input_too_large"
    assert model.calls == 0


# ----------------------------------------------------------------------------- markup bombs


def _bombs() -> Iterator[tuple[str, str, int]]:
    head = "<html><body><article><h1>Council approves tram line</h1><p>" + BODY + "</p>"
    tail = "</article></body></html>"
    yield "nested-100k", head + "<div>" * 100_000 + "Deep in the bomb." + "</div>" * 100_000, 200
    yield "unclosed-90k", head + "<p><span><a href='#'>" * 30_000, 200
    # Extraction time grows with the square of the paragraphs (a minute for these): refused.
    yield "wide-100k", head + "<p><b>Item</b> <i>x</i></p>" * 33_000 + tail, 413
    yield "wide-12k", head + "<p><b>Item</b> <i>x</i></p>" * 4_000 + tail, 200


@pytest.mark.parametrize(("name", "html", "status"), list(_bombs()), ids=[b[0] for b in _bombs()])
def test_html_bombs_end_in_a_valid_result_or_a_clear_4xx(
    name: str, html: str, status: int, tmp_path: Path
) -> None:
    with client_for(tmp_path, reader_responder) as client:
        r = bounded(
            lambda: client.post(
                "/v1/summaries", content=html.encode(), headers={"content-type": "text/html"}
            ),
            60,
        )
    assert r.status_code == status, r.text[:300]
    if status == 413:
        assert r.json()["error"]["code"] == "input_too_large"
        assert "elements" in r.json()["error"]["message"]
        return
    result = SummaryResult.model_validate(r.json())
    assert result.source.extracted_text is not None
    result.check_grounded(result.source.extracted_text)
    assert "tram line" in result.source.extracted_text


# ----------------------------------------------------------------------------- encodings


ENCODING_CASES = "latin1-text latin1-html latin1-json overlong utf8-surrogate json-surrogate nul json-nul utf16 png controls".split()


@pytest.mark.parametrize(
    ("content", "media", "code"),
    [
        (b"caf\xe9 au lait was served to 40 people.", "text/plain", "invalid_encoding"),
        (b"<p>caf\xe9 au lait</p>", "text/html", "invalid_encoding"),
        (b'{"text": "caf\xe9 au lait"}', "application/json", "invalid_encoding"),
        (b"overlong \xc0\xaf slash in the text.", "text/plain", "invalid_encoding"),
        (b"encoded surrogate \xed\xa0\x80 in the text.", "text/plain", "invalid_encoding"),
        (
            b'{"text": "A lone surrogate \\ud800 in the article text."}',
            "application/json",
            "invalid_encoding",
        ),
        (b"Text with a NUL\x00 byte in the middle of it.", "text/plain", "binary_content"),
        (b'{"text": "NUL \\u0000 escaped in JSON text."}', "application/json", "binary_content"),
        ("The council met.".encode("utf-16"), "text/plain", "binary_content"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
            "text/plain",
            "binary_content",
        ),
        (bytes(range(1, 32)) * 40 + b" words", "text/plain", "binary_content"),
    ],
    ids=ENCODING_CASES,
)
def test_undecodable_and_binary_input_is_a_clear_400(
    content: bytes, media: str, code: str, tmp_path: Path
) -> None:
    model = Obedient()
    with client_for(tmp_path, model) as client:
        r = client.post("/v1/summaries", content=content, headers={"content-type": media})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == code
    assert model.calls == 0
