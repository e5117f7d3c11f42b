"""A judgment with running interest and instalments, from filing to payout (issue 15 item 3).

Principal 100,000 in two instalments (40,000 by 2025-12-15, 60,000 by 2026-06-30), general interest at
3.65 % a year from 2025-11-01 until paid (10.00 a day on 100,000, day basis 365). The amount owed, the
seizure ceiling (inquiry's claim) and the refund limit (funds) follow the date: only expired
instalments are enforced (执行工作规定 Art 16), each instalment's doubled part runs from its own
deadline (迟延履行利息解释 Art 2).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from zhixing.cases.queries_schedule import case_schedule
from zhixing.core.errors import Conflict, ServiceError
from zhixing.funds import queries_interest, services
from zhixing.inquiry.queries import case_claim

from .conftest import receive
from .test_payouts import approve_all

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
APR1, JUL10 = date(2026, 4, 1), date(2026, 7, 10)
INSTALMENTS = [(date(2025, 12, 15), "40000.00"), (date(2026, 6, 30), "60000.00")]


def at(d: date, tick: bool = False) -> Any:
    return time_machine.travel(datetime(d.year, d.month, d.day, 10, tzinfo=SH), tick=tick)


def _file(people: dict[str, Any], **kw: Any) -> Any:
    data = {
        "effective_on": date(2025, 11, 1),
        "performance_deadline": date(2026, 6, 30),
        "instalments": INSTALMENTS,
        "interest_rate": "3.65",
        "interest_from": date(2025, 11, 1),
    }
    data.update(kw)
    with at(date(2026, 3, 10)):
        return factories.case(people["clerk"], **data)


def test_running_interest_and_instalments_from_filing_to_payout(people, custody, bank):
    case = _file(people)
    assert [(i.seq, i.due_on, i.amount) for i in case.instalments.all()] == [
        (1, date(2025, 12, 15), Decimal("40000.00")),
        (2, date(2026, 6, 30), Decimal("60000.00")),
    ]
    with at(APR1):
        s = case_schedule(case, APR1).schedule
        # 2025-11-01..2026-04-01 = 152 days × 10.00; doubled on the first instalment only: 107 × 7.00
        assert (s.running_total, s.doubled_total, s.not_due) == (
            Decimal("1520.00"),
            Decimal("749.00"),
            Decimal("60000.00"),
        )
        # fee 1,400 + interest 1,520 + principal 100,000 + doubled 749 owed; 60,000 not yet enforceable
        assert (s.total_owed, s.enforceable_owed) == (Decimal("103669.00"), Decimal("43669.00"))
        assert case_claim(case, APR1).outstanding == Decimal("43669.00")  # the seizure ceiling

    with at(JUL10):
        s = case_schedule(case, JUL10).schedule
        # 252 days of running interest; doubled 207 × 7.00 + 10 × 10.50 (second instalment from 1 July)
        assert (s.running_total, s.doubled_total, s.not_due) == (
            Decimal("2520.00"),
            Decimal("1554.00"),
            Decimal("0.00"),
        )
        assert case_claim(case, JUL10).outstanding == Decimal("105474.00")

    with at(JUL10, tick=True):
        receive(case, "110000.00", "RI1", on=JUL10)
        s = case_schedule(case, JUL10).schedule
        assert (s.total_owed, s.surplus) == (Decimal("0.00"), Decimal("4526.00"))
        # the applicant gets principal + running interest + doubled: 100,000 + 2,520 + 1,554
        a = case.parties.get(role="applicant")
        payout = approve_all(
            services.propose(
                people["judge"],
                case,
                party_id=a.pk,
                amount="104074.00",
                account_name=a.name,
                account_no="6222020000001",
            ),
            people,
        )
        assert services.send(people["finance"], payout.pk).status == "paid"
        r = queries_interest.refundable(case, JUL10)
        assert (r.claim, r.doubled, r.owed_to_applicant, r.refundable) == (
            Decimal("102520.00"),
            Decimal("1554.00"),
            Decimal("0.00"),
            Decimal("4526.00"),
        )
        d = case.parties.get(role="debtor")
        refund = {"party_id": d.pk, "account_name": d.name, "account_no": "6222000200", "purpose": "refund"}
        with pytest.raises(Conflict):
            services.propose(people["judge"], case, amount="4526.01", **refund)
        assert services.propose(people["judge"], case, amount="4526.00", **refund).status == "proposed"


def test_refund_before_the_last_instalment_keeps_only_what_is_due(people, custody):
    case = _file(people)
    with at(APR1, tick=True):
        receive(case, "50000.00", "RI2", on=APR1)
        # 50,000 pays the fee 1,400, interest 1,520 and 47,080 of principal (7,080 beyond the due
        # instalment); the doubled 749 stays owed: nothing is refunded
        assert queries_interest.refundable(case, APR1).refundable == Decimal("0.00")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"instalments": [(date(2025, 12, 15), "40000.00")]}, "instalments"),  # adds up to 40,000
        ({"instalments": [(date(2026, 6, 30), "60000"), (date(2025, 12, 15), "40000")]}, "instalments"),
        ({"instalments": [(date(2025, 10, 1), "40000"), (date(2026, 6, 30), "60000")]}, "instalments"),
        ({"performance_deadline": date(2026, 7, 1)}, "performance_deadline"),  # not the last instalment
        # 执行工作规定 Art 16: the first instalment had not expired when the application came in
        ({"instalments": [(date(2026, 3, 2), "40000"), (date(2026, 6, 30), "60000")]}, "instalments"),
        ({"interest_rate": "abc"}, "interest_rate"),
        ({"interest_rate": "0"}, "interest_rate"),
        ({"interest_rate": "3.65", "interest_from": None}, "interest_from"),
        ({"interest_rate": "", "interest_from": date(2025, 11, 1)}, "interest_rate"),
    ],
)
def test_bad_interest_or_instalments_name_the_field(people, kw, field):
    with pytest.raises(ServiceError) as err:
        _file(people, **kw)
    assert err.value.field == field


def test_filing_page_and_api_take_and_show_them(people, client):
    from tests.web.conftest import filing_post

    client.force_login(people["clerk"])
    post = filing_post(
        effective_on="2025-11-01",
        performance_deadline="2026-06-30",
        adjudged_interest="0",
        litigation_costs="0",
        interest_rate="3.65",
        interest_from="2025-11-01",
        instalments="2025-12-15 40000\n2026-06-30, 60000",
    )
    with at(APR1):
        response = client.post("/cases/new/", post)
        assert response.status_code == 302, re.findall(r"<li>([^<]+)</li>", response.content.decode())[-8:]
        case_id = int(response["Location"].rstrip("/").split("/")[-1])
        client.force_login(people["judge"])
        page = client.get(reverse("case_detail", args=[case_id])).content.decode()
        assert 'data-testid="running-interest">1,520.00<' in page
        assert 'data-testid="not-due">60,000.00<' in page
        assert page.count('data-testid="instalment"') == 2
        api = client.get(f"/api/v1/cases/{case_id}/schedule").json()
        assert (api["interest_rate"], api["running_interest"], api["not_due"], api["enforceable_total"]) == (
            "3.6500",
            "1520.00",
            "60000.00",
            "43669.00",
        )
        assert [i["expired"] for i in api["instalments"]] == [True, False]
        bad = client.post("/cases/new/", {**post, "instalments": "2025-12-15"})
        assert "第1行应为“履行期限届满日 金额”" in bad.content.decode()
