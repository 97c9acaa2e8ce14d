"""Who a headline credits: the claim's reporting frame, and the name a headline gives it.

"Budanov said that X", "X, Budanov said" and "According to Budanov, X" report X: a headline
states X after its speaker ("Budanov: X"), never X alone, so an allegation stays an
allegation. The name is the one the sentence gives (a person by surname, "Mr Jobs" ->
"Jobs"; a body or description as written, "Ukraine spy chief"); the claim's speaker stands
in for a pronoun ("he said") or a quotation the sentence does not attribute. When no one
can be named, the claim makes no headline by deletion.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from service.pipeline.claims.cues import reports_speech
from service.pipeline.claims.standalone import quoted_tokens
from service.pipeline.language import english
from service.pipeline.models import UNATTRIBUTED
from service.pipeline.reading.source import OWN_VOICE

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
MAX_NAME_WORDS = 4  # past this a credit crowds out the news ("All this and more in ...")
# What a credit drops of the words naming a speaker: "the party's election chief Alan
# Milburn, who ..." is Milburn, "officials in Kyiv" are officials.
_AWAY = frozenset({"relcl", "acl", "appos", "prep", "advmod", "punct", "det", "cc", "conj"})


@dataclass(frozen=True)
class Frame:
    head: Token  # the reported clause's verb (the sentence's own when nothing reports it)
    drop: set[int]  # the words that report it, and any sentence after the first
    source: Token | None  # the subject of the reporting verb, or the "according to" object
    reported: bool


def _subtree(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _postposed(root: Token, content: list[Token]) -> bool:
    """ "X, BBC Scotland has learned": a clause before a comma and its verb's subject."""
    subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
    if root.pos_ != "VERB" or subject is None or not all(c.i < subject.i for c in content):
        return False
    return subject.left_edge.i > 0 and root.doc[subject.left_edge.i - 1].text == ","


def frame_of(doc: Doc) -> Frame:
    """The first sentence's reported clause and who reports it."""
    sent = next(iter(doc.sents))
    root = sent.root
    rest = {t.i for t in doc} - {t.i for t in sent}
    content = [c for c in root.children if c.dep_ in ("ccomp", "parataxis")]
    if content and _denied(root, content):
        return Frame(root, rest, None, False)  # no report to credit: the whole clause stands
    if content and (reports_speech(root) or _postposed(root, content)):
        head = max(content, key=lambda c: len(_subtree(c)))
        source = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
        return Frame(head, {t.i for t in doc} - _subtree(head), source, True)
    according = next((c for c in root.children if c.lower_ == "according"), None)
    if according is not None and according.dep_ == "prep":
        phrase = _subtree(according)
        after = max(phrase) + 1
        if after < len(doc) and doc[after].text == ",":
            phrase.add(after)
        obj = next((t for t in according.subtree if t.dep_ == "pobj"), None)
        return Frame(root, rest | phrase, obj, True)
    return Frame(root, rest, None, False)


def _denied(verb: Token, content: list[Token]) -> bool:
    """ "Officials did not say whether 5 people were hurt": a negated report, or one of an
    open question, states nothing of its clause; crediting it ("Officials: 5 people were
    hurt") would state what they did not say."""
    negated = any(c.dep_ == "neg" for c in verb.children)
    marks = english().open_question_marks
    return negated or any(
        m.dep_ == "mark" and m.lower_ in marks for c in content for m in c.children
    )


def name_of(speaker: str) -> str | None:
    """How a headline names the claim's speaker: a person by surname, a body or description
    as the claim gives it; None for no one (unattributed, the outlet's own voice, a bare
    pronoun) or a description too long to be a credit."""
    lex = english()
    words = speaker.split()
    pronouns = {p for forms in lex.pronouns.values() for p in forms}
    if speaker in (UNATTRIBUTED, OWN_VOICE) or not words or len(words) > MAX_NAME_WORDS:
        return None
    if speaker.lower() in pronouns | lex.speaking_pronouns | lex.demonstratives:
        return None
    person = all(w[:1].isupper() and not w.endswith(("’s", "'s")) for w in words)
    if 1 < len(words) <= 3 and person and not {w.lower() for w in words} & lex.organisation_words:
        return words[-1]
    if words[0].lower() == "the" and len(words) > 1:  # "the police" -> "Police"
        speaker = " ".join(words[1:])
    return speaker[:1].upper() + speaker[1:]


def _named(tok: Token, speaker: str) -> str | None:
    """The words of a sentence that name a speaker: the claim's speaker when they name
    them, a person's surname ("Spurs boss Martin Jol" -> "Jol"), else the phrase less its
    asides, as written ("Ukraine spy chief")."""
    near = [tok, *(c for c in tok.children if c.dep_ == "appos")]
    last = speaker.split()[-1] if speaker.split() else ""
    if any(t.text == last for w in near for t in w.subtree) and name_of(speaker):
        return name_of(speaker)
    for word in near:
        if word.ent_type_ == "PERSON":
            ent = next(e for e in word.doc.ents if e.start <= word.i < e.end)
            names = [t.text for t in ent if t.pos_ == "PROPN" and not t.text.isupper()]
            if names:
                return names[-1]
    away = _away(tok)
    words = " ".join(t.text for t in tok.subtree if t.i not in away)
    words = words.replace(" ’s", "’s").replace(" 's", "'s")
    if not words or len(words.split()) > MAX_NAME_WORDS:
        return None
    return words[:1].upper() + words[1:]


def _away(tok: Token) -> set[int]:
    out: set[int] = set()
    for child in tok.children:
        if child.dep_ in _AWAY:
            out |= _subtree(child)
    return out


def credit(doc: Doc, frame: Frame, speaker: str) -> str | None:
    """The credit a headline of this claim starts with: a name, "" when the clause needs
    none (the article's own narration, or a claim whose subject says it: "Blair rejected
    calls ..."), None when it needs one and no one can be named."""
    source = frame.source
    if frame.reported:
        if source is None or source.pos_ == "PRON":
            return name_of(speaker)
        return _named(source, speaker)
    if frame.head.i in quoted_tokens(doc):  # a quotation the sentence does not attribute
        return name_of(speaker)
    return ""
