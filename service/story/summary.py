"""The story summary: sentences written only from the clusters, discrepancies and origins.

Each sentence records what grounds it (cluster, discrepancy, origin ids), and every name
and count in it is read from those objects, so the prose cannot disagree with the table.
"""

from __future__ import annotations

import re

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


def _fact(c: Cluster) -> SummarySentence:
    who = [s.article for s in c.articles]
    relays = c.support - c.independent_support
    note = f" ({count(c.independent_support, 'independent source')})" if relays else ""
    text = f"{names(who)}{note} report that {_end(_clause(c.text))}"
    ids = [c.id]
    for child in c.specific:
        # A bare number is a date or a model number ("KN-23"), no figure to name alone.
        figures = ", ".join(n for n in child.numbers if not n.strip().isdigit())
        stated = names([s.article for s in child.articles])
        one = child.support == 1
        said = (
            f"{'gives' if one else 'give'} the figure ({figures})"
            if figures
            else f"{'is' if one else 'are'} more specific"
        )
        text += f" Only {stated} {said}: {_end(_clause(child.text))}"
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
    out += [_fact(c) for c in ranked[:TOP]]
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
