"""`make run` shows real money on first start (issue 12 item 1): `seed_demo` runs `funds_demo_money`, which
leaves receipts, unidentified receipts and payouts in every state on the first demo court's first six open
cases — through the services, so the ledger balances — and the payment instructions open on them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from zhixing.cases.models import EnforcementCase
from zhixing.core.audit import verify_chain
from zhixing.courts.models import Staff
from zhixing.funds import demo_money, payable, queries
from zhixing.funds.models import AccountKind, LedgerAccount, Payout, Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> list[EnforcementCase]:
    call_command("seed_demo", cases=100, verbosity=0)
    court = demo_money.demo_court()
    assert court is not None and court.code == "粤0106"
    return demo_money.demo_cases(court)


def test_every_state_is_present_and_the_ledger_balances(demo):
    ids = [c.pk for c in demo]
    # Other demo commands (clocks, distribution, interest, reconciliation) add money on their own cases.
    mine = Payout.objects.filter(case_id__in=ids)
    court_receipts = Receipt.objects.filter(court_id=demo[0].court_id)
    payouts = Counter((p.status, p.purpose) for p in mine)
    for status in ("proposed", "approved", "sending", "paid", "failed", "rejected", "cancelled"):
        assert payouts[(status, "applicant")] >= 1, status
    assert payouts[("paid", "refund")] == 1 and payouts[("proposed", "refund")] == 1
    steps = {p.step for p in mine.filter(status="proposed", purpose="applicant")}
    assert steps == {0, 1, 2}  # waiting at each step of the chain
    assert mine.filter(status="sending").exclude(last_error="").count() == 1
    receipts = Counter(court_receipts.values_list("status", flat=True))
    assert receipts["unidentified"] == 2 and receipts["claimed"] == 1
    assert receipts["returning"] == 1 and receipts["returned"] == 1
    sources = set(court_receipts.filter(status="booked", case_id__in=ids).values_list("source", flat=True))
    assert sources == {"notice", "deduction", "manual", "auction"}  # auction: a lot's price paid in
    for acc in LedgerAccount.objects.filter(kind=AccountKind.CASE):
        assert queries.balance(acc.case_id) == queries.balance_by_sum(acc.case_id)
    bank = LedgerAccount.objects.filter(kind=AccountKind.BANK, court_id=demo[0].court_id).get()
    assert sum(LedgerAccount.objects.values_list("balance", flat=True)) == 0 and bank.balance > 0
    assert (
        payable.payable(demo[5]) == 0 and payable.case_balance(demo[5].pk) == 0
    )  # left for the browser test
    assert verify_chain().ok
    before = (Receipt.objects.count(), Payout.objects.count())
    call_command("funds_demo_money", verbosity=0)  # running again adds nothing
    assert (Receipt.objects.count(), Payout.objects.count()) == before
    pages_open_on_demo_cases(demo)
    finance_and_approvals_show_work()


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("funds_demo_money", verbosity=0)


def pages_open_on_demo_cases(demo: list[EnforcementCase]) -> None:
    """缴款须知 opens for the case's own court staff and higher courts; a sibling court gets a 404."""
    client = Client()
    for who, status in (("th_judge1", 200), ("th_finance", 200), ("gz_director", 200), ("yx_director", 404)):
        client.force_login(Staff.objects.get(username=who))
        for case in demo:
            r = client.get(reverse("funds_instructions", args=[case.pk]))
            assert r.status_code == status
            if status == 200:
                assert 'id="instr-account"' in r.content.decode()
            assert client.get(reverse("funds_case_money", args=[case.pk])).status_code == status


def finance_and_approvals_show_work() -> None:
    client = Client()
    client.force_login(Staff.objects.get(username="th_finance"))
    page = client.get(reverse("funds_finance")).content.decode()
    assert "银行来款通知" in page and "send-btn" in page
    assert page.count("data-receipt=") == 2 and page.count("data-returning=") == 1
    client.force_login(Staff.objects.get(username="th_director"))
    assert client.get(reverse("funds_approvals")).content.decode().count("data-payout=") == 1
