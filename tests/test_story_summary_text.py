"""The story summary's sentences read as prose: a model number is no "figure", and a fact
or disagreement ending in a quotation gets no second full stop."""

from __future__ import annotations

from service.pipeline.models import Span
from service.story.models import Cluster, Support
from service.story.summary import _end, _fact


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
    text = _fact(general).text
    assert "the figure" not in text and "Only B is more specific: " in text
    general.specific = [_cluster("k1.2", "It supplies up to 40% of shells.", ["up to 40%"], ["B"])]
    assert "Only B gives the figure (up to 40%): " in _fact(general).text


def test_one_full_stop_after_a_quotation() -> None:
    assert _end('North Korea called the accusations "groundless."') == (
        'North Korea called the accusations "groundless."'
    )
    assert _end("It is realistic") == "It is realistic."
    assert _end("It is realistic.") == "It is realistic."
    assert _fact(_cluster("k2", 'He said it was "groundless."', [], ["A", "B"])).text.endswith(
        '"groundless."'
    )
