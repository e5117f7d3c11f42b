"""Walk finding 4: the interest calculator takes a day from the judgment's effective day to ten years ahead,
and names the field when refusing one."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_interest_until_is_bounded(people: Any, assigned: Any, login: Any) -> None:
    client = login(people["clerk"])
    url = reverse("case_interest", args=[assigned.pk])
    far = client.get(url, {"until": "9999-12-31"}).content.decode()
    assert "计算至不能晚于" in far and 'id="delay-days"' not in far
    early = client.get(url, {"until": "1900-01-01"}).content.decode()
    assert "计算至不能早于执行依据生效日期（2025-12-01）" in early and 'id="delay-days"' not in early
    page = client.get(f"/cases/{assigned.pk}/?until=9999-12-31").content.decode()
    assert "9999-12-31" not in page
    ok = client.get(url, {"until": "2026-04-01"}).content.decode()
    assert '<b id="delay-days">107</b>' in ok
