"""Objections to a reference price (参考价异议) as objections to an enforcement act (issue 19).

参考价规定 (2018) Art 22: a party or an interested person may object in writing to an online-inquiry or
appraisal report within 5 days of receiving it (`ZHIXING_AUCTIONS["price_objection_days"]`, the holiday
roll of CPL Art 85; the auctions domain stores the last day as `ReferencePrice.objection_until`). Art 23:
an objection that the property's basic facts are wrong, the valuer unqualified or the procedure seriously
flawed is reviewed as an 执行行为异议 (CPL-2023 Art 236) — filed, ruled and reviewed like the others in
`acts`. Objections to the valuation's professional content go to the valuer (Art 22(2)): not filed here.
Negotiated and directed-inquiry prices admit no objection (Arts 24–25).

While such an objection is pending the asset is not put to auction: `disposal_refusals`, registered with
`core.disposal_guards`, stops a lot being made or published. Upheld, the measures consequence table (event
`objection_upheld` × measure `valuation`) sets the price aside through `auctions.services.set_aside_price`:
the asset needs a new reference price.

A lot of the asset already published is acted on through the table too, by events sent inside the
transaction that records each step (`filed`, `cleared`, `decided`; rows keyed per objection, so each
consequence applies once):

* filed within its window — the lot in bidding is suspended (中止拍卖, 网拍规定 Art 28; whether a price
  objection is a ground is not in rules.md: the cell is configurable);
* withdrawn or rejected — the cause ended: the suspended lot resumes (网拍规定 Art 28) once no disposal
  guard refuses the asset;
* upheld — after the price is set aside, the lots made from it (suspended or not yet published) are
  withdrawn (撤回拍卖, deposits released); a suspended lot made from another price resumes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import Signal

from zhixing.auctions import queries as auction_queries
from zhixing.auctions import rules as auction_rules
from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.inquiry.models import Asset

from .events import price_objection_cleared, price_objection_filed, price_objection_upheld
from .models import Objection

ACT_TYPE = "valuation"
LABEL = "处置参考价（网络询价、委托评估）"


# rule
def resolve(case: EnforcementCase, pk: int, received: date) -> tuple[int, int, str, Asset]:
    """(price id, the party the seized asset belongs to, the act's label, the asset) of a reference price
    of `case` that may still be objected to on `received`; else the field's error."""
    price = auction_queries.standing_price(case.pk, pk)
    if price is None:
        raise ServiceError("本案没有该项有效的财产处置参考价", field="act_id")
    if not auction_rules.objection_allowed(auction_rules.PriceMethod(price.method)):
        raise ServiceError(
            f"{price.get_method_display()}确定的参考价不得提出异议（参考价规定第24条、第25条）",
            field="act_id",
        )
    if price.objection_until is None or received > price.objection_until:
        due = price.objection_until.isoformat() if price.objection_until else "—"
        raise ServiceError(
            f"参考价异议已超过期限（收到报告之日{price.reported_on.isoformat()}起5日，{due}届满；"
            "参考价规定第22条）",
            field="received_on",
        )
    if received < price.reported_on:
        raise ServiceError("收到异议日期不能早于参考价报告送达日期", field="received_on")
    label = f"参考价 {price.get_method_display()}{price.amount:,.2f}元（{price.asset}）"
    return price.pk, price.asset.party_id, label, price.asset


def choices(case: EnforcementCase, today: date) -> list[tuple[int, str, int | None]]:
    """(price id, label, the party concerned) of the case's reference prices open to objection today."""
    return [
        (
            p.pk,
            f"参考价 {p.get_method_display()}{p.amount:,.2f}元 {p.asset}"
            f"（异议期至{p.objection_until:%Y-%m-%d}）",
            p.asset.party_id,
        )
        for p in auction_queries.objectable_prices(case.pk)
        if p.objection_until is not None and p.reported_on <= today <= p.objection_until
    ]


# rule
def disposal_refusals(asset_id: int) -> list[str]:
    """The disposal guard (`core.disposal_guards`): a pending objection to the asset's reference price
    stops a lot of the asset being made or published (and, as every guard, its disposal otherwise)."""
    numbers = Objection.objects.filter(
        asset_id=asset_id, kind=Objection.Kind.ACT, act_type=ACT_TYPE, status=Objection.Status.PENDING
    ).values_list("number", flat=True)
    return [f"参考价异议{n}正在审查，不得拍卖、变卖该财产" for n in numbers]


def describe(obj: Any) -> str:
    """What an upheld valuation objection did, in words (for the ruling's audit)."""
    return "撤销参考价，须重新确定参考价"


def _send(signal: Signal, actor: Any, obj: Objection) -> None:
    if obj.kind != Objection.Kind.ACT or obj.act_type != ACT_TYPE or obj.asset_id is None:
        return
    signal.send(
        sender=Objection,
        case=obj.case,
        asset_id=obj.asset_id,
        price_id=obj.act_id,
        objection_id=obj.pk,
        number=obj.number,
        actor=actor,
    )


# rule
def filed(actor: Any, obj: Objection) -> None:
    """Filed within the window (in the filing's transaction): the asset's lot in bidding is suspended."""
    _send(price_objection_filed, actor, obj)


# rule
def cleared(actor: Any, obj: Objection) -> None:
    """Withdrawn or rejected: the suspended lot is resumed (网拍规定 Art 28)."""
    _send(price_objection_cleared, actor, obj)


# rule
def review_upheld(actor: Any, obj: Objection) -> None:
    """The 复议 set aside the ruling that rejected the objection (after `acts.undo_act` set the price
    aside): the lots made from the price — one that resumed after the rejection included — are withdrawn
    as when the panel upholds it (the same row, keyed once per objection)."""
    _send(price_objection_upheld, actor, obj)


# rule
def decided(actor: Any, obj: Objection) -> None:
    """The panel's ruling (after `acts.undo_act` set an upheld objection's price aside): upheld withdraws
    the lots made from the price, then resumes any other suspended lot of the asset; rejected resumes."""
    if obj.status == Objection.Status.UPHELD:
        _send(price_objection_upheld, actor, obj)
    cleared(actor, obj)
