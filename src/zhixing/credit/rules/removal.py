"""Deleting a listing (失信规定 Art 10): the triggers, their due dates, fixed-term listings, re-listing."""

from __future__ import annotations

from datetime import date

from zhixing.core.workdays import WorkCalendar

from .dates import add_months
from .grounds import term_years

REMOVAL_WORKDAYS = 3  # Art 10: delete within 3 working days


# -- removal triggers (Art 10(1)) plus term expiry (Art 10(2)) and wrongful listing (Art 9) ------------
REMOVAL_TRIGGERS: dict[str, str] = {
    "performed": "被执行人已履行全部义务或已执行完毕",
    "settlement": "执行和解协议已履行完毕",
    "applicant_request": "申请执行人书面申请删除且人民法院准许",
    "dormant_no_assets": "终结本次执行程序后两次网络查询均未发现财产且无人提供有效线索",
    "suspended": "因审判监督或破产程序中止执行",
    "non_enforcement": "人民法院裁定不予执行",
    "termination": "人民法院裁定终结执行",
    "expired": "失信期限届满",
    "wrongful": "不应纳入失信名单（撤销）",
    # 销案 is not an Art 10(1) ground; the consequence table (zhixing.measures) makes it configurable.
    "case_cancelled": "案件已销案",
    "early": "被执行人积极履行或主动纠正失信行为，提前删除",
}

# Art 10(1)(5): a case suspended because of retrial (审判监督) or bankruptcy — the suspension grounds the
# cases domain records for them (`Suspension.Ground`).
SUSPENSION_TRIGGER_GROUNDS = ("retrial", "bankruptcy")
# Art 10(1)(4): after 终本, at least two network inquiries found no property.
DORMANT_EMPTY_ROUNDS = 2


# -- Art 10(3)–(4): re-listing after deletion -------------------------------------------------------------
# Art 10(3): a debtor deleted from the list may be listed again when an Art 1 situation recurs. Art 10(4):
# after a deletion under Art 10(1)(3) (the applicant's written request, granted), the applicant's
# application to list the debtor again within six months is not supported. Only the applicant's route is
# barred; the court may still list ex officio on a new Art 1 situation.
RELIST_BAR_MONTHS = 6
RELIST_BARRED_TRIGGER = "applicant_request"


def relisting_barred_until(trigger: str, removed_on: date | None) -> date | None:
    """The last day of the six months (the day of deletion not counted) during which the applicant's
    application to re-list is refused; None when the deletion bars nothing."""
    if trigger != RELIST_BARRED_TRIGGER or removed_on is None:
        return None
    return add_months(removed_on, RELIST_BAR_MONTHS)


def relisting_refusal(initiation: str, trigger: str, removed_on: date | None, applied_on: date) -> str:
    """Art 10(4): the refusal of an applicant's re-listing application, or "" when it may proceed.

    # rule: R-3.3.18
    """
    until = relisting_barred_until(trigger, removed_on)
    if initiation != "application" or until is None or applied_on > until or removed_on is None:
        return ""
    return (
        f"申请执行人于{removed_on:%Y-%m-%d}书面申请删除失信信息，删除后六个月内（至{until:%Y-%m-%d}）"
        "再申请将其纳入失信名单的，人民法院不予支持（失信规定第10条第4款）；如有新的失信情形，可依职权纳入"
    )


def removal_due(trigger_on: date, cal: WorkCalendar) -> date:
    """Art 10: delete within 3 working days of the trigger (the trigger day itself is not counted).

    # rule: R-3.3.15
    """
    return cal.add_workdays(trigger_on, REMOVAL_WORKDAYS)


def expiry_removal_due(expires_on: date, cal: WorkCalendar) -> date:
    """Art 10(2): delete within 3 working days after the term has expired.

    # rule: R-3.3.16
    """
    return cal.add_workdays(expires_on, REMOVAL_WORKDAYS)


def dormant_trigger_on(empty_round_dates: list[date]) -> date | None:
    """Art 10(1)(4): the day the second empty inquiry round after 终本 completed, or None if fewer."""
    dates = sorted(empty_round_dates)
    return dates[DORMANT_EMPTY_ROUNDS - 1] if len(dates) >= DORMANT_EMPTY_ROUNDS else None


# -- Art 10(2): fixed-term listings are not deleted on the Art 10(1) triggers -----------------------------
ART10_1_TRIGGERS = frozenset(
    {
        "performed",
        "settlement",
        "applicant_request",
        "dormant_no_assets",
        "suspended",
        "non_enforcement",
        "termination",
    }
)


def art10_1_applies(ground: int, trigger: str) -> bool:
    """Whether `trigger` may delete a listing of `ground` (True for every non-Art-10(1) trigger).

    # rule: R-3.3.9
    失信规定 Art 10(2): a listing with a term (grounds 2–6, Art 2(1)) is not deleted on the Art 10(1)
    triggers; it is deleted within 3 working days after its term expires, or earlier at the court's
    discretion when the debtor actively performs or corrects (Art 2(2), trigger ``early``)."""
    return trigger not in ART10_1_TRIGGERS or term_years(ground) is None


FIXED_TERM_REFUSAL = (
    "有纳入期限的失信信息（第2至6项情形）不适用失信规定第10条第1款，期满后删除；"
    "被执行人积极履行或主动纠正的，可选择“提前删除”（第2条第2款）"
)
