"""The cue inventory is data derived from PolNeAR train (scripts/cue_inventory.py), read
from the language pack: which verbs report speech on their own, which only when they
report a clause or a quotation. No corpus needed: the derivation is tested on counts."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import yaml

from service.pipeline.claims.cues import is_cue
from service.pipeline.language import english
from service.pipeline.reading.nlp import parser

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cue_inventory.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cue_inventory", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_inventory_keeps_verbs_by_how_often_and_how_reliably_they_are_cues() -> None:
    inv = _script()
    cued = Counter({"say": 900, "respond": 60, "want": 100, "drawl": 3, "point out": 40})
    used = Counter({"say": 1000, "respond": 180, "want": 700, "drawl": 3, "point out": 57})
    block = inv.block(inv.inventory(cued, used), Counter({"spokesman": 40, "cat": 2}))
    data = yaml.safe_load(block)
    assert data["cue_verbs"] == ["point out", "say"]  # cues in most of their uses
    assert data["cue_verbs_clausal"] == ["respond"]  # a third: only with a clause
    assert data["source_nouns"] == ["spokesman"]  # "want" (1 in 7) and "drawl" (3) are out


def test_the_pack_holds_the_derived_inventory() -> None:
    lex = english()
    assert {"say", "insist", "vow", "point out"} <= lex.cue_verbs
    assert {"respond", "threaten"} <= lex.cue_verbs_clausal
    assert not {"want", "have", "make"} & (lex.cue_verbs | lex.cue_verbs_clausal)


def _verb(sentence: str, word: str) -> bool:
    doc = parser()(sentence)
    return is_cue(next(t for t in doc if t.text == word))


def test_a_verb_that_is_a_cue_only_sometimes_needs_something_reported() -> None:
    assert _verb("The minister responded that the claims were false.", "responded")
    assert _verb("The union threatened to strike again.", "threatened")
    assert not _verb("The council responded to the flooding with sandbags.", "responded")
    assert _verb("The minister insisted the plan would work.", "insisted")


def test_a_verb_that_reports_through_a_preposition_or_object_is_a_cue() -> None:
    # PolNeAR dev's outlet-credited speech: "spoke of", "charged … with", "proposed …",
    # and a reply to something said; the language pack lists them (cue_complements)
    assert _verb("Obama spoke of the legacy of racism.", "spoke")
    assert _verb("She has spoken about the need for reforms.", "spoken")
    assert _verb("Federal prosecutors charged two developers with fraud.", "charged")
    assert _verb("Other E.U. leaders have proposed jointly owned drones.", "proposed")
    assert _verb("The campaign did not immediately respond to requests for comment.", "respond")
    # an act, not speech: what it answers is no word said
    assert not _verb("The council responded to the flooding with sandbags.", "responded")
    assert not _verb("The battery was charged overnight.", "charged")
