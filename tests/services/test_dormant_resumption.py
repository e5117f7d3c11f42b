"""终本 and resumption (rules.md §5): the applicant's new application after 终本 is not subject to the
2-year application period (民诉解释 Art 517(2) (2022); 终本规定 Art 9(1)); a resumption after another
closing is (CPL-2023 Art 250 warning kept)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import services
from zhixing.cases.limitation import resumption_unlimited
from zhixing.cases.models import Node
from zhixing.cases.queries_term import limitation_of
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DORMANT = {
    "document_ref": "终本裁定1号",
    "interview_on": "2026-05-20",
    "approval": "applicant_confirmed",
    "investigation_summary": "网络查控无财产",
}


def at(d: date) -> Any:
    return time_machine.travel(datetime(d.year, d.month, d.day, 10, tzinfo=TZ), tick=False)


def _case(people: dict[str, Any]) -> Any:
    # performance deadline 2024-03-01: the 2-year period ends 2026-03-01, a Sunday → Monday 2026-03-02
    with at(date(2026, 3, 4)):
        case = factories.case(
            people["clerk"], effective_on=date(2024, 2, 1), performance_deadline=date(2024, 3, 1)
        )
        notice = Node.objects.get(case=case, node_type__code="notice")
        services.complete_node(people["judge"], notice, document_ref="通知1号")
    assert limitation_of(case).expired is False  # applied 2026-03-02: the last day
    return case


def test_the_rule():
    assert resumption_unlimited("dormant") is True
    for mode in ("performed", "terminated", "withdrawn", "refused", "dismissed", "", None):
        assert resumption_unlimited(mode) is False


def test_resumption_after_dormant_is_not_out_of_time(people):
    case = _case(people)
    with at(date(2026, 6, 5)):
        factories.dormant_ready(people["judge"], case)
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 5), details=DORMANT
        )
    with at(date(2026, 11, 2)):
        resumed = services.resume_case(
            people["judge"], case, applied_on=date(2026, 11, 1), reason="发现新财产"
        )
    lim = limitation_of(resumed)
    assert (lim.last_day, lim.expired, lim.message) == (date(2026, 3, 2), False, "")
    filed = AuditRecord.objects.get(action="case.file", object_id=str(resumed.pk))
    assert filed.after["limitation_expired"] is False


def test_resumption_after_another_closing_keeps_the_warning(people):
    case = _case(people)
    with at(date(2026, 4, 1)):
        services.close_case(
            people["judge"],
            case,
            mode="performed",
            closed_on=date(2026, 4, 1),
            details={"document_ref": "结1号", "performed_amount": "100000", "how": "voluntary"},
        )
    with at(date(2026, 11, 2)):
        resumed = services.resume_case(
            people["judge"], case, applied_on=date(2026, 11, 1), reason="和解协议未履行"
        )
    lim = limitation_of(resumed)
    assert (lim.expired, lim.days_late) == (True, 244)


def test_dormant_closing_needs_the_investigation_record():
    """终本规定 Art 1(3): the asset investigation is recorded before 终本 (a required closing field)."""
    from zhixing.cases.closing import check_closing

    details = {**DORMANT, "investigation_summary": " "}
    problems = check_closing(
        "dormant", details, filed_on=date(2026, 3, 4), closed_on=date(2026, 6, 5), notice_done=True
    )
    assert problems == [("investigation_summary", "请填写“财产调查情况”")]
    assert (
        check_closing(
            "dormant", DORMANT, filed_on=date(2026, 3, 4), closed_on=date(2026, 6, 5), notice_done=True
        )
        == []
    )
