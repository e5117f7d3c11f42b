"""Helpers of tests/services/test_demo_world.py: the 执转破 demo's cases, the money pages' checks (moved
out of the test module to keep it short)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from zhixing.cases.demo import bankruptcy as bankruptcy_demo
from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Staff


def bankruptcy_demo_cases() -> int:
    """The cases the 执转破 demo files against its candidate companies (as many as its filings pass)."""
    creditors = [name for name, _ in bankruptcy_demo.CREDITORS]
    return (
        EnforcementCase.objects.filter(parties__role="applicant", parties__name__in=creditors)
        .distinct()
        .count()
    )


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
    # unidentified money: the funds demo's two and the auction demo's deposit and balance notices, which
    # finance names to their lot (auction money is recognised only from the bank)
    receipts, returning = page.count("data-receipt="), page.count("data-returning=")
    assert (receipts, returning) == (4, 1)
    client.force_login(Staff.objects.get(username="th_director"))
    page = client.get(reverse("funds_approvals")).content.decode()
    # one applicant payout; deposit refunds whose account finance typed may wait for the director too
    # (the demo courts have one finance officer), and are not counted here
    assert page.count('data-purpose="applicant"') == 1
