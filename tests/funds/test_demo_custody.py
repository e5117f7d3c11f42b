"""The embedded demo (`make run`) can show the money flow: `seed_demo` registers a custody account for
every demo court, so a transfer the sandbox bank announces lands on the case it names (issue 10 #14)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Court
from zhixing.funds import queries, services
from zhixing.funds.models import CustodyAccount

pytestmark = pytest.mark.django_db


def test_seeded_demo_courts_have_custody_accounts_and_money_reaches_a_case() -> None:
    call_command("seed_demo", cases=40, verbosity=0)
    courts = Court.objects.count()
    accounts = list(CustodyAccount.objects.order_by("court_id"))
    assert len(accounts) == courts
    prefixes = [a.sub_prefix for a in accounts]
    assert len(set(prefixes)) == courts and {len(p) for p in prefixes} == {6}
    assert AuditRecord.objects.filter(action="funds.custody_account").count() == courts

    case = EnforcementCase.objects.filter(status__in=OPEN_STATUSES).order_by("pk").first()
    assert case is not None
    number = queries.account_view(case).number
    before = queries.balance(case.pk)  # the money demos may already have booked on it
    rec = services.book_incoming(
        services.Incoming(txn_id="DEMO1", amount="2000.00", value_date=date(2026, 3, 10), to_account=number),
        source="notice",
    )
    assert (rec.status, rec.case_id) == ("booked", case.pk)
    assert queries.balance(case.pk) - before == 2000


def test_registering_demo_accounts_again_changes_nothing() -> None:
    call_command("seed_demo", cases=3, verbosity=0)
    before = AuditRecord.objects.count()
    call_command("funds_demo_custody", verbosity=0)
    assert AuditRecord.objects.count() == before


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
