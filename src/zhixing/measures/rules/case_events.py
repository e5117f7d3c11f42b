"""Rows for the case's own events: money performed, closing, suspension, resumption, a listing
removed, an upheld act objection."""

from __future__ import annotations

from .articles import (
    BANKRUPTCY_RELEASE,
    CASE_ENDED,
    CONSUMPTION_PAID,
    DORMANT_KEEPS,
    DORMANT_LISTING,
    ENDED_RELEASE,
    ENDED_RESTRICTION,
    EXIT_NOT_TIED,
    EXIT_PAID,
    EXPOSURE_FOLLOWS,
    KEEP_NOTHING_SAYS,
    LISTING_CONSUMPTION,
    LISTING_PAID,
    NONE,
    OVER_SEIZURE,
    PAID_RELEASE,
    PAYMENT_KEEPS,
    RESUMED_KEEPS,
    S5,
    S23,
    S24,
    S33,
    S34,
    S35,
    S62,
    S64,
    SUSPENSION_KEEPS,
    SUSPENSION_LISTING,
    SUSPENSION_PENDING,
    A,
    J,
)
from .vocabulary import Action, Event, Measure, Rule, _r


def _keep(article: str, source: str, conf: bool = False) -> Rule:
    return _r(Action.KEEP, A, article, source, conf=conf)


def _ended(listing_rule: Rule, controls: Rule) -> dict[Measure, Rule]:
    """A case that ended without performance: nothing remains to enforce."""
    return {
        Measure.FREEZE: controls,
        Measure.SEIZURE: controls,
        Measure.DEDUCTION: _r(Action.CANCEL, A, CASE_ENDED, S24),
        Measure.PENDING: _r(Action.CANCEL, A, CASE_ENDED, S24),
        Measure.CONSUMPTION: _r(Action.LIFT, A, ENDED_RESTRICTION, S34, conf=True),
        Measure.EXIT: _r(Action.LIFT, A, ENDED_RESTRICTION, S35, conf=True),
        Measure.LISTING: listing_rule,
        Measure.EXPOSURE: _r(Action.REMOVE, A, EXPOSURE_FOLLOWS, S35),
    }


def _suspension(listing: Rule, exposure: Rule, controls: Rule, pending: Rule) -> dict[Measure, Rule]:
    return {
        Measure.FREEZE: controls,
        Measure.SEIZURE: controls,
        Measure.DEDUCTION: pending,
        Measure.PENDING: pending,
        Measure.CONSUMPTION: _keep(SUSPENSION_KEEPS, S23),
        Measure.EXIT: _keep(SUSPENSION_KEEPS, S23),
        Measure.LISTING: listing,
        Measure.EXPOSURE: exposure,
    }


_SUSP_KEEP = _keep(SUSPENSION_KEEPS, S23)
_SUSP_PENDING = _r(Action.CANCEL, J, SUSPENSION_PENDING, S23, conf=True)
_ORDINARY_SUSPENSION = _suspension(_SUSP_KEEP, _SUSP_KEEP, _SUSP_KEEP, _SUSP_PENDING)

DEFAULT_TABLE: dict[Event, dict[Measure, Rule]] = {
    Event.PAYMENT: {
        Measure.FREEZE: _r(Action.RELEASE, J, OVER_SEIZURE, S62, conf=True, scope="excess"),
        Measure.SEIZURE: _r(Action.RELEASE, J, OVER_SEIZURE, S62, conf=True, scope="excess"),
        Measure.DEDUCTION: _keep(PAYMENT_KEEPS, S64),
        Measure.PENDING: _keep(PAYMENT_KEEPS, S62),
        Measure.CONSUMPTION: _keep(PAYMENT_KEEPS, S34),
        Measure.EXIT: _keep(PAYMENT_KEEPS, S35),
        Measure.LISTING: _keep(PAYMENT_KEEPS, S33),
        Measure.EXPOSURE: _keep(PAYMENT_KEEPS, S35),
    },
    # The whole claim is paid but the case is not yet closed: everything may go, and the judge — who
    # must still confirm the performance and close the case — decides (configurable to automatic).
    Event.PAID_IN_FULL: {
        Measure.FREEZE: _r(Action.RELEASE, J, PAID_RELEASE, S62, conf=True),
        Measure.SEIZURE: _r(Action.RELEASE, J, PAID_RELEASE, S62, conf=True),
        Measure.DEDUCTION: _r(Action.CANCEL, J, OVER_SEIZURE, S64, conf=True),
        Measure.PENDING: _r(Action.CANCEL, J, OVER_SEIZURE, S62, conf=True),
        Measure.CONSUMPTION: _r(Action.LIFT, J, CONSUMPTION_PAID, S34, conf=True),
        Measure.EXIT: _r(Action.LIFT, J, EXIT_PAID, S35, conf=True),
        Measure.LISTING: _r(Action.REMOVE, J, LISTING_PAID, S33, conf=True),
        Measure.EXPOSURE: _r(Action.REMOVE, J, EXPOSURE_FOLLOWS, S35, conf=True),
    },
    # Closed as performed: the claim is nil, so every control exceeds it (查封规定 Art 19).
    Event.CLOSED_PERFORMED: {
        Measure.FREEZE: _r(Action.RELEASE, A, OVER_SEIZURE, S62),
        Measure.SEIZURE: _r(Action.RELEASE, A, OVER_SEIZURE, S62),
        Measure.DEDUCTION: _r(Action.CANCEL, A, OVER_SEIZURE, S64),
        Measure.PENDING: _r(Action.CANCEL, A, CASE_ENDED, S24),
        Measure.CONSUMPTION: _r(Action.LIFT, A, CONSUMPTION_PAID, S34),
        Measure.EXIT: _r(Action.LIFT, A, EXIT_PAID, S35),
        Measure.LISTING: _r(Action.REMOVE, A, LISTING_PAID, S33),
        Measure.EXPOSURE: _r(Action.REMOVE, A, EXPOSURE_FOLLOWS, S35),
    },
    Event.CLOSED_DORMANT: {
        Measure.FREEZE: _keep(DORMANT_KEEPS, S5, True),
        Measure.SEIZURE: _keep(DORMANT_KEEPS, S5, True),
        Measure.DEDUCTION: _keep(DORMANT_KEEPS, S5, True),
        Measure.PENDING: _keep(DORMANT_KEEPS, S5, True),
        Measure.CONSUMPTION: _keep(DORMANT_KEEPS, S5, True),
        Measure.EXIT: _keep(DORMANT_KEEPS, S5, True),
        Measure.LISTING: _keep(DORMANT_LISTING, S33),
        Measure.EXPOSURE: _keep(DORMANT_KEEPS, S5, True),
    },
    Event.CLOSED_TERMINATED: _ended(
        _r(Action.REMOVE, A, "失信规定第10条第1款第7项：裁定终结执行的，删除失信信息", S33),
        _r(Action.RELEASE, A, ENDED_RELEASE, S62, conf=True),
    ),
    Event.CLOSED_REFUSED: _ended(
        _r(Action.REMOVE, A, "失信规定第10条第1款第6项：裁定不予执行的，删除失信信息", S33),
        _r(Action.RELEASE, A, ENDED_RELEASE, S62, conf=True),
    ),
    # 驳回申请: the application did not meet the acceptance conditions, so the debtor should never have
    # been listed (失信规定 Art 9: revoke within 3 working days).
    Event.CLOSED_DISMISSED: _ended(
        _r(Action.REMOVE, A, "失信规定第9条：不应纳入失信名单的，3个工作日内撤销", S33),
        _r(Action.RELEASE, A, ENDED_RELEASE, S62, conf=True),
    ),
    # 销案: no article names it as a deletion ground; a delegated case's controls pass to the delegate
    # court (委托执行规定 Art 6(3)), so releasing them is the judge's call.
    Event.CLOSED_WITHDRAWN: _ended(
        _r(
            Action.REMOVE,
            A,
            "销案后失信信息的删除无明文（失信规定第10条未列举），可配置（默认删除）",
            S33,
            conf=True,
        ),
        _r(
            Action.RELEASE,
            J,
            "销案（含委托执行）后控制措施可能移交受托法院（委托执行规定第6条），由法官决定",
            S24,
            conf=True,
        ),
    ),
    Event.SUSPENDED_APPLICANT_AGREES: _ORDINARY_SUSPENSION,
    Event.SUSPENDED_OBJECTION: _ORDINARY_SUSPENSION,
    Event.SUSPENDED_HEIR_PENDING: _ORDINARY_SUSPENSION,
    Event.SUSPENDED_SUCCESSOR_PENDING: _ORDINARY_SUSPENSION,
    Event.SUSPENDED_OTHER: _ORDINARY_SUSPENSION,
    Event.SUSPENDED_RETRIAL: _suspension(
        _r(Action.REMOVE, A, SUSPENSION_LISTING, S33),
        _r(Action.REMOVE, A, EXPOSURE_FOLLOWS, S35),
        _SUSP_KEEP,
        _SUSP_PENDING,
    ),
    Event.SUSPENDED_BANKRUPTCY: _suspension(
        _r(Action.REMOVE, A, SUSPENSION_LISTING, S33),
        _r(Action.REMOVE, A, EXPOSURE_FOLLOWS, S35),
        _r(Action.RELEASE, J, BANKRUPTCY_RELEASE, S23, conf=True),
        _r(Action.CANCEL, A, BANKRUPTCY_RELEASE, S23, conf=True),
    ),
    Event.RESUMED: {m: _keep(RESUMED_KEEPS, S23) for m in Measure},
    Event.LISTING_REMOVED: {
        Measure.FREEZE: _keep(KEEP_NOTHING_SAYS, NONE),
        Measure.SEIZURE: _keep(KEEP_NOTHING_SAYS, NONE),
        Measure.DEDUCTION: _keep(KEEP_NOTHING_SAYS, NONE),
        Measure.PENDING: _keep(KEEP_NOTHING_SAYS, NONE),
        Measure.CONSUMPTION: _r(Action.LIFT, J, LISTING_CONSUMPTION, S34, conf=True),
        Measure.EXIT: _keep(EXIT_NOT_TIED, S35),
        Measure.LISTING: _keep("该事件即失信信息删除本身", S33),
        Measure.EXPOSURE: _r(Action.REMOVE, A, EXPOSURE_FOLLOWS, S35),
    },
}

# An upheld objection to an enforcement act (issue 19): only the act objected to is undone — applied by
# `services.apply_to_act` to that one control or listing, never to the case's other measures.
# rule
OBJECTION_UNDO = "民诉法(2023)第236条：执行行为异议成立的，裁定撤销或者改正该执行行为"
DEFAULT_TABLE[Event.OBJECTION_UPHELD] = {
    **{m: _keep("执行行为异议只撤销被异议的执行行为", "rules.md §0") for m in Measure},
    Measure.FREEZE: _r(Action.RELEASE, A, OBJECTION_UNDO, "rules.md §0"),
    Measure.SEIZURE: _r(Action.RELEASE, A, OBJECTION_UNDO, "rules.md §0"),
    Measure.LISTING: _r(
        Action.REMOVE, A, OBJECTION_UNDO + "（失信规定第12条：纳入错误的撤销）", "rules.md §3.3"
    ),
    # rule: — an objection to a valuation or online-inquiry report on its basic facts,
    # qualifications or procedure is an act objection; upheld, the reference price is set aside.
    Measure.VALUATION: _r(
        Action.SET_ASIDE,
        A,
        OBJECTION_UNDO + "（参考价规定第22条、第23条：对询价、评估报告的异议按执行行为异议审查，"
        "成立的撤销该参考价，重新确定参考价）",
        "rules.md §4.3",
    ),
}
