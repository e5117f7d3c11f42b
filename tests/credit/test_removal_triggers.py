"""Removal triggers of 失信规定 Art 10(1) on the working-day calendar (frozen time, 2026 holidays).

Applicant's request (recorded by the judge, deleted by the scan), suspension for retrial or bankruptcy
(read from the case), dormant case after two empty inquiry rounds (raised by the scan, confirmed by the
judge), and the inquiry history that counts the rounds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.credit import queries, services
from zhixing.credit.models import Listing
from zhixing.credit.rules import CODE_BITS
from zhixing.inquiry import history
from zhixing.inquiry.models import Action, InquiryBatch, InquiryRequest, PartnerCategory
from zhixing.inquiry.models import Partner as InquiryPartner

from .conftest import ADULT_ID

TZ = ZoneInfo("Asia/Shanghai")
_keys = itertools.count(1)


@contextmanager
def on(y: int, m: int, d: int, hour: int = 10) -> Iterator[None]:
    with time_machine.travel(datetime(y, m, d, hour, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def listed(listed_open: Listing) -> Listing:
    """The Art 10(1) triggers delete only listings without a term (ground 1): 失信规定 Art 10(2) excludes
    fixed-term ones (tests/credit/test_fixed_term_triggers.py). This module used the conftest's ground-4
    listing before, which locked in the deletion of fixed-term listings on these triggers."""
    return listed_open


def fresh(listing: Listing) -> Listing:
    return Listing.objects.get(pk=listing.pk)


# -- (c) the applicant's written request, recorded by the judge -----------------------------------------
def test_applicant_request_over_labour_day_is_deleted_by_the_scan(listed: Listing, people: dict) -> None:
    with on(2026, 4, 30):  # Thursday; 1–5 May is the Labour Day holiday
        x = services.record_trigger(
            people["judge"], listed, trigger="applicant_request", trigger_on=date(2026, 4, 30)
        )
        assert (x.removal_due, x.trigger_confirmed, x.status) == (date(2026, 5, 8), True, "active")
    with on(2026, 5, 6):
        res = services.scan_credit()
    x = fresh(listed)
    assert res.removed == 1 and x.status == "removed" and x.removal_trigger == "applicant_request"
    assert x.trigger_on == date(2026, 4, 30) and x.removed_on == date(2026, 5, 6) <= x.removal_due
    assert queries.public_search(queries.parse_public_query("张三", ADULT_ID)) == []
    assert queries.current_index().mask_of(ADULT_ID) & CODE_BITS["blacklist"] == 0


@pytest.mark.parametrize(
    ("trigger", "trigger_on", "field"),
    [
        ("expired", date(2026, 3, 10), "trigger"),
        ("wrongful", date(2026, 3, 10), "trigger"),
        ("because", date(2026, 3, 10), "trigger"),
        ("applicant_request", date(2026, 3, 11), "trigger_on"),  # tomorrow
        ("applicant_request", date(2026, 3, 1), "trigger_on"),  # before the listing
    ],
)
def test_record_trigger_bad_input_changes_nothing(
    listed: Listing, people: dict, trigger: str, trigger_on: date, field: str
) -> None:
    with pytest.raises(ServiceError) as e:
        services.record_trigger(people["judge"], listed, trigger=trigger, trigger_on=trigger_on)
    assert e.value.field == field
    x = fresh(listed)
    assert (x.removal_trigger, x.removal_due, x.status) == ("", None, "active")


def test_record_trigger_needs_the_deciding_role(listed: Listing, people: dict) -> None:
    for who in ("clerk", "operator", "yx_judge", "gz_director"):
        with pytest.raises(NotPermitted):
            services.record_trigger(
                people[who], listed, trigger="applicant_request", trigger_on=date(2026, 3, 10)
            )
    assert fresh(listed).removal_trigger == ""


def test_record_trigger_through_the_page(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    page = client.get(f"/cases/{listed.case_id}/credit/").content.decode()
    assert 'data-testid="trigger-form"' in page
    r = client.post(
        f"/cases/{listed.case_id}/credit/trigger/",
        {"listing": listed.pk, "trigger": "applicant_request", "trigger_on": "2026-03-10"},
        follow=True,
    )
    text = r.content.decode()
    assert "已登记删除事由" in text and "2026-03-13" in text and 'data-testid="removal-due"' in text
    x = fresh(listed)
    assert (x.removal_trigger, x.trigger_on, x.removal_due) == (
        "applicant_request",
        date(2026, 3, 10),
        date(2026, 3, 13),
    )
    r = client.post(
        f"/cases/{listed.case_id}/credit/trigger/",
        {"listing": listed.pk, "trigger": "applicant_request", "trigger_on": "2026-13-01"},
        follow=True,
    )
    assert "未作任何更改" in r.content.decode()


def test_record_trigger_through_the_api(client: Client, listed: Listing, people: dict) -> None:
    client.force_login(people["judge"])
    url = f"/api/v1/credit/listings/{listed.pk}/trigger"
    r = client.post(
        url, {"trigger": "settlement", "trigger_on": "2026-03-10"}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["removal_trigger"], body["removal_due"], body["status"]) == (
        "settlement",
        "2026-03-13",
        "active",
    )
    services.scan_credit()
    assert fresh(listed).status == "removed"
    r = client.post(
        url, {"trigger": "settlement", "trigger_on": "2026-03-10"}, content_type="application/json"
    )
    assert r.status_code == 409
    client.force_login(people["yx_judge"])
    r = client.post(
        url, {"trigger": "settlement", "trigger_on": "2026-03-10"}, content_type="application/json"
    )
    assert r.status_code == 404


# -- (b) suspension for retrial or bankruptcy, read from the case -------------------------------------------
@pytest.mark.parametrize(
    ("ground", "start", "scan_on", "due"),
    [
        # 30 Sep, then National Day 1–7 Oct; Saturday 10 Oct is a make-up working day.
        ("retrial", date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 10)),
        ("bankruptcy", date(2026, 6, 18), date(2026, 6, 22), date(2026, 6, 24)),  # Dragon Boat 19–21 Jun
    ],
)
def test_suspension_for_retrial_or_bankruptcy_deletes(
    listed: Listing, case: EnforcementCase, people: dict, ground: str, start: date, scan_on: date, due: date
) -> None:
    with on(start.year, start.month, start.day):
        case_services.suspend_case(
            people["judge"], case, ground=ground, start=start, document_ref="（2026）粤民再1号"
        )
    # Removed in the suspension's own transaction (zhixing.measures); the scan finds nothing left.
    with on(scan_on.year, scan_on.month, scan_on.day):
        assert services.scan_credit().removed == 0
    x = fresh(listed)
    assert (x.status, x.removal_trigger, x.trigger_on, x.removal_due) == ("removed", "suspended", start, due)
    assert x.removed_on == start


def test_other_suspension_grounds_do_not_delete(listed: Listing, case: EnforcementCase, people: dict) -> None:
    case_services.suspend_case(
        people["judge"],
        case,
        ground="applicant_agrees",
        start=date(2026, 3, 10),
        document_ref="（2026）中止1号",
    )
    assert services.scan_credit().removed == 0
    assert fresh(listed).status == "active"


def test_resumed_before_the_scan_does_not_delete(
    listed: Listing, case: EnforcementCase, people: dict
) -> None:
    case_services.suspend_case(
        people["judge"], case, ground="retrial", start=date(2026, 3, 10), document_ref="（2026）粤民再1号"
    )
    case_services.resume_execution(
        people["judge"], case, on=date(2026, 3, 10), document_ref="（2026）恢复1号"
    )
    assert services.scan_credit().removed == 0


# -- (a) dormant case after two empty network inquiries --------------------------------------------------
@pytest.fixture
def bank(db: Any) -> InquiryPartner:
    cat, _ = PartnerCategory.objects.get_or_create(
        code="t_deposit", defaults={"name": "存款", "asset_kind": "funds"}
    )
    return InquiryPartner.objects.create(
        code="t_bank", name="测试银行", category=cat, actions=["query"], shared_secret="s"
    )


def inquiry_round(
    case: EnforcementCase,
    bank: InquiryPartner,
    judge: Any,
    day: date,
    found: int | None = 0,
    status: str = "done",
) -> InquiryBatch:
    """One 一键查控 round for the case's debtor on `day`, answered that day with `found` assets."""
    with on(day.year, day.month, day.day, 9):
        batch = InquiryBatch.objects.create(court=case.court, requested_by=judge, categories=["t_deposit"])
        key = f"t{next(_keys)}"
        InquiryRequest.objects.create(
            batch=batch,
            case=case,
            court=case.court,
            party=case.parties.get(role="debtor"),
            partner=bank,
            action=Action.QUERY,
            status=status,
            idempotency_key=key,
            notice_number=f"{case.number}查{key}",
            outcome=None if found is None else {"found": found},
            completed_at=datetime(day.year, day.month, day.day, 15, tzinfo=TZ) if status == "done" else None,
        )
    return batch


def go_dormant(case: EnforcementCase, closed_on: date) -> None:
    # Closing through the service needs 3 months and the notice nodes; only the resulting state matters here.
    EnforcementCase.objects.filter(pk=case.pk).update(
        status="dormant", closing_mode="dormant", closed_on=closed_on
    )


def test_history_counts_only_finished_empty_rounds_after_the_ruling(
    case: EnforcementCase, bank: InquiryPartner, people: dict
) -> None:
    j = people["judge"]
    inquiry_round(case, bank, j, date(2026, 3, 2))  # before 终本: led to it, not counted
    inquiry_round(case, bank, j, date(2026, 3, 20), found=1)  # found property
    inquiry_round(case, bank, j, date(2026, 4, 7), status="waiting")  # still in flight
    inquiry_round(case, bank, j, date(2026, 4, 8), status="failed", found=None)  # nobody answered
    inquiry_round(case, bank, j, date(2026, 5, 6))
    inquiry_round(case, bank, j, date(2026, 9, 30))
    since = {case.pk: date(2026, 3, 5)}
    assert history.empty_round_dates([case.pk], since) == {case.pk: [date(2026, 5, 6), date(2026, 9, 30)]}
    assert history.empty_rounds([case.pk], since) == {case.pk: 2}
    assert history.empty_rounds([case.pk]) == {case.pk: 3}
    assert history.empty_rounds([]) == {}


def test_dormant_two_empty_rounds_raise_the_trigger_and_the_judge_confirms(
    client: Client, listed: Listing, case: EnforcementCase, bank: InquiryPartner, people: dict
) -> None:
    go_dormant(case, date(2026, 3, 10))
    inquiry_round(case, bank, people["judge"], date(2026, 4, 30))
    with on(2026, 5, 6):
        res = services.scan_credit()
        assert (res.raised, res.removed) == (0, 0)  # one empty round is not enough
    inquiry_round(case, bank, people["judge"], date(2026, 9, 30))
    with on(2026, 10, 8):
        res = services.scan_credit()
        assert (res.raised, res.removed, res.overdue) == (1, 0, 0)
        assert services.scan_credit().raised == 0  # raised once
    x = fresh(listed)
    assert (x.status, x.removal_trigger, x.trigger_on) == ("active", "dormant_no_assets", date(2026, 9, 30))
    assert x.removal_due == date(2026, 10, 10) and not x.trigger_confirmed
    # Not confirmed by 12 Oct: red on the director's page and on the case page.
    with on(2026, 10, 12):
        assert services.scan_credit().overdue == 1
        client.force_login(people["director"])
        page = client.get("/credit/supervision/").content.decode()
        assert 'data-overdue="1"' in page and "已超期未删除" in page and "待法官确认" in page
        client.force_login(people["judge"])
        page = client.get(f"/cases/{case.pk}/credit/").content.decode()
        assert 'data-testid="removal-overdue"' in page and 'data-testid="confirm-removal"' in page
        r = client.post(
            f"/cases/{case.pk}/credit/remove/",
            {"listing": x.pk, "trigger": "dormant_no_assets", "note": "法官确认：无人提供有效财产线索"},
        )
        assert r.status_code == 302
    x = fresh(listed)
    assert (x.status, x.trigger_on, x.removal_due, x.removed_on) == (
        "removed",
        date(2026, 9, 30),
        date(2026, 10, 10),
        date(2026, 10, 12),
    )


def test_dormant_case_resumed_or_with_property_found_keeps_the_listing(
    listed: Listing, case: EnforcementCase, bank: InquiryPartner, people: dict
) -> None:
    go_dormant(case, date(2026, 3, 10))
    inquiry_round(case, bank, people["judge"], date(2026, 4, 1))
    inquiry_round(case, bank, people["judge"], date(2026, 5, 6), found=2)
    with on(2026, 5, 7):
        assert services.scan_credit().raised == 0
        # A resumed case (执恢): someone found property, the dormant trigger no longer applies.
        case.refresh_from_db()
        case_services.resume_case(people["judge"], case, applied_on=date(2026, 5, 7), reason="发现房产线索")
    inquiry_round(case, bank, people["judge"], date(2026, 6, 2))
    with on(2026, 6, 3):
        assert services.scan_credit().raised == 0
    assert fresh(listed).removal_trigger == ""


def test_confirming_twice_is_a_conflict(listed: Listing, people: dict) -> None:
    services.remove_listing(people["judge"], listed, trigger="applicant_request")
    with pytest.raises(Conflict):
        services.remove_listing(people["judge"], listed, trigger="applicant_request")
