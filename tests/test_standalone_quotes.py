"""Every quotation style is a quotation: its words are never changed except in [brackets],
and a clause split never prints one quotation in pieces (claims/quotes.py, standalone.py)."""

from __future__ import annotations

import re

import pytest

from service.pipeline.claims.quotes import has_quotation, quoted_spans
from tests.claimkit import claims_of as _claims


def _quotes(text: str) -> list[str]:
    return [text[a:b] for a, b in quoted_spans(text)]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("“We will win,” he said.", "“We will win,”"),
        ('"We will win," he said.', '"We will win,"'),
        ("‘We will win,’ he said.", "‘We will win,’"),
        ("'We will win,' he said.", "'We will win,'"),
        ("«Nous gagnerons», a-t-il dit.", "«Nous gagnerons»"),
        ("„Wir gewinnen“, sagte er.", "„Wir gewinnen“"),
    ],
)
def test_every_quotation_style_is_read(text: str, quoted: str) -> None:
    assert _quotes(text) == [quoted]


def test_apostrophes_and_possessives_are_no_quote_marks() -> None:
    assert _quotes("I don't know what the Smiths' house cost, O'Brien said.") == []
    assert _quotes("In the '90s the Alliance 's (NWA) team won.") == []
    assert _quotes("‘The Smiths’ house is gone,’ she said.") == ["‘The Smiths’ house is gone,’"]


def test_an_unclosed_quote_runs_to_its_paragraph_end_and_a_close_reaches_back() -> None:
    text = "“We will fight on.\n“And we will win,” he said."
    assert _quotes(text) == ["“We will fight on.", "“And we will win,”"]
    # a sentence cut from a longer quotation: its first mark closes a quote opened before
    assert _quotes("He accepts full responsibility,’ said Mr Jones.") == [
        "He accepts full responsibility,’"
    ]
    assert has_quotation("He accepts full responsibility,’ said Mr Jones.")


def test_british_quotation_keeps_the_speakers_words() -> None:
    """The barrister's 'he' stays the barrister's: never an unbracketed name in the quote."""
    text = (
        "Mr Peter Smith admitted the charge at the crown court on Monday.\n"
        "His barrister, Jane Doe, told the court: ‘It beggars belief as to why he finds "
        "himself in this court. He accepts full responsibility for what he has done.’"
    )
    quoted = [c for c in _claims(text) if "beggars" in c.text or "accepts" in c.text]
    assert quoted
    for claim in quoted:
        inner = re.sub(r"\[[^\]]*\]", "", claim.text)
        assert "Peter Smith" not in inner and "Smith" not in inner
        assert all(s.replacement.startswith("[") for s in claim.substitutions if s.original == "he")


def test_a_quote_split_at_but_is_never_stitched() -> None:
    text = (
        "Anna Berg spoke to reporters after the match on Sunday.\n"
        "‘We played well in the first half, but the referee ruined the game,’ Berg said."
    )
    claims = [c for c in _claims(text) if "referee" in c.text or "played well" in c.text]
    assert len(claims) == 1
    assert "played well in the first half, but the referee ruined the game" in claims[0].text


def test_wikipedia_double_backticks_quote() -> None:
    text = "In ``The Inner Circle'', Deangelo picks favorites among the staff."
    assert [text[a:b] for a, b in quoted_spans(text)] == ["``The Inner Circle''"]
    assert "Deangelo" not in "".join(text[a:b] for a, b in quoted_spans(text))


def test_newswire_double_apostrophes_open_and_close_a_quote() -> None:
    text = "''We will not back down,'' said the mayor. ''Our roads are crumbling.''"
    assert _quotes(text) == ["''We will not back down,''", "''Our roads are crumbling.''"]
    inner = "The mayor said the plan would ''walk all over us,'' as the council put it."
    assert _quotes(inner) == ["''walk all over us,''"]


def test_mixed_double_marks_close_one_another() -> None:
    text = "“It's unusual,“ said Larry Noble. “Our roads are crumbling,\" she said."
    assert _quotes(text) == ["“It's unusual,“", '“Our roads are crumbling,"']
