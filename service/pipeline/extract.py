"""Stage 3: claims, one window of sentences at a time, on the shared article prefix.

Asking for all claims at once lets a small model stop after a handful; asking window by
window keeps its attention on a few sentences while the full article stays in view for
resolving names and pronouns. Each window costs only its short task prompt thanks to the
prefix cache.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from service.llm.errors import LLMError, ModelTimeout, ModelUnavailable
from service.pipeline.budget import Chunk, Window
from service.pipeline.context import RunContext
from service.pipeline.prompt_names import EXTRACT


@dataclass
class RawClaim:
    sentences: list[int]
    speaker: str
    text: str


@dataclass
class FailedWindow:
    window: Window
    error: LLMError


def window_schema(base: dict[str, Any], window: Window) -> dict[str, Any]:
    """Constrain cited sentence numbers to the window, so decoding cannot cite elsewhere.

    An enum, not minimum/maximum: llama.cpp's grammar compiler ignores integer bounds."""
    schema = copy.deepcopy(base)
    item = schema["properties"]["claims"]["items"]
    # v1 claims are objects with "sentences"; v2 are [sentences, speaker, claim] arrays.
    cited = item["properties"]["sentences"] if "properties" in item else item["prefixItems"][0]
    cited["items"]["enum"] = window.citable
    return schema


def extract_chunk(
    ctx: RunContext, article: str, chunk: Chunk
) -> tuple[list[RawClaim], list[FailedWindow]]:
    prompt = ctx.prompt(EXTRACT)
    assert prompt.schema is not None
    claims: list[RawClaim] = []
    failed: list[FailedWindow] = []
    for window in chunk.windows:
        try:
            data = ctx.ask(
                EXTRACT,
                article,
                {"first": window.first, "last": window.last},
                schema=window_schema(prompt.schema, window),
                label=f"extract[{window.first}-{window.last}]",
            )
        except (ModelUnavailable, ModelTimeout):
            # Down or too slow after its retries: every other window would wait as long again
            # (window count x attempts x timeout). Report it now, as it is.
            raise
        except LLMError as exc:
            failed.append(FailedWindow(window, exc))
            continue
        for item in data["claims"]:
            ids, speaker, text = (
                (item["sentences"], item["speaker"], item["claim"])
                if isinstance(item, dict)
                else item
            )
            claims.append(
                RawClaim(
                    sentences=[int(i) for i in ids],
                    speaker=str(speaker).strip(),
                    text=" ".join(str(text).split()),
                )
            )
    return claims, failed
