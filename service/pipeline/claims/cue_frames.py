"""Sentence frames that change what a cue credits, beside the verb lists of cues.py: a
belief stated as an adjective ("Critics are concerned that …"), a verdict ("portrayed him
as obsessed with costs"), a verb that passes on a
named person's words ("the paper quoted Mr Clarke saying …": his), and a speech verb in a
clause giving a reason ("… as the police said they would help": only that clause).
"""

from __future__ import annotations

from spacy.tokens import Token

from service.pipeline.language import english

_LEX = english()
REPORTS = frozenset({"ccomp", "xcomp"})  # a verb's reported clause
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl"})


def belief(verb: Token) -> bool:
    """ "Critics are concerned that …", "He is confident the team will win": a belief the
    subject holds, stated as an adjective with a clause of its own."""
    return verb.lemma_ == "be" and any(
        c.dep_ == "acomp"
        and c.lemma_.lower() in _LEX.belief_adjectives
        and any(g.dep_ in REPORTS for g in c.children)
        for c in verb.children
    )


def quoted_person(verb: Token, passive: bool) -> Token | None:
    """ "The Evening Standard quoted Mr Clarke telling activists that he …", "Mr Clarke has
    been quoted as telling members he …": the words are the quoted person's, the paper only
    passes them on; the speaker is the person quoted (a name), not the verb's subject."""
    if verb.lemma_.lower() not in _LEX.quoting_verbs:
        return None
    role = "nsubjpass" if passive else "dobj"
    person = next((c for c in verb.children if c.dep_ == role), None)
    named = person is not None and (person.ent_type_ == "PERSON" or person.pos_ == "PROPN")
    return person if named else None


def aside(verb: Token) -> bool:
    """ "He had decided to back the plans as the police said they would help": a speech
    verb in a clause giving a reason ("as", "because") that reports a clause of its own
    credits that clause, not the sentence, whose main clause is its own subject's act.
    "…, as the minister said" with nothing of its own still credits the sentence; so does
    "after Mr Blair told members the Tories offered …", where the report is the news. The
    reported clause has a subject of its own: "As intelligence reveals increasing shipments
    …, the partnership appears …" (parsed "reveals increasing" as a clause) reports none."""
    reason = any(c.dep_ == "mark" and c.lower_ in _LEX.reason_marks for c in verb.children)
    return verb.dep_ == "advcl" and reason and any(_clause(c) for c in verb.children)


def _clause(child: Token) -> bool:
    return child.dep_ in REPORTS and any(g.dep_ in _SUBJECTS for g in child.children)


def characterises(verb: Token) -> bool:
    """ "Scott Sullivan portrayed Mr Ebbers … as obsessed with costs", "S&P has classed the
    bonds as investment grade": a verdict on someone or something, in the subject's words."""
    if verb.lemma_.lower() not in _LEX.characterising_verbs:
        return False
    if not any(c.dep_ == "dobj" for c in verb.children):
        return False
    if verb.dep_ == "relcl" or any(c.dep_ == "mark" or c.tag_ == "WRB" for c in verb.children):
        return False  # "…, when Obama painted Romney as …": the sentence is not the verdict
    return any(
        (c.dep_ == "prep" and c.lower_ == "as")
        or any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children)
        for c in verb.children
    )


def reports_through(verb: Token) -> bool:
    """ "Obama spoke of the legacy of racism", "prosecutors charged two developers with
    fraud", "E.U. leaders have proposed jointly owned drones": a verb that reports what
    was said through a preposition or its object, not a clause; and a reply to or with
    something said ("did not respond to requests for comment"), not "responded to the
    flooding with sandbags" (the council's act)."""
    lemma = verb.lemma_.lower()
    wanted = _LEX.cue_complements.get(lemma, frozenset())
    for child in verb.children:
        if child.dep_ == "dobj" and "object" in wanted:
            return True
        if child.dep_ != "prep":
            continue
        if child.lower_ in wanted:
            return True
        said = any(o.dep_ == "pobj" and o.lemma_.lower() in _LEX.said_nouns for o in child.children)
        if lemma in _LEX.reply_verbs and child.lower_ in ("to", "with") and said:
            return True
    return False
