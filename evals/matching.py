"""Text matching for scoring: one normal form, label groups that know entity aliases, and a
one-to-one assignment of predicted to expected claims.

Everything here is deliberately dumb and deterministic (substrings, no embeddings): a scorer
must give the same verdict on every run, and a labeller must be able to predict it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from evals.cases import OUTLET, UNATTRIBUTED, Case, ExpectedClaim

# The normal form lives below the cases (which check snippets with it); named here too.
from evals.text import fold as fold
from evals.text import normalize as normalize

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")
_UNITS = "one two three four five six seven eight nine ten eleven twelve".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SPELLED = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:-({'|'.join(_UNITS[:9])}))?|({'|'.join(_UNITS)}))\b ?(%?)"
)


def _is_acronym(name: str) -> bool:
    # Casefolding turns "US" into the pronoun "us", so short all-caps names match by case.
    letters = sum(c.isalpha() for c in name)
    return name.isupper() and " " not in name.strip() and 0 < letters <= 5


def mentions(name: str, text: str) -> bool:
    """Whole-word occurrence of a name in a text: an alias is a name, never a stem, so
    "Kim" must not hit "Kimberly" nor "US" hit "Russia"."""
    if _is_acronym(name):
        needle, hay = _SPACE.sub(" ", fold(name)).strip(), _SPACE.sub(" ", fold(text))
    else:
        needle, hay = normalize(name), normalize(text)
    return bool(needle) and re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", hay) is not None


@lru_cache(maxsize=64)
def _alias_index(case: Case) -> dict[str, frozenset[str]]:
    """Normalized alias -> every surface form of the entity (or entities) it names."""
    index: dict[str, set[str]] = {}
    for forms in case.alias_sets().values():
        for form in forms:
            index.setdefault(normalize(form), set()).update(forms)
    return {key: frozenset(forms) for key, forms in index.items()}


def group_hits(group: Iterable[str], text: str, case: Case | None = None) -> bool:
    """OR over alternatives. A plain alternative is a normalized substring (stems allowed);
    one that is an alias of a labelled entity also accepts that entity's other aliases,
    as whole words, so a label naming "Kyrylo Budanov" accepts "Kirill Budanov"."""
    norm = normalize(text)
    index = _alias_index(case) if case is not None else {}
    for alternative in group:
        key = normalize(alternative)
        if key and key in norm:
            return True
        if any(mentions(alias, text) for alias in index.get(key, ())):
            return True
    return False


def matches(match_groups: Iterable[Iterable[str]], text: str, case: Case | None = None) -> bool:
    """AND over groups."""
    return all(group_hits(group, text, case) for group in match_groups)


def assign(
    predicted_texts: Sequence[str], expected_claims: Sequence[ExpectedClaim], case: Case
) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (Kuhn's augmenting paths) as (predicted, expected) index
    pairs. One-to-one so a claim repeated five times earns one hit, not five. Predicted
    claims are tried in order and a matched one is never unmatched, so ties go to the earlier."""
    edges = [
        [j for j, expected in enumerate(expected_claims) if matches(expected.match, text, case)]
        for text in predicted_texts
    ]
    owner: dict[int, int] = {}  # expected index -> predicted index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(predicted_texts)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


def _names_same_speaker(predicted: str, form: str, foreign: set[str]) -> bool:
    # "Kyrylo Budanov, GUR head" contains the form "Budanov"; "Kyrylo" is inside the form
    # "Kyrylo Budanov" -- unless the prediction is itself another entity's alias ("Ukraine"
    # must not pass for "Defence Intelligence of Ukraine").
    if mentions(form, predicted):
        return True
    return normalize(predicted) not in foreign and mentions(predicted, form)


def speaker_ok(
    predicted_speaker: str, expected_speakers: Iterable[str], case: Case, outlet: str | None
) -> bool:
    """Does the predicted speaker name one of the acceptable speakers? "outlet" accepts the
    result's outlet label, "the article" (the pipeline's label when no outlet is known) and
    the case's outlet name with its aliases; "unattributed" accepts only that literal; an
    entity id accepts any alias of the entity."""
    if not predicted_speaker.strip():
        return False
    alias_sets = case.alias_sets()
    outlet_names = {n for n in (outlet, case.outlet) if n}
    for speaker in expected_speakers:
        if speaker == UNATTRIBUTED:  # the literal the pipeline gives a sourceless claim
            if normalize(predicted_speaker) == UNATTRIBUTED:
                return True
            continue
        if speaker == OUTLET:
            forms = {"the article", *outlet_names}
            for aliases in alias_sets.values():  # the outlet may be labelled as an entity
                if any(normalize(a) == normalize(n) for a in aliases for n in outlet_names):
                    forms |= aliases
        else:
            forms = alias_sets.get(speaker, set())
        foreign = {normalize(a) for s in alias_sets.values() for a in s if a not in forms}
        if any(_names_same_speaker(predicted_speaker, form, foreign) for form in forms):
            return True
    return False


def _spelled(match: re.Match[str]) -> str:
    tens, unit, single, percent = match.groups()
    if single:
        return str(_UNITS.index(single) + 1) + percent
    value = (_TENS.index(tens) + 2) * 10 + (_UNITS.index(unit) + 1 if unit else 0)
    return f"{value}{percent}"


def numbers_in(text: str, *, spelled: bool = False) -> list[str]:
    """Distinct numbers in order of appearance, normalized: "1,000" -> "1000", "40 percent"
    and "40%" -> "40%", a bare number stays bare. `spelled` also reads "forty percent" as
    "40%" -- for evidence, where the source's wording must not count against a paraphrase."""
    norm = normalize(text)
    found = [
        whole.replace(",", "") + (frac or "") + pct for whole, frac, pct in _NUMBER.findall(norm)
    ]
    if spelled:
        found += [_spelled(m) for m in _SPELLED.finditer(norm)]
    return list(dict.fromkeys(found))


def _distinctive(line: str) -> bool:
    # "on", "0", "Published" or a byline name are everyday words: as boilerplate they leak
    # only as a whole line; "Leave a Reply" (3+ words) leaks wherever it appears.
    return len(normalize(line).split()) >= 3


def line_spans(text: str, line: str) -> list[tuple[int, int]]:
    """Offsets where a boilerplate `line` stands as a line of its own in `text` (or starts
    one, if distinctive): "Kyrylo Budanov" under a photo, not the name in a sentence."""
    target, spans, offset = normalize(line), [], 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        norm = normalize(stripped)
        if stripped and (norm == target or (_distinctive(line) and norm.startswith(target))):
            start = offset + raw.index(stripped)
            spans.append((start, start + len(stripped)))
        offset += len(raw)
    return spans


def contains_line(text: str, line: str) -> bool:
    """Does a produced text carry a boilerplate line: anywhere if distinctive, else only
    as a whole line of its own."""
    target = normalize(line)
    if _distinctive(line) and target in normalize(text):
        return True
    return any(normalize(part) == target for part in text.splitlines())
