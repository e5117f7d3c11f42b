"""Walk finding 6: amounts outside the funds pages carry thousands separators (the `money` filter)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.auctions.conftest import lot_input
from zhixing.auctions import services
from zhixing.cases.templatetags.cases_extras import figure

pytestmark = pytest.mark.django_db


def test_lot_pages_separate_thousands(people: dict[str, Any], house: dict[str, Any]) -> None:
    lot = services.create_lot(people["judge"], house["asset"].pk, lot_input())
    c = Client()
    c.force_login(people["judge"])
    manage = c.get(reverse("auctions_manage_lot", args=[lot.pk])).content.decode()
    assert "<dd>700,000.00 元</dd>" in manage and "<dd>70,000.00 元</dd>" in manage
    assert "700000.00" not in manage
    listing = c.get(reverse("auctions_manage")).content.decode()
    assert "700,000.00" in listing


def test_metric_terms_format_amounts_not_counts() -> None:
    assert figure(Decimal("6960980.93")) == "6,960,980.93"
    assert figure(1234) == "1234" and figure(None) == "—"
