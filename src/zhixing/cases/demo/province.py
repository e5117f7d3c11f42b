"""The demo province: seven courts, their teams and staff in every role, all through the court services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.contrib.auth import base_user
from django.contrib.auth.hashers import make_password
from faker import Faker

from zhixing.courts import demo_roster
from zhixing.courts.demo_roster import COURTS, DEMO_PASSWORD, TEAMS
from zhixing.courts.models import Court, CourtLevel, Staff, Team
from zhixing.courts.roles import Role
from zhixing.courts.services import create_court, create_staff, create_team


@dataclass(frozen=True)
class Locale:
    """Where a basic court sits: its share of cases and the area codes of the people around it."""

    city: str  # 广州市
    short: str  # 穗 (used in arbitral and administrative document numbers)
    district: str  # 天河区
    area: str  # 440106
    neighbours: tuple[str, ...]  # other area codes of the same city
    weight: float


LOCALES: dict[str, Locale] = {
    "粤0106": Locale(
        "广州市", "穗", "天河区", "440106", ("440103", "440105", "440111", "440112", "440113"), 0.31
    ),
    "粤0104": Locale(
        "广州市", "穗", "越秀区", "440104", ("440103", "440105", "440111", "440114", "440118"), 0.21
    ),
    "粤0304": Locale(
        "深圳市", "深", "福田区", "440304", ("440303", "440306", "440307", "440309", "440310"), 0.27
    ),
    "粤0305": Locale(
        "深圳市", "深", "南山区", "440305", ("440303", "440306", "440307", "440309", "440311"), 0.21
    ),
}
OTHER_AREAS = ("440604", "440605", "440106", "441302", "440402", "445102", "440703", "441202")


@dataclass
class CourtCast:
    """One basic court with the people who work its cases."""

    court: Court
    locale: Locale
    president: Staff
    director: Staff
    filers: list[Staff] = field(default_factory=list)  # clerks and assistants
    judges: dict[str, list[Staff]] = field(default_factory=lambda: defaultdict(list))  # by team kind

    def all_judges(self) -> list[Staff]:
        return [
            j for kind in (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.DORMANT) for j in self.judges[kind]
        ]


@dataclass
class Province:
    courts: list[Court]
    basic: list[CourtCast]
    logins: list[tuple[str, str, str]]  # username, role label, court name


@contextmanager
def _one_hash_per_password() -> Iterator[None]:
    """Hash the shared demo password once: Argon2 takes ~0.2 s a call here, and there are 100-200 staff.

    `AbstractBaseUser.set_password` calls the `make_password` its module imported, so that name is the one
    replaced (for the duration of the load only).
    """
    cache: dict[str, str] = {}

    def cached(raw: str | None, *args: Any, **kwargs: Any) -> str:
        if raw is None or args or kwargs:
            return make_password(raw, *args, **kwargs)
        if raw not in cache:
            cache[raw] = make_password(raw)
        return cache[raw]

    with mock.patch.object(base_user, "make_password", cached):
        yield


def build_province(fake: Faker | None, judges_per_court: int) -> Province:
    """Courts, teams and staff, all through the audited court services: exactly the demo roster
    (`zhixing.courts.demo_roster`), which the login page and `make run` list too."""
    roster = demo_roster.accounts(judges_per_court)
    logins = [(a.username, a.role_label, a.court_name) for a in roster]
    by_code: dict[str, Court] = {}
    teams: dict[str, dict[str, Team]] = {}
    casts: dict[str, CourtCast] = {}
    staff_of: dict[str, Staff] = {}

    with _one_hash_per_password():
        for code, name, level, parent, _prefix in COURTS:
            court = create_court(
                None, code=code, name=name, level=level, parent=by_code[parent] if parent else None
            )
            by_code[code] = court
            if level == CourtLevel.BASIC:
                teams[code] = {
                    kind: create_team(None, court=court, name=team_name, kind=kind)
                    for team_name, kind in TEAMS
                }
        for a in roster:
            home = by_code.get(a.court_code)
            staff_of[a.username] = create_staff(
                None,
                username=a.username,
                full_name=a.full_name,
                password=DEMO_PASSWORD,
                court=home,
                role=a.role,
                team=teams[a.court_code][a.team_kind] if a.team_kind else None,
                **({"is_superuser": True} if a.superuser else {}),
            )
        for code, _name, level, _parent, prefix in COURTS:
            if level != CourtLevel.BASIC:
                continue
            cast = CourtCast(
                court=by_code[code],
                locale=LOCALES[code],
                president=staff_of[f"{prefix}_president"],
                director=staff_of[f"{prefix}_director"],
            )
            for a in roster:
                if a.court_code != code:
                    continue
                if a.role == Role.JUDGE:
                    cast.judges[a.team_kind].append(staff_of[a.username])
                elif a.role in (Role.ASSISTANT, Role.CLERK):
                    cast.filers.append(staff_of[a.username])
            casts[code] = cast
    return Province(
        courts=list(by_code.values()),
        basic=[casts[code] for code, *_ in COURTS if code in casts],
        logins=logins,
    )


# -- plans ------------------------------------------------------------------------------------------
