"""The one source of client addresses, in process: forwarding headers count only from TRUSTED_PROXIES.

tests/security/test_live_client_address.py runs the same attacks against real server processes.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings

from tests import factories
from zhixing.config import server

PROXY = "10.0.0.1"


def test_every_server_entry_point_runs_uvicorn_without_proxy_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    server.main(["--host", "127.0.0.1", "--port", "8123", "--workers", "3"])
    assert calls == [
        {
            "app": "zhixing.config.asgi:application",
            "host": "127.0.0.1",
            "port": 8123,
            "workers": 3,
            "log_level": "warning",
            "proxy_headers": False,
            "server_header": False,
            "lifespan": "off",
            "ws_per_message_deflate": False,
        }
    ]


def test_the_lockout_keys_on_the_platform_client_address() -> None:
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "zhixing.core.clientaddr.client_address"
    assert django_settings.MIDDLEWARE[0] == "zhixing.core.clientaddr.ProxyHeadersMiddleware"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_lockout_per_forwarded_client_behind_a_trusted_proxy(people: dict[str, Any]) -> None:
    def sign_in(password: str, xff: str, remote: str = PROXY) -> int:
        return (
            Client()
            .post(
                "/login/",
                {"username": "th_judge", "password": password},
                REMOTE_ADDR=remote,
                HTTP_X_FORWARDED_FOR=xff,
            )
            .status_code
        )

    assert [sign_in("wrong", "198.51.100.1") for _ in range(4)] == [200] * 4
    assert sign_in("wrong", "198.51.100.1") == 429
    assert sign_in(factories.PASSWORD, "198.51.100.1") == 429
    assert sign_in(factories.PASSWORD, "6.6.6.6, 198.51.100.1") == 429  # a prepended address changes nothing
    assert sign_in(factories.PASSWORD, "198.51.100.2") == 302  # another client behind the proxy


@pytest.mark.django_db
def test_lockout_ignores_forwarded_for_from_an_untrusted_peer(people: dict[str, Any]) -> None:
    codes = [
        Client()
        .post(
            "/login/",
            {"username": "th_judge", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        )
        .status_code
        for i in range(6)
    ]
    assert codes == [200] * 4 + [429, 429]


@pytest.mark.django_db
@override_settings(
    TRUSTED_PROXIES=["10.0.0.0/8"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
@pytest.mark.parametrize(("remote", "secure"), [("203.0.113.9", False), (PROXY, True)])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(remote: str, secure: bool) -> None:
    """A client cannot claim HTTPS (and dodge the redirect) by sending X-Forwarded-Proto itself."""
    resp = Client().get("/login/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    if secure:
        assert resp.status_code == 200
    else:
        assert (resp.status_code, resp["Location"]) == (301, "https://testserver/login/")


@pytest.mark.django_db
def test_forwarding_headers_of_an_untrusted_peer_never_reach_a_view(rf: Any) -> None:
    from zhixing.core.clientaddr import FORWARDING_HEADERS, ProxyHeadersMiddleware

    seen: dict[str, Any] = {}

    def view(request: Any) -> Any:
        seen.update({k: request.META.get(k) for k in FORWARDING_HEADERS})
        return "ok"

    meta = dict.fromkeys(FORWARDING_HEADERS, "forged")
    ProxyHeadersMiddleware(view)(rf.get("/", REMOTE_ADDR="203.0.113.9", **meta))
    assert seen == dict.fromkeys(FORWARDING_HEADERS)
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        ProxyHeadersMiddleware(view)(rf.get("/", REMOTE_ADDR=PROXY, **meta))
    assert seen == dict.fromkeys(FORWARDING_HEADERS, "forged")


@pytest.mark.parametrize(
    ("meta", "address", "key"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9", "203.0.113.9"),
        ({"REMOTE_ADDR": "2001:DB8::1"}, "2001:db8::1", "2001:db8::1"),
        ({}, None, "unknown"),  # no peer (a Unix socket): one shared limit key, no address for axes
        ({"REMOTE_ADDR": "not-an-address"}, None, "unknown"),
    ],
)
def test_address_and_limit_key(rf: Any, meta: dict[str, str], address: str | None, key: str) -> None:
    from zhixing.core.clientaddr import client_address, client_ip

    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert (client_address(request), client_ip(request)) == (address, key)


@pytest.mark.django_db
def test_signing_in_without_a_peer_address_records_no_address(people: dict[str, Any]) -> None:
    """force_login's request has no REMOTE_ADDR: the lockout's log stores none (PostgreSQL's inet
    column refuses a placeholder)."""
    from axes.models import AccessLog

    Client().force_login(people["judge"])
    assert list(AccessLog.objects.values_list("username", "ip_address")) == [("th_judge", None)]
