"""`make run`'s demo shows controls over time out of the box: `seed_demo` leaves, in every basic court,
controls expiring within the window, a lapsed one with its alert, a queued (轮候) seizure and one that
took effect — and the list page of a demo judge shows them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhixing.courts.models import Court, CourtLevel, Staff
from zhixing.inquiry.models import Asset, ControlAlert

# slow: dealt out first in a parallel run (conftest.py), so it does not run alone at the end.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seeded_demo_has_every_control_state(settings: object) -> None:
    call_command("seed_demo", cases=200, verbosity=0)
    today = timezone.localdate()
    window = today + timedelta(days=30)
    # The 湘 courts entrust_demo adds (a receiving court in another province) hold no cases of their own.
    for court in Court.objects.filter(level=CourtLevel.BASIC).exclude(code__startswith="湘"):
        assets = Asset.objects.filter(case__court=court)
        states = Counter(assets.values_list("state", flat=True))
        expiring = assets.filter(
            state__in=["frozen", "seized", "queued"], control_expires__gte=today, control_expires__lte=window
        )
        assert expiring.count() >= 2, court.code
        assert states["lapsed"] >= 1 and states["queued"] >= 1, (court.code, states)
        took_effect = assets.filter(state="seized", registered_on__lt=today - timedelta(days=100))
        assert took_effect.filter(effective_on=today - timedelta(days=12), seizure_rank=1).count() == 1
        levels = Counter(ControlAlert.objects.filter(court=court).values_list("level", flat=True))
        assert levels["warn"] >= 2 and levels["lapsed"] >= 1 and levels["effective"] == 1, (
            court.code,
            levels,
        )
    judge = Staff.objects.get(username="th_judge1")
    client = Client()
    client.force_login(judge)
    html = client.get(reverse("inquiry_controls")).content.decode()
    assert 'id="control-table"' in html and 'data-state="' in html
    assert "控制措施预警" in html
