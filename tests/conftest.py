"""Shared fixtures: a province of courts, staff in every role, frozen time by default where asked."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.core.holidays import invalidate
from zhixing.courts.roles import Role

from . import factories


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
    th = courts["th"]
    out = {role.value: factories.staff(th, role.value, username=f"th_{role.value}") for role in Role}
    out["judge2"] = factories.staff(th, Role.JUDGE, username="th_judge2")
    out["gz_director"] = factories.staff(courts["gz"], Role.DIRECTOR, username="gz_director")
    out["gd_president"] = factories.staff(courts["gd"], Role.PRESIDENT, username="gd_president")
    out["yx_director"] = factories.staff(courts["yx"], Role.DIRECTOR, username="yx_director")
    out["yx_judge"] = factories.staff(courts["yx"], Role.JUDGE, username="yx_judge")
    out["ft_director"] = factories.staff(courts["ft"], Role.DIRECTOR, username="ft_director")
    return out
