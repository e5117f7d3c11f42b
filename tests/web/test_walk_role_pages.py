"""Walk finding 2: pages of a duty a role does not have answer the GET with the POST's 403, not the form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["judge", "clerk", "bailiff", "finance", "director", "president"]


def _statuses(people: dict[str, Any], url: str) -> dict[str, int]:
    out = {}
    for who in ROLES:
        c = Client()
        c.force_login(people[who])
        out[who] = c.get(url).status_code
    return out


def test_approval_queues_refuse_roles_outside_the_chain(people: dict[str, Any]) -> None:
    inquiry = _statuses(people, reverse("inquiry_approvals"))
    assert inquiry["bailiff"] == inquiry["clerk"] == inquiry["finance"] == 403
    assert inquiry["director"] == 200
    funds = _statuses(people, reverse("funds_approvals"))
    assert funds["bailiff"] == funds["clerk"] == 403
    assert funds["director"] == 200
    c = Client()
    c.force_login(people["bailiff"])
    body = c.get(reverse("inquiry_approvals")).content.decode()
    assert "您的岗位不审批控制措施" in body and "此项事务不属于您岗位（司法警察）的职能" in body
