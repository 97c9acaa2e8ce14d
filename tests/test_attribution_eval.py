"""The attribution suites (`summarizer eval attribution`): PolNeAR's brat and CoreNLP files
read right, each annotated attribution scored through the claim carrying it, our own set's
labels located and scored, and the claims-only use case the suites measure. Inline fixtures
only: no corpus needed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from evals.attribution_eval import is_speech, score_attribution, source_kind
from evals.attribution_scoring import in_quotes, resolution, speaker_matches
from evals.attribution_suite import run_suite
from evals.claims_run import ClaimsRun
from evals.own_set import LabelError, cut_inside, load_set, score_article
from evals.own_set import why as own_why
from evals.polnear import Annotated, Article, Mention, Spans, Token, parse_ann, parse_corenlp
from service.config import Settings
from service.engine import Engine
from service.pipeline.models import ArticleInput, Attribution, Claim, Span, Substitution
from tests.conftest import make_backend

TEXT = "Officials met on Monday. “We will win,” said Jane Doe. He added that taxes would fall."
POS = {"Officials": "NNS", "Jane": "NNP", "Doe": "NNP", "He": "PRP", "said": "VBD", "added": "VBD"}
LEMMA = {"said": "say", "added": "add", "met": "meet"}


def _tokens(text: str) -> list[Token]:
    return [
        Token(
            m.start(),
            m.end(),
            m.group(),
            LEMMA.get(m.group(), m.group()),
            POS.get(m.group(), "NN"),
            "O",
        )
        for m in re.finditer(r"\w+|[^\w\s]", text)
    ]


def _spans(text: str, words: str) -> Spans:
    start = text.index(words)
    return Spans(((start, start + len(words)),))


def _article() -> Article:
    tokens = _tokens(TEXT)
    jane = tuple(t for t in tokens if t.word in ("Jane", "Doe"))
    he = tuple(t for t in tokens if t.word == "He")
    chain = [Mention(jane[0].start, jane[-1].end, jane), Mention(he[0].start, he[0].end, he)]
    quote = Annotated(
        "E1", _spans(TEXT, "“We will win,”"), _spans(TEXT, "said"), _spans(TEXT, "Jane Doe")
    )
    added = Annotated(
        "E2", _spans(TEXT, "taxes would fall"), _spans(TEXT, "added"), _spans(TEXT, "He")
    )
    return Article("a", "dev", "nyt", TEXT, [quote, added], tokens, [chain])


def _claim(cid: str, words: str, speaker: str, cue: str = "said", **extra: object) -> Claim:
    start = TEXT.index(words)
    return Claim.model_validate(
        {
            "id": cid,
            "text": words,
            "speaker": speaker,
            "attribution": Attribution(cue=cue),  # type: ignore[arg-type]
            "kind": "statement",
            "sentence_ids": [1],
            "evidence": [Span(start=start, end=start + len(words), quote=words)],
        }
        | extra
    )


QUOTE_CLAIM = _claim("c1", "“We will win,” said Jane Doe.", "Jane Doe", "quote")


def test_brat_events_keep_discontinuous_content_and_sourceless_attributions() -> None:
    ann = (
        "T1\tSource 0 4\tJane\nT2\tCue 5 9\tsaid\nT3\tContent 10 14;20 25\tabcd efghi\n"
        "T4\tAttribution 5 9\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tContent 30 40\tx\nT6\tCue 41 45\ty\nE2\tAttribution-no-source:T6 Content:T5 Cue:T6\n"
        "#1\tAnnotatorNotes T3\tnote\n"
    )
    events = parse_ann(ann)
    assert [e.content.fragments for e in events] == [((10, 14), (20, 25)), ((30, 40),)]
    assert events[0].source == Spans(((0, 4),)) and events[1].source is None
    assert events[0].content.size() == 9


def test_corenlp_tokens_and_coreference_chains() -> None:
    xml = """<root><document><sentences><sentence id="1"><tokens>
    <token id="1"><word>Jane</word><lemma>Jane</lemma><CharacterOffsetBegin>0</CharacterOffsetBegin>
    <CharacterOffsetEnd>4</CharacterOffsetEnd><POS>NNP</POS><NER>PERSON</NER></token>
    <token id="2"><word>said</word><lemma>say</lemma><CharacterOffsetBegin>5</CharacterOffsetBegin>
    <CharacterOffsetEnd>9</CharacterOffsetEnd><POS>VBD</POS><NER>O</NER></token>
    </tokens></sentence></sentences><coreference><coreference>
    <mention representative="true"><sentence>1</sentence><start>1</start><end>2</end><head>1</head></mention>
    </coreference></coreference></document></root>"""
    tokens, chains = parse_corenlp(xml)
    assert [(t.word, t.lemma, t.start) for t in tokens] == [("Jane", "Jane", 0), ("said", "say", 5)]
    assert [[m.tokens[0].word for m in chain] for chain in chains] == [["Jane"]]


def test_a_quotation_credited_to_its_speaker_is_detected_and_matched() -> None:
    art = _article()
    o = score_attribution(art, art.attributions[0], [QUOTE_CLAIM], "nyt")
    assert o["quote"] and o["speech"] and o["kind"] == "name" and o["expected"] == "Jane Doe"
    assert o["detected"] and o["match"] and not o["outlet"] and o["credited_right"]


def test_reported_speech_narrated_by_the_outlet_is_missed_and_counted_as_outlet() -> None:
    art = _article()
    narrated = _claim("c2", "He added that taxes would fall.", "nyt", "narration")
    o = score_attribution(art, art.attributions[1], [QUOTE_CLAIM, narrated], "nyt")
    assert o["speech"] and not o["quote"] and o["kind"] == "pronoun"
    assert not o["detected"] and o["outlet"] and o["claim"] == "c2"


@pytest.mark.parametrize(
    ("speaker", "outcome"), [("Jane Doe", "right"), ("he", "unresolved"), ("Officials", "wrong")]
)
def test_a_pronoun_source_is_judged_by_its_coreference_chain(speaker: str, outcome: str) -> None:
    art = _article()
    claim = _claim("c2", "He added that taxes would fall.", speaker)
    o = score_attribution(art, art.attributions[1], [claim], "nyt")
    assert o["names"] == ["Jane Doe"] and o["resolution"] == outcome and o["checkable"]
    assert o["credited_right"] is (outcome != "wrong")  # "he" kept as written is no error


def test_a_possessive_or_a_name_after_a_preposition_is_no_name_source() -> None:
    text = "Trump 's running mate and a spokesman for Clinton"
    tokens = [
        Token(
            m.start(), m.end(), m.group(), m.group(), "NNP" if m.group()[0].isupper() else "NN", "O"
        )
        for m in re.finditer(r"\S+", text)
    ]
    tokens = [
        t if t.word != "'s" else Token(t.start, t.end, t.word, t.word, "POS", "O") for t in tokens
    ]
    tokens = [
        t if t.word != "for" else Token(t.start, t.end, t.word, t.word, "IN", "O") for t in tokens
    ]
    art = Article("b", "dev", "x", text, [], tokens, [])
    assert source_kind(art, _spans(text, "Trump 's running mate")) == ("description", None)
    assert source_kind(art, _spans(text, "a spokesman for Clinton")) == ("description", None)
    assert source_kind(art, _spans(text, "Clinton")) == ("name", "Clinton")


def test_speaker_match_is_by_surname() -> None:
    assert speaker_matches("Caddell", "longtime Democratic pollster Pat Caddell")
    assert speaker_matches("Hillary Clinton's campaign", "Clinton")
    assert speaker_matches("Donald Trump", "Donald Trump Jr.")  # Jr. skipped
    assert speaker_matches("Donald Trump Jr.", "Trump")
    assert not speaker_matches("Scott Sullivan", "Bernie Ebbers")


def test_quotation_marks_of_every_style_make_a_direct_quotation() -> None:
    for text in ("He said ‘we won’ today", "He said “we won” today", 'He said "we won," today'):
        start = text.index("we")
        assert in_quotes(text, [(start, start + 6)]), text
    plain = "He said we won today"
    assert not in_quotes(plain, [(8, 14)])


def _own_fixture(tmp_path: Path, anchor: str = "will hold a meeting") -> Path:
    (tmp_path / "corpus" / "sport").mkdir(parents=True)
    (tmp_path / "corpus" / "sport" / "001.txt").write_text(
        "Coach wins\n\nThe club said it will hold a meeting. Meanwhile he trained.\nPhoto: Getty\n"
    )
    labels = tmp_path / "own"
    labels.mkdir()
    (labels / "bbc-sport-001.yaml").write_text(
        "id: bbc-sport-001\ncorpus: bbc\npath: sport/001.txt\ngenre: sport\none_line: true\n"
        f'statements:\n- anchor: "{anchor}"\n  speaker: The club\n  cue: said\n'
        'subjects:\n- anchor: "Meanwhile he trained"\n  form: he\n  referent: null\n'
        'furniture:\n- "Photo: Getty"\n'
    )
    return labels


def test_own_set_fails_loudly_on_an_anchor_not_in_the_article(tmp_path: Path) -> None:
    labels = _own_fixture(tmp_path, anchor="will hold a party")
    with pytest.raises(LabelError, match="will hold a party"):
        load_set(tmp_path / "corpus", labels)


def test_own_set_scores_speaker_wrong_names_furniture_and_cut_words(tmp_path: Path) -> None:
    art = load_set(tmp_path / "corpus", _own_fixture(tmp_path))[0]
    assert "\n" not in art.text  # one_line: joined before the run
    text = art.text

    def claim(cid: str, words: str, speaker: str, **extra: object) -> Claim:
        start = text.index(words)
        span = Span(start=start, end=start + len(words), quote=words)
        data = {"id": cid, "text": words, "speaker": speaker, "kind": "statement"}
        return Claim.model_validate(data | {"sentence_ids": [1], "evidence": [span]} | extra)

    antecedent = Span(start=0, end=5, quote="Coach")
    sub = Substitution(original="he", replacement="Coach", antecedent=antecedent)
    claims = [
        claim("c1", "The club said it will hold a meeting.", "the club"),
        claim("c2", "Meanwhile he trained.", "the article", substitutions=[sub]),
        claim("c3", "to: Getty", "the article"),
    ]
    out = {o["type"]: o for o in score_article(art, claims)}
    assert out["statement"]["match"] and not out["statement"]["outlet"]
    assert out["subject"]["outcome"] == "wrong"  # no single referent: any name is wrong
    assert out["furniture"]["leaked"]
    cuts = [o for o in score_article(art, claims) if o["type"] == "claim" and o["cut"]]
    assert [o["claim"] for o in cuts] == ["c3"]  # "to: Getty" starts inside "Photo"
    assert cut_inside("Supermarkets said", 4, 17) and not cut_inside("Supermarkets said", 0, 17)


def test_a_possessive_in_the_cue_is_not_replaced_by_the_speaker(tmp_path: Path) -> None:
    """'His party leader, Michael Howard, said': "His" is someone else, so crediting Howard
    leaves "His" as written; only a subject word that is the speaker takes the speaker."""
    (tmp_path / "corpus" / "politics").mkdir(parents=True)
    text = "Redwood quits\n\nHis party leader, Michael Howard, said he was wrong.\n"
    (tmp_path / "corpus" / "politics" / "001.txt").write_text(text)
    labels = tmp_path / "own"
    labels.mkdir()
    (labels / "bbc-politics-001.yaml").write_text(
        "id: bbc-politics-001\ncorpus: bbc\npath: politics/001.txt\ngenre: politics\n"
        'one_line: false\nstatements: []\nsubjects:\n- anchor: "His party leader"\n'
        '  form: His\n  referent: John Redwood\n- anchor: "His party leader, Michael"\n'
        "  form: His party leader\n  referent: Michael Howard\nfurniture: []\n"
    )
    art = load_set(tmp_path / "corpus", labels)[0]
    cue_words = "His party leader, Michael Howard, said"
    cue = Span(start=art.text.index(cue_words), end=art.text.index(cue_words) + 38, quote=cue_words)
    start = art.text.index("he was wrong")
    claim = Claim.model_validate(
        {
            "id": "c1",
            "text": "he was wrong",
            "speaker": "Michael Howard",
            "attribution": Attribution(cue="said", cue_span=cue),
            "kind": "statement",
            "sentence_ids": [1],
            "evidence": [Span(start=start, end=start + 12, quote="he was wrong")],
        }
    )
    got = [o["outcome"] for o in score_article(art, [claim]) if o["type"] == "subject"]
    assert got == ["left", "right"]


def test_a_suite_whose_corpus_is_absent_is_skipped_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path))
    said: list[str] = []
    assert run_suite(object(), "polnear", echo=said.append) is None
    assert said and "skipped" in said[0]


def test_engine_claims_are_the_claims_a_summary_carries(
    settings: Settings, seed_text: Callable[[str], str]
) -> None:
    engine = Engine(settings, backend=make_backend())
    article = ArticleInput(text=seed_text("004"))
    claims = engine.claims(article)
    summary = engine.summarize(article)
    assert claims.claims and [c.model_dump() for c in claims.claims] == [
        c.model_dump() for c in summary.claims
    ]
    assert all(
        claims.doc.source[s.start : s.end] == s.quote for c in claims.claims for s in c.evidence
    )


def test_an_acronym_matches_the_full_name_by_initials() -> None:
    assert speaker_matches("S&P", "Standard & Poor's")
    assert speaker_matches("the BBC", "British Broadcasting Corporation")
    assert not speaker_matches("UN", "Uganda Nation Xylophones")


def test_a_nested_attribution_credited_to_the_enclosing_source_is_right() -> None:
    text = "Jane Doe said Bob Roe wants lower taxes."
    tokens = _tokens(text)
    tokens = [
        Token(t.start, t.end, t.word, t.lemma, "NNP", "PERSON") if t.word in ("Bob", "Roe") else t
        for t in tokens
    ]
    outer = Annotated(
        "E1",
        _spans(text, "Bob Roe wants lower taxes"),
        _spans(text, "said"),
        _spans(text, "Jane Doe"),
    )
    inner = Annotated(
        "E2", _spans(text, "lower taxes"), _spans(text, "wants"), _spans(text, "Bob Roe")
    )
    art = Article("n", "dev", "nyt", text, [outer, inner], tokens, [])
    claim = Claim(
        id="c1",
        text=text,
        speaker="Jane Doe",
        attribution=Attribution(cue="said"),
        kind="statement",
        sentence_ids=[1],
        evidence=[Span(start=0, end=len(text), quote=text)],
    )
    o = score_attribution(art, inner, [claim], "nyt")
    assert o["expected"] == "Bob Roe" and o["outer"] == ["Jane Doe"]
    assert o["match"] and o["by_outer"]


@dataclass
class _Ctx:
    calls: list[object]


@dataclass
class _Result:
    claims: list[Claim]
    ctx: _Ctx


class _OneArticle:
    """A scripted engine: the one quotation claim, after one model call."""

    def claims(self, _article: ArticleInput) -> _Result:
        return _Result([QUOTE_CLAIM], _Ctx([object()]))


def test_a_rescore_scores_the_claims_the_run_file_kept(tmp_path: Path) -> None:
    live = ClaimsRun(_OneArticle())
    assert live.claims("a", ArticleInput(text=TEXT)) == [QUOTE_CLAIM]
    run_file = tmp_path / "run.json"
    run_file.write_text(json.dumps(live.record()))
    replay = ClaimsRun.rescoring(run_file)
    assert replay.claims("a", ArticleInput(text=TEXT)) == [QUOTE_CLAIM]
    assert replay.claims("b", ArticleInput(text=TEXT)) is None and replay.errors
    assert live.record()["model_calls"] == 1 and replay.record()["rescored"]


def _polnear_folder(root: Path) -> None:
    data = root / "polnear" / "data"
    (data / "test" / "text").mkdir(parents=True)
    (data / "test" / "attributions").mkdir()
    (data / "metadata.tsv").write_text("compartment\tfilename\tpublisher\ntest\ta\tnyt\n")
    (data / "test" / "text" / "a.txt").write_text(TEXT)
    q, said, jane = (TEXT.index(w) for w in ("“We", "said", "Jane"))
    (data / "test" / "attributions" / "a_4e07.ann").write_text(
        f"T1\tContent {q} {q + 14}\tx\nT2\tCue {said} {said + 4}\tsaid\n"
        f"T3\tSource {jane} {jane + 8}\tJane Doe\nE1\tAttribution:T2 Content:T1 Cue:T2 Source:T3\n"
    )


def test_the_test_split_warns_and_the_run_file_keeps_tables_and_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _polnear_folder(tmp_path)
    monkeypatch.setenv("SUMMARIZER_CORPORA", str(tmp_path))
    said: list[str] = []
    report = run_suite(_OneArticle(), "polnear", "test", out=tmp_path / "runs", echo=said.append)
    assert report is not None and said[0].startswith("warning: PolNeAR test")
    assert report["tables"]["nyt"]["quotes"]["value"] == 1.0  # no CoreNLP file: still scored
    saved = json.loads(Path(report["run_file"]).read_text())
    assert Path(report["run_file"]).name.startswith("attribution-test-")
    assert saved["claims"]["a"][0]["speaker"] == "Jane Doe" and saved["model_calls"] == 1
    assert Path(saved["code"]["code"]) == Path(__file__).resolve().parent.parent  # which code


def test_the_expected_name_is_the_person_not_a_place_or_a_bracketed_party() -> None:
    def tok(word: str, start: int, pos: str = "NNP", ner: str = "O") -> Token:
        return Token(start, start + len(word), word, word, pos, ner)

    chief = [tok("Charlotte", 0, ner="LOCATION"), tok("Chief", 10, ner="TITLE")]
    chief += [tok("Kerr", 16, ner="PERSON"), tok("Putney", 21, ner="PERSON")]
    rep = [tok("Jim", 0, ner="PERSON"), tok("Clyburn", 4, ner="PERSON"), tok("(", 12, "-LRB-")]
    rep += [tok("D-S.C.", 13), tok(")", 19, "-RRB-")]
    for tokens, name in ((chief, "Kerr Putney"), (rep, "Jim Clyburn")):
        art = Article("p", "dev", "x", "", [], tokens, [])
        assert source_kind(art, Spans(((0, 30),))) == ("name", name)


def test_a_name_before_a_common_noun_modifies_it_and_is_not_the_source() -> None:
    def run(*words: tuple[str, str, str]) -> Article:
        tokens, at = [], 0
        for word, pos, ner in words:
            tokens.append(Token(at, at + len(word), word, word.lower(), pos, ner))
            at += len(word) + 1
        return Article("m", "dev", "x", "", [], tokens, [])

    spokesman = run(
        ("Snyder", "NNP", "PERSON"),
        ("spokesman", "NN", "O"),
        ("Dave", "NNP", "PERSON"),
        ("Murray", "NNP", "PERSON"),
    )
    assert source_kind(spokesman, Spans(((0, 40),))) == ("name", "Dave Murray")
    aides = run(("Clinton", "NNP", "PERSON"), ("aides", "NNS", "O"))
    assert source_kind(aides, Spans(((0, 40),))) == ("description", None)
    # a capitalised word CoreNLP tags as a noun is part of the name, not a noun it modifies
    ban = run(("Ban", "NNP", "PERSON"), ("Ki-moon", "NN", "PERSON"))
    assert source_kind(ban, Spans(((0, 40),))) == ("name", "Ban")
    # a title-case headline runs the name into the words after it: the PERSON words only
    headline = run(("Elizabeth", "NNP", "PERSON"), ("Warren", "NNP", "PERSON"))
    headline.tokens.append(Token(17, 24, "Hammers", "hammers", "NNP", "O"))
    assert source_kind(headline, Spans(((0, 40),))) == ("name", "Elizabeth Warren")


def test_a_first_person_speaker_is_kept_as_written_not_a_wrong_name() -> None:
    assert resolution("I", "PENCE", ["Hillary Clinton"]) == "unresolved"
    assert resolution("Donald Trump", "he", ["Hillary Clinton"]) == "wrong"


def test_speech_cues_without_corenlp_lemmas_and_a_dash_before_a_quotation() -> None:
    text = "Jane Doe ― “We won.” Bob said it. Polls show a lead."
    art = Article("s", "dev", "x", text, [], [], [])
    assert is_speech(art, _spans(text, "―")) and is_speech(art, _spans(text, "said"))
    assert not is_speech(art, _spans(text, "show"))
    assert source_kind(art, _spans(text, "Bob")) == ("unknown", None)


def test_a_noun_or_adverb_of_a_speech_stem_is_no_speech_cue() -> None:
    text = "Her complaints about it. He allegedly lied. She complained about it."
    tags = {"complaints": ("complaint", "NNS"), "allegedly": ("allegedly", "RB")}
    tags |= {"complained": ("complain", "VBD")}
    tokens = [
        Token(m.start(), m.end(), m.group(), *tags.get(m.group(), (m.group(), "NN")), "O")
        for m in re.finditer(r"\w+|[^\w\s]", text)
    ]
    art = Article("n", "dev", "x", text, [], tokens, [])
    assert not is_speech(art, _spans(text, "complaints"))
    assert not is_speech(art, _spans(text, "allegedly"))
    assert is_speech(art, _spans(text, "complained"))


def test_curly_apostrophes_and_role_speakers() -> None:
    assert speaker_matches("James O’Neill", "O'Neill")
    assert resolution("The ad", "she", ["Hillary Clinton"]) == "unresolved"
    assert resolution("the leader of the House", "he", ["Paul Ryan"]) == "unresolved"
    assert resolution("Melanie", "she", ["Hillary Clinton"]) == "wrong"


def test_a_name_source_given_as_a_role_is_as_written_not_another_name() -> None:
    art = _article()
    role = _claim("c1", "“We will win,” said Jane Doe.", "the candidate", "quote")
    other = _claim("c1", "“We will win,” said Jane Doe.", "Bob Roe", "quote")
    as_role = score_attribution(art, art.attributions[0], [role], "nyt")
    as_other = score_attribution(art, art.attributions[0], [other], "nyt")
    assert not as_role["match"] and not as_role["other"]
    assert not as_other["match"] and as_other["other"]


@pytest.mark.parametrize(
    ("speaker", "reason"),
    [
        ("the club", None),
        ("Chelsea", "wrong speaker"),
        ("it", "speaker as written"),
        ("the article", "credited to the outlet"),
        ("unattributed", "unattributed"),
    ],
)
def test_own_set_says_why_a_statement_missed_its_speaker(
    tmp_path: Path, speaker: str, reason: str | None
) -> None:
    art = load_set(tmp_path / "corpus", _own_fixture(tmp_path))[0]
    words = "The club said it will hold a meeting."
    start = art.text.index(words)
    span = Span(start=start, end=start + len(words), quote=words)
    claim = Claim(
        id="c1", text=words, speaker=speaker, kind="statement", sentence_ids=[1], evidence=[span]
    )
    statement = next(o for o in score_article(art, [claim]) if o["type"] == "statement")
    assert own_why(statement) == reason


def test_a_caption_that_names_someone_in_a_claim_is_furniture_leaked(tmp_path: Path) -> None:
    art = load_set(tmp_path / "corpus", _own_fixture(tmp_path))[0]
    words, caption = "Meanwhile he trained.", "Getty"
    start, at = art.text.index(words), art.text.index(caption)
    sub = Substitution(
        original="he", replacement="Getty", antecedent=Span(start=at, end=at + 5, quote=caption)
    )
    claim = Claim(
        id="c1",
        text="Meanwhile Getty trained.",
        speaker="the article",
        kind="statement",
        sentence_ids=[1],
        evidence=[Span(start=start, end=start + len(words), quote=words)],
        substitutions=[sub],
    )
    furniture = next(o for o in score_article(art, [claim]) if o["type"] == "furniture")
    assert furniture["leaked"] and furniture["got"] == ["c1"]


def test_any_speaker_at_all_is_detected_but_not_credited_right() -> None:
    art = _article()
    junk = _claim("c1", "“We will win,” said Jane Doe.", "Twelve percent", "quote")
    o = score_attribution(art, art.attributions[0], [junk], "nyt")
    assert o["detected"] and not o["credited_right"]
