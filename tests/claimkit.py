"""The claim stage on a hand-made article, as the service runs it (clean, sentences,
claims), for the tests of attribution, quotations and pronouns. No model."""

from __future__ import annotations

from service.pipeline.brief.compress import Shortened
from service.pipeline.claims.build import build_claims
from service.pipeline.models import Claim
from service.pipeline.reading.clean import clean_text
from service.pipeline.reading.nlp import parse_each
from service.pipeline.reading.segment import split_sentences

OUTLET = "Example News"


def claims_of(text: str, outlet: str = OUTLET) -> list[Claim]:
    doc = clean_text(text)
    return build_claims(doc, split_sentences(doc), outlet)


def shortened(text: str) -> Shortened:
    """A claim as the headline receives it from the summary: its words uncut, parsed."""
    return Shortened(text, next(iter(parse_each([text]))), frozenset())
