"""UNCONFIRMED rules that are configuration with a documented default (issue 15 item 6): the bracket
width of case numbers, the 结案通知书 of 执行完毕, the interview (约谈) before 终本, and the measures that
stay after 终本 (the consequence table's configurable cells)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from tests import factories
from zhixing.cases import conf, services
from zhixing.cases.closing import check_closing
from zhixing.cases.rules import case_number
from zhixing.cases.search import normalise_number
from zhixing.core.errors import ServiceError
from zhixing.measures import rules as consequences

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
DORMANT = {
    "document_ref": "终本裁定1号",
    "interview_on": "2026-06-01",
    "approval": "collegial_panel",
    "investigation_summary": "网络查控无财产",
}
PERFORMED = {"document_ref": "结1号", "performed_amount": "100000", "how": "voluntary"}


def at(y: int, m: int, d: int):
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


# -- case numbers (R-1.2.2) -------------------------------------------------------------------------


def test_case_number_brackets_pure() -> None:
    assert case_number(2026, "粤0106", "执", 1) == "（2026）粤0106执1号"
    assert case_number(2026, "粤0106", "执恢", 12, full_width=False) == "(2026)粤0106执恢12号"
    with pytest.raises(ValueError):
        case_number(2026, "粤0106", "执", 0)


def test_default_is_full_width(people) -> None:
    with at(2026, 3, 10):
        assert factories.case(people["clerk"]).number == "（2026）粤0106执1号"


def test_half_width_brackets_when_configured_and_search_follows(people, settings) -> None:
    settings.ZHIXING_CASES = {"case_number_brackets": "half"}
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
    assert case.number == "(2026)粤0106执1号"
    assert normalise_number("（２０２６）粤0106执1") == "(2026)粤0106执1"
    settings.ZHIXING_CASES = {"case_number_brackets": "round"}
    with pytest.raises(ImproperlyConfigured):
        conf.full_width_brackets()


# -- closing fields (R-2.4.1, R-5.4) ---------------------------------------------------------------


def _check(mode: str, details: dict[str, str], optional=None) -> list[tuple[str, str]]:
    return check_closing(
        mode,
        details,
        filed_on=date(2026, 3, 4),
        closed_on=date(2026, 6, 5),
        notice_done=True,
        optional=optional,
    )


def test_closing_fields_required_by_default_optional_when_configured() -> None:
    no_notice = {k: v for k, v in PERFORMED.items() if k != "document_ref"}
    assert _check("performed", no_notice) == [("document_ref", "请填写“结案通知书文号”")]
    assert _check("performed", no_notice, {"performed": frozenset({"document_ref"})}) == []
    no_interview = {k: v for k, v in DORMANT.items() if k != "interview_on"}
    assert _check("dormant", no_interview) == [("interview_on", "请填写“约谈申请执行人日期”")]
    assert _check("dormant", no_interview, {"dormant": frozenset({"interview_on"})}) == []


def test_conf_turns_the_requirements_off(settings) -> None:
    assert conf.optional_closing_fields() == {}
    settings.ZHIXING_CASES = {"closing_notice_required": False, "dormant_interview_required": False}
    assert conf.optional_closing_fields() == {
        "performed": frozenset({"document_ref"}),
        "dormant": frozenset({"interview_on"}),
    }
    settings.ZHIXING_CASES = {"closing_notice_required": "no"}
    with pytest.raises(ImproperlyConfigured):
        conf.optional_closing_fields()


def test_dormant_without_interview_closes_only_when_configured(people, settings) -> None:
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
    with at(2026, 3, 20):
        services.complete_node(
            people["judge"], case.nodes.get(node_type__code="notice"), document_ref="通知1号"
        )
    details = {k: v for k, v in DORMANT.items() if k != "interview_on"}
    with at(2026, 6, 5), pytest.raises(ServiceError) as err:
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 5), details=details
        )
    assert err.value.field == "interview_on"
    settings.ZHIXING_CASES = {"dormant_interview_required": False}
    with at(2026, 6, 5):
        factories.dormant_ready(people["judge"], case, skip=("interview",))
        services.close_case(
            people["judge"], case, mode="dormant", closed_on=date(2026, 6, 5), details=details
        )
    case.refresh_from_db()
    assert (case.status, "interview_on" in case.closing_details) == ("dormant", False)


def test_performed_without_a_closing_notice_when_configured(people, settings) -> None:
    settings.ZHIXING_CASES = {"closing_notice_required": False}
    with at(2026, 3, 10):
        case = factories.case(people["clerk"])
    details = {k: v for k, v in PERFORMED.items() if k != "document_ref"}
    with at(2026, 4, 1):
        services.close_case(
            people["judge"], case, mode="performed", closed_on=date(2026, 4, 1), details=details
        )
    case.refresh_from_db()
    assert (case.status, case.closing_details.get("document_ref")) == ("closed", None)
    assert case.nodes.get(node_type__code="term").document_ref == ""


# -- measures that stay after 终本 (R-5.7) ------------------------------------------------------------


def test_measures_after_dormant_stay_by_default_and_are_configurable() -> None:
    default = consequences.table()[consequences.Event.CLOSED_DORMANT]
    for m in (consequences.Measure.CONSUMPTION, consequences.Measure.EXIT, consequences.Measure.FREEZE):
        assert (default[m].action, default[m].configurable) == (consequences.Action.KEEP, True)
    changed = consequences.table({"closed_dormant.consumption": "lift:judge"})[
        consequences.Event.CLOSED_DORMANT
    ]
    assert changed[consequences.Measure.CONSUMPTION].action == consequences.Action.LIFT
    # the listing row rests on an article (失信规定 Art 10(1)(4)) and is not configurable
    with pytest.raises(ValueError):
        consequences.table({"closed_dormant.listing": "remove:auto"})
