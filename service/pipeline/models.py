"""The result a user receives. Validators enforce what the product promises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from service.limits import DEFAULT_MAX_WORDS
from service.limits import Cue as CueKind

ClaimKind = Literal["statement", "statistic", "quote", "event", "prediction", "opinion"]
UNATTRIBUTED = "unattributed"  # the speaker when the article does not say who asserts it
# The faithfulness checker's verdict, on claims and key points alike.
SupportProbability = Annotated[
    float | None,
    Field(
        ge=0.0,
        le=1.0,
        description="faithfulness checker (opt-in): the model's probability that the article "
        "states this, lowered for each failed exact check; null when the check is off, the "
        "model was not asked (claims and key points at run time get the exact checks only) "
        "or its call failed",
    ),
]
Flagged = Annotated[
    bool,
    Field(
        description="the checker doubts the article states this (probability below its "
        "calibrated threshold, or an exact check failed); kept for the reader, never dropped"
    ),
]
CheckFailures = Annotated[
    list[str],
    Field(
        description="faithfulness checker (opt-in): what the article sentences that state "
        "this do not say (a number, a hedge, the speaker credited)"
    ),
]
HeadlinePath = Literal["own_words", "deletion", "model", "none"]
EntityType = Literal["person", "organization", "place", "other"]


@dataclass
class ArticleInput:
    """One article as every front door hands it to the engine (API, jobs, Slack, CLI)."""

    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    max_words: int = DEFAULT_MAX_WORDS


class Span(BaseModel):
    """Exact words of the source: `quote == source[start:end]`."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    quote: str = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Span:
        if self.end - self.start != len(self.quote):
            raise ValueError("span length does not match its quote")
        return self


class Attribution(BaseModel):
    """How the article attributes a claim: a quotation, indirect speech ("X said that"),
    "according to X", its own narration, or no one (unattributed)."""

    cue: CueKind
    cue_span: Span | None = Field(default=None, description="the words that attribute it")


class Substitution(BaseModel):
    """A pronoun or role noun replaced so the claim reads alone, and where its referent is
    named in the source."""

    original: str
    replacement: str
    antecedent: Span
    span: Span | None = Field(default=None, description="the words replaced, in the source")


class Unresolved(BaseModel):
    """A pronoun or role noun kept as written because the article leaves more than one
    person it may stand for (or none): a wrong name is worse than an unresolved "he"."""

    original: str = Field(description="the words as written")
    span: Span
    candidates: list[str] = Field(default_factory=list, description="names it may stand for")
    reason: str


class Claim(BaseModel):
    id: str
    text: str = Field(min_length=1)
    speaker: str = Field(
        min_length=1, description=f"a name, the outlet for its own narration, or {UNATTRIBUTED!r}"
    )
    attribution: Attribution | None = None
    substitutions: list[Substitution] = Field(default_factory=list)
    unresolved: list[Unresolved] = Field(default_factory=list)
    kind: ClaimKind
    numbers: list[str] = Field(default_factory=list)
    sentence_ids: list[int] = Field(min_length=1)
    evidence: list[Span] = Field(min_length=1)
    repairs: list[str] = Field(
        default_factory=list, description="deterministic fixes applied from the source words"
    )
    support_probability: SupportProbability = None
    flagged: Flagged = False
    check_failures: CheckFailures = Field(default_factory=list)

    def spans(self) -> list[Span]:
        """Every span that points into the source: evidence, cue, antecedents, the words
        replaced or left unresolved."""
        out = list(self.evidence)
        if self.attribution is not None and self.attribution.cue_span is not None:
            out.append(self.attribution.cue_span)
        out.extend(s.antecedent for s in self.substitutions)
        out.extend(s.span for s in self.substitutions if s.span is not None)
        out.extend(u.span for u in self.unresolved)
        return out


class KeyPoint(BaseModel):
    text: str
    claim_ids: list[str] = Field(min_length=1)
    support_probability: SupportProbability = None
    flagged: Flagged = False
    check_failures: CheckFailures = Field(default_factory=list)


class HeadlineCheck(BaseModel):
    """The faithfulness checker's verdict on a headline the model wrote."""

    support_probability: SupportProbability = None
    flagged: Flagged = False
    check_failures: CheckFailures = Field(default_factory=list)


class Summary(BaseModel):
    headline: str
    summary: str
    key_points: list[KeyPoint]
    word_count: int
    claim_ids: list[str] = Field(
        default_factory=list, description="the claims the summary sentences rest on"
    )
    headline_claim_ids: list[str] = Field(
        default_factory=list, description="the claim the headline states (none: no one claim)"
    )
    headline_by_model: bool = Field(
        default=False,
        description="the model phrased the headline (else it is the claim's own words)",
    )
    headline_path: HeadlinePath = Field(
        default="none",
        description="which path made the headline: the claim's own words (own_words), its "
        "main clause by deletion (deletion), the model's wording (model), or none",
    )
    headline_check: HeadlineCheck | None = Field(
        default=None, description="faithfulness checker (opt-in) on a model-phrased headline"
    )


class SurfaceForm(BaseModel):
    text: str
    count: int = Field(ge=1)


class Entity(BaseModel):
    id: str
    name: str
    type: EntityType
    surface_forms: list[SurfaceForm] = Field(min_length=1)


class Removed(BaseModel):
    """One piece of the input the cleaner dropped, and why (the boilerplate audit)."""

    start: int
    end: int
    text: str
    reason: str


class DroppedClaim(BaseModel):
    text: str
    speaker: str
    reason: str


class CallRecord(BaseModel):
    label: str
    prompt_version: str
    model: str
    prompt_tokens: int
    cached_prompt_tokens: int
    completion_tokens: int
    prefill_s: float
    decode_s: float
    latency_s: float
    attempts: int
    tokens_estimated: bool


class Usage(BaseModel):
    article_tokens: int
    prompt_tokens: int
    cached_prompt_tokens: int
    completion_tokens: int
    computed_tokens: int = Field(description="prompt tokens not served from cache + completion")
    model_calls: int
    model_seconds: float
    prefill_seconds: float
    decode_seconds: float
    wall_seconds: float
    calls: list[CallRecord]


class Provenance(BaseModel):
    model: str
    prompt_versions: dict[str, str]
    prompt_sha256: dict[str, str]
    pipeline_version: str
    created_at: datetime


class Source(BaseModel):
    input_type: Literal["text", "html"]
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published_at: str | None = None
    sha256: str
    offsets_refer_to: Literal["input", "extracted_text"]
    extracted_text: str | None = Field(
        default=None, description="for HTML input: the text evidence offsets point into"
    )
    chunks: int = 1


class SummaryResult(BaseModel):
    source: Source
    summary: Summary
    claims: list[Claim]
    entities: list[Entity]
    removed: list[Removed]
    dropped: list[DroppedClaim]
    usage: Usage
    provenance: Provenance
    partial: bool = False
    warnings: list[str] = Field(default_factory=list)

    def check_grounded(self, source_text: str) -> None:
        """Raise if any evidence, attribution cue or antecedent quote is not the exact slice
        of the source at its offsets."""
        for claim in self.claims:
            for span in claim.spans():
                if source_text[span.start : span.end] != span.quote:
                    raise ValueError(f"claim {claim.id}: a span is not the source slice")
