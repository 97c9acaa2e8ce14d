"""Fetching linked articles: limits, content types, and no way into private networks."""

from __future__ import annotations

import gzip
import ipaddress
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import InputError
from service.fetch import (
    FetchBlockedAddress,
    FetchError,
    FetchHTTPError,
    FetchInvalidURL,
    FetchTimeout,
    FetchTooLarge,
    FetchTooManyRedirects,
    FetchUnsupportedContentType,
    IPAddress,
    fetch_article,
    is_public_address,
)
from tests.fake_web import FakeWeb, Page, endless, serve_web

ARTICLE = b"<html><body><article><p>The council approved the budget on Monday.</p></article></body></html>"


@pytest.fixture
def web() -> Iterator[FakeWeb]:
    with serve_web(FakeWeb()) as site:
        yield site


@pytest.fixture
def strict(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path, fetch_timeout_s=2.0, fetch_max_bytes=10_000)


def only_loopback(ip: IPAddress) -> bool:
    """The policy under test, except that the fixture server itself is reachable."""
    return ip == ipaddress.ip_address("127.0.0.1") or is_public_address(ip)


def fetch_local(url: str, settings: Settings) -> object:
    return fetch_article(url, settings, allow=only_loopback)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
    ],
)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:a00:1]/",
        "http://localhost/admin",
        "http://0x7f000001/",  # 127.0.0.1 written as one hex number
    ],
)
def test_literal_and_local_hosts_are_refused_before_connecting(url: str, strict: Settings) -> None:
    with pytest.raises(FetchBlockedAddress) as info:
        fetch_article(url, strict)
    assert info.value.code == "fetch_blocked_address"
    assert "private" in info.value.message


def test_a_name_with_any_private_answer_is_refused(strict: Settings) -> None:
    with pytest.raises(FetchBlockedAddress):
        fetch_article(
            "http://mixed.example/", strict, resolver=lambda _h, _p: ["93.184.215.14", "10.1.1.1"]
        )


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/a",
        "gopher://x/",
        "not a url",
        "http://user:pw@example.com/",
    ],
)
def test_only_plain_http_links(url: str, strict: Settings) -> None:
    with pytest.raises(FetchInvalidURL):
        fetch_article(url, strict)


def test_connects_to_the_checked_address_with_the_real_host(web: FakeWeb, strict: Settings) -> None:
    web.add("/story", Page(body=ARTICLE))
    port = web.base.rsplit(":", 1)[1]
    lookups: list[str] = []

    def resolver(host: str, _port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    got = fetch_article(
        f"http://news.example:{port}/story", strict, resolver=resolver, allow=only_loopback
    )
    assert got.html is not None and "approved the budget" in got.html
    assert got.text is None and got.content_type == "text/html"
    assert got.final_url == f"http://news.example:{port}/story"
    # one lookup, and the server was asked for the named host at the checked address
    assert lookups == ["news.example"]
    assert web.requests[-1]["host"] == f"news.example:{port}"


def test_every_redirect_hop_is_checked(web: FakeWeb, strict: Settings) -> None:
    web.add("/to-metadata", Page(302, {"Location": "http://169.254.169.254/latest/"}))
    with pytest.raises(FetchBlockedAddress):
        fetch_local(web.base + "/to-metadata", strict)
    web.add("/to-internal-name", Page(301, {"Location": "http://intranet.example/"}))
    with pytest.raises(FetchBlockedAddress):
        fetch_article(
            web.base + "/to-internal-name",
            strict,
            resolver=lambda host, _p: ["192.168.0.10"],
            allow=only_loopback,
        )


def test_redirects_are_followed_within_the_limit(web: FakeWeb, strict: Settings) -> None:
    web.add("/a", Page(301, {"Location": "/b"}))
    web.add("/b", Page(302, {"Location": "/c"}))
    web.add("/c", Page(headers={"Content-Type": "text/plain; charset=utf-8"}, body=b"Plain words."))
    got = fetch_local(web.base + "/a", strict)
    assert got.text == "Plain words." and got.final_url == web.base + "/c"  # type: ignore[attr-defined]
    web.add("/loop", Page(302, {"Location": "/loop"}))
    with pytest.raises(FetchTooManyRedirects):
        fetch_local(web.base + "/loop", strict)


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/png", "application/octet-stream", "application/json"]
)
def test_only_article_content_types(web: FakeWeb, strict: Settings, content_type: str) -> None:
    web.add("/file", Page(headers={"Content-Type": content_type}, body=b"%PDF-1.7"))
    with pytest.raises(FetchUnsupportedContentType) as info:
        fetch_local(web.base + "/file", strict)
    assert content_type in info.value.message


def test_missing_content_type_is_refused(web: FakeWeb, strict: Settings) -> None:
    web.add("/bare", Page(headers={}, body=b"hello"))
    with pytest.raises(FetchUnsupportedContentType):
        fetch_local(web.base + "/bare", strict)


def test_declared_size_over_the_limit_is_refused_unread(web: FakeWeb, strict: Settings) -> None:
    web.add(
        "/big", Page(headers={"Content-Type": "text/html", "Content-Length": "50000000"}, body=b"")
    )
    with pytest.raises(FetchTooLarge):
        fetch_local(web.base + "/big", strict)


def test_streamed_size_is_capped(web: FakeWeb, strict: Settings) -> None:
    web.add("/endless", Page(body=endless(b"<p>more</p>" * 100)))
    started = time.monotonic()
    with pytest.raises(FetchTooLarge):
        fetch_local(web.base + "/endless", strict)
    assert time.monotonic() - started < 2


def test_a_compression_bomb_is_capped_after_decompression(web: FakeWeb, strict: Settings) -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 5_000_000 + b"</p>")
    assert len(bomb) < strict.fetch_max_bytes  # small on the wire
    web.add(
        "/bomb", Page(headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}, body=bomb)
    )
    with pytest.raises(FetchTooLarge):
        fetch_local(web.base + "/bomb", strict)


def test_gzip_pages_are_read(web: FakeWeb, strict: Settings) -> None:
    web.add(
        "/gz",
        Page(
            headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
            body=gzip.compress(ARTICLE),
        ),
    )
    assert "budget" in (fetch_local(web.base + "/gz", strict).html or "")  # type: ignore[attr-defined]


def test_a_slow_drip_is_cut_at_the_deadline(web: FakeWeb, strict: Settings) -> None:
    web.add("/drip", Page(body=endless(b"<p>x</p>"), delay_s=0.2))
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        fetch_local(web.base + "/drip", strict)
    assert strict.fetch_timeout_s <= time.monotonic() - started < strict.fetch_timeout_s + 1.5
    assert info.value.code == "fetch_timeout"


def test_http_errors_are_reported_with_their_status(web: FakeWeb, strict: Settings) -> None:
    with pytest.raises(FetchHTTPError) as info:
        fetch_local(web.base + "/missing", strict)
    assert "404" in info.value.message


def test_declared_charset_is_honoured(web: FakeWeb, strict: Settings) -> None:
    web.add(
        "/latin",
        Page(
            headers={"Content-Type": "text/plain; charset=iso-8859-1"},
            body="Zürich café".encode("latin-1"),
        ),
    )
    assert fetch_local(web.base + "/latin", strict).text == "Zürich café"  # type: ignore[attr-defined]


def test_fetch_errors_are_input_errors_with_codes() -> None:
    for cls in (
        FetchBlockedAddress,
        FetchTimeout,
        FetchTooLarge,
        FetchUnsupportedContentType,
        FetchHTTPError,
        FetchTooManyRedirects,
        FetchInvalidURL,
    ):
        assert issubclass(cls, FetchError) and issubclass(cls, InputError)
        assert cls.status == 422 and cls.code.startswith("fetch_")
    assert FetchError.code == "fetch_failed"


def test_allow_private_setting_lets_the_test_server_through(web: FakeWeb, tmp_path: Path) -> None:
    web.add("/story", Page(body=ARTICLE))
    got = fetch_article(web.base + "/story", Settings(cache_dir=tmp_path, fetch_allow_private=True))
    assert got.html is not None
