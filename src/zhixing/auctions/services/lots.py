"""Lots: made from a seized asset and its reference price, decided by a collegial panel, published.

Every term is checked against 网拍规定 (rules.lot_problems) and every problem named by field; a lot
is made, published, and later confirmed and its ruling served, only when no disposal guard (a
third-party objection, CPL 238) refuses the asset (`zhixing.core.disposal_guards.refusals`, asked
inside the transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit, disposal_guards
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.identity import IdentityError, check_resident_id
from zhixing.inquiry import queries_disposal

from .. import rules
from ..models import Lot, ReferencePrice
from . import term_clock
from .access import require_manage
from .bidding import broadcast, snapshot
from .pricing import money


class LotInvalid(ServiceError):
    """Several terms break the rules: `errors` maps each field to its problem."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__("；".join(errors.values()), field=first)
        self.errors = errors


@dataclass
class LotInput:
    """What the clerk enters for a lot (amounts as entered; checked by `create_lot`)."""

    title: str
    start_price: Any
    increment: Any
    deposit: Any
    announced_on: date
    starts_at: datetime
    ends_at: datetime
    panel: list[str]
    notified_on: date | None = None
    description: str = ""
    preemption: list[dict[str, Any]] = field(default_factory=list)


def _preemption(rows: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    out = []
    for i, row in enumerate(rows, 1):
        name = str(row.get("name", "")).strip()
        number = str(row.get("id_number", "")).strip().upper()
        try:
            rank = int(row.get("rank", 0))
        except (TypeError, ValueError):
            rank = 0
        if not name or rank < 1:
            raise ServiceError(f"第{i}位优先购买权人须填写姓名和顺位（1为第一顺位）", field="preemption")
        try:
            check_resident_id(number, today)
        except IdentityError as exc:
            raise ServiceError(f"第{i}位优先购买权人身份证号无效：{exc}", field="preemption") from exc
        out.append({"name": name[:64], "id_number": number, "rank": rank})
    return out


def _latest_price(asset_id: int) -> ReferencePrice | None:
    """The asset's latest reference price still standing (a price set aside on objection is not one)."""
    return (
        ReferencePrice.objects.filter(asset_id=asset_id, set_aside_on__isnull=True)
        .order_by("-reported_on", "-pk")
        .first()
    )


def create_lot(actor: Any, asset_id: int, data: LotInput, *, previous: Lot | None = None) -> Lot:
    """A lot (待公告) for a seized asset: a first auction from its reference price, or — with
    `previous` a failed or defaulted round — the re-auction (start cut ≤ 20 %, shorter notice)."""
    asset = queries_disposal.asset(asset_id)
    if asset is None:
        raise ServiceError("财产不存在", field="asset")
    require_manage(actor, asset.case.court)
    if not queries_disposal.is_seized(asset):
        raise Conflict("只能拍卖已查封、扣押的财产", field="asset")
    title = (data.title or "").strip()
    if not title:
        raise ServiceError("请填写标的名称", field="title")
    if Lot.objects.filter(asset_id=asset_id, status__in=OPEN).exists():
        raise Conflict("该财产已有未结束的拍卖", field="asset")
    if previous is not None and (
        previous.asset_id != asset_id or previous.status not in (Lot.Status.FAILED, Lot.Status.DEFAULTED)
    ):
        raise Conflict("只有流拍或悔拍的拍卖可以再次拍卖", field="previous")
    start = money(data.start_price, "start_price", "起拍价")
    increment = money(data.increment, "increment", "加价幅度")
    deposit = money(data.deposit, "deposit", "保证金")
    reference = _latest_price(asset_id)
    asset_class = (
        rules.AssetClass.REAL_ESTATE if queries_disposal.is_real_estate(asset) else rules.AssetClass.MOVABLE
    )
    # A re-auction (after a failure or a default) cuts at most 20 % of the previous start (Art 26).
    previous_start = previous.start_price if previous is not None else None
    terms = rules.LotTerms(
        asset_class=asset_class,
        reference=reference.amount if reference else None,
        previous_start=previous_start,
        start_price=start,
        increment=increment,
        deposit=deposit,
        notified_on=data.notified_on,
        announced_on=data.announced_on,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        panel=tuple(data.panel),
    )
    errors = rules.lot_problems(terms)
    if reference is not None and previous is None and "reference" not in errors:
        p = rules.price_usable_problem(
            rules.PriceMethod(reference.method),
            reference.reported_on,
            data.announced_on,
            data.starts_at.date(),
        )
        if p:
            errors["reference"] = p
    if errors:
        raise LotInvalid(errors)
    preemption = _preemption(data.preemption, timezone.localdate())
    with transaction.atomic():
        refuse_if_guarded(asset_id)  # no lot for an asset a third party claims (CPL-2023 Art 238)
        lot = Lot.objects.create(
            court=asset.case.court,
            case=asset.case,
            asset=asset,
            reference=reference,
            previous=previous,
            round_no=previous.round_no + 1 if previous else 1,
            step=rules.Step.REAUCTION if previous else rules.Step.AUCTION,
            title=title[:120],
            description=data.description,
            asset_class=asset_class,
            start_price=start,
            increment=increment,
            deposit=deposit,
            notified_on=data.notified_on,
            announced_on=data.announced_on,
            starts_at=data.starts_at,
            scheduled_end=data.ends_at,
            ends_at=data.ends_at,
            panel=[m.strip() for m in data.panel if m.strip()],
            preemption=preemption,
            created_by=str(actor)[:64],
        )
        audit.record(
            actor,
            "auctions.lot_create",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={
                "asset": asset.pk,
                "round": lot.round_no,
                "start_price": start,
                "increment": increment,
                "deposit": deposit,
                "panel": lot.panel,
                "starts_at": lot.starts_at,
                "ends_at": lot.ends_at,
            },
        )
    return lot


# A suspended lot still holds its asset: no second lot is made for it while it stands.
OPEN = (Lot.Status.DRAFT, Lot.Status.ANNOUNCED, Lot.Status.SOLD, Lot.Status.PAID, Lot.Status.SUSPENDED)


def refuse_if_guarded(asset_id: int) -> None:
    """Refuse disposal while any guard objects (a third-party objection): its reasons are the message."""
    reasons = disposal_guards.refusals(asset_id)
    if reasons:
        raise Conflict("该财产暂不得处分：" + "；".join(reasons), field="asset")


def refuse_if_price_set_aside(lot: Lot) -> None:
    """A lot made from a reference price since set aside on objection (参考价规定 Art 23) is neither
    published nor resumed: a new price must be fixed and a new lot made."""
    if lot.reference_id is not None and lot.reference and lot.reference.set_aside_on is not None:
        raise Conflict(
            f"该标的的参考价已于{lot.reference.set_aside_on:%Y-%m-%d}撤销（{lot.reference.set_aside_reason}），"
            "须重新确定参考价后另行制作拍卖标的",
            field="reference",
        )


def publish_lot(actor: Any, lot_id: int) -> Lot:
    """Publish the announcement: the lot opens for registration and bids from its start time."""
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        require_manage(actor, lot.court)
        if lot.status != Lot.Status.DRAFT:
            raise Conflict("只有待公告的标的可以发布公告", field="status")
        refuse_if_guarded(lot.asset_id)
        refuse_if_price_set_aside(lot)
        lot.status = Lot.Status.ANNOUNCED
        lot.save(update_fields=["status"])
        term_clock.pause_term(actor, lot, timezone.localdate())
        audit.record(
            actor,
            "auctions.lot_publish",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            after={"status": lot.status, "announced_on": lot.announced_on},
        )
    return lot


# Why a lot may be suspended (`Lot.suspension_cause`): the bidders are told which.
SUSPENSION_CAUSES = ("third_party", "price_objection")


# rule
def suspend_lot(actor: Any, lot_id: int, reason: str, *, cause: str = "third_party") -> Lot:
    """中止拍卖: the lot leaves bidding at once (网拍规定 Art 28; a third-party objection, CPL 238, stops the
    disposal of the claimed asset; an objection to its reference price, 参考价规定 Arts 22–23, is reviewed
    first — `cause` "price_objection"). Bids are refused from now on with the cause; the bidders'
    deposits stay as they are (held, not refunded: the lot has not ended). Applied by the measures
    consequence table, not by a page; `actor` may be None (an objection filed online)."""
    if cause not in SUSPENSION_CAUSES:
        raise ServiceError("中止拍卖事由有误", field="cause")
    with transaction.atomic():
        lot = Lot.objects.select_for_update().get(pk=lot_id)
        if lot.status != Lot.Status.ANNOUNCED:
            raise Conflict("只有已公告、竞价未结束的标的可以中止拍卖", field="status")
        lot.status, lot.suspended_at, lot.suspension_cause = Lot.Status.SUSPENDED, timezone.now(), cause
        lot.save(update_fields=["status", "suspended_at", "suspension_cause"])
        audit.record(
            actor,
            "auctions.lot_suspend",
            object_type="auctions.Lot",
            object_id=lot.pk,
            case_id=lot.case_id,
            before={"status": Lot.Status.ANNOUNCED},
            after={
                "status": lot.status,
                "cause": cause,
                "reason": reason[:200],
                "suspended_at": lot.suspended_at,
            },
            court=lot.court,
        )
        payload = snapshot(lot)
        transaction.on_commit(lambda: broadcast(lot.pk, payload))
    return lot
