"""A speaker's label at the head of a line: a transcript's or a headline's "Name: …".

"Rep. Trey Gowdy (R-S.C.): "I have not heard …"", "Matthews: Well, speculation is bad.",
"Trump: 'I'm the worst thing that ever happened to the establishment'": the words before a
colon that opens the line name one person the article names, after nothing but lower-case
words (a role) or the line's first word ("Rep."). "CNN President On Trump:" names someone
else than Trump, and "The result:" no one. A finding's label ("Poll: Clinton and Trump in
dead heat") credits the finding, as written.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc

from service.pipeline.claims.people import People, strip_form
from service.pipeline.language import english

# up to eight words and an aside ("(R-S.C.)") before a colon that opens the line, followed
# by a space or a quotation mark
_LABEL = re.compile(
    r"^(?P<who>[^\W\d][^:\"“‘()\n]{0,60}?)\s*(?:\([^)\n]{1,20}\))?\s*:(?=[\s\"“‘'])"
)


class Label(NamedTuple):
    name: str  # the person's full name, or a finding's label as written ("Poll")
    start: int  # the label's words, offsets in the cleaned text (the colon included)
    end: int
    token: int | None  # the token naming the person, when the parser tagged the name


def label(doc: Doc, people: People, offset: int) -> Label | None:
    return _tagged(doc, people, offset) or _written(doc, people, offset) or _finding(doc, offset)


def _finding(doc: Doc, offset: int) -> Label | None:
    """ "Poll: Wealthy Voters Abandon Republican Party for Hillary Clinton": one word of the
    language pack's label_sources before the colon that opens the line."""
    if len(doc) < 3 or doc[1].text != ":" or doc[0].lower_ not in english().label_sources:
        return None
    return Label(doc[0].text, offset + doc[0].idx, offset + doc[1].idx + 1, None)


def _tagged(doc: Doc, people: People, offset: int) -> Label | None:
    """The parser tagged the name right before the colon."""
    colon = next((t for t in doc[:12] if t.text in (":", "):")), None)
    if colon is None or colon.i == 0:
        return None
    last = colon.i - 1
    if colon.text == "):" or doc[last].text == ")":  # "(R-S.C.)": the party and state
        last = next((t.i - 1 for t in reversed(doc[: colon.i]) if t.text == "("), last)
    ent = next((e for e in doc.ents if e.end - 1 == last and e.label_ == "PERSON"), None)
    name = people.full(strip_form(ent.text)) if ent is not None else None
    if ent is None or name is None or not people.is_person(name):
        return None
    if not _role_only([t.text for t in doc[: ent.start] if t.is_alpha]):
        return None  # "CNN President On Trump:": the words before the name name someone
    return Label(name, offset + ent.start_char, offset + colon.idx + 1, ent.root.i)


def _written(doc: Doc, people: People, offset: int) -> Label | None:
    """The name read from the words ("Matthews" untagged, "Clinton:"We …" one token)."""
    m = _LABEL.match(doc.text)
    if m is None:
        return None
    words = m.group("who").split()
    if len(words) > 8:
        return None
    for k in range(len(words)):
        before, form = words[:k], " ".join(words[k:])
        if not _role_only(before) or not form[:1].isupper():
            continue
        name = _one_person(people, strip_form(form))
        if name is not None:
            return Label(name, offset + doc.text.index(form), offset + m.end(), None)
    return None


def _role_only(words: list[str]) -> bool:
    """Words before a name that only describe its holder: lower case after the line's first
    ("Former secretary of state", "Rep.")."""
    return not any(w[:1].isupper() for w in words[1:])


def _one_person(people: People, form: str) -> str | None:
    """The person a name stands for: its full form, or the one person of that surname."""
    full = people.full(form)
    if full is not None and not people.is_person(full):
        return None  # an organisation's own name, not a surname
    return people.person_named(form)
