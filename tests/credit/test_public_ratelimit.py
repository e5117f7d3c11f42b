"""The public query's rate-limit key behind reverse proxies (TRUSTED_PROXIES + X-Forwarded-For)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings

from zhixing.credit.public import client_ip

PUBLIC = "/api/v1/public/blacklist"
PROXIES = ["10.0.0.0/8", "192.168.1.5"]


def ip(remote: str, xff: str | None = None) -> str:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(RequestFactory().get("/", **meta))


def test_default_no_trusted_proxy_ignores_forwarded_for() -> None:
    assert ip("203.0.113.9", "1.2.3.4") == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=PROXIES)
@pytest.mark.parametrize(
    ("remote", "xff", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # untrusted peer: spoofed header ignored
        ("10.1.2.3", "198.51.100.7", "198.51.100.7"),  # one trusted proxy
        ("10.1.2.3", "6.6.6.6, 198.51.100.7, 192.168.1.5", "198.51.100.7"),  # client forged the left entry
        ("10.1.2.3", "10.9.9.9", "10.1.2.3"),  # only proxies: internal traffic, the peer itself
        ("10.1.2.3", None, "10.1.2.3"),
        ("10.1.2.3", "198.51.100.7, not-an-ip", "10.1.2.3"),  # garbled right-most hop
        ("10.1.2.3", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_right_most_untrusted_hop(remote: str, xff: str | None, expected: str) -> None:
    assert ip(remote, xff) == expected


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_rate_limit_per_client_behind_proxy(listed: Any, client: Client) -> None:
    def get(xff: str, remote: str = "10.0.0.1") -> int:
        return client.get(PUBLIC, {"q": "张三"}, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff).status_code

    assert [get("198.51.100.1") for _ in range(31)] == [200] * 30 + [429]
    # Another client behind the same proxy has its own budget.
    assert get("198.51.100.2") == 200
    # A client cannot escape its limit by prepending a fake address.
    assert get("9.9.9.9, 198.51.100.1") == 429


@override_settings(TRUSTED_PROXIES=PROXIES)
def test_spoofed_forwarded_for_from_untrusted_peer(listed: Any, client: Client) -> None:
    codes = [
        client.get(PUBLIC, {"q": "张三"}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        for i in range(31)
    ]
    assert [r.status_code for r in codes] == [200] * 30 + [429]


def test_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from zhixing.config.settings import proxies
    from zhixing.config.settings.env import SettingsError

    with pytest.raises(SettingsError, match="ZHIXING_TRUSTED_PROXIES"):
        proxies._networks("10.0.0.0/8, nonsense")
    assert proxies._networks(" 10.0.0.1/8 ,,::1") == ["10.0.0.0/8", "::1/128"]
