"""Shared fixtures: a province of courts, staff in every role, frozen time by default where asked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from zhixing.core.holidays import invalidate
from zhixing.courts.roles import Role

from . import factories, gateway_client

# Property tests run on shared and loaded machines (CI's two cores, a developer's laptop mid-build): a slow
# generation or a slow example is the machine's, not a defect, so neither the "too slow" health check nor
# the per-example deadline may fail a run. Explicit @settings on a test still override the other fields.
hypothesis_settings.register_profile("zhixing", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("zhixing")

# Partner screening's check and batch are served by the ASGI screening gateway: Client() reaches it.
gateway_client.install()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.

    `tests/services/test_security.py` checks that production settings hash with Argon2.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    invalidate()
    yield
    invalidate()


@pytest.fixture
def courts(db: Any) -> dict[str, Any]:
    return factories.province()


@pytest.fixture
def people(courts: dict[str, Any]) -> dict[str, Any]:
    """Staff of every role in 天河 (粤0106), plus a director/president of the higher courts and a sibling."""
    return staff_of(courts)


@contextmanager
def rolled_back(django_db_blocker: Any) -> Iterator[None]:
    """A transaction for data a whole module shares, rolled back when the module is done.

    For module-scoped fixtures (`django_db_blocker` and `django_db_setup` requested by the caller): each
    test of the module then runs in its own savepoint inside it (pytest-django nests the test's atomic
    block), so it sees the shared data as made and leaves nothing behind. The function fixtures that
    setup relies on (fast password hashing, Huey inline, a fresh holiday calendar) are not active at
    module scope, so their effect is set here for the setup's duration."""
    from django.db import transaction
    from django.test import override_settings
    from huey.contrib.djhuey import HUEY

    inline = HUEY.immediate
    HUEY.immediate = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
            transaction.atomic(),
        ):
            invalidate()
            try:
                yield
            finally:
                transaction.set_rollback(True)
                invalidate()
    finally:
        HUEY.immediate = inline


def staff_of(courts: dict[str, Any]) -> dict[str, Any]:
    """The `people` fixture's staff, for module-scoped worlds that cannot use the function fixture."""
    th = courts["th"]
    out = {role.value: factories.staff(th, role.value, username=f"th_{role.value}") for role in Role}
    out["judge2"] = factories.staff(th, Role.JUDGE, username="th_judge2")
    out["gz_director"] = factories.staff(courts["gz"], Role.DIRECTOR, username="gz_director")
    out["gd_president"] = factories.staff(courts["gd"], Role.PRESIDENT, username="gd_president")
    out["yx_director"] = factories.staff(courts["yx"], Role.DIRECTOR, username="yx_director")
    out["yx_judge"] = factories.staff(courts["yx"], Role.JUDGE, username="yx_judge")
    out["ft_director"] = factories.staff(courts["ft"], Role.DIRECTOR, username="ft_director")
    return out


# -- every audit action written must have Chinese words (zhixing.core.audit_catalogue) ---------------

_UNWORDED: list[str] = []


@pytest.fixture(autouse=True, scope="session")
def _audit_words_watch() -> Any:
    """Wrap `audit.record_many` once per session: note each code written by platform code without words.

    Codes written directly by a test module (chain tests use codes like "t.x") are not checked.
    """
    import sys

    from zhixing.core import audit, audit_catalogue

    original = audit.record_many
    audit_file = audit.__file__

    def watched(actor: Any, items: Any, **kw: Any) -> Any:
        missing = [i["action"] for i in items if not audit_catalogue.has_words(i["action"])]
        if missing:
            frame = sys._getframe(1)
            while frame is not None and frame.f_code.co_filename == audit_file:
                frame = frame.f_back
            where = f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "?"
            if "/tests/" not in where:
                for code in dict.fromkeys(missing):
                    app = (
                        where.split("/zhixing/", 1)[-1].split("/", 1)[0] if "/zhixing/" in where else "<app>"
                    )
                    _UNWORDED.append(
                        f"audit action {code!r} (written at {where}) has no Chinese words: add it to "
                        f"register_actions(...) in src/zhixing/{app}/audit_words.py (docs/audit.md)"
                    )
        return original(actor, items, **kw)

    audit.record_many = watched  # type: ignore[assignment]
    yield
    audit.record_many = original  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _audit_words_guard(_audit_words_watch: Any) -> Any:
    _UNWORDED.clear()
    yield
    if _UNWORDED:
        found = list(dict.fromkeys(_UNWORDED))
        _UNWORDED.clear()
        pytest.fail("\n".join(found), pytrace=False)
