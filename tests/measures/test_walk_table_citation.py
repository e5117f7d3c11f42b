"""Walk finding 8: the consequence table cites the law, never a repository file."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_table_cites_articles_not_rules_md(people: dict[str, Any]) -> None:
    c = Client()
    c.force_login(people["judge"])
    html = c.get(reverse("measures_table")).content.decode()
    assert "民诉法(2023)第253条" in html
    assert "rules.md" not in html
