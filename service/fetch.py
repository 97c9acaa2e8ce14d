"""Fetch an article a user linked to, with strict limits and no way into private networks.

The URL comes from whoever can type in a Slack channel, so it is hostile until shown
otherwise (SSRF): the host is resolved here, every address must be public, the connection
goes to the address that was checked (a second DNS answer cannot swap it for 127.0.0.1),
every redirect hop is checked the same way, and size, time and content type are capped.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from service.config import Settings
from service.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
AddressPolicy = Callable[[IPAddress], bool]

ALLOWED_TYPES = ("text/html", "text/plain", "application/xhtml+xml")
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "summarizer/0.1 (article fetch; +https://github.com/summarizer)"
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# DNS lookups get their own threads so a hanging resolver cannot outlast the deadline.
_DNS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-dns")


class FetchError(InputError):
    code = "fetch_failed"
    status = 422


class FetchInvalidURL(FetchError):
    code = "fetch_invalid_url"


class FetchBlockedAddress(FetchError):
    code = "fetch_blocked_address"


class FetchTimeout(FetchError):
    code = "fetch_timeout"


class FetchTooLarge(FetchError):
    code = "fetch_too_large"


class FetchUnsupportedContentType(FetchError):
    code = "fetch_unsupported_content_type"


class FetchHTTPError(FetchError):
    code = "fetch_http_error"


class FetchTooManyRedirects(FetchError):
    code = "fetch_too_many_redirects"


@dataclass(frozen=True)
class Fetched:
    text: str | None
    html: str | None
    final_url: str
    content_type: str


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address and every IPv4 address it smuggles (mapped, NAT64, 6to4, Teredo)."""
    found: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            found.append(ip.sixtofour)
        if ip.teredo is not None:
            found.extend(ip.teredo)
        if any(ip in net for net in _NAT64):
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public_address(ip: IPAddress) -> bool:
    # is_global alone lets multicast through, and Python 3.11 misjudges IPv4-mapped IPv6.
    return all(
        a.is_global
        and not (
            a.is_private
            or a.is_loopback
            or a.is_link_local
            or a.is_multicast
            or a.is_reserved
            or a.is_unspecified
        )
        for a in _embedded(ip)
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchTimeout("the page took too long to load")
    return left


def _checked_address(
    url: httpx.URL, resolver: Resolver, allow: AddressPolicy, deadline: float
) -> IPAddress:
    if url.scheme not in ("http", "https"):
        raise FetchInvalidURL("only http and https links can be fetched")
    if not url.host:
        raise FetchInvalidURL("the link has no host name")
    if url.userinfo:
        raise FetchInvalidURL("links with a user name or password are not fetched")
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        ips = [ipaddress.ip_address(host)]
    except ValueError:
        future = _DNS.submit(resolver, host, port)
        try:
            ips = [
                ipaddress.ip_address(a.split("%")[0]) for a in future.result(_remaining(deadline))
            ]
        except FutureTimeout as exc:
            raise FetchTimeout(f"looking up {url.host} took too long") from exc
        except (OSError, ValueError) as exc:
            raise FetchError(f"the host {url.host} could not be found") from exc
    if not ips:
        raise FetchError(f"the host {url.host} could not be found")
    # One private answer is enough to refuse: the attacker may control which one is used.
    if not all(allow(ip) for ip in ips):
        raise FetchBlockedAddress(
            f"{url.host} points to a private, loopback or otherwise internal address; "
            "only public web pages can be fetched"
        )
    return ips[0]


def _decoded(response: httpx.Response, limit: int, deadline: float) -> Iterator[bytes]:
    """The body, decompressed by us so a small gzip bomb cannot expand past the limit."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        for chunk in response.iter_raw():
            _remaining(deadline)
            yield chunk
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"the page uses an unsupported compression ({encoding})")
    inflater = zlib.decompressobj(wbits=47)  # 32+15: gzip or zlib header, detected
    try:
        for chunk in response.iter_raw():
            _remaining(deadline)
            data = chunk
            while data:
                out = inflater.decompress(data, limit + 1)
                yield out
                data = inflater.unconsumed_tail
                if not out:
                    break
    except zlib.error as exc:
        raise FetchError("the page's compressed body is corrupt") from exc


def _read_body(response: httpx.Response, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchTooLarge(f"the page is {declared} bytes; the limit is {limit}")
    body = bytearray()
    for chunk in _decoded(response, limit, deadline):
        body += chunk
        if len(body) > limit:
            raise FetchTooLarge(f"the page is larger than the limit of {limit} bytes")
    return bytes(body)


def _charset(content_type: str, body: bytes) -> str:
    found = re.search(r"charset=\"?([A-Za-z0-9_\-]+)", content_type)
    name = found.group(1) if found else None
    if name is None:
        meta = _META_CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii") if meta else "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def _content_type(response: httpx.Response) -> str:
    media = str(response.headers.get("content-type", "")).split(";")[0].strip().lower()
    if media not in ALLOWED_TYPES:
        shown = media or "no content type"
        raise FetchUnsupportedContentType(
            f"the link is {shown}, not an article page (HTML or plain text)"
        )
    return media


def fetch_article(
    url: str,
    settings: Settings,
    *,
    resolver: Resolver = system_resolver,
    allow: AddressPolicy | None = None,
) -> Fetched:
    """GET an article page. Raises FetchError (an InputError) with a machine-readable code."""
    policy = allow or ((lambda _ip: True) if settings.fetch_allow_private else is_public_address)
    deadline = time.monotonic() + settings.fetch_timeout_s
    try:
        current = httpx.URL(url.strip())
    except httpx.InvalidURL as exc:
        raise FetchInvalidURL("the link is not a valid URL") from exc
    # trust_env=False: a proxy from the environment would defeat connecting to the checked IP.
    with httpx.Client(trust_env=False, follow_redirects=False) as client:
        for _hop in range(settings.fetch_max_redirects + 1):
            ip = _checked_address(current, resolver, policy, deadline)
            pinned = current.copy_with(host=str(ip))
            headers = {
                "Host": current.netloc.decode("ascii"),
                "User-Agent": USER_AGENT,
                "Accept": ", ".join(ALLOWED_TYPES),
                "Accept-Encoding": "gzip, deflate",
            }
            # sni_hostname keeps TLS verifying the certificate against the real host name.
            sni = current.raw_host.decode("ascii")
            request = client.build_request(
                "GET",
                pinned,
                headers=headers,
                timeout=httpx.Timeout(_remaining(deadline)),
                extensions={"sni_hostname": sni} if current.scheme == "https" else None,
            )
            try:
                response = client.send(request, stream=True)
                try:
                    if response.status_code in REDIRECTS and "location" in response.headers:
                        current = _next_hop(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchHTTPError(
                            f"the site answered HTTP {response.status_code} for this link"
                        )
                    media = _content_type(response)
                    body = _read_body(response, settings.fetch_max_bytes, deadline)
                finally:
                    response.close()
            except httpx.TimeoutException as exc:
                raise FetchTimeout("the page took too long to load") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"the page could not be loaded ({type(exc).__name__})") from exc
            decoded = body.decode(
                _charset(response.headers.get("content-type", ""), body), "replace"
            )
            final = str(current)
            if media == "text/plain":
                return Fetched(text=decoded, html=None, final_url=final, content_type=media)
            return Fetched(text=None, html=decoded, final_url=final, content_type=media)
    raise FetchTooManyRedirects(
        f"the link redirected more than {settings.fetch_max_redirects} times"
    )


def _next_hop(current: httpx.URL, location: str) -> httpx.URL:
    try:
        return httpx.URL(urljoin(str(current), location.strip()))
    except httpx.InvalidURL as exc:
        raise FetchInvalidURL("the site redirected to an invalid URL") from exc
