"""The story summary: sentences written only from the clusters, discrepancies and origins.

Each sentence records what grounds it (cluster, discrepancy, origin ids), and every name
and count in it is read from those objects, so the prose cannot disagree with the table.

A fact is reported in the words of a cluster member only when they make a whole sentence
(`sayable`): a clause split off a longer claim ("but their high regard for ...", "he
pointing to ...", "Ukraine which includes ...") reads as a fragment after "report that".
A leading "But"/"And" is dropped when what follows is whole; else another member's wording
is taken, else the fact is left out of the summary (it stays in the table).
"""

from __future__ import annotations

import re

from service.pipeline.reading.nlp import parse_each
from service.story.models import Cluster, Discrepancy, Origin, StoryArticle, SummarySentence

TOP = 4  # corroborated facts named in the summary
_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_PRONOUN = re.compile(r"^(?:He|She|They)\b(?:\s+also)?")
_LOWER_START = re.compile(
    r"^(?:The|A|An|In|On|At|This|These|Its|Their|There|It|However|According|After|Before|"
    r"During|While|Although|Yet|But|And|As|Since|Despite|Meanwhile|Both|All|Some|Many|Most|"
    r"Another|Other|Such|[A-Z][a-z]+(?:ing|ly))\b"
)


def count(n: int, noun: str) -> str:
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} {noun}" if n == 1 else f"{word} {noun}s"


def names(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def display_text(text: str, speaker: str) -> str:
    """A claim that opens with a pronoun ("He also said ...") names its speaker instead;
    list bullets go."""
    text = text.strip().lstrip("•·*-– ").strip()
    if _PRONOUN.match(text) and speaker and speaker[:1].isupper():
        return _PRONOUN.sub(speaker, text, count=1)
    return text


_MARKER = re.compile(r"^(?:However|Interestingly|Notably|Meanwhile|Yet|But|And|Also|Still),\s*")


def _clause(text: str) -> str:
    """The claim as a that-clause: first word lowercased only when it is not a name."""
    text = _MARKER.sub("", text.rstrip("."))
    return text[0].lower() + text[1:] if _LOWER_START.match(text) else text


def _end(text: str) -> str:
    """The text as the end of a sentence: one full stop, none after a quotation's own."""
    text = text.rstrip()
    return text if re.search(r"[.!?][\"”’']?$", text) else text + "."


_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def sayable(text: str) -> str | None:
    """The text as a whole sentence to report, or None: it opens with a capital (or a
    quotation mark), not with a conjunction, a relative word or a pronoun standing for no
    one named ("their high regard ..."), and its main verb has a subject."""
    text = _MARKER.sub("", text.strip())
    (doc,) = parse_each([text])
    if len(doc) > 1 and doc[0].pos_ == "CCONJ":  # "But the FBI said ...": the rest may stand
        rest = doc[2:] if doc[1].text == "," else doc[1:]
        text = rest.text[:1].upper() + rest.text[1:]
        (doc,) = parse_each([text])
    words = [t for t in doc if not t.is_punct]
    if not words or not re.match(r"[\"“‘'(\[]{0,2}[A-Z0-9]", text):
        return None
    first = words[0]
    if first.pos_ in ("CCONJ", "SCONJ", "PRON") or first.tag_ in ("WDT", "WP", "PRP$"):
        return None
    if "PronType=Dem" in str(first.morph):  # "This partnership ...": which one?
        return None
    # the main verb's subject: a word, not a pronoun for something said before ("On
    # Friday that was over.")
    subjects = [
        c
        for r in doc
        if r.dep_ == "ROOT" and r.pos_ in ("VERB", "AUX")
        for c in r.children
        if c.dep_ in _SUBJECT
    ]
    return text if subjects and subjects[0].pos_ != "PRON" else None


def _wording(c: Cluster) -> str | None:
    """The cluster's own wording if whole, else the first member's that is."""
    for text in [c.text, *(s.text for s in c.articles)]:
        said = sayable(text)
        if said is not None:
            return said
    return None


def _fact(c: Cluster) -> SummarySentence | None:
    """ "A and B report that <the fact>.", with each more specific figure after it; None
    when no member words the fact as a whole sentence."""
    wording = _wording(c)
    if wording is None:
        return None
    who = [s.article for s in c.articles]
    relays = c.support - c.independent_support
    note = f" ({count(c.independent_support, 'independent source')})" if relays else ""
    text = f"{names(who)}{note} report that {_end(_clause(wording))}"
    ids = [c.id]
    for child in c.specific:
        child_wording = _wording(child)
        if child_wording is None:
            continue
        # A bare number is a date or a model number ("KN-23"), no figure to name alone.
        figures = ", ".join(n for n in child.numbers if not n.strip().isdigit())
        stated = names([s.article for s in child.articles])
        one = child.support == 1
        said = (
            f"{'gives' if one else 'give'} the figure ({figures})"
            if figures
            else f"{'is' if one else 'are'} more specific"
        )
        text += f" Only {stated} {said}: {_end(_clause(child_wording))}"
        ids.append(child.id)
    return SummarySentence(text=text, cluster_ids=ids)


def write_summary(
    articles: list[StoryArticle],
    clusters: list[Cluster],
    discrepancies: list[Discrepancy],
    origins: list[Origin],
) -> list[SummarySentence]:
    out = [
        SummarySentence(
            text=f"{count(len(articles), 'article').capitalize()} compared: "
            f"{names([a.id for a in articles])}."
        )
    ]
    for o in origins:
        if len(o.articles) > 1:
            out.append(
                SummarySentence(
                    text=f"{names(o.articles)} relay the same {o.description}.", origin_ids=[o.id]
                )
            )
    ranked = sorted(clusters, key=lambda c: (-c.independent_support, -c.support, c.id))
    if ranked:
        out.append(
            SummarySentence(
                text=f"{count(len(clusters), 'fact').capitalize()} "
                f"{'is' if len(clusters) == 1 else 'are'} stated by more than one article."
            )
        )
    facts = (_fact(c) for c in ranked)
    out += [f for f in facts if f is not None][:TOP]
    if discrepancies:
        first = discrepancies[0]
        out.append(
            SummarySentence(
                text=f"The articles disagree in {count(len(discrepancies), 'place')}; "
                f"for one, {first.a.article} and {first.b.article}: {_end(first.description)}",
                discrepancy_ids=[d.id for d in discrepancies],
            )
        )
    else:
        out.append(SummarySentence(text="No conflicting figures, scopes or roles were found."))
    return out
