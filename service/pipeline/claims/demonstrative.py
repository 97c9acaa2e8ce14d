"""Stage: a claim that opens with "This" (or "This cooperation") says what "this" was.

"“This allowed Russia to breathe a little bit,” Budanov said" does not read alone: "this" is
the sentence before, an event, not a name, so no rule finds it. The model is asked for a
short noun phrase in the words of the sentence before (prompt refer@v1), and the answer is
bracketed in as an editor would ("“[Artillery ammunition] allowed Russia to breathe…”"),
recorded as a substitution whose antecedent is that sentence. An answer is kept only if
every content word of it is in the sentence before (or is the demonstrative's own noun):
a wrong or invented referent would put words in a speaker's mouth, so anything else leaves
the claim as written.
"""

from __future__ import annotations

import re

from service.pipeline.brief.headline import DANGLING, novel
from service.pipeline.claims.ground import numbers_in
from service.pipeline.context import RunContext
from service.pipeline.models import Claim, Span, Substitution
from service.pipeline.prompt_names import REFER
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.nlp import parser
from service.pipeline.reading.segment import Sentence, defuse

_OPENING = re.compile(r"^(?P<mark>[\"“«]?)(?P<this>This|These)\b")
_FUNCTION = frozenset("between with from into among against toward towards".split())
MAX_WORDS = 8
MAX_CALLS = 12  # per article: a long one full of "This …" must not take minutes of model time


def _phrase(claim: Claim) -> tuple[str, str] | None:
    """(the words to replace, the demonstrative's own noun or ""), from the parse: "This"
    as a determiner takes its noun along ("This cooperation"); as a pronoun it stands for
    an event ("This allowed …")."""
    if claim.substitutions and claim.text.startswith(
        tuple(s.replacement for s in claim.substitutions)
    ):
        return None
    m = _OPENING.match(claim.text)
    if m is None:
        return None
    doc = parser()(claim.text[:300])
    this = next(t for t in doc if t.text == m.group("this"))
    if this.dep_ == "det" and this.head.i == this.i + 1 and this.head.pos_ == "NOUN":
        return f"{this.text} {this.head.text}", this.head.text
    return this.text, ""


def acceptable(answer: str, before: str, noun: str) -> bool:
    words = answer.split()
    if not 1 <= len(words) <= MAX_WORDS or words[-1].lower() in DANGLING:
        return False
    if any(n not in numbers_in(before) for n in numbers_in(answer)):
        return False
    return not [w for w in novel(answer, f"{before} {noun}") if w not in _FUNCTION]


def _resolved(claim: Claim, phrase: str, answer: str, antecedent: Span) -> Claim:
    bracket = f"[{answer[:1].upper()}{answer[1:]}]"
    sub = Substitution(original=phrase, replacement=bracket, antecedent=antecedent)
    return claim.model_copy(
        update={
            "text": claim.text.replace(phrase, bracket, 1),
            "substitutions": [sub, *claim.substitutions],
            "repairs": [f"'{phrase}' → '{bracket}' (the sentence before)", *claim.repairs],
        }
    )


def resolve_demonstratives(
    ctx: RunContext, doc: CleanDoc, sentences: list[Sentence], claims: list[Claim]
) -> list[Claim]:
    by_id = {s.id: s for s in sentences}
    out: list[Claim] = []
    asked = skipped = 0
    for claim in claims:
        found = _phrase(claim)
        # The claim's own sentence is its last (an earlier one is its speaker's cue).
        prior = by_id.get(max(claim.sentence_ids) - 1) if claim.sentence_ids else None
        if found is None or prior is None or prior.heading or prior.instruction:
            out.append(claim)
            continue
        if asked == MAX_CALLS:
            skipped += 1
            out.append(claim)
            continue
        asked += 1
        out.append(_resolve(ctx, doc, claim, found, prior))
    if skipped:
        ctx.warnings.append(f"{skipped} opening 'This' left as written: {MAX_CALLS} resolved")
    return out


def _resolve(
    ctx: RunContext, doc: CleanDoc, claim: Claim, found: tuple[str, str], prior: Sentence
) -> Claim:
    phrase, noun = found
    before = doc.text[prior.start : prior.end]
    answer = " ".join(_ask(ctx, before, claim.text).split()).rstrip(".")
    if not acceptable(answer, before, noun):
        ctx.warnings.append(f"claim {claim.id}: '{phrase}' left as written (no sure referent)")
        return claim
    a, b = doc.to_source(prior.start, prior.end)
    return _resolved(claim, phrase, answer, Span(start=a, end=b, quote=doc.source[a:b]))


def _ask(ctx: RunContext, before: str, sentence: str) -> str:
    data = ctx.ask_standalone(
        REFER, {"before": defuse(before), "sentence": defuse(sentence)}, label="refer"
    )
    return str(data.get("refers_to", ""))
