"""The client's address: the one place that decides who sent a request.

Every per-client limit (the public query's rate limit, the login lockout) keys on `client_address`
(`client_ip` is the same as a key that is never empty). Only
`settings.TRUSTED_PROXIES` may make a forwarding header count: the TCP peer (REMOTE_ADDR) is the client
unless that peer is a trusted proxy. The ASGI server must therefore hand us the real TCP peer; it never
rewrites the peer from X-Forwarded-For itself (see `zhixing.config.server`, which starts every server
the platform runs with uvicorn's proxy headers off).

`ProxyHeadersMiddleware` removes the forwarding headers a non-proxy sent, before anything reads them,
so that neither our code nor Django (X-Forwarded-Proto through SECURE_PROXY_SSL_HEADER) believes them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Headers only a trusted reverse proxy may set (WSGI/ASGI META names).
FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)


def trusted_networks() -> tuple[Network, ...]:
    """`settings.TRUSTED_PROXIES` as networks (empty: no proxy is trusted)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _is_trusted(addr: str, nets: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in n for n in nets)


def peer_is_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the TCP peer of `request` is one of `settings.TRUSTED_PROXIES`."""
    nets = trusted_networks()
    return bool(nets) and _is_trusted(str(request.META.get("REMOTE_ADDR", "") or ""), nets)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request has no usable peer address.

    The TCP peer (REMOTE_ADDR), unless that peer is one of `settings.TRUSTED_PROXIES`: then the
    right-most X-Forwarded-For entry that is not itself a trusted proxy (each proxy appends the address
    it received the request from, so entries to the left of it may be forged by the client). A
    X-Forwarded-For from an untrusted peer is ignored; a garbled entry counts against the proxy.
    """
    peer = _valid(str(request.META.get("REMOTE_ADDR", "") or ""))
    nets = trusted_networks()
    if peer is None or not nets or not _is_trusted(peer, nets):
        return peer
    hops = [h.strip() for h in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _is_trusted(hop, nets):
            return _valid(hop) or peer
    return peer  # every hop is a trusted proxy (internal traffic)


def client_ip(request: HttpRequest) -> str:
    """The key every per-client limit counts on: `client_address`, or "unknown" (one shared key for
    requests without a peer address, e.g. a Unix socket, so they are limited together)."""
    return client_address(request) or "unknown"


def _valid(addr: str) -> str | None:
    try:
        return str(ipaddress.ip_address(addr))
    except ValueError:
        return None


class ProxyHeadersMiddleware:
    """Drop forwarding headers unless a trusted proxy sent the request (first in MIDDLEWARE)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not peer_is_trusted_proxy(request):
            for name in FORWARDING_HEADERS:
                request.META.pop(name, None)
        return self.get_response(request)
