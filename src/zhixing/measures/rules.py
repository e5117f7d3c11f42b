"""The consequence table: what each case event does to each enforcement measure, with its article.

Pure data and arithmetic, no ORM. One row per (event, measure); every row names its action, who decides
(the platform in the event's transaction, or the judge on a proposal), the article it rests on (section
of rules.md), and whether a court may configure it. Rows the rules leave open (UNCONFIRMED in rules.md,
or not covered by any article read) are configurable with the default given here; rows an article
settles are not.

Vocabulary
- events: money performed (part or all of the claim), each closing mode of rules.md §2.4, suspension by
  ground (§2.3), resumption, and the removal of a dishonest listing;
- measures: freeze, seizure (both held in the asset register), deduction orders in flight, consumption
  restriction, exit restriction, dishonest listing, media exposure, control requests not yet answered;
- actions: release (a control), cancel (a request not yet answered), lift (a restriction), remove
  (a listing or an exposure), keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
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


A, J = Decider.AUTO, Decider.JUDGE
KEEP_NOTHING_SAYS = "无法律规定因该事件变更此措施"

# -- the articles, quoted once --------------------------------------------------------------------------
OVER_SEIZURE = "查封规定第19条：超标的部分应依申请或依职权解除；民诉法(2023)第253条"
PAID_RELEASE = "查封规定第28条第1款第4项（债务已经清偿，应当解除）——原文未核实，可配置"
ENDED_RELEASE = "查封规定第28条（执行依据撤销、撤回申请等，应当解除）——原文未核实，可配置"
CONSUMPTION_PAID = "限制消费规定第9条：被执行人履行完毕的，应当及时解除限制消费令"
EXIT_PAID = "执行程序解释第25条：履行完毕的，应当及时解除限制出境"
LISTING_PAID = "失信规定第10条第1款第1项：已履行全部义务的，3个工作日内删除"
EXPOSURE_FOLLOWS = "执行程序解释第26条、失信规定第7条：曝光公布的是失信信息，失信信息删除即停止公布"
CASE_ENDED = "执行工作规定第64条：案件已结案，未发出的控制请求不再发送"
ENDED_RESTRICTION = "案件以该方式结案后限制措施的去留无司法解释明文，可配置（默认解除）"
DORMANT_KEEPS = "终本后已控制财产与限制措施继续有效（终本规定，原文未核实，可配置）"
DORMANT_LISTING = "失信规定第10条第1款第4项：终本后两次网络查询无财产方删除（由定期扫描处理）"
SUSPENSION_KEEPS = "民诉法(2023)第267条：中止执行只停止执行程序，已采取的措施不因此解除"
SUSPENSION_PENDING = "中止期间不应再采取新的执行行为，未发出的控制请求提请撤回（可配置）"
SUSPENSION_LISTING = "失信规定第10条第1款第5项：因审判监督或破产程序中止执行的，删除失信信息"
BANKRUPTCY_RELEASE = "企业破产法第19条：受理破产申请后，有关债务人财产的保全措施应当解除（可配置）"
RESUMED_KEEPS = (
    "执行工作规定第60条：恢复执行后原有措施继续；已删除的失信信息须重新决定方能纳入（失信规定第10条第3款）"
)
LISTING_CONSUMPTION = (
    "限制消费规定第1条第2款：失信被执行人应当限制消费；失信删除后是否解除由法官决定（可配置）"
)
EXIT_NOT_TIED = "执行程序解释第25条：限制出境不随失信名单删除而解除"
PAYMENT_KEEPS = "部分履行不构成解除事由（限制消费规定第9条、执行程序解释第25条、失信规定第10条）"

S62, S64, S33, S34, S35, S5, S23, S24 = (
    "rules.md §6.2",
    "rules.md §6.4",
    "rules.md §3.3",
    "rules.md §3.4",
    "rules.md §3.5",
    "rules.md §5",
    "rules.md §2.3",
    "rules.md §2.4",
)
NONE = "—"


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


# -- the sale of a seized asset (issue 18) ----------------------------------------------------------------
# rule: — title passes on service of the ruling; the sold asset's seizure is released then.
SALE_TITLE = "网拍规定第22条、拍卖变卖规定第26条：成交裁定送达买受人时所有权转移"
SALE_RELEASE = (
    "网拍规定第22条、拍卖变卖规定第26条：成交裁定送达买受人时所有权转移，"
    "已拍卖财产的查封随之解除（协助执行通知书）"
)
# rule: — the balance is paid into the court's account and credited to the case.
SALE_PROCEEDS = "网拍规定第6条、第23条：买受人交纳的价款（保证金抵作价款）进入法院账户，计入本案执行款"
# rule: — the auction or sale of seized property is not counted in the term.
SALE_TERM = "审限规定第9条：拍卖、变卖被查封财产的期间不计入执行期限"
SALE_NOT_CONCERNED = "该事件只涉及被处置的财产、价款与执行期限，不变更其他措施"
S41, S42, S21 = "rules.md §4.1", "rules.md §4.2", "rules.md §2.1"


def _sale(**cells: Rule) -> dict[Measure, Rule]:
    """A sale event's row: the cells named, every other measure kept."""
    row = {m: _keep(SALE_NOT_CONCERNED, S41) for m in Measure}
    row.update({Measure(k): v for k, v in cells.items()})
    return row


DEFAULT_TABLE.update(
    {
        Event.SALE_RULING_SERVED: _sale(
            seizure=_r(Action.RELEASE, A, SALE_RELEASE, S41, scope="sold"),
            title=_r(Action.TRANSFER, A, SALE_TITLE, S41, scope="sold"),
        ),
        Event.SALE_BALANCE_PAID: _sale(proceeds=_r(Action.POST, A, SALE_PROCEEDS, S41, scope="sold")),
        Event.AUCTION_STARTED: _sale(term=_r(Action.PAUSE, A, SALE_TERM, S21)),
        Event.AUCTION_ENDED: _sale(term=_r(Action.RESUME, A, SALE_TERM, S21)),
    }
)
# rule: — a set-off ruling passes title like a sale ruling: on its service on the creditor who
# takes the asset, and the asset's seizure is released then.
SET_OFF_TITLE = "拍卖变卖规定第16条、第26条：以物抵债裁定送达承受人时所有权转移"
SET_OFF_RELEASE = (
    "拍卖变卖规定第16条、第26条：以物抵债裁定送达承受人时所有权转移，抵债财产的查封随之解除（协助执行通知书）"
)
DEFAULT_TABLE[Event.SET_OFF_RULING_SERVED] = _sale(
    seizure=_r(Action.RELEASE, A, SET_OFF_RELEASE, S42, scope="sold"),
    title=_r(Action.TRANSFER, A, SET_OFF_TITLE, S42, scope="sold"),
)
# rule: — a third-party objection stops the disposal of the claimed asset at once: a lot of it
# already published leaves bidding (中止拍卖); deposits stay held; the controls are kept.
OBJECTION_SUSPENDS_LOT = (
    "民诉法(2023)第238条：案外人对执行标的提出书面异议的，审查期间不得处分该财产；"
    "网拍规定第28条：竞价程序中有依法应当中止执行等情形的，裁定中止拍卖（原因消失后5日内恢复）"
)
DEFAULT_TABLE[Event.THIRD_PARTY_OBJECTION_FILED] = {
    **{m: _keep("案外人异议只停止被异议财产的处分，已采取的控制措施不变", "rules.md §0") for m in Measure},
    Measure.LOT: _r(Action.SUSPEND, A, OBJECTION_SUSPENDS_LOT, S41, scope="claimed"),
}
# rule: — the cause of the suspension ended: the lot is resumed (its bidding time per the
# configured mode, deposits still held) as soon as no disposal guard refuses the asset any more.
OBJECTION_CLEARED_RESUMES = (
    "网拍规定第28条：中止拍卖的事由消失后，需要继续拍卖的，应当在5日内恢复拍卖"
    "（案外人异议撤回、驳回后15日内未起诉或执行异议之诉案外人败诉：民诉法(2023)第238条）"
)
# An upheld objection: enforcement against the asset is suspended (CPL-2023 Art 238); rules.md has no
# article on withdrawing the auction (撤回拍卖) — configurable, default withdraw and release the deposits.
OBJECTION_UPHELD_CANCELS = (
    "民诉法(2023)第238条：案外人异议成立的，裁定中止对该标的的执行；"
    "已公告的拍卖撤回、保证金退还（撤回拍卖的条文rules.md未载，可配置）"
)
# rule: — upheld and no suit within 15 days of service (or the objector won the suit): the
# measures on the claimed asset are released. 民诉解释 (2015 numbering) Art 314(2) — text not in rules.md.
OBJECTION_FINAL_RELEASES = (
    "民诉解释(2015)第314条第2款：案外人异议成立，申请执行人在裁定送达之日起15日内未提起诉讼的，"
    "人民法院应当裁定解除对该标的采取的执行措施（原文待核实，可配置）"
)
_OBJECTION_KEEPS = _keep("案外人异议只涉及被异议财产", "rules.md §0")
DEFAULT_TABLE[Event.THIRD_PARTY_OBJECTION_CLEARED] = {
    **dict.fromkeys(Measure, _OBJECTION_KEEPS),
    Measure.LOT: _r(Action.RESUME_LOT, A, OBJECTION_CLEARED_RESUMES, S41, scope="claimed"),
}
DEFAULT_TABLE[Event.THIRD_PARTY_OBJECTION_UPHELD] = {
    **dict.fromkeys(Measure, _OBJECTION_KEEPS),
    Measure.LOT: _r(
        Action.CANCEL_LOT, A, OBJECTION_UPHELD_CANCELS, "rules.md §0", conf=True, scope="claimed"
    ),
}
DEFAULT_TABLE[Event.THIRD_PARTY_OBJECTION_FINAL] = {
    **dict.fromkeys(Measure, _OBJECTION_KEEPS),
    Measure.FREEZE: _r(
        Action.RELEASE, A, OBJECTION_FINAL_RELEASES, "rules.md §0", conf=True, scope="claimed"
    ),
    Measure.SEIZURE: _r(
        Action.RELEASE, A, OBJECTION_FINAL_RELEASES, "rules.md §0", conf=True, scope="claimed"
    ),
    Measure.LOT: _r(
        Action.CANCEL_LOT, A, OBJECTION_FINAL_RELEASES, "rules.md §0", conf=True, scope="claimed"
    ),
}
# What a sale changes besides the controls; the events before the sale's do not touch them.
SALE_MEASURES = (Measure.TITLE, Measure.PROCEEDS, Measure.TERM, Measure.LOT, Measure.VALUATION)
for _row in DEFAULT_TABLE.values():
    for _m in SALE_MEASURES:
        _row.setdefault(_m, _keep(KEEP_NOTHING_SAYS, NONE))


# -- an objection to a reference price and the asset's lot (issue 19) -----------------------------------
EVENT_LABELS.update(
    {
        Event.PRICE_OBJECTION_FILED: "参考价异议立案",
        Event.PRICE_OBJECTION_CLEARED: "参考价异议撤回或驳回",
        Event.PRICE_OBJECTION_UPHELD: "参考价异议成立",
    }
)
# rule: — a price objection filed within its window against an asset whose lot is in bidding:
# the lot leaves bidding (中止拍卖). 网拍规定 Art 28 (rules.md §4.1) governs the suspension and its end;
# that a pending price objection is a ground for it is not in rules.md (参考价规定 Arts 22–23 say nothing
# of the sale meanwhile): UNCONFIRMED, configurable (default: suspend automatically).
PRICE_OBJECTION_SUSPENDS_LOT = (
    "参考价规定第22条、第23条：对询价、评估报告的异议按执行行为异议审查；"
    "网拍规定第28条：竞价程序中有依法应当暂缓、中止执行等情形的，中止拍卖（异议审查期间中止拍卖未见明文，可配置）"
)
PRICE_OBJECTION_CLEARED_RESUMES = (
    "网拍规定第28条：中止拍卖的事由消失后，需要继续拍卖的，应当在5日内恢复拍卖（参考价异议撤回或被驳回）"
)
# Withdrawing the lot made from a price set aside: no article on 撤回拍卖 in rules.md — configurable.
PRICE_OBJECTION_UPHELD_CANCELS = (
    "参考价规定第23条、民诉法(2023)第236条：参考价异议成立的，撤销该参考价，以其确定起拍价的拍卖撤回、"
    "保证金退还（撤回拍卖的条文rules.md未载，可配置）"
)
S43 = "rules.md §4.3"
_PRICE_KEEPS = _keep("参考价异议只涉及被异议参考价的财产及其拍卖", S43)
DEFAULT_TABLE.update(
    {
        Event.PRICE_OBJECTION_FILED: {
            **dict.fromkeys(Measure, _PRICE_KEEPS),
            Measure.LOT: _r(Action.SUSPEND, A, PRICE_OBJECTION_SUSPENDS_LOT, S41, conf=True, scope="claimed"),
        },
        Event.PRICE_OBJECTION_CLEARED: {
            **dict.fromkeys(Measure, _PRICE_KEEPS),
            Measure.LOT: _r(Action.RESUME_LOT, A, PRICE_OBJECTION_CLEARED_RESUMES, S41, scope="claimed"),
        },
        Event.PRICE_OBJECTION_UPHELD: {
            **dict.fromkeys(Measure, _PRICE_KEEPS),
            Measure.LOT: _r(
                Action.CANCEL_LOT, A, PRICE_OBJECTION_UPHELD_CANCELS, S43, conf=True, scope="claimed"
            ),
        },
    }
)


class TableError(ValueError):
    """A configuration override the table refuses (Chinese message naming the cell)."""


def parse_override(value: str) -> tuple[Action, Decider]:
    """ "release:judge" → (Action.RELEASE, Decider.JUDGE); "keep" → (Action.KEEP, Decider.AUTO)."""
    action, _, decider = value.partition(":")
    try:
        return Action(action), Decider(decider or "auto")
    except ValueError as exc:
        raise TableError(f"无法识别的后果配置：{value}（应为 动作:决定方，如 release:judge）") from exc


def table(overrides: Mapping[str, str] | None = None) -> dict[Event, dict[Measure, Rule]]:
    """The effective table: the defaults with a court's overrides of configurable cells applied.

    `overrides` maps "event.measure" to "action:decider" (e.g. {"payment.freeze": "release:auto"}).
    Overriding a cell an article settles, or giving a measure an action it cannot take, is refused.
    """
    out = {e: dict(row) for e, row in DEFAULT_TABLE.items()}
    for cell, value in (overrides or {}).items():
        ev, _, me = cell.partition(".")
        try:
            event, measure = Event(ev), Measure(me)
        except ValueError as exc:
            raise TableError(f"无法识别的事件或措施：{cell}") from exc
        rule = out[event][measure]
        if not rule.configurable:
            raise TableError(
                f"{EVENT_LABELS[event]}×{MEASURE_LABELS[measure]}由法律规定（{rule.article}），不可配置"
            )
        action, decider = parse_override(value)
        if action not in ACTIONS_FOR[measure]:
            raise TableError(f"{MEASURE_LABELS[measure]}不能采取“{ACTION_LABELS[action]}”")
        out[event][measure] = replace(rule, action=action, decider=decider)
    return out


def closing_event(mode: str) -> Event:
    return Event(f"closed_{mode}")


def suspension_event(ground: str) -> Event:
    return Event(f"suspended_{ground}")


def payment_event(outstanding_after: Decimal) -> Event:
    """Money performed: PAID_IN_FULL once nothing is owed, PAYMENT otherwise."""
    return Event.PAID_IN_FULL if outstanding_after <= 0 else Event.PAYMENT
