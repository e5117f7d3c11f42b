"""Forged X-Forwarded-For against real server processes: the public rate limit and the login lockout.

Each server here is the platform as it runs (tests/live_asgi.py): the documented deployment
(`python -m zhixing.config.server`) and `make run`'s launcher. A client on the same host (the test, on
loopback) sends a new forged X-Forwarded-For with every request; only ZHIXING_TRUSTED_PROXIES may make
that header count, so without it every request is the same client and the limits hold. Two server
processes over one database share every count (the shared cache and the lockout table).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.live_asgi import (
    LiveASGI,
    copied_data_dir,
    login_form,
    manage,
    migrated_data_dir,
    wait_for_fresh_window,
)
from zhixing.credit.public import PUBLIC_PER_MINUTE

pytestmark = [
    pytest.mark.slow,
    # The servers run on SQLite in their own data directories whatever the suite's database: the
    # SQLite pass covers them, the PostgreSQL pass would only repeat them.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass"),
    pytest.mark.backend_neutral,
    # The session's freshly migrated test database becomes the servers' template (tests/live_asgi.py).
    pytest.mark.usefixtures("django_db_setup"),
]

PASSWORD = "Zx-live-2026!"
USERS = ("u_rate", "u_lock", "u_proxy", "u_shared")
PUBLIC = "/api/v1/public/blacklist"
LOCKOUT_AFTER = 5  # ZHIXING_LOGIN_FAILURE_LIMIT's default
_forged = (f"198.51.100.{i % 250 + 1}" for i in itertools.count())


@pytest.fixture(scope="module")
def with_users(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated data directory with the sign-in users, made once (a Django process) and copied."""
    data = migrated_data_dir(tmp_path_factory.mktemp("with-users"))
    names = ", ".join(repr(u) for u in USERS)
    manage(
        data,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"for u in ({names}):\n"
        f"    get_user_model().objects.create_superuser(u, '', {PASSWORD!r})",
    )
    return data


def prepared(with_users: Path, path: Path) -> Path:
    """A data directory of its own with the sign-in users (no count, lockout or session in it yet)."""
    return copied_data_dir(with_users, path)


def public_query(base: str, xff: str) -> int:
    resp = requests.get(base + PUBLIC, params={"q": "张三"}, headers={"X-Forwarded-For": xff}, timeout=10)
    return resp.status_code


def sign_in(
    session: requests.Session, base: str, username: str, password: str, xff: str
) -> requests.Response:
    token = login_form(session, base)
    return session.post(
        base + "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"X-Forwarded-For": xff},
        allow_redirects=False,
        timeout=10,
    )


@pytest.fixture(scope="module", params=["server", "launcher"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, with_users: Path
) -> Iterator[LiveASGI]:
    data = prepared(with_users, tmp_path_factory.mktemp(f"live-{request.param}"))
    with LiveASGI(data, entry=request.param) as srv:
        yield srv


def test_forged_forwarded_for_does_not_escape_the_public_rate_limit(live: LiveASGI) -> None:
    wait_for_fresh_window()
    codes = [public_query(live.url, next(_forged)) for _ in range(PUBLIC_PER_MINUTE + 1)]
    assert codes == [200] * PUBLIC_PER_MINUTE + [429]


def test_forged_forwarded_for_does_not_escape_the_login_lockout(live: LiveASGI) -> None:
    session = requests.Session()
    failures = [
        sign_in(session, live.url, "u_lock", "wrong-password", next(_forged)) for _ in range(LOCKOUT_AFTER)
    ]
    assert [r.status_code for r in failures[:-1]] == [200] * (LOCKOUT_AFTER - 1)
    # Locked: even the right password, from yet another forged address, is refused.
    resp = sign_in(session, live.url, "u_lock", PASSWORD, next(_forged))
    assert resp.status_code == 429
    assert "登录已暂时锁定" in resp.text


def test_only_trusted_proxies_decide_the_client(with_users: Path, tmp_path: Path) -> None:
    """Behind a trusted proxy (here: loopback), the right-most forwarded address is the client."""
    data = prepared(with_users, tmp_path / "proxy")
    with LiveASGI(data, env={"ZHIXING_TRUSTED_PROXIES": "127.0.0.1"}) as srv:
        session = requests.Session()
        for _ in range(LOCKOUT_AFTER):
            sign_in(session, srv.url, "u_proxy", "wrong-password", "203.0.113.7")
        assert sign_in(session, srv.url, "u_proxy", PASSWORD, "203.0.113.7").status_code == 429
        # A client cannot pass as another by prepending an address: the proxy appended the real one.
        assert sign_in(session, srv.url, "u_proxy", PASSWORD, "203.0.113.8, 203.0.113.7").status_code == 429
        # Another client behind the same proxy is not locked out.
        assert sign_in(requests.Session(), srv.url, "u_proxy", PASSWORD, "203.0.113.8").status_code == 302

        wait_for_fresh_window()
        codes = [public_query(srv.url, "203.0.113.20") for _ in range(PUBLIC_PER_MINUTE + 1)]
        assert codes == [200] * PUBLIC_PER_MINUTE + [429]
        assert public_query(srv.url, "203.0.113.21") == 200


def test_two_server_processes_share_the_limits(with_users: Path, tmp_path: Path) -> None:
    """Counts are in the shared store (database cache, lockout table), not in one process's memory."""
    data = prepared(with_users, tmp_path / "shared")
    with LiveASGI(data) as one, LiveASGI(data) as two:
        bases = itertools.cycle([one.url, two.url])
        wait_for_fresh_window()
        codes = [public_query(next(bases), next(_forged)) for _ in range(PUBLIC_PER_MINUTE + 2)]
        assert codes == [200] * PUBLIC_PER_MINUTE + [429, 429]

        session = requests.Session()
        for _ in range(LOCKOUT_AFTER):
            sign_in(session, next(bases), "u_shared", "wrong-password", next(_forged))
        assert sign_in(session, one.url, "u_shared", PASSWORD, next(_forged)).status_code == 429
        assert sign_in(session, two.url, "u_shared", PASSWORD, next(_forged)).status_code == 429
