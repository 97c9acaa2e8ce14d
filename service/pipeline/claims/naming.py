"""Reading the names an article gives, one parsed sentence at a time: every person or
organisation mention in order, one referent per name (surname and spelling variants), the
roles the article gives a person ("Ukraine's military intelligence chief, Kyrylo Budanov"
makes "the chief" him), the names that may be people's, and the genders the article shows
(a title, a describing noun, a pronoun that could mean no one else).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from service.pipeline.claims.entities import same_name
from service.pipeline.claims.name_parse import (
    clean_name,
    is_name,
    is_subject,
    org_like,
    person_in_title,
    role_of,
    shown_gender,
)
from service.pipeline.claims.people import (
    PERSONAL,
    Mention,
    People,
    pool,
    stem,
    strip_form,
)
from service.pipeline.claims.quotes import inside, quoted_spans
from service.pipeline.claims.topics import lead_of
from service.pipeline.language import english

_LEX = english()
_AGED = re.compile(r"\b[Tt]he (?:\d+|[a-z]+)-year-old\b(?!-? ?[a-z]*(?:man|woman|boy|girl))")
# Nouns that name a person: a role, a kind of source, a relative.
_PERSON_NOUNS = (
    _LEX.role_nouns | _LEX.people_nouns | frozenset().union(*_LEX.gendered_nouns.values())
)
# Capitalised words that are no one's name: titles and pronouns.
_NOT_NAMES = (
    _LEX.title_words
    | _LEX.role_nouns
    | frozenset().union(*_LEX.gender_titles.values())
    | frozenset().union(*_LEX.pronouns.values())
)


@dataclass
class PeopleBuilder:
    """Fed one parsed sentence at a time (the parse is not kept: a long article's parse
    would not fit in memory), then `done()` once every sentence was seen."""

    people: People = field(default_factory=People)
    # Bare singular nouns that may be roles ("the spy chief"), resolved once every role
    # the article gives someone is known: (lemma, start, end, sentence).
    nouns: list[tuple[str, int, int, int]] = field(default_factory=list)

    def add(self, doc: Doc, offset: int, sid: int, heading: bool) -> None:
        # Headings are no source of names: a capitalised title parses as one long
        # "organisation".
        self.people.starts.append((offset, sid))
        if not heading:
            _names_in(self.people, doc, offset, sid)
            _genders_from_pronouns(self.people, doc, offset, sid)
            lead = lead_of(doc, offset)
            if lead is not None:
                self.people.leads[sid] = lead
        for tok in doc:
            if tok.pos_ == "NOUN" and tok.tag_ == "NN" and not tok.ent_type_:
                start = offset + tok.idx
                self.nouns.append((tok.lemma_.lower(), start, start + len(tok.text), sid))
        for age in _AGED.finditer(doc.text):  # "the 87-year-old was found dead": someone
            start = offset + age.start()
            self.people.maybe.append(Mention(age.group(), start, start + len(age.group()), sid))

    def done(self, text: str | None = None) -> People:
        """`text`: the cleaned article, for its quotations (a quote's names are no
        antecedent outside it)."""
        # A bare role names its holder as surely as the name: it counts for whom a later
        # "he" means.
        people = self.people
        people.quotations = quoted_spans(text) if text is not None else None
        if text is not None:
            people.paragraphs = [0] + [m.end() for m in re.finditer(r"\n+", text)]
        # A name first seen untagged ("Wade worked with …") is the person named later.
        for m in list(people.maybe):
            name = people.person_named(m.name)
            if name and people.is_person(name):
                people.maybe.remove(m)
                people.mentions.append(Mention(name, m.start, m.end, m.sentence, m.subject))
        for lemma, start, end, sid in self.nouns:
            holder = people.role_holder(lemma)
            if holder:
                people.mentions.append(Mention(holder, start, end, sid))
            elif lemma in _PERSON_NOUNS:
                # "The Ukrainian spy chief also highlighted …": someone, not known who —
                # a later "He" may mean them as well as anyone named.
                people.maybe.append(Mention(f"the {lemma}", start, end, sid))
                for gender, nouns in _LEX.gendered_nouns.items():
                    if lemma in nouns:  # "her mother" is no "he"
                        people.learn_gender(f"the {lemma}", gender)
        people.mentions.sort(key=lambda m: m.start)
        return people


def _maybe_names(people: People, doc: Doc, offset: int, sid: int) -> None:
    """Capitalised names no person or place tag covers, and plain names tagged as an
    organisation: they may be people, so they keep a "he" ambiguous."""
    tagged = {t.i for e in doc.ents for t in e}
    runs: list[list[Token]] = []
    for tok in doc:
        capital = tok.text[:1].isupper() and tok.i not in tagged
        known = people.person_named(tok.text) if capital and tok.is_alpha else None
        plain = capital and (tok.pos_ == "PROPN" or (known and people.is_person(known)))
        if plain and tok.lower_ not in _NOT_NAMES:
            if runs and runs[-1][-1].i == tok.i - 1:
                runs[-1].append(tok)
            else:
                runs.append([tok])
    for run in runs:
        span = doc[run[0].i : run[-1].i + 1]
        form = strip_form(span.text)
        if not form or org_like(form):
            continue
        start = offset + span.start_char
        subject = is_subject(span.root)
        people.maybe.append(Mention(form, start, start + len(form), sid, subject))


# Tags the small parser gives a person's name now and then ("Bingham kept …" as a place,
# "Mikhaylov equalled …" as a nationality): such a name acting as a subject may be a
# person's, so it keeps a "he" ambiguous (GAP development-749, -1432,
# -1493 put a rival's name in a claim because the true referent had such a tag).
_MISTAGGABLE = frozenset({"GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"})


def _acting_places(people: People, doc: Doc, offset: int, sid: int) -> None:
    for ent in doc.ents:
        if ent.label_ not in _MISTAGGABLE or not is_name(ent):
            continue
        if not is_subject(ent.root) or ent.root.tag_ == "NNPS":  # "Democrats say": many
            continue
        if len(ent) == 1 and ent.text in _LEX.places:  # "Russia has intensified ties"
            continue
        if ent.label_ == "GPE" and len(ent) > 1:  # "North Korea", "St. Louis"
            continue
        name = clean_name(ent)
        form = strip_form(name.text)
        if form and not org_like(form):
            start = offset + name.start_char
            people.maybe.append(Mention(form, start, start + len(form), sid, True))


def _names_in(people: People, doc: Doc, offset: int, sid: int) -> None:
    _maybe_names(people, doc, offset, sid)
    _acting_places(people, doc, offset, sid)
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or not is_name(ent):
            continue
        label, ent = ent.label_, clean_name(ent)
        original = ent
        person = person_in_title(ent)
        if person is not None:
            label, ent = "PERSON", person
        form = strip_form(ent.text)
        if not form:
            continue
        role = (role_of(ent) or role_of(original)) if label == "PERSON" else None
        shown = shown_gender(ent, role) if label == "PERSON" else []
        name = _referent(people, form, label, shown)
        start = offset + ent.start_char
        subject = is_subject(ent.root)
        people.mentions.append(Mention(name, start, start + len(form), sid, subject))
        people.counts[name] += 1
        if label != "PERSON":
            if not org_like(form):  # "Hicks" tagged as an organisation
                people.maybe.append(Mention(form, start, start + len(form), sid))
            continue
        if role:
            people.roles.setdefault(role, name)
            people.holders.setdefault(role, set()).add(name)
            # what the role was said with ("Ukraine's ... head"): a later "the Ukrainian
            # spy chief" may be them, "the Tory leader" may not
            people.role_words.setdefault(name, set()).update(
                stem(w.text) for w in ent.sent if w.is_alpha
            )
        for gender in shown:
            people.learn_gender(name, gender)


def _genders_from_pronouns(people: People, doc: Doc, offset: int, sid: int) -> None:
    """A "he" or "she" outside quotations with one person it can stand for shows that
    person's gender."""
    quoted = quoted_spans(doc.text)
    for tok in doc:
        gender = _LEX.gender_of(tok.text) if tok.lower_ in PERSONAL else None
        if gender is None or inside(quoted, tok.idx, tok.idx + len(tok.text)):
            continue
        names = {
            m.name
            for m in pool(people, tok, offset, sid, wide=False)
            if m.sentence != sid or not inside(quoted, m.start - offset, m.end - offset)
        }
        if len(names) == 1:
            people.learn_gender(names.pop(), gender)


def _referent(people: People, form: str, kind: str, shown: Sequence[str] = ()) -> str:
    """The full name a surface form belongs to (a later "Budanov" or "Kirill Budanov" joins
    "Kyrylo Budanov"), when exactly one named referent fits it. A bare "Obama" in an
    article naming Barack and Michelle Obama, or a "Mr Obama" where only Michelle was named,
    is no one's full name: it stays the words as written, its own referent."""
    form = " ".join(form.split())
    known = people.names.get(form)
    if known:
        return known
    fits = [
        full
        for full, k in people.kinds.items()
        if k == kind
        and full not in people.ambiguous
        and same_name(form, full)
        and (not shown or people.gender(full) in (None, *shown))
    ]
    if len(fits) > 1:  # kept as written, and never renamed into one of them later
        people.ambiguous.add(form)
    if len(fits) == 1:
        full = fits[0]
        if len(form.split()) > len(full.split()):  # a fuller form arrives later
            _rename(people, full, form)
            full = form
        people.names[form] = full
        return full
    people.names[form] = form
    people.kinds[form] = kind
    return form


def _rename(people: People, old: str, new: str) -> None:
    people.kinds[new] = people.kinds.pop(old)
    for form, full in list(people.names.items()):
        if full == old:
            people.names[form] = new
    people.mentions = [
        Mention(new, m.start, m.end, m.sentence, m.subject) if m.name == old else m
        for m in people.mentions
    ]
    if old in people.genders:
        people.learn_gender(new, people.genders.pop(old))
    people.counts[new] += people.counts.pop(old, 0)
    for role, full in list(people.roles.items()):
        if full == old:
            people.roles[role] = new
