"""Segmentation never cuts a word (issue 22, item 5): any length, with or without paragraph
breaks. A long paragraph is read by pysbd in overlapping windows and splits only at sentence
ends; a true run-on is cut at a clause boundary, then at a space."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.pipeline.reading import budget, segment
from service.pipeline.reading.budget import fit_sentences
from service.pipeline.reading.clean import clean_text
from service.pipeline.reading.segment import split_sentences

CI = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def window(size: int) -> Iterator[None]:
    """A small pysbd window, so short generated texts cross many window edges."""
    saved = segment._WINDOW
    segment._WINDOW = size
    try:
        yield
    finally:
        segment._WINDOW = saved


plain_word = st.sampled_from(
    "the council voted on Monday to close supermarkets and libraries across Oxfordshire while "
    "ministers said prices rose sharply in December according to officials Dr Hill Mr Jones "
    "internationalisation 2,400 3.5% £12m".split()
)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(plain_word, min_size=1, max_size=30))
    words[0] = words[0][:1].upper() + words[0][1:]
    if draw(st.booleans()):  # a clause boundary somewhere inside
        at = draw(st.integers(0, len(words) - 1))
        words[at] += draw(st.sampled_from([",", ";", ":", " —"]))
    body = " ".join(words)
    if draw(st.integers(0, 5)) == 0:
        body = f"“{body},” said Dr Hill"
    return body + draw(st.sampled_from([".", ".", "?", "!", ""]))


@st.composite
def text_of_words(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(sentence(), min_size=1, max_size=40))
    glue = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n"])
    out = sentences[0]
    for s in sentences[1:]:
        out += draw(glue) + s
    return out


def _visible(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_word_bounded(text: str, spans: list[tuple[int, int]]) -> None:
    for a, b in spans:
        assert a == 0 or text[a - 1].isspace(), f"starts inside a word: {text[a - 8 : a + 12]!r}"
        assert b == len(text) or text[b].isspace(), f"ends inside a word: {text[b - 12 : b + 8]!r}"
    assert spans == sorted(spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    assert "".join(_visible(text[a:b]) for a, b in spans) == _visible(text)


@CI
@given(text_of_words(), st.sampled_from([60, 150, 400, 5_000]))
def test_sentences_start_and_end_at_word_boundaries_and_cover_the_text(
    text: str, size: int
) -> None:
    with window(size):
        doc = clean_text(text)
        sentences = split_sentences(doc)
    _assert_word_bounded(doc.text, [(s.start, s.end) for s in sentences])


@CI
@given(text_of_words(), st.integers(20, 80))
def test_cutting_sentences_to_a_budget_never_cuts_a_word(text: str, tokens: int) -> None:
    """Any budget a single word fits in (only a word longer than the budget must be cut)."""
    with window(200):
        doc = clean_text(text)
        fitted, _ = fit_sentences(doc, split_sentences(doc), tokens)
    _assert_word_bounded(doc.text, [(s.start, s.end) for s in fitted])


# An article in the BBC's manner, written for this test, pasted as one line.
PARAGRAPHS = [
    "Supermarkets said sales over Christmas were the weakest for a decade, as shoppers cut "
    "back on food and drink and waited for the January sales.",
    "The British Retail Consortium said like-for-like sales fell 0.4% in December, compared "
    "with a rise of 1.1% a year earlier.",
    '"We expect a difficult year for the high street," said Dr Helen Marsh, an economist at '
    "the University of Leeds.",
    "Mr Jones, the group's chief executive, told reporters the figures were disappointing but "
    "not surprising; he added that the firm would not cut jobs.",
    "Analysts had forecast growth of about 1%. Shares in the group fell 3p to 245p in early "
    "trading in London.",
    "The government said it would publish its response to the consultation in the spring.",
]


def _one_line(target: int) -> str:
    out: list[str] = []
    i = 0
    while sum(len(p) + 1 for p in out) < target:
        out.append(PARAGRAPHS[i % len(PARAGRAPHS)].replace("decade", f"decade ({i})"))
        i += 1
    return " ".join(out)


def test_an_article_pasted_as_one_line_is_never_cut_inside_a_word() -> None:
    line = _one_line(40_000)
    # Make a window edge fall inside "Supermarkets" (the old cut every 5,000 characters
    # gave "arkets said ...").
    at = line.rfind("Supermarkets", 0, 5_000 - 6)
    line = line.replace(". ", ". " + " " * (5_000 - 6 - at), 1)
    assert line[5_000 - 6 : 5_000 + 6] == "Supermarkets"
    doc = clean_text(line)
    sentences = split_sentences(doc)
    texts = [doc.text[s.start : s.end] for s in sentences]
    _assert_word_bounded(doc.text, [(s.start, s.end) for s in sentences])
    assert not [t for t in texts if t[0].islower()]
    starts = sum(t.startswith("Supermarkets said sales") for t in texts)
    assert starts == line.count("Supermarkets said sales")
    # The quotation keeps its speaker in every copy.
    quoted = [t for t in texts if "difficult year" in t]
    speaker = "said Dr Helen Marsh, an economist at the University of Leeds."
    assert quoted and all(t.endswith(speaker) for t in quoted)


def test_a_window_without_a_sentence_end_is_cut_at_a_clause_boundary() -> None:
    clause = "the trams run every ten minutes from the harbour to the station"
    run_on = ", ".join([clause] * 12) + "."
    with window(300):
        spans = segment._spans(run_on)
    assert len(spans) > 1
    for _, b in spans[:-1]:
        assert run_on[b - 1] == ",", run_on[b - 20 : b + 5]
    _assert_word_bounded(run_on, spans)


def test_a_run_on_is_cut_for_the_budget_at_a_clause_boundary() -> None:
    clause = "and the tram will run every ten minutes between the harbour and the old station"
    run_on = "; ".join([clause] * 30)
    parts = budget._parts(run_on, 0, len(run_on), 60)
    assert len(parts) > 2
    for _, b in parts[:-1]:
        assert run_on[b - 1] == ";", run_on[b - 20 : b + 5]


def test_a_run_on_without_punctuation_is_cut_at_a_space() -> None:
    run_on = "and the tram will run every ten minutes " * 200
    parts = budget._parts(run_on, 0, len(run_on), 50)
    assert len(parts) > 2
    _assert_word_bounded(run_on.rstrip(), parts)


def test_a_run_on_without_spaces_is_cut_at_its_own_punctuation() -> None:
    run_on = "，".join(["東京都の新しい路面電車は十分ごとに走る"] * 40) + "。"
    parts = budget._parts(run_on, 0, len(run_on), 60)
    assert len(parts) > 2
    for _, b in parts[:-1]:
        assert run_on[b - 1] == "，"


def test_overlapping_pysbd_spans_become_a_partition() -> None:
    text = "But you said . . ."
    assert segment._pysbd_spans(text) == [(0, 14), (13, 16)]  # pysbd overlaps, drops a dot
    spans = segment._spans(text)
    assert [text[a:b] for a, b in spans] == ["But you said .", ". ."]
    _assert_word_bounded(text, spans)
