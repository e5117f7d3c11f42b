"""Credit refuses, and writes nothing: a listing before the enforcement notice with its listing warning was
served (失信规定 Art 5(1)); a consumption restriction before the period the notice fixed ran out (限消规定
Art 1(1)) — except a listed debtor's mandatory restriction (Art 1(2)). Frozen today: Tuesday 2026-03-10."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from tests.credit.conftest import debtor, debtor_case, listing_data
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementNotice
from zhixing.core.errors import Conflict
from zhixing.core.models import AuditRecord
from zhixing.courts.services import issue_token
from zhixing.credit import rules, services
from zhixing.credit.models import Listing, Proposal, Restriction

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOT_SERVED = (
    "执行通知书（载明纳入失信被执行人名单的风险提示）尚未送达被执行人，不能纳入失信名单（失信规定第5条第1款）"
)


def nothing_written() -> None:
    assert not Listing.objects.exists() and not Restriction.objects.exists() and not Proposal.objects.exists()
    assert not AuditRecord.objects.filter(action__startswith="credit.").exists()


def test_the_pure_rules_at_their_edges() -> None:
    today = date(2026, 3, 10)
    assert rules.listing_notice_refusal(None, False, today) == NOT_SERVED
    assert rules.listing_notice_refusal(date(2026, 3, 10), False, today) == NOT_SERVED  # no warning in it
    assert rules.listing_notice_refusal(date(2026, 3, 10), True, today) is None  # served today
    assert rules.listing_notice_refusal(date(2026, 3, 11), True, today) == (
        "执行通知书于2026年03月11日方视为送达，送达前不能纳入失信名单（失信规定第5条第1款）"
    )
    assert rules.consumption_notice_refusal(None, None, today) == (
        "执行通知书尚未送达被执行人，不能限制消费（限消规定第1条第1款：未按执行通知书指定的期间履行）"
    )
    assert rules.consumption_notice_refusal(date(2026, 3, 5), date(2026, 3, 10), today) == (
        "执行通知书指定的履行期间至2026年03月10日届满，期满仍未履行的方可限制消费（限消规定第1条第1款）"
    )
    assert rules.consumption_notice_refusal(date(2026, 3, 5), date(2026, 3, 9), today) is None


def test_listing_before_the_notice_is_refused_and_nothing_written(people: dict[str, Any]) -> None:
    case = debtor_case(people["clerk"], served=False)
    for call in (services.list_debtor, services.approval.propose_listing):
        with pytest.raises(Conflict) as e:
            call(people["judge"], case, debtor(case), listing_data())
        assert (e.value.field, e.value.message) == ("notice", NOT_SERVED)
    case_services.issue_notice(people["judge"], case)  # issued, not yet served: still refused
    with pytest.raises(Conflict) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data())
    assert e.value.field == "notice"
    nothing_written()


def test_listing_waits_for_the_deemed_service_of_a_publication(people: dict[str, Any]) -> None:
    case = debtor_case(people["clerk"], served=False)
    factories.serve_notice(case, on=date(2026, 3, 6), method="publication")  # deemed served 04-05
    with pytest.raises(Conflict) as e:
        services.list_debtor(people["judge"], case, debtor(case), listing_data())
    assert "2026年04月05日方视为送达" in e.value.message
    nothing_written()
    with time_machine.travel(datetime(2026, 4, 5, 10, tzinfo=TZ), tick=False):
        assert services.list_debtor(people["judge"], case, debtor(case), listing_data()).decided_on == date(
            2026, 4, 5
        )


def test_a_served_notice_allows_the_listing_with_its_mandatory_restriction_before_the_period_ends(
    people: dict[str, Any],
) -> None:
    case = debtor_case(people["clerk"], served=False)
    factories.serve_notice(case, on=date(2026, 3, 10))  # period runs until Friday 03-13
    # A consumption restriction on its own waits for the period (限消规定 Art 1(1)) …
    with pytest.raises(Conflict) as e:
        services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    assert (e.value.field, e.value.message) == (
        "notice",
        "执行通知书指定的履行期间至2026年03月13日届满，期满仍未履行的方可限制消费（限消规定第1条第1款）",
    )
    nothing_written()
    # … the listing needs only the served notice with its warning (失信规定 Art 5(1)), and the listed
    # debtor's restriction follows it (限消规定 Art 1(2)).
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data())
    assert Restriction.objects.filter(listing=x, kind="consumption").count() == 1


def test_restriction_is_refused_on_the_last_day_and_allowed_the_day_after(people: dict[str, Any]) -> None:
    case = debtor_case(people["clerk"], served=False)
    factories.serve_notice(case, on=date(2026, 3, 5))  # Thursday + 3 = Sunday 03-08 → Monday 03-09
    assert EnforcementNotice.objects.get(case=case).period_ends_on == date(2026, 3, 9)
    with time_machine.travel(datetime(2026, 3, 9, 18, tzinfo=TZ), tick=False):
        for call in (services.restrict_consumption, services.approval.propose_consumption):
            with pytest.raises(Conflict) as e:
                call(people["judge"], case, debtor(case), items=[1], bound_persons=[])
            assert e.value.field == "notice" and "2026年03月09日届满" in e.value.message
        nothing_written()
    [row] = services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    assert row.ordered_on == date(2026, 3, 10)


def test_restriction_without_a_notice_is_refused(people: dict[str, Any]) -> None:
    case = debtor_case(people["clerk"], served=False)
    with pytest.raises(Conflict) as e:
        services.restrict_consumption(people["judge"], case, debtor(case), items=[1], bound_persons=[])
    assert e.value.message.startswith("执行通知书尚未送达被执行人，不能限制消费")
    nothing_written()


def test_the_approval_of_a_consumption_proposal_checks_again(people: dict[str, Any]) -> None:
    """A proposal filed after the period ran out is approved; the order is checked at issue too."""
    case = debtor_case(people["clerk"])
    p = services.approval.propose_consumption(
        people["judge"], case, debtor(case), items=[1], bound_persons=[]
    )
    services.approval.approve(people["president"], p)
    assert Restriction.objects.filter(case=case, kind="consumption").count() == 1


def test_the_page_and_the_api_name_the_reason(people: dict[str, Any], client: Client) -> None:
    case = debtor_case(people["clerk"], served=False)
    client.force_login(people["judge"])
    r = client.post(
        f"/cases/{case.pk}/credit/list/",
        {"party": debtor(case).pk, "ground": "4", "dishonest_act": "拒不报告财产"},
        follow=True,
    )
    html = r.content.decode()
    assert "未作任何更改" in html and "失信规定第5条第1款" in html
    api = Client()
    token = issue_token(None, people["judge"], "t")
    r = api.post(
        f"/api/v1/credit/cases/{case.pk}/listings",
        {"party_id": debtor(case).pk, "ground": 4, "dishonest_act": "拒不报告财产"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 409
    body = r.json()
    assert body["field"] == "notice" and body["detail"] == NOT_SERVED
    nothing_written()
