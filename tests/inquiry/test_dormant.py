"""Periodic re-inquiry of 终本 (dormant) cases, 终本规定 Art 9(2): every 6 months for 5 years.

Time is frozen with time-machine for the filing; answers from the partner sandbox are fetched at real
time (the signed protocol rejects stale timestamps), so the lead test files its round at real time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.inquiry.conftest import open_case
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Role
from zhixing.inquiry import queries_dormant, rules, services
from zhixing.inquiry.models import Asset, DormantRound, InquiryBatch, InquiryRequest, Partner

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
S = InquiryRequest.Status
LAST = datetime(2026, 4, 10, 10, tzinfo=SH)  # the last round before 终本
CATEGORIES = ["deposit", "real_estate"]  # one institution each in the seed: BANK-ICBC, REG-ESTATE


@pytest.fixture
def conf(settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False, "dormant_categories": CATEGORIES}


def make_dormant(
    people: dict[str, Any], at: datetime = LAST, *, judge: str = "judge", case: EnforcementCase | None = None
) -> EnforcementCase:
    """A case whose last round (answered, nothing found) was at `at`, then closed as 终本 that day."""
    with time_machine.travel(at, tick=False):
        case = case or open_case(people)
        services.start_inquiry(people[judge], case, ["deposit"])
    InquiryRequest.objects.filter(case=case).update(
        status=S.DONE, outcome={"found": 0}, completed_at=at
    )  # answered empty, as before a real 终本
    EnforcementCase.objects.filter(pk=case.pk).update(
        status="dormant", closing_mode="dormant", closed_on=at.date()
    )
    case.refresh_from_db()
    return case


def run(day: date, **kw: Any) -> services.RunResult:
    with time_machine.travel(datetime.combine(day, datetime.min.time(), SH) + timedelta(hours=2), tick=False):
        return services.reinquiry_run(**kw)


def periodic(case: EnforcementCase) -> list[InquiryRequest]:
    return list(
        InquiryRequest.objects.filter(case=case, requested_by__isnull=True, action="query").order_by("id")
    )


# -- the rule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("closed", "last", "today", "due"),
    [
        (date(2026, 4, 10), date(2026, 4, 10), date(2026, 10, 9), False),  # one day short of 6 months
        (date(2026, 4, 10), date(2026, 4, 10), date(2026, 10, 10), True),  # exactly 6 months
        (date(2026, 4, 10), date(2026, 4, 10), date(2026, 10, 11), True),
        (date(2025, 8, 31), date(2025, 8, 31), date(2026, 2, 27), False),
        (date(2025, 8, 31), date(2025, 8, 31), date(2026, 2, 28), True),  # 31 Aug + 6 months = 28 Feb
        (date(2026, 4, 10), None, date(2026, 4, 11), True),  # never searched
        (date(2021, 4, 10), date(2025, 1, 1), date(2026, 4, 10), True),  # last day of the 5 years
        (date(2021, 4, 10), date(2025, 1, 1), date(2026, 4, 11), False),  # 5 years are over
        (None, date(2025, 1, 1), date(2026, 4, 11), True),
    ],
)
def test_reinquiry_due_rule(closed: date | None, last: date | None, today: date, due: bool) -> None:
    assert rules.reinquiry_due(closed, last, today, months=6, years=5) is due


def test_reinquiry_rule_refuses_a_non_positive_period() -> None:
    with pytest.raises(rules.RuleError, match="正数"):
        rules.reinquiry_due(None, None, date(2026, 1, 1), months=0, years=5)


@pytest.mark.parametrize(
    ("today", "closed_from", "last_until"),
    [
        (date(2026, 10, 10), date(2021, 10, 10), date(2026, 4, 10)),
        (date(2026, 2, 28), date(2021, 2, 28), date(2025, 8, 31)),  # 31 Aug + 6 months = 28 Feb
        (date(2028, 2, 29), date(2023, 3, 1), date(2027, 8, 31)),  # 28 Feb 2023 + 5 y = 28 Feb 2028
        (date(2026, 3, 31), date(2021, 3, 31), date(2025, 9, 30)),
    ],
)
def test_reinquiry_bounds(today: date, closed_from: date, last_until: date) -> None:
    assert rules.reinquiry_bounds(today, months=6, years=5) == rules.ReinquiryBounds(closed_from, last_until)


@pytest.mark.parametrize(("months", "years"), [(6, 5), (1, 1), (3, 2), (12, 5)])
def test_reinquiry_bounds_are_exactly_the_rule_on_every_day(months: int, years: int) -> None:
    """The SQL selects by the bounds: on every day of 2027–2029, every date around them gives the answer
    of `reinquiry_due` (month ends, 29 February)."""
    day = date(2027, 1, 1)
    while day < date(2030, 1, 1):
        b = rules.reinquiry_bounds(day, months=months, years=years)
        for k in range(-8, 9):
            closed, last = b.closed_from + timedelta(days=k), b.last_until + timedelta(days=k)
            rule = {"today": day, "months": months, "years": years}
            assert (closed >= b.closed_from) is rules.reinquiry_due(closed, None, **rule)  # type: ignore[arg-type]
            assert (last <= b.last_until) is rules.reinquiry_due(None, last, **rule)  # type: ignore[arg-type]
        day += timedelta(days=1)


def test_reinquiry_bounds_refuse_a_non_positive_period() -> None:
    with pytest.raises(rules.RuleError, match="正数"):
        rules.reinquiry_bounds(date(2026, 1, 1), months=6, years=0)


def test_due_ids_by_the_local_day_of_the_last_round_and_the_five_years(people: dict[str, Any]) -> None:
    today = date(2026, 10, 10)
    edge = make_dormant(people, datetime(2026, 4, 10, 23, 30, tzinfo=SH))  # 6 months ago today, late
    make_dormant(people, datetime(2026, 4, 11, 0, 10, tzinfo=SH))  # local day after: due tomorrow
    first, over = make_dormant(people), make_dormant(people)  # last round LAST (10 April): due by the period
    EnforcementCase.objects.filter(pk=first.pk).update(closed_on=date(2021, 10, 10))  # last day of 5 years
    EnforcementCase.objects.filter(pk=over.pk).update(closed_on=date(2021, 10, 9))  # 5 years over yesterday
    assert queries_dormant.due_ids_page(today) == (sorted([edge.pk, first.pk]), None)
    assert [c.pk for c, _ in queries_dormant.due_page(today)[0]] == sorted([edge.pk, first.pk])
    assert queries_dormant.due_ids_page(today, size=1) == ([min(edge.pk, first.pk)], min(edge.pk, first.pk))


# -- the run ----------------------------------------------------------------------------------------


def test_due_case_gets_one_round_by_the_system(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    result = run(date(2026, 10, 11))  # 6 months + 1 day after the last round
    assert (result.filed, result.requests, result.skipped) == (1, 2, [])
    reqs = periodic(case)
    debtor = case.parties.get(role="debtor")
    assert [(r.party_id, r.partner.code, r.status) for r in reqs] == [
        (debtor.pk, "BANK-ICBC", S.PENDING),
        (debtor.pk, "REG-ESTATE", S.PENDING),
    ]
    rnd = DormantRound.objects.get(case=case)
    assert (rnd.run_on, rnd.last_round_on, rnd.requests, rnd.outcome) == (
        date(2026, 10, 11),
        date(2026, 4, 10),
        2,
        DormantRound.Outcome.PENDING,
    )
    batch = InquiryBatch.objects.get(pk=rnd.batch_id)
    assert (batch.requested_by_id, batch.court_id, batch.categories) == (None, case.court_id, CATEGORIES)
    assert {r.batch_id for r in reqs} == {batch.pk}
    audit = AuditRecord.objects.get(action="inquiry.dormant.reinquiry")
    assert (audit.actor_id, audit.actor_name, audit.case_id, audit.object_id) == (
        None,
        "系统",
        case.pk,
        str(batch.pk),
    )
    assert audit.after["last_round"] == "2026-04-10" and audit.after["requests"] == 2


def test_case_inside_the_period_gets_none(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    assert run(date(2026, 10, 9)).filed == 0
    assert periodic(case) == [] and not DormantRound.objects.exists()


def test_second_run_files_nothing(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    assert run(date(2026, 10, 11)).filed == 1
    assert run(date(2026, 10, 11)).filed == 0  # same day
    assert run(date(2026, 10, 12)).filed == 0  # next day: the round of the 11th is the last one
    assert len(periodic(case)) == 2 and DormantRound.objects.count() == 1
    assert AuditRecord.objects.filter(action="inquiry.dormant.reinquiry").count() == 1
    # Six months after the periodic round the case is due again.
    assert run(date(2027, 4, 11)).filed == 1
    assert DormantRound.objects.filter(case=case).count() == 2


def test_judges_recent_round_counts(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=SH), tick=False):
        services.start_inquiry(people["judge"], case, ["deposit"])  # 终本 cases may be queried by hand
    assert run(date(2026, 10, 11)).filed == 0


def test_closed_case_gets_none(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    EnforcementCase.objects.filter(pk=case.pk).update(status="closed", closing_mode="terminated")
    assert run(date(2026, 10, 11)).filed == 0
    assert periodic(case) == []


def test_five_years_after_dormant_case_gets_none(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    EnforcementCase.objects.filter(pk=case.pk).update(closed_on=date(2021, 10, 10))
    assert run(date(2026, 10, 11)).filed == 0
    EnforcementCase.objects.filter(pk=case.pk).update(closed_on=date(2021, 10, 11))
    assert run(date(2026, 10, 11)).filed == 1


def test_resumed_case_is_left_to_the_resumed_case(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    other = open_case(people)
    EnforcementCase.objects.filter(pk=other.pk).update(origin=case)
    assert run(date(2026, 10, 11)).filed == 0


def test_period_is_configurable(people: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {
        "kick_on_commit": False,
        "dormant_categories": CATEGORIES,
        "dormant_period_months": 3,
    }
    make_dormant(people)
    assert run(date(2026, 7, 9)).filed == 0
    assert run(date(2026, 7, 10)).filed == 1


def test_debtor_without_valid_id_is_skipped_with_reason(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    case.parties.filter(role="debtor").update(id_number="123")
    result = run(date(2026, 10, 11))
    assert result.filed == 0
    assert [n for n, _ in result.skipped] == [case.number]
    assert "没有有效的身份号码" in result.skipped[0][1]
    assert not DormantRound.objects.exists()


def test_per_court_scoping(people: dict[str, Any], courts: dict[str, Any], conf: None) -> None:
    th_case = make_dormant(people)
    yx_clerk = factories.staff(courts["yx"], Role.CLERK)
    yx_case = make_dormant(people, judge="yx_judge", case=_yx_case(yx_clerk))
    day = date(2026, 10, 11)
    with time_machine.travel(datetime(2026, 10, 11, 1, tzinfo=SH), tick=False):
        assert queries_dormant.progress(courts["th"].pk) == queries_dormant.Progress(due=1, done=0, leads=0)
        assert queries_dormant.progress(courts["yx"].pk) == queries_dormant.Progress(due=1, done=0, leads=0)
    assert run(day, court_id=courts["th"].pk).filed == 1
    assert len(periodic(th_case)) == 2 and periodic(yx_case) == []
    with time_machine.travel(datetime(2026, 10, 11, 9, tzinfo=SH), tick=False):
        assert queries_dormant.progress(courts["th"].pk) == queries_dormant.Progress(due=1, done=1, leads=0)
        assert queries_dormant.progress(courts["yx"].pk) == queries_dormant.Progress(due=1, done=0, leads=0)
        # The command center page shows the count of the user's own court only.
        client = Client()
        client.force_login(people["director"])
        html = client.get(reverse("inquiry_centralised")).content.decode()
        assert "终本案件定期查询：本期待查 1 件，已查 1 件" in html
    assert run(day).filed == 1  # all courts: only 越秀's case is still due
    assert len(periodic(yx_case)) == 2 and len(periodic(th_case)) == 2


def _yx_case(clerk: Any) -> EnforcementCase:
    with time_machine.travel(LAST, tick=False):
        return factories.case(clerk, issuing_body="广州市越秀区人民法院")


def test_crash_mid_batch_loses_nothing_and_duplicates_nothing(
    people: dict[str, Any], conf: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = make_dormant(people), make_dormant(people)
    from zhixing.inquiry.services import dormant

    real = dormant.file_round
    calls = {"n": 0}

    def crash_on_second(*args: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(*args, **kw)

    monkeypatch.setattr(dormant, "file_round", crash_on_second)
    with pytest.raises(RuntimeError):
        run(date(2026, 10, 11))
    assert len(periodic(first)) == 2 and periodic(second) == []  # the crashed case left nothing behind
    assert DormantRound.objects.count() == 1
    monkeypatch.setattr(dormant, "file_round", real)
    assert run(date(2026, 10, 11)).filed == 1  # the next run picks the rest up
    assert len(periodic(first)) == 2 and len(periodic(second)) == 2
    assert DormantRound.objects.count() == 2


def test_bounded_run_and_command(
    people: dict[str, Any], conf: None, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [make_dormant(people) for _ in range(3)]
    assert run(date(2026, 10, 11), limit=2).filed == 2
    with time_machine.travel(datetime(2026, 10, 11, 3, tzinfo=SH), tick=False):
        call_command("inquiry_dormant_reinquiry", "--court", "粤0106", "--quiet")
        call_command("inquiry_dormant_reinquiry", "--court", "粤0106", "--quiet")
    out = capsys.readouterr().out
    assert "已发起 1 件，查询请求 2 条，未发起 0 件" in out
    assert "已发起 0 件，查询请求 0 条，未发起 0 件" in out
    assert [len(periodic(c)) for c in cases] == [2, 2, 2]


# -- the lead ---------------------------------------------------------------------------------------


def _register(case: EnforcementCase, ref: str, found_at: datetime) -> Asset:
    partner = Partner.objects.get(code="BANK-ICBC")
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="account",
        ref=ref,
        value=100,
        found_at=found_at,
    )


def test_round_without_new_property_raises_no_lead(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    _register(case, "OLD", LAST)  # found before 终本 and could not be disposed of
    run(date(2026, 10, 11))
    InquiryRequest.objects.filter(case=case, requested_by__isnull=True).update(
        status=S.DONE, outcome={"found": 1}
    )
    assert services.settle_rounds() == 1
    rnd = DormantRound.objects.get(case=case)
    assert (rnd.outcome, rnd.found) == (DormantRound.Outcome.EMPTY, 0)
    assert queries_dormant.case_lead(case) is None
    assert services.settle_rounds() == 0  # settled once


def test_round_still_in_flight_is_not_settled(people: dict[str, Any], conf: None) -> None:
    case = make_dormant(people)
    run(date(2026, 10, 11))
    assert services.settle_rounds() == 0
    InquiryRequest.objects.filter(case=case, requested_by__isnull=True).update(status=S.FAILED)
    assert services.settle_rounds() == 1
    assert DormantRound.objects.get(case=case).outcome == DormantRound.Outcome.FAILED
    assert run(date(2026, 10, 12)).filed == 1  # nobody answered: filed again the next day


def test_found_property_is_a_lead_on_the_case_page(
    people: dict[str, Any], sandbox: Any, settings: Any
) -> None:
    """End to end at real time: the round goes to the sandbox, the debtor's accounts and house come back."""
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "dormant_categories": CATEGORIES}
    before = rules.add_months(timezone.localdate(), -7)
    case = make_dormant(people, datetime.combine(before, datetime.min.time(), SH) + timedelta(hours=10))
    result = services.reinquiry_run()
    assert result.filed == 1
    services.dispatch_due()
    assert {r.status for r in periodic(case)} == {S.DONE}
    assert services.settle_rounds() == 1
    rnd = DormantRound.objects.get(case=case)
    new = Asset.objects.filter(case=case).exclude(kind="info").exclude(state="closed").count()
    assert (rnd.outcome, rnd.found, new) == (DormantRound.Outcome.FOUND, 3, 3)
    assert queries_dormant.case_lead(case) == rnd
    assert AuditRecord.objects.filter(action="inquiry.dormant.lead", case_id=case.pk).count() == 1
    client = Client()
    client.force_login(people["judge"])
    html = client.get(reverse("inquiry_case", args=[case.pk])).content.decode()
    assert 'id="dormant-lead"' in html and "终本定期查询发现财产，请审查是否恢复执行" in html
    assert 'id="dormant-lead-found">3<' in html and 'id="dormant-lead-resume"' in html
    page = client.get(reverse("inquiry_centralised")).content.decode()
    assert f'data-case="{case.pk}"' in page
    # Once resumed (a 执恢 case exists) the lead is closed.
    other = open_case(people)
    EnforcementCase.objects.filter(pk=other.pk).update(origin=case)
    assert queries_dormant.case_lead(case) is None
    assert 'id="dormant-lead"' not in client.get(reverse("inquiry_case", args=[case.pk])).content.decode()
