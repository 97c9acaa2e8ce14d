"""The story summary's sentences read as prose: a model number is no "figure", and a fact
or disagreement ending in a quotation gets no second full stop."""

from __future__ import annotations

from service.pipeline.models import Span
from service.story.models import Cluster, Support
from service.story.summary import _end, _fact, sayable


def _support(article: str, text: str) -> Support:
    span = Span(start=0, end=len(text), quote=text)
    return Support(article=article, claim_id="c1", claim_ids=["c1"], text=text,
                   speaker="X", evidence=[span])  # fmt: skip


def _cluster(cid: str, text: str, numbers: list[str], who: list[str]) -> Cluster:
    return Cluster(id=cid, text=text, speaker="X", numbers=numbers,
                   articles=[_support(a, text) for a in who], support=len(who),
                   independent_support=len(who), origins=[])  # fmt: skip


def test_a_model_number_is_more_specific_not_a_figure() -> None:
    general = _cluster("k1", "Moscow received ballistic missiles.", [], ["A", "B"])
    general.specific = [_cluster("k1.1", "Moscow received KN-23 missiles.", ["23"], ["B"])]
    fact = _fact(general)
    assert fact is not None
    assert "the figure" not in fact.text and "Only B is more specific: " in fact.text
    general.specific = [
        _cluster("k1.2", "Pyongyang supplies up to 40% of shells.", ["up to 40%"], ["B"])
    ]
    fact = _fact(general)
    assert fact is not None and "Only B gives the figure (up to 40%): " in fact.text


def test_one_full_stop_after_a_quotation() -> None:
    assert _end('North Korea called the accusations "groundless."') == (
        'North Korea called the accusations "groundless."'
    )
    assert _end("It is realistic") == "It is realistic."
    assert _end("It is realistic.") == "It is realistic."
    fact = _fact(_cluster("k2", 'Pyongyang said it was "groundless."', [], ["A", "B"]))
    assert fact is not None and fact.text.endswith('"groundless."')


def test_a_fragment_is_never_reported_another_members_whole_sentence_is() -> None:
    fragment = "but their high regard for his wife kept them from going public"
    whole = "The FBI found new emails on Friday."
    c = _cluster("k3", fragment, [], ["A", "B"])
    assert _fact(c) is None  # no member says it as a sentence: left out, not garbled
    c.articles[1] = _support("B", whole)
    fact = _fact(c)
    assert (
        fact is not None and fact.text == "A and B report that the FBI found new emails on Friday."
    )
    assert (
        _fact(_cluster("k4", "But the FBI said the emails were new.", [], ["A", "B"])) is not None
    )


def test_a_summary_sentence_is_whole() -> None:
    assert sayable("he pointing to an increase in hostilities") is None
    assert sayable("Ukraine which includes critical air defense systems") is None
    assert sayable("On Friday that was over.") is None  # its subject stands for what came before
    assert sayable("This partnership involves missiles.") is None
    assert sayable("But the FBI said the emails were new.") == "The FBI said the emails were new."
    assert sayable("In return, Moscow provides Pyongyang with money.") is not None
