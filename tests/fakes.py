"""Scripted stand-ins for models. No network, no MagicMock: real LangChain chat models whose
answers come from a script, so the whole LLM layer (binding, retries, parsing) is exercised."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

Reply = str | AIMessage | Exception
Responder = Callable[[list[BaseMessage], dict[str, Any]], Reply]


class ScriptedChatModel(BaseChatModel):
    """Answers each call with `responder(messages, kwargs)`; records every call."""

    responder: Any
    calls: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append({"messages": messages, "kwargs": kwargs})
        reply = self.responder(messages, kwargs)
        if isinstance(reply, Exception):
            raise reply
        message = reply if isinstance(reply, AIMessage) else AIMessage(content=reply)
        if not message.response_metadata:
            message.response_metadata = {"finish_reason": "stop"}
        return ChatResult(generations=[ChatGeneration(message=message)])


_SENTENCE = re.compile(r"\[(\d+)\] (.*?)(?= \[\d+\] |\n|$)")
_WINDOW = re.compile(r"claims of sentences \[(\d+)\] to \[(\d+)\]")


def article_sentences(messages: list[BaseMessage]) -> dict[int, str]:
    user = str(messages[-1].content)
    body = user.split("<article>", 1)[1].split("</article>", 1)[0]
    return {int(n): text for n, text in _SENTENCE.findall(body)}


def task_of(messages: list[BaseMessage]) -> str:
    return str(messages[-1].content).rsplit("</article>", 1)[-1]


_CLAIM_LINE = re.compile(r"^\[(c\d+)\] \((.*?)\) (.*)$", re.M)
_ONE_CLAIM = re.compile(r"<claim>\((.*?)\) (.*?)</claim>", re.S)


def claims_shown(messages: list[BaseMessage]) -> list[tuple[str, str, str]]:
    """(id, speaker, text) of each claim a summary task shows, most important first
    (summarize@v4 shows one claim, without its id: "")."""
    user = str(messages[-1].content)
    one = _ONE_CLAIM.search(user)
    if one:
        return [("", one.group(1), one.group(2))]
    body = user.split("<claims>", 1)[1].split("</claims>", 1)[0]
    return _CLAIM_LINE.findall("\n".join(body.splitlines()))


def editor_responder(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
    """A faithful fake editor: the headline is the claim's opening words; it does what the
    instructions say when they ask it to reverse who does what."""
    shown = claims_shown(messages) or [("", "", "Nothing to summarise.")]
    text = shown[0][2]
    if "REVERSE" in str(messages[0].content):  # swap the first two names: who does what
        names = list(dict.fromkeys(re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", text)))
        if len(names) >= 2:
            a, b = names[:2]
            text = text.replace(a, "\0").replace(b, a).replace("\0", b)
    # Like constrained decoding: cut at the schema's bound, even mid-phrase.
    schema = (kwargs.get("response_format") or {}).get("schema") or {}
    limit = schema.get("properties", {}).get("headline", {}).get("maxLength", 10_000)
    return json.dumps({"headline": " ".join(text.split()[:10])[:limit]})


def reader_responder(messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
    """A diligent fake reader: one claim per sentence, quoting it; a summary citing the first
    sentences; entities from capitalised words. Good enough to drive every stage."""
    if "<claim" in str(messages[-1].content):
        return editor_responder(messages, kwargs)
    if "<before>" in str(messages[-1].content):  # refer: the sentence before's last words
        before = str(messages[-1].content).split("<before>", 1)[1].split("</before>", 1)[0]
        words = re.findall(r"[A-Za-z][\w'-]*", before)
        if "VAGUE" in str(messages[0].content):  # a degraded prompt: no words of the sentence
            return json.dumps({"refers_to": "the event"})
        return json.dumps({"refers_to": " ".join(words[-3:]) or "the event"})
    if "<passage>" in str(messages[-1].content):  # check: a plain answer, no log-probabilities
        return "yes"
    sentences = article_sentences(messages)
    task = task_of(messages)
    window = _WINDOW.search(task)
    if window:
        first, last = int(window.group(1)), int(window.group(2))
        # Like constrained decoding, cite only what the schema allows.
        schema = (kwargs.get("response_format") or {}).get("schema", {})
        item = schema["properties"]["claims"]["items"]
        compact = "prefixItems" in item  # extract@v2: [sentences, speaker, claim]
        cited = item["prefixItems"][0] if compact else item["properties"]["sentences"]
        allowed = cited["items"].get("enum")
        claims = [
            {"sentences": [i], "speaker": "article", "claim": sentences[i][:300]}
            for i in (allowed or range(first, last + 1))
            if len(sentences.get(i, "")) >= 8
        ]
        limit = schema.get("properties", {}).get("claims", {}).get("maxItems", 10)
        if compact:
            return json.dumps(
                {"claims": [[c["sentences"], c["speaker"], c["claim"]] for c in claims[:limit]]}
            )
        return json.dumps({"claims": claims[:limit]})
    if "Claim:" in task:
        claim = task.split("Claim:", 1)[1].split("\n", 1)[0].strip()
        hits = [i for i, s in sentences.items() if claim[:20] in s]
        return json.dumps({"sentences": hits[:1]})
    names = sorted({m for s in sentences.values() for m in re.findall(r"\b[A-Z][a-z]{3,}\b", s)})
    ids = sorted(sentences)[:3]
    full = {
        "headline": sentences[ids[0]][:100],
        "summary": " ".join(sentences[ids[0]].split()[:30]),
        "key_points": (ids * 3)[:3],
        "people": [],
        "organizations": [[n] for n in names[:8]],
        "places": [],
    }
    # Like constrained decoding: only the fields the requested schema has.
    wanted = ((kwargs.get("response_format") or {}).get("schema") or {}).get("properties") or full
    limit = (
        wanted.get("summary", {}).get("maxLength")
        if isinstance(wanted.get("summary"), dict)
        else None
    )
    if limit:
        full["summary"] = str(full["summary"])[:limit]
    return json.dumps({k: v for k, v in full.items() if k in wanted})


A_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["a"],
    "properties": {"a": {"type": "integer"}},
}


def ask_for_a(backend: Any, max_tokens: int = 100) -> Any:
    """One structured call asking for {"a": <int>}: the smallest real use of a backend."""
    from langchain_core.messages import HumanMessage

    return backend.generate(
        [HumanMessage("give a as JSON")],
        schema=A_SCHEMA,
        schema_name="t",
        max_tokens=max_tokens,
        label="t",
        prompt_version="t@v1",
    )
