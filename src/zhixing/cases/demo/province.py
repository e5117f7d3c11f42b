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

from zhixing.courts.models import Court, CourtLevel, Staff, Team
from zhixing.courts.roles import Role
from zhixing.courts.services import create_court, create_staff, create_team

DEMO_PASSWORD = "zhixing2026"

# code, name, level, parent code, login prefix
COURTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("粤", "广东省高级人民法院", CourtLevel.HIGH, None, "gd"),
    ("粤01", "广州市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "gz"),
    ("粤03", "深圳市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "sz"),
    ("粤0106", "广州市天河区人民法院", CourtLevel.BASIC, "粤01", "th"),
    ("粤0104", "广州市越秀区人民法院", CourtLevel.BASIC, "粤01", "yx"),
    ("粤0304", "深圳市福田区人民法院", CourtLevel.BASIC, "粤03", "ft"),
    ("粤0305", "深圳市南山区人民法院", CourtLevel.BASIC, "粤03", "ns"),
)


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

TEAMS = (
    ("简案快执团队", Team.Kind.FAST),
    ("繁案精办团队", Team.Kind.COMPLEX),
    ("终本案件管理团队", Team.Kind.DORMANT),
)
TEAM_OF_JUDGE = (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.FAST, Team.Kind.DORMANT, Team.Kind.COMPLEX)


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


def build_province(fake: Faker, judges_per_court: int) -> Province:
    """Courts, teams and staff, all through the audited court services."""
    logins: list[tuple[str, str, str]] = []
    by_code: dict[str, Court] = {}
    basic: list[CourtCast] = []

    def staff(court: Court | None, username: str, role: str, team: Team | None = None) -> Staff:
        person = create_staff(
            None,
            username=username,
            full_name=fake.name(),
            password=DEMO_PASSWORD,
            court=court,
            role=role,
            team=team,
        )
        logins.append((username, Role(role).label, court.name if court else "—"))
        return person

    with _one_hash_per_password():
        for code, name, level, parent, prefix in COURTS:
            court = create_court(
                None, code=code, name=name, level=level, parent=by_code[parent] if parent else None
            )
            by_code[code] = court
            if level != CourtLevel.BASIC:
                for role in (Role.DIRECTOR, Role.PRESIDENT, Role.OPERATOR):
                    staff(court, f"{prefix}_{role}", role)
                continue
            teams = {
                kind: create_team(None, court=court, name=team_name, kind=kind) for team_name, kind in TEAMS
            }
            president = staff(court, f"{prefix}_president", Role.PRESIDENT)
            director = staff(court, f"{prefix}_director", Role.DIRECTOR)
            cast = CourtCast(court=court, locale=LOCALES[code], president=president, director=director)
            for i in range(1, judges_per_court + 1):
                kind = TEAM_OF_JUDGE[(i - 1) % len(TEAM_OF_JUDGE)]
                cast.judges[kind].append(staff(court, f"{prefix}_judge{i}", Role.JUDGE, teams[kind]))
            team_cycle = [teams[k] for k in (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.DORMANT)]
            for i in range(1, 4):
                cast.filers.append(staff(court, f"{prefix}_assistant{i}", Role.ASSISTANT, team_cycle[i - 1]))
            for i in range(1, 3):
                name_ = f"{prefix}_clerk" if i == 1 else f"{prefix}_clerk{i}"
                cast.filers.append(staff(court, name_, Role.CLERK, team_cycle[i - 1]))
            for i in range(1, 3):
                staff(court, f"{prefix}_bailiff{i}", Role.BAILIFF, team_cycle[i - 1])
            staff(court, f"{prefix}_operator", Role.OPERATOR)
            staff(court, f"{prefix}_finance", Role.FINANCE)
            basic.append(cast)
        admin = create_staff(
            None,
            username="admin",
            full_name="系统管理员",
            password=DEMO_PASSWORD,
            court=None,
            role=Role.OPERATOR,
            is_superuser=True,
        )
        logins.insert(0, (admin.username, "系统管理员（超级用户）", "—"))
    return Province(courts=list(by_code.values()), basic=basic, logins=logins)


# -- plans ------------------------------------------------------------------------------------------
