"""The table's vocabulary: events, measures, actions, who decides, and one cell (`Rule`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Event(StrEnum):
    PAYMENT = "payment"
    PAID_IN_FULL = "paid_in_full"
    CLOSED_PERFORMED = "closed_performed"
    CLOSED_DORMANT = "closed_dormant"
    CLOSED_TERMINATED = "closed_terminated"
    CLOSED_WITHDRAWN = "closed_withdrawn"
    CLOSED_REFUSED = "closed_refused"
    CLOSED_DISMISSED = "closed_dismissed"
    SUSPENDED_APPLICANT_AGREES = "suspended_applicant_agrees"
    SUSPENDED_OBJECTION = "suspended_objection"
    SUSPENDED_HEIR_PENDING = "suspended_heir_pending"
    SUSPENDED_SUCCESSOR_PENDING = "suspended_successor_pending"
    SUSPENDED_RETRIAL = "suspended_retrial"
    SUSPENDED_BANKRUPTCY = "suspended_bankruptcy"
    SUSPENDED_OTHER = "suspended_other"
    RESUMED = "resumed"
    LISTING_REMOVED = "listing_removed"
    # The sale of a seized asset (zhixing.auctions; issue 18): each carries the lot it concerns.
    SALE_RULING_SERVED = "sale_ruling_served"
    SALE_BALANCE_PAID = "sale_balance_paid"
    AUCTION_STARTED = "auction_started"
    AUCTION_ENDED = "auction_ended"
    OBJECTION_UPHELD = "objection_upheld"
    # The set-off ruling (以物抵债裁定) served on the creditor who takes the asset (issue 18/20).
    SET_OFF_RULING_SERVED = "set_off_ruling_served"
    # A third party claims a seized asset (案外人异议, CPL 238; issue 19): carries the asset and objection.
    THIRD_PARTY_OBJECTION_FILED = "third_party_objection_filed"
    # ...and its outcome (issue 19): the cause of a lot's suspension ended (withdrawn; rejected and the
    # window to sue lapsed; the suit lost by the objector), the objection upheld, or the objector's claim
    # final (upheld and no suit in the window; the suit won by the objector).
    THIRD_PARTY_OBJECTION_CLEARED = "third_party_objection_cleared"
    THIRD_PARTY_OBJECTION_UPHELD = "third_party_objection_upheld"
    THIRD_PARTY_OBJECTION_FINAL = "third_party_objection_final"
    # An objection to a seized asset's reference price (参考价异议; issue 19): filed, cleared (withdrawn or
    # rejected), upheld — each carries the asset, the price and the objection (rows: own block below).
    PRICE_OBJECTION_FILED = "price_objection_filed"
    PRICE_OBJECTION_CLEARED = "price_objection_cleared"
    PRICE_OBJECTION_UPHELD = "price_objection_upheld"


EVENT_LABELS: dict[Event, str] = {
    Event.PAYMENT: "部分执行到位",
    Event.PAID_IN_FULL: "执行标的全部到位",
    Event.CLOSED_PERFORMED: "以执行完毕结案",
    Event.CLOSED_DORMANT: "终结本次执行程序",
    Event.CLOSED_TERMINATED: "以终结执行结案",
    Event.CLOSED_WITHDRAWN: "以销案方式结案",
    Event.CLOSED_REFUSED: "以不予执行结案",
    Event.CLOSED_DISMISSED: "以驳回申请结案",
    Event.SUSPENDED_APPLICANT_AGREES: "中止执行（申请人同意延期）",
    Event.SUSPENDED_OBJECTION: "中止执行（案外人异议）",
    Event.SUSPENDED_HEIR_PENDING: "中止执行（等待继承人）",
    Event.SUSPENDED_SUCCESSOR_PENDING: "中止执行（等待权利义务承受人）",
    Event.SUSPENDED_RETRIAL: "中止执行（再审）",
    Event.SUSPENDED_BANKRUPTCY: "中止执行（受理破产申请）",
    Event.SUSPENDED_OTHER: "中止执行（其他情形）",
    Event.RESUMED: "恢复执行",
    Event.LISTING_REMOVED: "失信信息删除",
    Event.SALE_RULING_SERVED: "拍卖成交裁定送达买受人",
    Event.SALE_BALANCE_PAID: "买受人付清尾款",
    Event.AUCTION_STARTED: "拍卖公告发布（处置开始）",
    Event.AUCTION_ENDED: "处置结束（成交裁定或以物抵债）",
    Event.OBJECTION_UPHELD: "执行行为异议成立",
    Event.SET_OFF_RULING_SERVED: "以物抵债裁定送达承受人",
    Event.THIRD_PARTY_OBJECTION_FILED: "案外人异议立案",
    Event.THIRD_PARTY_OBJECTION_CLEARED: "案外人异议中止事由消失",
    Event.THIRD_PARTY_OBJECTION_UPHELD: "案外人异议成立",
    Event.THIRD_PARTY_OBJECTION_FINAL: "案外人异议成立裁定生效",
}


EVENT_LABELS.update(
    {
        Event.PRICE_OBJECTION_FILED: "参考价异议立案",
        Event.PRICE_OBJECTION_CLEARED: "参考价异议撤回或驳回",
        Event.PRICE_OBJECTION_UPHELD: "参考价异议成立",
    }
)


class Measure(StrEnum):
    FREEZE = "freeze"
    SEIZURE = "seizure"
    DEDUCTION = "deduction"
    CONSUMPTION = "consumption"
    EXIT = "exit"
    LISTING = "listing"
    EXPOSURE = "exposure"
    PENDING = "pending"
    # What the sale of a seized asset changes besides the controls (issue 18).
    TITLE = "title"
    PROCEEDS = "proceeds"
    TERM = "term"
    # A published lot of the asset (zhixing.auctions), still in bidding.
    LOT = "lot"
    # A seized asset's reference price (参考价, zhixing.auctions), objected to as an act (issue 19).
    VALUATION = "valuation"


MEASURE_LABELS: dict[Measure, str] = {
    Measure.FREEZE: "冻结",
    Measure.SEIZURE: "查封、扣押",
    Measure.DEDUCTION: "在途扣划",
    Measure.CONSUMPTION: "限制消费",
    Measure.EXIT: "限制出境",
    Measure.LISTING: "失信名单",
    Measure.EXPOSURE: "媒体曝光",
    Measure.PENDING: "未反馈的控制请求",
    Measure.TITLE: "所有权",
    Measure.PROCEEDS: "拍卖价款",
    Measure.TERM: "执行期限",
    Measure.LOT: "拍卖标的",
    Measure.VALUATION: "处置参考价",
}


class Action(StrEnum):
    RELEASE = "release"
    CANCEL = "cancel"
    LIFT = "lift"
    REMOVE = "remove"
    KEEP = "keep"
    TRANSFER = "transfer"
    POST = "post"
    PAUSE = "pause"
    RESUME = "resume"
    SUSPEND = "suspend"
    RESUME_LOT = "resume_lot"
    CANCEL_LOT = "cancel_lot"
    SET_ASIDE = "set_aside"


ACTION_LABELS: dict[Action, str] = {
    Action.RELEASE: "解除",
    Action.CANCEL: "撤回",
    Action.LIFT: "解除",
    Action.REMOVE: "删除",
    Action.KEEP: "保持",
    Action.TRANSFER: "登记转移",
    Action.POST: "入账",
    Action.PAUSE: "停止计算",
    Action.RESUME: "恢复计算",
    Action.SUSPEND: "中止拍卖",
    Action.RESUME_LOT: "恢复拍卖",
    Action.CANCEL_LOT: "撤回拍卖",
    Action.SET_ASIDE: "撤销",
}

# Which actions make sense for which measure: a control is released, a request cancelled, a
# restriction lifted, a listing or an exposure removed; anything may be kept.
ACTIONS_FOR: dict[Measure, frozenset[Action]] = {
    Measure.FREEZE: frozenset({Action.RELEASE, Action.KEEP}),
    Measure.SEIZURE: frozenset({Action.RELEASE, Action.KEEP}),
    Measure.DEDUCTION: frozenset({Action.CANCEL, Action.KEEP}),
    Measure.PENDING: frozenset({Action.CANCEL, Action.KEEP}),
    Measure.CONSUMPTION: frozenset({Action.LIFT, Action.KEEP}),
    Measure.EXIT: frozenset({Action.LIFT, Action.KEEP}),
    Measure.LISTING: frozenset({Action.REMOVE, Action.KEEP}),
    Measure.EXPOSURE: frozenset({Action.REMOVE, Action.KEEP}),
    Measure.TITLE: frozenset({Action.TRANSFER, Action.KEEP}),
    Measure.PROCEEDS: frozenset({Action.POST, Action.KEEP}),
    Measure.TERM: frozenset({Action.PAUSE, Action.RESUME, Action.KEEP}),
    Measure.LOT: frozenset({Action.SUSPEND, Action.RESUME_LOT, Action.CANCEL_LOT, Action.KEEP}),
    Measure.VALUATION: frozenset({Action.SET_ASIDE, Action.KEEP}),
}


class Decider(StrEnum):
    AUTO = "auto"  # the platform applies it in the event's transaction
    JUDGE = "judge"  # the platform proposes it on the case; the judge accepts in one click or declines


@dataclass(frozen=True)
class Rule:
    """One cell of the table. `scope` says which part of the measure the action takes: "all",
    "excess" (only what the controls hold above what the case still claims), or "sold" (only the asset
    the event's lot sold)."""

    action: Action
    decider: Decider
    article: str
    source: str  # the rules.md section the article is read in (or "—" where no source was read)
    configurable: bool = False
    scope: str = "all"

    def label(self) -> str:
        if self.action == Action.KEEP:
            return "保持不变"
        who = "系统自动" if self.decider == Decider.AUTO else "提请法官决定"
        part = {"excess": "超标的部分", "sold": "已拍卖财产", "claimed": "被异议财产"}.get(self.scope, "")
        return f"{who}{ACTION_LABELS[self.action]}{part}"


def _r(
    action: Action, decider: Decider, article: str, source: str, *, conf: bool = False, scope: str = "all"
) -> Rule:
    return Rule(action, decider, article, source, conf, scope)


def closing_event(mode: str) -> Event:
    return Event(f"closed_{mode}")


def suspension_event(ground: str) -> Event:
    return Event(f"suspended_{ground}")


def payment_event(outstanding_after: Decimal) -> Event:
    """Money performed: PAID_IN_FULL once nothing is owed, PAYMENT otherwise."""
    return Event.PAID_IN_FULL if outstanding_after <= 0 else Event.PAYMENT
