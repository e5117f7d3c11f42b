"""The demo's custody accounts (`funds_demo_custody`, run by `seed_demo`) do not depend on court ids. What
`seed_demo` leaves is checked on a shared demo load: tests/services/test_demo_world.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from zhixing.courts.models import Court
from zhixing.funds.models import CustodyAccount

pytestmark = pytest.mark.django_db


def test_demo_accounts_do_not_depend_on_court_ids() -> None:
    # On PostgreSQL the id sequences are never reset between tests or demo reloads: a court's id may pass
    # 9,999. The demo numbers its prefixes itself, skipping those in use.
    from tests import factories

    courts = factories.province()
    sz = courts["sz"]
    Court.objects.create(
        id=123_456,
        code="粤0305",
        name="深圳市南山区人民法院",
        level="basic",
        parent=sz,
        path=sz.path + "/粤0305",
    )
    call_command("funds_demo_custody", verbosity=0)
    accounts = list(CustodyAccount.objects.order_by("sub_prefix"))
    assert [a.sub_prefix for a in accounts] == [f"88{n:04d}" for n in range(1, 8)]
    assert CustodyAccount.objects.filter(court_id=123_456).exists()
