"""The exit restriction (执行程序解释 Arts 23–24; 执行异议复议规定 Art 9): periods and whom it binds."""

from __future__ import annotations

from datetime import date, timedelta

from zhixing.core.workdays import WorkCalendar

from .dates import period_end

# -- exit restriction (执行异议复议规定 Art 9): 10 days to ask the next-higher court, decided in 15 days
EXIT_RECONSIDERATION_DAYS = 10
EXIT_REVIEW_DAYS = 15


def exit_reconsideration_due(served_on: date, cal: WorkCalendar) -> date:
    """执行异议复议规定 Art 9: apply for 复议 within 10 days of receiving the exit-restriction decision.

    # rule: R-3.5.4
    """
    return period_end(served_on + timedelta(days=EXIT_RECONSIDERATION_DAYS), cal)


def exit_review_due(filed_on: date, cal: WorkCalendar) -> date:
    """执行异议复议规定 Art 9: the next-higher court decides the 复议 within 15 days of receiving it."""
    return period_end(filed_on + timedelta(days=EXIT_REVIEW_DAYS), cal)


# -- exit restriction: whom it may bind (执行程序解释 Art 24) ---------------------------------------------
EXIT_UNIT_BOUND = ("legal_rep", "principal", "responsible")
EXIT_MINOR_BOUND = ("guardian",)


def exit_bound_refusal(debtor_kind: str, debtor_minor: bool, bounds: list[str]) -> tuple[int, str]:
    """(index of the offending person or -1 for the list, message) when the exit restriction may not bind
    these persons, else (-2, "").

    # rule: R-3.5.2
    执行程序解释 Art 24: a unit's legal representative, principal person in charge or directly responsible
    person (not its actual controller, whom only the consumption restriction reaches, 限消规定 Art 3(2));
    a debtor without full capacity → its legal representative / guardian, not the debtor itself."""
    allowed: tuple[str, ...]
    if debtor_kind == "organisation":
        allowed, who = EXIT_UNIT_BOUND, "单位的法定代表人、主要负责人或直接责任人员"
    elif debtor_minor:
        allowed, who = EXIT_MINOR_BOUND, "未成年被执行人的法定代理人（监护人）"
    else:
        allowed, who = (), ""
    for i, b in enumerate(bounds):
        if b not in allowed:
            if not allowed:
                return i, "被执行人为成年自然人的，限制其本人出境，不能另行指定被限制人员"
            return i, f"限制出境只能针对{who}（执行程序解释第24条），不包括所选人员"
    if allowed and not bounds:
        if debtor_minor:
            return (
                -1,
                "被执行人为未成年人，应限制其法定代理人（监护人）出境，不限制未成年人本人；请填写监护人",
            )
        return -1, "单位被执行人须指定被限制出境的法定代表人、主要负责人或直接责任人员"
    return -2, ""
