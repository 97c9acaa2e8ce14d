"""Hand-made per-article results for story tests: typed like the pipeline's, no model."""

from __future__ import annotations

from datetime import UTC, datetime

from service.pipeline.models import SummaryResult

Entities = list[tuple[str, str, list[str]]]


def result(
    outlet: str | None,
    claims: list[tuple[str, str]],
    entities: Entities,
    text: str = "",
    published: str | None = None,
    url: str | None = None,
) -> SummaryResult:
    """claims: (speaker, text); each claim's evidence is its own words in `text` when
    found there (else the text's first words), so spans are the exact source slice."""
    body = text or " ".join(t for _, t in claims)
    out_claims = []
    for i, (speaker, claim) in enumerate(claims, 1):
        start = max(body.find(claim), 0)
        quote = body[start : start + len(claim)] or body[:10]
        out_claims.append(
            {
                "id": f"c{i}",
                "text": claim,
                "speaker": speaker,
                "kind": "statement",
                "sentence_ids": [i],
                "evidence": [{"start": start, "end": start + len(quote), "quote": quote}],
            }
        )
    return SummaryResult.model_validate(
        {
            "source": {
                "input_type": "text",
                "outlet": outlet,
                "url": url,
                "published_at": published,
                "sha256": "0" * 64,
                "offsets_refer_to": "input",
            },
            "summary": {"headline": "", "summary": "", "key_points": [], "word_count": 0},
            "claims": out_claims,
            "entities": [
                {
                    "id": n.lower().replace(" ", "-"),
                    "name": n,
                    "type": t,
                    "surface_forms": [{"text": f, "count": 1} for f in forms],
                }
                for n, t, forms in entities
            ],
            "removed": [],
            "dropped": [],
            "usage": {
                "article_tokens": 0,
                "prompt_tokens": 0,
                "cached_prompt_tokens": 0,
                "completion_tokens": 0,
                "computed_tokens": 0,
                "model_calls": 0,
                "model_seconds": 0,
                "prefill_seconds": 0,
                "decode_seconds": 0,
                "wall_seconds": 0,
                "calls": [],
            },
            "provenance": {
                "model": "hand-made",
                "prompt_versions": {},
                "prompt_sha256": {},
                "pipeline_version": "test",
                "created_at": datetime(2026, 1, 1, tzinfo=UTC),
            },
        }
    )
