"""A fake OpenAI-compatible server on loopback, scripted per test.

It behaves like a llama.cpp server by default: `json_schema` response formats are refused
with HTTP 500, `json_object` (+schema) is accepted. Tests queue replies or faults.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from service.config import Settings

Handler = Callable[[dict[str, Any]], JSONResponse | dict[str, Any]]


def completion(
    content: str,
    *,
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
    cached: int = 0,
    finish: str = "stop",
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": cached},
        },
    }


def reader(body: dict[str, Any], delay_s: float = 0.0) -> dict[str, Any]:
    """The scripted diligent reader (tests/fakes.py) behind the OpenAI wire format."""
    from langchain_core.messages import HumanMessage, SystemMessage

    from tests.fakes import reader_responder

    if delay_s:
        time.sleep(delay_s)
    messages = [
        SystemMessage(m["content"]) if m["role"] == "system" else HumanMessage(m["content"])
        for m in body["messages"]
    ]
    content = reader_responder(messages, {"response_format": body.get("response_format")})
    return completion(content)


class FakeOpenAI:
    def __init__(self, handler: Handler, *, refuse_json_schema: bool = True) -> None:
        self.handler = handler
        self.refuse_json_schema = refuse_json_schema
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Any:
            body = await request.json()
            self.requests.append(body)
            self.headers.append(dict(request.headers))
            fmt = body.get("response_format") or {}
            if self.refuse_json_schema and fmt.get("type") == "json_schema":
                return JSONResponse(
                    {"error": {"message": "response_format json_schema not supported"}},
                    status_code=500,
                )
            return self.handler(body)

        self.app = app


@contextmanager
def serve_asgi(app: FastAPI) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free loopback port, lifespan included."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@contextmanager
def serve(fake: FakeOpenAI) -> Iterator[str]:
    with serve_asgi(fake.app) as base:
        yield f"{base}/v1"


def openai_settings(cache_dir: Path, url: str, key: str, **extra: Any) -> Settings:
    """Settings for the OpenAI-compatible backend, pointed at a fake server."""
    return Settings(
        backend="openai",
        OPENAI_API_KEY=key,
        OPENAI_BASE_URL=url,
        openai_model="fake-model",
        cache_dir=cache_dir,
        **extra,
    )
