"""§0 and §2.3–2.4 of rules.md (issue 15, cov012): termination and 销案 grounds, suspension grounds and
the written resumption, and a resumed case that is never late (CPL-2023 Art 265)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import queries_term, services
from zhixing.cases.closing import TERMINATION_GROUNDS, WITHDRAWAL_GROUNDS, check_closing
from zhixing.cases.limitation import application_period, resumption_unlimited
from zhixing.cases.models import CaseStatus, Suspension
from zhixing.core.errors import ServiceError
from zhixing.core.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def _check(mode: str, **details: str) -> list[tuple[str, str]]:
    return check_closing(
        mode,
        {"document_ref": "裁定1号", **details},
        filed_on=date(2026, 3, 4),
        closed_on=date(2026, 4, 1),
        notice_done=True,
    )


def test_termination_grounds_are_the_statutory_ones():
    assert [g for g, _ in TERMINATION_GROUNDS] == [
        "applicant_withdraws",  # CPL-2023 Art 268(1)
        "basis_revoked",  # (2)
        "debtor_died_no_estate",  # (3)
        "maintenance_claimant_died",  # (4)
        "debtor_unable",  # (5)
        "debtor_bankrupt",  # 执行工作规定 Art 61
        "object_destroyed",  # 民诉解释 Art 492 (2022)
        "other",  # (6)
    ]
    for ground, _ in TERMINATION_GROUNDS:
        assert _check("terminated", ground=ground, served_on="2026-04-01") == []
    assert _check("terminated", ground="debtor_moved", served_on="2026-04-01") == [
        ("ground", "“终结事由”的选项无效")
    ]
    assert _check("terminated", served_on="2026-04-01") == [("ground", "请填写“终结事由”")]


def test_withdrawal_grounds_include_a_court_that_filed_first():
    assert [g for g, _ in WITHDRAWAL_GROUNDS] == ["entrusted", "jurisdiction", "filed_elsewhere", "other"]
    for ground, _ in WITHDRAWAL_GROUNDS:
        assert _check("withdrawn", ground=ground) == []
    assert _check("withdrawn", ground="x") == [("ground", "“销案事由”的选项无效")]


def test_refusal_and_dismissal_need_the_ruling_and_the_reason():
    assert _check("refused", reason="仲裁裁决被裁定不予执行") == []
    assert _check("refused") == [("reason", "请填写“不予执行理由”")]
    assert _check("dismissed", reason="申请人不是权利人") == []
    assert check_closing(
        "dismissed", {"reason": "x"}, filed_on=date(2026, 3, 4), closed_on=date(2026, 4, 1), notice_done=True
    ) == [("document_ref", "请填写“驳回申请裁定书文号”")]


@pytest.mark.django_db
def test_suspension_needs_a_statutory_ground_and_the_ruling(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        with pytest.raises(ServiceError) as err:
            services.suspend_case(
                people["judge"], case, ground="holiday", start=date(2026, 3, 9), document_ref="x"
            )
        assert (err.value.field, str(err.value)) == ("ground", "请选择法定的中止事由")
        with pytest.raises(ServiceError) as err:
            services.suspend_case(
                people["judge"], case, ground="objection", start=date(2026, 3, 9), document_ref=" "
            )
        assert err.value.field == "document_ref"
    assert set(Suspension.Ground.values) == {
        "applicant_agrees",
        "objection",
        "heir_pending",
        "successor_pending",
        "retrial",
        "bankruptcy",
        "other",
    }


@pytest.mark.django_db
def test_resumption_is_in_writing(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
        services.suspend_case(
            people["judge"], case, ground="objection", start=date(2026, 3, 9), document_ref="中1"
        )
    with at(2026, 3, 20):
        with pytest.raises(ServiceError) as err:
            services.resume_execution(people["judge"], case, on=date(2026, 3, 20), document_ref="")
        assert (err.value.field, str(err.value)) == ("document_ref", "请填写恢复执行通知书文号")
        case.refresh_from_db()
        assert case.status == CaseStatus.SUSPENDED
        susp = services.resume_execution(
            people["judge"], case, on=date(2026, 3, 20), document_ref="恢复通知1号"
        )
    assert (susp.end, susp.resume_document_ref) == (date(2026, 3, 20), "恢复通知1号")


def test_a_resumption_is_never_late_pure():
    cal = WorkCalendar()
    late = application_period(date(2023, 12, 31), date(2026, 3, 2), cal)
    # CPL-2023 Art 265 / 民诉解释 Art 517(2): only the resumption of a 终本 case escapes the period.
    modes = ("dormant", "performed", None)
    assert [resumption_unlimited(m) for m in modes] == [True, False, False]
    resumed = application_period(date(2023, 12, 31), date(2026, 3, 2), cal, unlimited=True)
    assert (late.expired, resumed.expired, resumed.message) == (True, False, "")
    assert resumed.last_day == late.last_day


@pytest.mark.django_db
def test_a_dormant_case_resumed_years_later_carries_no_limitation_warning(people):
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])  # performance deadline in 2026
        services.complete_node(
            people["judge"], case.nodes.get(node_type__code="notice"), document_ref="通知1"
        )
    with at(2026, 6, 10):
        factories.dormant_ready(people["judge"], case)
        services.close_case(
            people["judge"],
            case,
            mode="dormant",
            closed_on=date(2026, 6, 10),
            details={
                "document_ref": "终本1号",
                "interview_on": "2026-06-01",
                "approval": "applicant_confirmed",
                "investigation_summary": "无财产",
            },
        )
    with at(2030, 5, 6):  # more than 2 years after the last day of performance
        resumed = services.resume_case(people["judge"], case, applied_on=date(2030, 5, 6), reason="发现车辆")
        assert queries_term.limitation_of(resumed).expired is False
        fresh = queries_term.limitation_of(case)
    assert fresh.expired is False  # the original was applied for in time
