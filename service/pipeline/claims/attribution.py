"""Who asserts a sentence, and how: a quotation, indirect speech ("X said that"),
"according to X", or the outlet's own narration.

The outlet is the speaker of its own narration only. Which words are a cue of speech is
data (cues.py: the seeds' list and the inventory derived from PolNeAR train); who the
speaker is, precision first, is speakers.py: a name only where the article settles on one,
else the subject's words as written ("a spokesman for the trust", "he"), never a guess and
never the outlet. Where the article does not say who (a passive "it is reported", "sources
said"), the speaker is the explicit UNATTRIBUTED value. A quotation with no cue of its own
continues the speaker of the quotation before it, across sentences and paragraphs (and past
a caption line, see build.py); a colon frames the quotation after it as the words of its
clause's subject ("as Tom Ridge put it: '…'"), and a transcript's "Name: '…'" as the named
person's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.limits import Cue
from service.pipeline.claims.cues import according, someone, speech_verb
from service.pipeline.claims.labels import label
from service.pipeline.claims.people import People
from service.pipeline.claims.quotes import has_quotation, quoted_spans
from service.pipeline.claims.speakers import speaker_name, speaks, voice_of
from service.pipeline.language import english

UNATTRIBUTED = "unattributed"

_OPENING = frozenset(english().quote_marks)
_EXPLETIVE = english().expletive_subjects
_FIRST_PERSON = english().first_person_pronouns  # "I", "we": the quotation's own voice
# Openings that carry the previous sentence's speaker on ("In return, Moscow provides …"
# after "According to the chief of the GUR, …").
_CARRY_ON = re.compile(rf"^(?:{'|'.join(map(re.escape, english().carry_on_openers))}),", re.I)


# '“…” ― Sonya Herridge': a quotation signed with a dash and a name after it, as vox pops
# and epigraphs credit their speaker.
_CLOSERS = "".join(sorted(set(english().quote_marks.values())))
_DASHES = "".join(english().signature_dashes)
_SIGNED = re.compile(
    rf"[{re.escape(_CLOSERS)}]\s*(?P<dash>[{re.escape(_DASHES)}])\s*"
    rf"(?P<name>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){{0,3}}?)\.?\s*$"
)


@dataclass(frozen=True)
class Attribution:
    cue: Cue
    speaker: str | None  # a full name or the words as written; None for the outlet's
    # narration and for unattributed speech
    cue_start: int | None = None  # the cue's words, offsets in the cleaned text
    cue_end: int | None = None
    cue_sentence: int | None = None  # the sentence holding the cue
    speaker_token: int | None = None  # the token that names the speaker in this sentence
    verb_token: int | None = None  # the speech verb, or "according"
    # which pronoun may carry an unnamed speaker on ("A spokeswoman said … She added"):
    # a gender, "person" (either), "plural" (they), or None
    voice: str | None = None


NARRATION = Attribution("narration", None)

__all__ = [
    "NARRATION",
    "UNATTRIBUTED",
    "Attribution",
    "attribute",
    "cue_after",
    "has_quotation",
    "opens_quoted",
    "paragraph_quotes",
    "signed_quotation",
]


def paragraph_quotes(paragraph: str) -> list[tuple[int, int]]:
    """The quotation spans of one paragraph, for `opens_quoted` (found once a paragraph:
    a one-line article of a megabyte has thousands of sentences)."""
    return quoted_spans(paragraph.replace("\xa0", " "))


def opens_quoted(paragraph: str, start: int, spans: list[tuple[int, int]] | None = None) -> bool:
    """Whether the sentence at `start` of its paragraph opens inside a quotation: within
    one an earlier sentence of the paragraph opened, or with a quotation mark of its own
    (not merely before a mark read as closing a quotation, which may be misread: it must
    not hide the sentence's own cue). `spans`: the paragraph's, if already found."""
    for a, b in paragraph_quotes(paragraph) if spans is None else spans:
        if a < start < b - 1:  # not a sentence cut off after its quotation's closing mark
            return paragraph[a] in _OPENING  # not a span misread as closing from the start
        if a == start < b:
            return paragraph[start] in _OPENING
    return False


def _span(doc: Doc, tokens: list[Token], offset: int) -> tuple[int, int]:
    first = min(t.left_edge.i if t.dep_ != "ROOT" else t.i for t in tokens)
    last = max(t.i for t in tokens)
    return offset + doc[first].idx, offset + doc[last].idx + len(doc[last].text)


def _according(doc: Doc, people: People, offset: int) -> Attribution | None:
    found = according(doc)
    if found is None:
        return None
    tok, pobj = found
    name = speaker_name(pobj, people, offset)
    start = offset + tok.idx
    end = offset + pobj.right_edge.idx + len(pobj.right_edge.text)
    if name is None:
        return Attribution("unattributed", None, start, end, None, pobj.i, tok.i)
    return Attribution("according_to", name, start, end, None, pobj.i, tok.i)


def _signed(doc: Doc, people: People, offset: int) -> Attribution | None:
    """'“Fear. I am truly afraid …” ― Edwin G. Monroy': the name signing a quotation."""
    found = _SIGNED.search(doc.text)
    if found is None or not has_quotation(doc.text):
        return None
    name = _signer(found, people)
    start, end = offset + found.start("dash"), offset + found.end("name")
    return Attribution("quote", name, start, end)


def _signer(found: re.Match[str], people: People) -> str:
    """The signature's name: a full stop after a last word ends the line, not the name
    ("― Christina Lastra."), unless the word is an initial or a short form ("Jr.")."""
    written = found.group("name")
    last = written.split()[-1]
    if last.endswith(".") and len(last) > 3 and "." not in last[:-1]:
        written = written[:-1]
    return people.full(written) or people.person_named(written) or written


def signed_quotation(
    paragraph: str, spans: list[tuple[int, int]], people: People, offset: int
) -> Attribution | None:
    """ "”Mr. Trump embodies … our greatest shame.” ― Sonya Herridge": a paragraph that is
    one quotation signed with a dash and a name (vox pops). The segmenter may cut it into
    sentences (scraped text opens it with a closing mark): all are the signer's, not only
    the signature's. `spans`: the paragraph's quotations; `offset`: the paragraph's."""
    found = _SIGNED.search(paragraph)
    if found is None:
        return None
    # the quotation the signature closes, nothing before it; or, where marks mixed inside
    # it ("To quote Bob Marley ‘Some … money.” And …") hide it, a paragraph opening with one
    opened = next((a for a, b in spans if b == found.start() + 1), None)
    first = paragraph.lstrip()[:1]
    if opened is None and not (first in _OPENING or first in _CLOSERS):
        return None
    if opened is not None and paragraph[:opened].strip():
        return None
    name = _signer(found, people)
    return Attribution("quote", name, offset + found.start("dash"), offset + found.end("name"))


def _labelled(doc: Doc, people: People, offset: int) -> Attribution | None:
    """ "Rep. Trey Gowdy (R-S.C.): "I have not heard …"": a transcript's or a headline's
    speaker, a person the article names, before a colon that opens the line (labels.py)."""
    found = label(doc, people, offset)
    if found is None:
        return None
    cue: Cue = "quote" if has_quotation(doc.text) else "said"
    return Attribution(cue, found.name, found.start, found.end, None, found.token, None)


def _framed(
    doc: Doc, people: People, offset: int, previous: Attribution | None
) -> Attribution | None:
    """ "As Tom Ridge put it: '…'", "A footnote in the report makes that clear: "…"", "NBC
    News has proof:" before a quoted paragraph: a colon that introduces a quotation frames
    it as its clause's subject's words, whatever the verb. `previous`: the previous
    sentence's attribution, whose speaker a "She added: '…'" continues."""
    colon = next(
        (
            t
            for t in doc
            if t.text == ":" and (t.i == len(doc) - 1 or doc[t.i + 1].text[:1] in _OPENING)
        ),
        None,
    )
    if colon is None:
        return None
    # the last clause before the colon with a subject of its own ("as Tom Ridge put it:")
    framing = [
        (v, c)
        for v in doc[: colon.i]
        if v.pos_ in ("VERB", "AUX")
        for c in v.children
        if c.dep_ == "nsubj" and c.i < colon.i
    ]
    if not framing:
        return None
    verb, subject = framing[-1]
    if subject.lower_ in _EXPLETIVE or not speaks(subject, None, people):
        return None
    before, voice = (previous.speaker, previous.voice) if previous is not None else (None, None)
    name = speaker_name(subject, people, offset, before, voice)
    if name is None:
        return None
    start, end = _span(doc, [subject, verb], offset)
    kept = voice if name == before else voice_of(subject, name, people)
    return Attribution("quote", name, start, end, None, subject.i, verb.i, kept)


def attribute(
    doc: Doc,
    offset: int,
    people: People,
    previous: Attribution | None,
    quoted: bool | None = None,
) -> Attribution:
    """Attribution of one parsed sentence; `previous` is the attribution a quotation or a
    "Moreover, …" carries on (the sentence before's, past a caption); `quoted`: the sentence
    opens inside a quotation (default: it opens with a quotation mark)."""
    if quoted is None:
        quoted = opens_quoted(doc.text, 0)
    found = _according(doc, people, offset) or _signed(doc, people, offset)
    if found:
        return found
    before = previous.speaker if previous is not None else None
    found = _labelled(doc, people, offset) or _framed(doc, people, offset, previous)
    if found:
        return found
    speech = speech_verb(doc, quoted)
    if speech is not None and quoted and _first_person(speech[1]) and _carries(previous):
        speech = None  # '"... I think there is a chance," ...': the quoted speaker's words
    if speech is not None:
        verb, subject = speech
        if subject is None:  # "it is reported that …": no one named
            start, end = _span(doc, [verb], offset)
            return Attribution("unattributed", None, start, end, None, None, verb.i)
        if not speaks(subject, verb, people):
            return NARRATION
        voice = previous.voice if previous is not None else None
        name = speaker_name(subject, people, offset, before, voice)
        start, end = _span(doc, [subject, verb], offset)
        if name is None:
            return Attribution("unattributed", None, start, end, None, subject.i, verb.i)
        cue: Cue = "quote" if has_quotation(doc.text) else "said"
        carried = voice if name == before else voice_of(subject, name, people)
        return Attribution(cue, name, start, end, None, subject.i, verb.i, carried)
    if _carries(previous) and (quoted or _CARRY_ON.match(doc.text)):
        assert previous is not None
        kept: Cue = "quote" if quoted or has_quotation(doc.text) else previous.cue
        # The caller has set the previous cue's sentence (see build.py).
        return Attribution(
            kept,
            previous.speaker,
            previous.cue_start,
            previous.cue_end,
            previous.cue_sentence,
            voice=previous.voice,
        )
    return NARRATION


def _first_person(subject: Token | None) -> bool:
    return subject is not None and subject.lower_ in _FIRST_PERSON


def _carries(previous: Attribution | None) -> bool:
    """A speaker a quotation or a "Moreover, ..." can carry on: someone named or described,
    never a bare "I" or "we" (whose words those are is what is unknown)."""
    speaker = previous.speaker if previous is not None else None
    return speaker is not None and speaker.lower() not in _FIRST_PERSON


def cue_after(
    doc: Doc, offset: int, people: People, previous: Attribution | None
) -> Attribution | None:
    """ "Trump said on Twitter.", "Borger asked." right after a quotation the segmenter ended
    at its "?" or "!": a sentence that is nothing but a cue reports the quotation before it.
    Its speaker is that quotation's; its token indices belong to this sentence, so they are
    not kept."""
    if has_quotation(doc.text) or opens_quoted(doc.text, 0):
        return None
    verb, subject = speech_verb(doc) or (None, None)
    if verb is None or subject is None:
        return None
    if verb.dep_ != "ROOT" or any(_reports_more(c, subject) for c in verb.children):
        return None
    att = attribute(doc, offset, people, previous, False)
    if att.speaker is None or att.cue == "narration":
        return None
    return Attribution("quote", att.speaker, att.cue_start, att.cue_end, voice=att.voice)


def _reports_more(child: Token, subject: Token) -> bool:
    """What a cue-only sentence has not: words of its own reported ("said that …", "told
    them to …", "said the talks failed") — an addressee ("told reporters") is no report."""
    if child.dep_ in ("ccomp", "xcomp", "parataxis") or child.text == ":":
        return True
    addressee = child.pos_ == "PRON" or someone(child)
    return child.dep_ == "dobj" and child is not subject and not addressee
