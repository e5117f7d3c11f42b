"""Pure rules of issue 14 items 7 and 9 (credit/rules.py): Art 8 recipients, the Art 10(4) re-listing bar,
credit-repair conditions, a unit's change of legal representative, the published 履行情况."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.credit import rules

D = Decimal


# -- Art 8 recipients ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "functionary", "nature", "expected"),
    [
        ("person", False, "", ("credit_bureau",)),
        ("person", True, "", ("credit_bureau", "employer")),
        ("person", True, "soe", ("credit_bureau", "employer")),  # a person has no superior
        ("organisation", False, "", ("credit_bureau",)),
        ("organisation", True, "", ("credit_bureau",)),  # a unit has no employer
        ("organisation", False, "state_organ", ("credit_bureau", "superior")),
        ("organisation", False, "soe", ("credit_bureau", "superior")),
        ("organisation", False, "public_institution", ("credit_bureau", "superior")),
    ],
)
def test_art8_recipients(kind: str, functionary: bool, nature: str, expected: tuple[str, ...]) -> None:
    assert rules.notice_recipient_kinds(kind, functionary, nature) == expected


def test_art8_superior_natures_are_configurable() -> None:
    narrow = ("state_organ", "soe")
    assert rules.notice_recipient_kinds("organisation", False, "public_institution", narrow) == (
        "credit_bureau",
    )
    assert rules.notice_recipient_kinds("organisation", False, "soe", narrow) == ("credit_bureau", "superior")


# -- Art 10(4): re-listing ---------------------------------------------------------------------------------
REMOVED = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("trigger", "removed_on", "until"),
    [
        ("applicant_request", date(2026, 3, 10), date(2026, 9, 10)),
        ("applicant_request", date(2026, 8, 31), date(2027, 2, 28)),  # month end, common year
        ("applicant_request", date(2027, 8, 31), date(2028, 2, 29)),  # leap year
        ("performed", date(2026, 3, 10), None),
        ("settlement", date(2026, 3, 10), None),
        ("expired", date(2026, 3, 10), None),
        ("applicant_request", None, None),
    ],
)
def test_relisting_barred_until(trigger: str, removed_on: date | None, until: date | None) -> None:
    assert rules.relisting_barred_until(trigger, removed_on) == until


@pytest.mark.parametrize(
    ("initiation", "trigger", "applied_on", "barred"),
    [
        ("application", "applicant_request", date(2026, 3, 10), True),  # the day of deletion
        ("application", "applicant_request", date(2026, 9, 10), True),  # the last day of the six months
        ("application", "applicant_request", date(2026, 9, 11), False),  # the day after
        ("ex_officio", "applicant_request", date(2026, 3, 11), False),  # the court may list on a new act
        ("application", "performed", date(2026, 3, 11), False),  # only the applicant's own request bars
        ("application", "dormant_no_assets", date(2026, 3, 11), False),
    ],
)
def test_relisting_refusal(initiation: str, trigger: str, applied_on: date, barred: bool) -> None:
    text = rules.relisting_refusal(initiation, trigger, REMOVED, applied_on)
    assert bool(text) is barred
    if barred:
        assert text == (
            "申请执行人于2026-03-10书面申请删除失信信息，删除后六个月内（至2026-09-10）再申请将其纳入失信名单的，"
            "人民法院不予支持（失信规定第10条第4款）；如有新的失信情形，可依职权纳入"
        )


# -- credit repair ------------------------------------------------------------------
def facts(**kw: object) -> rules.RepairFacts:
    base: dict[str, object] = {
        "ground": 4,
        "decided_on": date(2026, 1, 1),
        "applied_on": date(2026, 3, 10),
        "performed_in_full": True,
        "settled": False,
        "corrected": True,
        "other_active_listings": 0,
    }
    base.update(kw)
    return rules.RepairFacts(**base)  # type: ignore[arg-type]


PERF = rules.REPAIR_CONDITIONS["performed"] + "或" + rules.REPAIR_CONDITIONS["settled"]


@pytest.mark.parametrize(
    ("kw", "missing"),
    [
        ({}, []),
        ({"performed_in_full": False}, [PERF]),
        ({"performed_in_full": False, "settled": True}, []),
        ({"corrected": False}, [rules.REPAIR_CONDITIONS["corrected"]]),
        ({"ground": 1, "corrected": False}, []),  # ground 1 has no act to correct beyond performing
        ({"other_active_listings": 1}, [rules.REPAIR_CONDITIONS["no_other_listing"]]),
        (
            {"performed_in_full": False, "corrected": False, "other_active_listings": 2},
            [PERF, rules.REPAIR_CONDITIONS["corrected"], rules.REPAIR_CONDITIONS["no_other_listing"]],
        ),
    ],
)
def test_repair_missing_default_policy(kw: dict, missing: list[str]) -> None:
    assert rules.repair_missing(facts(**kw)) == missing


def test_repair_policy_settlement_off_and_minimum_days() -> None:
    strict = rules.RepairPolicy(min_listed_days=90, allow_settlement=False)
    f = facts(performed_in_full=False, settled=True, applied_on=date(2026, 3, 31))  # 89 days listed
    assert rules.repair_missing(f, strict) == [
        rules.REPAIR_CONDITIONS["performed"],
        "纳入失信名单须满90日方可申请信用修复",
    ]
    assert rules.repair_missing(facts(applied_on=date(2026, 4, 1)), strict) == []  # 90 days
    assert rules.repair_conditions(f, strict) == {
        "performed": False,
        "settled": False,
        "corrected": True,
        "no_other_listing": True,
        "min_days": False,
    }


def test_repair_decision_due() -> None:
    assert rules.repair_decision_due(date(2026, 3, 10)) == date(2026, 3, 25)
    assert rules.repair_decision_due(date(2026, 3, 10), rules.RepairPolicy(decision_days=30)) == date(
        2026, 4, 9
    )


# -- change of legal representative ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("unit_restricted", "former_released", "expected"),
    [
        (True, True, (True, True)),
        (True, False, (True, False)),
        (False, True, (False, False)),
        (False, False, (False, False)),
    ],
)
def test_legal_rep_change(unit_restricted: bool, former_released: bool, expected: tuple[bool, bool]) -> None:
    assert rules.legal_rep_change(unit_restricted, former_released) == expected


# -- 履行情况 ------------------------------------------------------------------
PAYMENTS = [
    (date(2026, 1, 5), D("1000.00")),
    (date(2026, 3, 10), D("2500.50")),
    (date(2026, 4, 1), D("-500.00")),
]


def test_paid_totals() -> None:
    assert rules.paid_total(PAYMENTS) == D("3000.50")
    assert rules.paid_total(PAYMENTS, date(2026, 3, 9)) == D("1000.00")
    assert rules.paid_total(PAYMENTS, date(2026, 3, 10)) == D("3500.50")
    assert rules.paid_total([]) == D("0")
    assert rules.paid_since(PAYMENTS, date(2026, 3, 10)) == D("2000.50")  # the listing day counts
    assert rules.paid_since(PAYMENTS, date(2026, 3, 11)) == D("-500.00")
    assert rules.paid_since(PAYMENTS, date(2027, 1, 1)) == D("0")


@pytest.mark.parametrize(
    ("obligation", "paid", "status", "text"),
    [
        (D("10000"), D("0"), "none", "全部未履行"),
        (D("10000"), D("-1"), "none", "全部未履行"),
        (D("10000"), D("0.01"), "partial", "部分履行（已履行0.01元，未履行9,999.99元）"),
        (D("10000"), D("3000.50"), "partial", "部分履行（已履行3,000.50元，未履行6,999.50元）"),
        (D("10000"), D("9999.99"), "partial", "部分履行（已履行9,999.99元，未履行0.01元）"),
        (D("10000"), D("10000"), "full", "全部履行"),
        (D("10000"), D("12000"), "full", "全部履行"),
        (D("0"), D("100"), "", ""),  # an act-performance case: nothing to compute
    ],
)
def test_performance(obligation: Decimal, paid: Decimal, status: str, text: str) -> None:
    assert rules.performance_status(obligation, paid) == status
    assert rules.performance_text(obligation, paid) == text
