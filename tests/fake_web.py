"""A scripted web site on loopback: the pages users link to, well-behaved or hostile.

Plain http.server so a route can misbehave at the byte level (drip a body slowly, lie about
its length, stream without end) in ways a framework would smooth over.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html"})
    body: bytes | Iterable[bytes] = b""
    delay_s: float = 0.0  # between chunks of an iterable body


class FakeWeb:
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[dict[str, str]] = []  # path and headers of each request
        self.base = ""

    def add(self, path: str, page: Page) -> str:
        self.pages[path] = page
        return self.base + path


def _handler(web: FakeWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            # the client may give up mid-body (a limit was hit), as it should
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._serve()

        def _serve(self) -> None:
            web.requests.append(
                {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
            )
            page = web.pages.get(self.path.split("?")[0], Page(404, body=b"not found"))
            self.send_response(page.status)
            for name, value in page.headers.items():
                self.send_header(name, value)
            if isinstance(page.body, bytes):
                if "Content-Length" not in page.headers:
                    self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in page.body:
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()
                time.sleep(page.delay_s)
            self.wfile.write(b"0\r\n\r\n")

    return Handler


@contextmanager
def serve_web(web: FakeWeb) -> Iterator[FakeWeb]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(web))
    server.daemon_threads = True
    web.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def endless(chunk: bytes) -> Iterator[bytes]:
    while True:
        yield chunk
