"""Walk finding 1: the measures page links 网络查控 only for the roles the inquiry page opens for, and the
inquiry page's refusal explains the role, not the higher courts' scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.measures.test_permissions import USERS, paid_case

pytestmark = pytest.mark.django_db


def test_inquiry_link_only_where_the_inquiry_page_opens(people: dict[str, Any], quiet: None) -> None:
    case = paid_case(people)
    shown, opens = [], []
    for who in USERS[:-1]:
        c = Client()
        c.force_login(people[who])
        page = c.get(reverse("measures_case", args=[case.pk]))
        if page.status_code != 200:
            continue
        shown.append((who, 'id="link-inquiry"' in page.content.decode()))
        opens.append((who, c.get(reverse("inquiry_case", args=[case.pk])).status_code == 200))
    assert shown == opens
    assert dict(shown)["judge"] and not dict(shown)["president"] and not dict(shown)["finance"]


def test_role_refusal_explains_the_role(people: dict[str, Any], quiet: None) -> None:
    case = paid_case(people)
    c = Client()
    c.force_login(people["finance"])
    body = c.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert "此项事务不属于您岗位（财务人员）的职能" in body
    assert "上级法院可以查看辖区法院的案件" not in body
