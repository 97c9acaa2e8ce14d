"""The language pack: the word lists every rule stage reads, loaded once from one data file.

Stages ask `english()` (or `pack(code)`) for a `Lexicon` instead of keeping lists of their
own, so a speech verb or role noun is added in one place and a second language is a new
data file beside `en.yaml`, not edits in many modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def _words(value: Any) -> frozenset[str]:
    """A list written as one string of words (how the YAML keeps long lists readable)."""
    return frozenset(str(value).split()) if value else frozenset()


@dataclass(frozen=True)
class StoryWords:
    """The story view's lists (en.yaml `story`): denials, requests, posts, generic words."""

    dispute_verbs: frozenset[str] = frozenset()
    dispute_claim_verbs: frozenset[str] = frozenset()
    falsehood_words: frozenset[str] = frozenset()
    claim_nouns: frozenset[str] = frozenset()
    calling_verbs: frozenset[str] = frozenset()
    evidence_nouns: frozenset[str] = frozenset()
    request_words: frozenset[str] = frozenset()
    post_nouns: frozenset[str] = frozenset()
    role_qualifiers: dict[str, str] = field(default_factory=dict)
    generic_words: frozenset[str] = frozenset()
    alternative_conjunctions: frozenset[str] = frozenset()


def _story(raw: dict[str, Any]) -> StoryWords:
    qualifiers = {str(k): str(v) for k, v in (raw.get("role_qualifiers") or {}).items()}
    lists = {k: _words(v) for k, v in raw.items() if k != "role_qualifiers"}
    return StoryWords(role_qualifiers=qualifiers, **lists)


@dataclass(frozen=True)
class Lexicon:
    language: str
    speech_verbs: frozenset[str]
    noun_parsed_verbs: frozenset[str]
    anonymous_sources: frozenset[str]
    institutions: frozenset[str]
    people_nouns: frozenset[str]
    role_nouns: frozenset[str]
    title_words: frozenset[str]
    pronouns: dict[str, frozenset[str]]
    possessive_pronouns: frozenset[str]
    hedges: dict[str, re.Pattern[str]]
    quote_marks: dict[str, str]
    organisation_words: frozenset[str]  # words that make a name an organisation's
    gender_titles: dict[str, frozenset[str]]  # gender -> titles before a name ("mrs")
    gendered_nouns: dict[str, frozenset[str]]  # gender -> nouns naming a person ("mother")
    quote_digraphs: dict[str, str] = field(default_factory=dict)  # "``" -> "''"
    # Marks that close one another's quotations where scraped text mixes them (“…").
    quote_mark_families: tuple[str, ...] = ()

    # Page furniture cues (captions, credits, prompts), kind -> regex alternatives.
    furniture: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Speech cues derived from PolNeAR train (scripts/cue_inventory.py): verb lemmas, or
    # "verb particle", that report speech on their own / only with a clause or quotation.
    cue_verbs: frozenset[str] = frozenset()
    cue_verbs_clausal: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()  # heads of PolNeAR train's annotated sources
    role_qualifiers: frozenset[str] = frozenset()  # "the former minister" is not the minister
    expletive_subjects: frozenset[str] = frozenset()  # "it is said", "there are reports"
    speaking_pronouns: frozenset[str] = frozenset()  # "we said": kept as written
    first_person_pronouns: frozenset[str] = frozenset()  # "I", "we": the quote's own voice
    demonstratives: frozenset[str] = frozenset()  # "this", "those": point back, name no one
    said_back_references: frozenset[str] = frozenset()  # "said this", "said so": a source note
    indefinite_determiners: frozenset[str] = frozenset()  # "a spokesman": someone new
    carry_on_openers: tuple[str, ...] = ()  # "Moreover, ...": the speaker carries on
    reason_marks: frozenset[str] = frozenset()  # "as", "because": a clause giving a reason
    quoting_verbs: frozenset[str] = frozenset()  # "quoted Mr Clarke saying": his words
    belief_adjectives: frozenset[str] = frozenset()  # "are concerned that …": a belief
    characterising_verbs: frozenset[str] = frozenset()  # "portrayed him as …": a verdict
    role_synonyms: tuple[frozenset[str], ...] = ()  # words for one office: chief, head
    evidence_verbs: frozenset[str] = frozenset()  # cues things do too: "the data show"
    # verb -> prepositions ("object": a direct object) that make it a cue: "spoke of"
    cue_complements: dict[str, frozenset[str]] = field(default_factory=dict)
    reply_verbs: frozenset[str] = frozenset()  # "responded to requests for comment"
    said_nouns: frozenset[str] = frozenset()  # what a reply answers or gives when speech
    label_sources: frozenset[str] = frozenset()  # "Poll: …": a headline's finding credited
    signature_dashes: tuple[str, ...] = ()  # '“…” ― Name': a dash signing a quotation
    places: frozenset[str] = frozenset()  # one-word place names a parser's place tag can trust
    negations: frozenset[str] = frozenset()  # "not", "never": a headline keeps them
    headline_keep: frozenset[str] = frozenset()  # "only", "largest": a headline keeps them
    dangling_words: frozenset[str] = frozenset()  # a headline ending on one was cut
    title_case_minor: frozenset[str] = frozenset()  # "of", "and": lower case in a title
    open_question_marks: frozenset[str] = frozenset()  # "whether": a report of no answer
    story: StoryWords = field(default_factory=StoryWords)  # the story view's lists

    @property
    def personal_pronouns(self) -> frozenset[str]:
        """Pronouns that stand for a person: he/she and their forms."""
        return self.pronouns["masculine"] | self.pronouns["feminine"]

    def gender_of(self, pronoun: str) -> str | None:
        low = pronoun.lower()
        return next((g for g, forms in self.pronouns.items() if low in forms), None)


def _load(path: Path) -> Lexicon:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Lexicon(
        language=str(raw["language"]),
        speech_verbs=_words(raw["speech_verbs"]),
        noun_parsed_verbs=_words(raw["noun_parsed_verbs"]),
        anonymous_sources=_words(raw["anonymous_sources"]),
        institutions=_words(raw["institutions"]),
        people_nouns=_words(raw["people_nouns"]),
        role_nouns=_words(raw["role_nouns"]),
        title_words=_words(raw["title_words"]),
        pronouns={k: _words(v) for k, v in raw["pronouns"].items()},
        possessive_pronouns=_words(raw["possessive_pronouns"]),
        hedges={k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in raw["hedges"].items()},
        quote_marks={str(k): str(v) for k, v in raw["quote_marks"].items()},
        furniture={str(k): tuple(map(str, v)) for k, v in (raw.get("furniture") or {}).items()},
        cue_verbs=frozenset(map(str, raw.get("cue_verbs") or ())),
        cue_verbs_clausal=frozenset(map(str, raw.get("cue_verbs_clausal") or ())),
        source_nouns=frozenset(map(str, raw.get("source_nouns") or ())),
        role_qualifiers=_words(raw.get("role_qualifiers")),
        expletive_subjects=_words(raw.get("expletive_subjects")),
        speaking_pronouns=_words(raw.get("speaking_pronouns")),
        first_person_pronouns=_words(raw.get("first_person_pronouns")),
        demonstratives=_words(raw.get("demonstratives")),
        said_back_references=_words(raw.get("said_back_references")),
        indefinite_determiners=_words(raw.get("indefinite_determiners")),
        carry_on_openers=tuple(map(str, raw.get("carry_on_openers") or ())),
        reason_marks=_words(raw.get("reason_marks")),
        quoting_verbs=_words(raw.get("quoting_verbs")),
        belief_adjectives=_words(raw.get("belief_adjectives")),
        characterising_verbs=_words(raw.get("characterising_verbs")),
        role_synonyms=tuple(_words(g) for g in raw.get("role_synonyms") or ()),
        evidence_verbs=_words(raw.get("evidence_verbs")),
        cue_complements={
            str(k): frozenset(map(str, v)) for k, v in (raw.get("cue_complements") or {}).items()
        },
        reply_verbs=_words(raw.get("reply_verbs")),
        said_nouns=_words(raw.get("said_nouns")),
        label_sources=_words(raw.get("label_sources")),
        signature_dashes=tuple(str(raw.get("signature_dashes") or "").split()),
        places=_words(raw.get("places")),
        negations=_words(raw.get("negations")),
        headline_keep=_words(raw.get("headline_keep")),
        dangling_words=_words(raw.get("dangling_words")),
        title_case_minor=_words(raw.get("title_case_minor")),
        open_question_marks=_words(raw.get("open_question_marks")),
        organisation_words=_words(raw.get("organisation_words")),
        gender_titles={k: _words(v) for k, v in (raw.get("gender_titles") or {}).items()},
        gendered_nouns={k: _words(v) for k, v in (raw.get("gendered_nouns") or {}).items()},
        quote_digraphs={str(k): str(v) for k, v in (raw.get("quote_digraphs") or {}).items()},
        quote_mark_families=tuple(str(f) for f in raw.get("quote_mark_families") or ()),
        story=_story(raw.get("story") or {}),
    )


@lru_cache(maxsize=4)
def pack(code: str) -> Lexicon:
    path = HERE / f"{code}.yaml"
    if not path.is_file():
        raise LookupError(f"no language pack for {code!r}")
    return _load(path)


def english() -> Lexicon:
    return pack("en")
