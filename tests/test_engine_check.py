"""Engine.check_statement: the checker's model question on a statement, asked on the
sentences of the claims it rests on (what the bench times for a model-phrased headline)."""

from __future__ import annotations

from pathlib import Path

from langchain_core.messages import BaseMessage
from pydantic import Field

from service.compose import build_engine
from service.config import Settings
from service.llm.backend import ChatModelBackend
from service.llm.factory import local_binder
from service.llm.probability import YesNo
from service.pipeline.models import ArticleInput
from tests.conftest import ARTICLES
from tests.fakes import ScriptedChatModel, reader_responder

SEED = next(ARTICLES.glob("004*.txt")).read_text()


class PassageReader(ScriptedChatModel):
    """'Yes' when the statement's words are in the passage it was shown; keeps each passage."""

    passages: list[str] = Field(default_factory=list)

    def answer_logprobs(
        self, messages: list[BaseMessage], yes: tuple[str, ...], no: tuple[str, ...]
    ) -> tuple[YesNo, tuple[int, int]]:
        user = str(messages[-1].content)
        passage = user.split("<passage>", 1)[1].split("</passage>", 1)[0]
        statement = user.split("Statement:", 1)[1].split("\n", 1)[0].strip()
        self.passages.append(passage)
        stated = statement.rstrip(".") in " ".join(passage.split())
        return (YesNo(-0.1, -3.0) if stated else YesNo(-3.0, -0.1)), (100, 0)


def test_a_statement_is_asked_on_its_claims_sentences(tmp_path: Path) -> None:
    reader = PassageReader(responder=reader_responder)
    backend = ChatModelBackend(
        reader, model_id="scripted:passage", context_tokens=4096, binder=local_binder
    )
    engine = build_engine(Settings(cache_dir=tmp_path), backend=backend)
    article = ArticleInput(text=SEED)
    # a claim past the opening sentence: the question must be asked on its own sentences
    claim = next(c for c in engine.summarize(article).claims if 1 not in c.sentence_ids)
    quote = " ".join(claim.evidence[0].quote.split())

    stated = engine.check_statement(article, [claim], quote)
    invented = engine.check_statement(article, [claim], "The moon is made of cheese.")

    assert stated.probability is not None and stated.probability > 0.9
    assert invented.probability is not None and invented.probability < 0.1
    assert stated.seconds >= 0 and quote in " ".join(reader.passages[0].split())
