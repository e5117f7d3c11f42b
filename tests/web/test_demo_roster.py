"""Issue 13 #9: one demo roster (zhixing.courts.demo_roster) behind seed_demo, the login page and the
launcher; realistic names for staff, parties and companies (zhixing.courts.demo_names)."""

from __future__ import annotations

import io
import random
import re
from contextlib import redirect_stdout
from typing import Any

import pytest
from django.test import Client

from zhixing.cases.demo.province import build_province
from zhixing.courts import demo_names, demo_roster
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role

ALL_GIVEN = {
    n
    for pool in (
        demo_names._OLDER_M,
        demo_names._OLDER_F,
        demo_names._MIDDLE_M,
        demo_names._MIDDLE_F,
        demo_names._YOUNG_M,
        demo_names._YOUNG_F,
    )
    for n in pool
}
SURNAMES = set(demo_names._SURNAMES)


def _split(name: str) -> tuple[str, str]:
    """姓 and 名: a compound surname when the first two characters are one."""
    if len(name) >= 3 and name[:2] in SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def test_roster_has_every_role_in_every_basic_court() -> None:
    accounts = demo_roster.accounts()
    assert len(accounts) == 1 + 3 * 3 + 4 * (2 + demo_roster.DEFAULT_JUDGES + 3 + 2 + 2 + 2)
    for prefix in ("th", "yx", "ft", "ns"):
        roles = {a.role for a in accounts if a.username.startswith(prefix + "_")}
        assert roles == set(Role.values)
    assert [a.username for a in accounts if a.superuser] == ["admin"]
    assert len({a.username for a in accounts}) == len(accounts)


def test_staff_names_are_realistic_and_unique() -> None:
    staff = [a for a in demo_roster.accounts(40) if not a.superuser]
    names = [a.full_name for a in staff]
    assert len(set(names)) == len(names)
    for name in names:
        assert 2 <= len(name) <= 4, name
        surname, given = _split(name)
        assert surname in SURNAMES and given in ALL_GIVEN, name
    # stable across runs: the same login always has the same name
    assert [a.full_name for a in demo_roster.accounts()] == [a.full_name for a in demo_roster.accounts()]


def test_person_names_are_surname_plus_one_real_given_name() -> None:
    names = demo_names.Names(random.Random(7))
    drawn = [names.person() for _ in range(5000)]
    lengths = {len(n) for n in drawn}
    assert lengths <= {2, 3, 4}
    for name in drawn:
        _surname, given = _split(name)
        assert given in ALL_GIVEN, name  # never two given names glued together (廖婷婷小红)
    assert not any(
        re.fullmatch(r".(..)(..)", n) and n[1:3] in ALL_GIVEN and n[3:] in ALL_GIVEN
        for n in drawn
        if len(n) == 5
    )
    # cohorts: an older woman is not called 欣怡, a young man not 建国
    assert {names.given("F", 1955) for _ in range(300)} <= set(demo_names._OLDER_F)
    assert {names.given("M", 2001) for _ in range(300)} <= set(demo_names._YOUNG_M)
    assert "欣怡" not in demo_names._OLDER_F and "建国" not in demo_names._YOUNG_M


def test_company_names_are_place_trade_name_industry_form() -> None:
    names = demo_names.Names(random.Random(3))
    pattern = re.compile(
        r"(广州市|深圳市天河区)([\u4e00-\u9fff]{2})("
        + "|".join(demo_names.INDUSTRIES)
        + ")(有限公司|股份有限公司|有限责任公司)"
    )
    for place in ("广州市", "深圳市天河区"):
        for _ in range(200):
            name = names.company(place)
            m = pattern.fullmatch(name)
            assert m, name
            assert m.group(2)[0] != m.group(2)[1]


@pytest.mark.django_db
def test_login_page_lists_every_roster_account_and_each_can_sign_in(settings: Any) -> None:
    settings.ZHIXING_DEMO = True
    build_province(None, demo_roster.DEFAULT_JUDGES)
    page = Client().get("/login/").content.decode()
    accounts = demo_roster.accounts()
    listed = re.findall(r'<tr data-username="([a-z0-9_]+)" data-role="([a-z]+)">', page)
    assert listed == [(a.username, a.role) for a in accounts]
    for a in accounts:
        row = page.split(f'<tr data-username="{a.username}"')[1].split("</tr>")[0]
        assert f"<td>{a.full_name}</td><td>{a.role_label}</td>" in row
    assert {role for _, role in listed} == set(Role.values)
    assert Staff.objects.count() == len(accounts)
    for a in accounts:
        client = Client()
        signed_in = client.post("/login/", {"username": a.username, "password": demo_roster.DEMO_PASSWORD})
        assert signed_in.status_code == 302, a.username
        assert client.get("/").wsgi_request.user.username == a.username
        staff = Staff.objects.get(username=a.username)
        assert (staff.full_name, staff.role, staff.is_superuser) == (a.full_name, a.role, a.superuser)
        assert (staff.court.code if staff.court else "") == a.court_code


@pytest.mark.django_db
def test_login_page_hides_the_roster_outside_demo_mode(settings: Any) -> None:
    settings.DEBUG = False
    settings.ZHIXING_DEMO = False
    page = Client().get("/login/").content.decode()
    assert "data-username=" not in page and "zhixing2026" not in page


def test_launcher_prints_one_account_per_role() -> None:
    featured = demo_roster.featured()
    assert {a.role for a in featured if not a.superuser} == set(Role.values)
    out = io.StringIO()
    with redirect_stdout(out):
        for a in featured:
            print(f"{a.username:<14} {a.full_name} · {a.role_label} · {a.court_name}")
    assert "th_finance" in out.getvalue() and "th_bailiff1" in out.getvalue()
