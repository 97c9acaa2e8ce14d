"""Stage 4: tie every claim to exact source words, or drop it.

A claim passes when its cited sentences contain every number it states and most of its
content words. A failing claim is moved to the best-matching sentence of the chunk when one
passes, else re-asked once (`locate` prompt), else dropped and counted. Never returned
ungrounded.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from service.llm.errors import LLMError, ModelTimeout, ModelUnavailable
from service.pipeline.clean import CleanDoc
from service.pipeline.context import RunContext
from service.pipeline.entities import OUTLET_VOICES
from service.pipeline.extract import RawClaim
from service.pipeline.models import Span
from service.pipeline.prompt_names import LOCATE
from service.pipeline.segment import Sentence, defuse

SUPPORT_THRESHOLD = 0.5
QUOTE_FUZZY_THRESHOLD = 90.0

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z0-9]+")
_QUOTED = re.compile(r"[\"“”]([^\"“”]{12,})[\"“”]")
HEDGES = (
    "up to", "nearly", "almost", "about", "around", "approximately", "roughly", "more than",
    "at least", "as many as", "an estimated", "estimated", "some", "over", "less than",
)  # fmt: skip
_STOP = frozenset(
    "the a an and or of to in on at for by with from that this these those is are was were be "
    "been has have had it its as but not also than which who whom said says say according "
    "will would could may might can there their they them he she his her him our we".split()
)
_STOP_START = _STOP | frozenset(
    "according despite during after before while since both all some many most another in "
    "however meanwhile although though because if when where what why how".split()
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[“”„«»]", '"', text)
    text = re.sub(r"[–—−]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def numbers_in(text: str) -> list[str]:
    return [n.replace(",", "") for n in _NUMBER.findall(text)]


def words_of(text: str) -> set[str]:
    """Lower-cased words of three letters or more."""
    return set(re.findall(r"\w{3,}", text.lower()))


def _stems(text: str, skip: set[str] | frozenset[str] = frozenset()) -> set[str]:
    words = _WORD.findall(normalize(text).lower())
    return {w[:5] for w in words if len(w) > 2 and w not in _STOP and w not in skip}


def support(claim: str, evidence: str, speaker: str = "") -> float:
    """Share of the claim's content words (crude stems) that the evidence contains."""
    wanted = _stems(claim, set(_WORD.findall(speaker.lower())))
    if not wanted:
        return 0.0
    return len(wanted & _stems(evidence)) / len(wanted)


_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Za-z]+)*\b")


@lru_cache(maxsize=4)
def _folded(article: str) -> str:
    # Asked once per claim with the same article: folding it each time made grounding
    # quadratic in the article's length (minutes for a long article).
    return normalize(article).lower()


def names_missing(claim: str, article: str) -> list[str]:
    """Capitalised words of a claim that the article never uses: misspelt or invented names.
    A sentence-initial function word ("Despite") is not a name."""
    low = _folded(article)
    return [
        n for n in _NAME.findall(claim) if n.lower() not in low and n.lower() not in _STOP_START
    ]


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")


def speaker_unknown(speaker: str, readable: str) -> bool:
    """A speaker the article never names: an invented name or acronym, or words mostly not
    the article's ("PWNED", the model's own instructions). `readable` excludes text addressed
    to an AI. The outlet's own voice and pronouns are resolved later, never unknown."""
    if speaker.strip().casefold() in OUTLET_VOICES:
        return False
    if names_missing(speaker, readable) or any(
        a not in readable for a in _ACRONYM.findall(speaker)
    ):
        return True
    wanted = _stems(speaker)
    return bool(wanted) and len(wanted & _article_stems(readable)) < len(wanted) * SUPPORT_THRESHOLD


@lru_cache(maxsize=4)
def _article_stems(article: str) -> frozenset[str]:
    return frozenset(_stems(article))


def failure(claim: RawClaim, evidence: str, article: str = "") -> str | None:
    have = set(numbers_in(evidence))
    if any(n not in have for n in numbers_in(claim.text)):
        return "number_not_in_evidence"
    if article and names_missing(claim.text, article):
        return "name_not_in_source"
    if support(claim.text, evidence, claim.speaker) < SUPPORT_THRESHOLD:
        return "unsupported_by_evidence"
    return None


def locate_quote(quote: str, source: str) -> tuple[int, int] | None:
    """Find `quote` in `source`: exact, then normalised, then fuzzy above a threshold."""
    at = source.find(quote)
    if at >= 0:
        return at, at + len(quote)
    norm_source, index = _normalized_with_index(source)
    at = norm_source.find(normalize(quote))
    if at >= 0:
        return index[at], index[at + len(normalize(quote)) - 1] + 1
    match = fuzz.partial_ratio_alignment(normalize(quote), norm_source)
    if match is not None and match.score >= QUOTE_FUZZY_THRESHOLD:
        return index[match.dest_start], index[match.dest_end - 1] + 1
    return None


def _normalized_with_index(source: str) -> tuple[str, list[int]]:
    """Character-wise normalisation that remembers each output char's source offset."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(source):
        n = normalize(ch) if not ch.isspace() else " "
        if n == " " and out and out[-1] == " ":
            continue
        for c in n or " ":
            out.append(c)
            index.append(i)
    return "".join(out), index


@dataclass
class GroundedClaim:
    raw: RawClaim
    sentence_ids: list[int]
    evidence: list[Span]
    repairs: list[str] = field(default_factory=list)


@dataclass
class Grounder:
    ctx: RunContext
    doc: CleanDoc
    sentences: dict[int, Sentence]
    article: str  # rendered chunk, for the re-ask prompt
    chunk_ids: list[int]
    readable: str = ""  # the article without text addressed to an AI, for speaker checks

    def text_of(self, ids: list[int]) -> str:
        return " ".join(self.doc.text[self.sentences[i].start : self.sentences[i].end] for i in ids)

    def spans(self, ids: list[int]) -> list[Span]:
        out = []
        for i in sorted(set(ids)):
            start, end = self.doc.to_source(self.sentences[i].start, self.sentences[i].end)
            out.append(Span(start=start, end=end, quote=self.doc.source[start:end]))
        return out

    def ground(self, claim: RawClaim) -> GroundedClaim | str:
        """A grounded claim, or the reason it was dropped."""
        if self.readable and speaker_unknown(claim.speaker, self.readable):
            return "speaker_not_in_source"
        ids = [i for i in claim.sentences if i in self.sentences and i in self.chunk_ids]
        repairs: list[str] = []
        if not ids or failure(claim, self.text_of(ids), self.doc.text):
            best = self._best_sentence(claim)
            if best is not None:
                repairs.append(f"evidence moved from {claim.sentences} to [{best}]")
                ids = [best]
            else:
                asked = self._reask(claim)
                if isinstance(asked, str):
                    return asked
                repairs.append(f"evidence re-asked: {claim.sentences} -> {asked}")
                ids = asked
        evidence_text = self.text_of(ids)
        text = _restore_hedges(claim.text, evidence_text, repairs)
        quoted = _fix_quotes(text, evidence_text, repairs)
        if quoted is None:
            return "quote_not_in_source"
        claim.text = quoted
        return GroundedClaim(claim, sorted(set(ids)), self.spans(ids), repairs)

    def _best_sentence(self, claim: RawClaim) -> int | None:
        # The name check does not depend on the sentence: do it once, not per sentence.
        if names_missing(claim.text, self.doc.text):
            return None
        scored = []
        for i in self.chunk_ids:
            text = self.text_of([i])
            if failure(claim, text) is None:
                scored.append((support(claim.text, text, claim.speaker), i))
        return max(scored)[1] if scored else None

    def _reask(self, claim: RawClaim) -> list[int] | str:
        try:
            # The claim is model text: defused like the article before it goes back in.
            data = self.ctx.ask(LOCATE, self.article, {"claim": defuse(claim.text)}, label="locate")
        except (ModelUnavailable, ModelTimeout):
            raise  # the model is down: asking again for every claim would only wait longer
        except LLMError:
            return "reask_failed"
        ids = [
            int(i)
            for i in data["sentences"]
            if int(i) in self.sentences and int(i) in self.chunk_ids
        ]
        if not ids:
            return "not_found_in_source"
        reason = failure(claim, self.text_of(ids), self.doc.text)
        return reason if reason else ids


def _restore_hedges(text: str, evidence: str, repairs: list[str]) -> str:
    """Put back a hedge the model dropped: evidence "up to 40%" must not become "40%"."""
    low_ev = normalize(evidence).lower()
    for number in set(_NUMBER.findall(text)):
        for hedge in HEDGES:
            if re.search(rf"\b{re.escape(hedge)} {re.escape(number)}\b", low_ev) and not re.search(
                rf"\b{re.escape(hedge)} {re.escape(number)}\b", normalize(text).lower()
            ):
                text = re.sub(
                    rf"(?<![\w.]){re.escape(number)}\b", f"{hedge} {number}", text, count=1
                )
                repairs.append(f"hedge restored: '{hedge} {number}'")
                break
    return text


def _fix_quotes(text: str, evidence: str, repairs: list[str]) -> str | None:
    """Quoted words in a claim must be the source's words; fix near-misses, refuse inventions."""
    for match in _QUOTED.finditer(text):
        quote = match.group(1)
        found = locate_quote(quote, evidence)
        if found is None:
            return None
        exact = evidence[found[0] : found[1]]
        if exact != quote:
            text = text.replace(quote, exact)
            repairs.append("quotation replaced by the source's exact words")
    return text
