"""Rows for the disposal of a seized asset: its sale or set-off, and the third-party and reference-price
objections that stop or undo it (issue 18, issue 19)."""

from __future__ import annotations

from .articles import KEEP_NOTHING_SAYS, NONE, A
from .case_events import DEFAULT_TABLE, _keep
from .vocabulary import Action, Event, Measure, Rule, _r

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
    "已公告的拍卖撤回、保证金退还（撤回拍卖无明文规定，可配置）"
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
    "保证金退还（撤回拍卖无明文规定，可配置）"
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
