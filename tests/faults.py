"""Fault injection helpers: a wall-clock guard, a raw loopback server that breaks HTTP in ways
a well-behaved fake cannot (hang, reset the connection, stop half-way, send garbage), and a
scripted model that faults where told and counts the attempts it sees."""

from __future__ import annotations

import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage

from tests.fakes import reader_responder, task_of

Mode = Literal["hang", "reset", "partial", "garbage"]


def bounded(fn: Callable[[], Any], seconds: float = 120) -> Any:
    """Run `fn` in a thread and fail, rather than hang, when it takes longer than `seconds`."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # re-raised in the test's thread
            out["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds}s"
    if "error" in out:
        raise out["error"]
    return out["value"]


class BrokenServer:
    """Reads each request in full, then misbehaves as `mode` says. `requests` counts them."""

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.requests = 0
        self.bodies: list[bytes] = []
        self._release = threading.Event()
        self._lock = threading.Lock()

    def _read_request(self, conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        return body

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            body = self._read_request(conn)
            if body is None:
                return
            with self._lock:
                self.requests += 1
                self.bodies.append(body)
            if self.mode == "hang":
                self._release.wait(30)  # the client's deadline must fire first
            elif self.mode == "reset":
                # SO_LINGER 0: close() sends RST, the way a crashed or killed server does.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif self.mode == "partial":
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b'content-length: 400\r\n\r\n{"id": "chatcmpl-1", "object": "chat.compl'
                )
            else:  # a proxy's error page, with a 200
                page = b"<html><body>Bad gateway (upstream timed out)</body></html>"
                conn.sendall(
                    # connection: close, as this server closes after one answer; a client
                    # reusing the socket would see a reset instead of the page
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n"
                    + f"content-length: {len(page)}\r\n\r\n".encode()
                    + page
                )

    @contextmanager
    def serve(self) -> Iterator[str]:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        listener.settimeout(0.2)
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
        finally:
            stop.set()
            self._release.set()
            thread.join(5)
            listener.close()


class Script:
    """Answers like the reader, except where `fault` (given the task) returns a fault."""

    def __init__(self, fault: Callable[[str], Any]) -> None:
        self.fault = fault
        self.seen: Counter[str] = Counter()  # attempts per distinct prompt
        self.max_tokens: list[int] = []

    def __call__(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> Any:
        task = task_of(messages)
        self.seen[str(messages[-1].content)] += 1
        self.max_tokens.append(int(kwargs.get("max_tokens", 0)))
        reply = self.fault(task)
        return reader_responder(messages, kwargs) if reply is None else reply


def cut(task: str) -> AIMessage:
    return AIMessage(content='{"claims": [', response_metadata={"finish_reason": "length"})
