"""Stage: claims from the article's sentences — attributed, standalone, atomic, grounded.

Every claim is composed from its sentence's own words (see standalone.py), so it cannot
misquote, drop a hedge or invent a number, and costs the model nothing; its evidence is
its sentence (or, for one clause of a sentence split in two, that clause's words) plus,
when the speaker is named elsewhere, the sentence of the cue.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc

from service.pipeline.claims.attribution import (
    NARRATION,
    Attribution,
    attribute,
    cue_after,
    has_quotation,
    opens_quoted,
    paragraph_quotes,
    signed_quotation,
)
from service.pipeline.claims.ground import numbers_in
from service.pipeline.claims.kinds import classify
from service.pipeline.claims.naming import PeopleBuilder
from service.pipeline.claims.people import People
from service.pipeline.claims.referents import Thing, subjects
from service.pipeline.claims.standalone import Composed, compose
from service.pipeline.language import english
from service.pipeline.models import (
    UNATTRIBUTED,
    Claim,
    Span,
    Substitution,
    Unresolved,
)
from service.pipeline.models import Attribution as AttributionOut
from service.pipeline.reading.clean import CleanDoc
from service.pipeline.reading.nlp import parse_each
from service.pipeline.reading.segment import Sentence, title_case

_MIN_WORDS = 4
_ENDS = frozenset(".!?\"”’'…")


def _span(doc: CleanDoc, start: int, end: int) -> Span:
    a, b = doc.to_source(start, end)
    return Span(start=a, end=b, quote=doc.source[a:b])


def _source_note(parsed: Doc, att: Attribution) -> bool:
    """ "Kirill Budanov said this in an interview with Bloomberg": where earlier claims were
    made, not a claim of its own."""
    if att.verb_token is None or has_quotation(parsed.text):
        return False
    verb = parsed[att.verb_token]
    deps = {c.dep_: c for c in verb.children}
    obj = deps.get("dobj")
    return "ccomp" not in deps and obj is not None and obj.lower_ in english().said_back_references


_TITLE_MAX_CHARS = 300  # longer than any headline


class ClaimBuilder:
    """Two passes over the parsed sentences: who the article names (all of it, since a
    role or name may come later than its first "he"), then each sentence's claims. The
    article is parsed twice rather than kept parsed: memory stays flat however long it is."""

    def __init__(self, doc: CleanDoc, sentences: list[Sentence], outlet: str) -> None:
        self.doc = doc
        self.by_id = {s.id: s for s in sentences}
        self.outlet = outlet
        # Text addressed to an AI is never mined, nor a source of names.
        self.mined = [s for s in sentences if not s.instruction]
        self.paragraphs = dict(enumerate(doc.paragraphs))
        names = PeopleBuilder()
        titled = self._titled()  # once: the first paragraph of a one-line article is all of it
        for sentence, parsed in zip(self.mined, self._parsed(), strict=True):
            nameless = sentence.heading or (titled and sentence.paragraph == 0)
            names.add(parsed, sentence.start, sentence.id, nameless)
        self.people: People = names.done(doc.text)
        self.quotes: dict[int, list[tuple[int, int]]] = {}  # paragraph -> quotation spans
        self.signed: dict[int, Attribution | None] = {}  # paragraph -> its signer's

    def _titled(self) -> bool:
        """The article's first line in title case, a headline even with a full stop ("Obama
        Says African-American Museum Will Tell of ..."): its capitals would make "Obama
        Says" a name, so it names no one (its claims are still made). A headline is short:
        a longer first paragraph is not read (a 1 MB one-line article is all paragraph 0)."""
        if not self.paragraphs:
            return False
        a, b = self.paragraphs[0]
        return b - a <= _TITLE_MAX_CHARS and title_case(self.doc.text[a:b])

    def _parsed(self) -> Iterator[Doc]:
        return parse_each(self.doc.text[s.start : s.end] for s in self.mined)

    def _opens_quoted(self, sentence: Sentence) -> bool:
        a, b = self.paragraphs[sentence.paragraph]
        paragraph = self.doc.text[a:b]
        if sentence.paragraph not in self.quotes:
            self.quotes[sentence.paragraph] = paragraph_quotes(paragraph)
        return opens_quoted(paragraph, sentence.start - a, self.quotes[sentence.paragraph])

    def _signed(self, sentence: Sentence) -> Attribution | None:
        """A sentence of a quotation its paragraph signs ('”…” ― Name'): the signer's,
        whatever cue the quoted words hold; the cue's sentence is the signature's."""
        index = sentence.paragraph
        if index not in self.signed:
            a, b = self.paragraphs[index]
            self._opens_quoted(sentence)  # finds the paragraph's quotations
            found = signed_quotation(self.doc.text[a:b], self.quotes[index], self.people, a)
            if found is not None and found.cue_start is not None:
                at = found.cue_start
                cue = next((s.id for s in self.mined if s.start <= at < s.end), None)
                found = replace(found, cue_sentence=cue)
            self.signed[index] = found
        return self.signed[index]

    def _caption(self, sentence: Sentence) -> bool:
        """A line alone in its paragraph that does not end as a sentence ends ("Arrest: a
        house in Leeds (file photo)"): a picture caption, which a quotation resumes past."""
        a, b = self.paragraphs[sentence.paragraph]
        line = self.doc.text[sentence.start : sentence.end].strip()
        return self.doc.text[a:b].strip() == line and line[-1:] not in _ENDS

    def build(self) -> list[Claim]:
        claims: list[Claim] = []
        previous: Attribution | None = None
        before: list[Thing] = []  # the previous sentence's subjects, for an opening "It"
        pairs = zip(self.mined, self._parsed(), strict=True)
        for (sentence, parsed), following in _ahead(pairs):
            if sentence.heading:
                previous, before = None, []
                continue
            quoted = self._opens_quoted(sentence)
            att = attribute(parsed, sentence.start, self.people, previous, quoted)
            if att.cue == "narration" or att.cue_sentence is not None:  # no cue of its own
                att = self._cued_after(sentence, following, previous) or att
            att = self._signed(sentence) or att
            if att.cue != "narration" and att.cue_sentence is None:
                att = replace(att, cue_sentence=sentence.id)
            if att.cue != "narration" or not self._caption(sentence):
                previous = att  # a caption between a quotation and its next paragraph
            now = subjects(parsed, sentence.start, sentence.id, self.people)
            if _source_note(parsed, att):
                before = now
                continue
            for composed in compose(parsed, sentence.start, att, self.people, before):
                if len(composed.text.split()) >= _MIN_WORDS:
                    own = att if composed.attributed else NARRATION
                    words = _clause_spans(parsed, sentence.start, composed.tokens)
                    claim = self._claim(len(claims) + 1, sentence, own, composed, words)
                    claims.append(claim)
            before = now
        return claims

    def _quotation_only(self, sentence: Sentence) -> bool:
        """The sentence lies within one quotation of its paragraph."""
        a, _b = self.paragraphs[sentence.paragraph]
        self._opens_quoted(sentence)  # finds the paragraph's quotations
        start, end = sentence.start - a, sentence.end - a
        return any(s <= start and end <= e for s, e in self.quotes[sentence.paragraph])

    def _cued_after(
        self,
        sentence: Sentence,
        following: tuple[Sentence, Doc] | None,
        previous: Attribution | None,
    ) -> Attribution | None:
        """'"Is that all there is?" Trump said.': a quotation whose cue the segmenter put in
        a sentence of its own, right after it in the paragraph."""
        if following is None or not self._quotation_only(sentence):
            return None
        after, parsed = following
        if after.heading or after.paragraph != sentence.paragraph:
            return None
        found = cue_after(parsed, after.start, self.people, previous)
        return replace(found, cue_sentence=after.id) if found is not None else None

    def _claim(
        self,
        n: int,
        sentence: Sentence,
        att: Attribution,
        c: Composed,
        words: list[tuple[int, int]],
    ) -> Claim:
        """`words`: where the claim's own clause stands in its sentence (cleaned offsets)."""
        ids = sorted({sentence.id, att.cue_sentence or sentence.id})
        evidence: list[Span] = []
        for i in ids:
            own = words if i == sentence.id and words else []
            spans = own or [(self.by_id[i].start, self.by_id[i].end)]
            evidence += [_span(self.doc, a, b) for a, b in spans]
        cue_span = (
            _span(self.doc, att.cue_start, att.cue_end)
            if att.cue_start is not None and att.cue_end is not None
            else None
        )
        speaker = att.speaker or (self.outlet if att.cue == "narration" else UNATTRIBUTED)
        quotes = " ".join(s.quote for s in evidence)
        return Claim(
            id=f"c{n}",
            text=c.text,
            speaker=speaker,
            attribution=AttributionOut(cue=att.cue, cue_span=cue_span),
            substitutions=[
                Substitution(
                    original=s.original,
                    replacement=s.replacement,
                    antecedent=_span(self.doc, s.antecedent.start, s.antecedent.end),
                    span=_span(self.doc, s.start, s.end),
                )
                for s in c.substitutions
            ],
            unresolved=[
                Unresolved(
                    original=u.original,
                    span=_span(self.doc, u.start, u.end),
                    candidates=list(u.candidates),
                    reason=u.reason,
                )
                for u in c.unresolved
            ],
            kind=classify(c.text, quotes),
            numbers=numbers_in(c.text),
            sentence_ids=ids,
            evidence=evidence,
            repairs=[
                f"'{s.original}' → '{s.replacement}' (named in sentence [{s.antecedent.sentence}])"
                for s in c.substitutions
            ],
        )


def _clause_spans(parsed: Doc, offset: int, tokens: frozenset[int] | None) -> list[tuple[int, int]]:
    """The runs of a split clause's words (cleaned offsets): "Russia has secured missiles
    from Iran, and Budanov said …" cites "Russia has secured missiles from Iran" for the
    outlet's claim and "Budanov said …" for his, not the whole sentence for both. A run of
    punctuation only (the sentence's full stop) is no evidence. [] for a whole sentence."""
    if tokens is None:
        return []
    runs: list[list[int]] = []
    for i in sorted(tokens):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return [
        (offset + parsed[r[0]].idx, offset + parsed[r[-1]].idx + len(parsed[r[-1]]))
        for r in runs
        if not all(parsed[i].is_punct for i in r)
    ]


def _ahead(
    pairs: Iterable[tuple[Sentence, Doc]],
) -> Iterator[tuple[tuple[Sentence, Doc], tuple[Sentence, Doc] | None]]:
    """Each sentence with the next one (or None): one parse ahead, never the whole article."""
    it = iter(pairs)
    current = next(it, None)
    while current is not None:
        following = next(it, None)
        yield current, following
        current = following


def build_claims(doc: CleanDoc, sentences: list[Sentence], outlet: str) -> list[Claim]:
    return ClaimBuilder(doc, sentences, outlet).build()
