"""Auctions over the JSON API (/api/v1/auctions/...).

Public (no sign-in): the listing and a lot with its bid history by code. Bidders authenticate with
their own credential — the `X-Bidder-Token` header (the token given at registration) or the portal's
session (CSRF-checked) — never with staff tokens: registering for a lot and bidding. Court users (the
project's TokenAuth / SessionAuth) see a lot's bidders with identities only after the end; the court's
finance officer records a deposit by naming the custody bank's notice of it (never a typed
reference). A refusal is a 4xx JSON body naming its field (ServiceError); a bid is accepted with 201
and the lot's new price and end; an unknown lot is 404 and an unknown bidder token 401.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, APIKeyHeader

from zhixing.courts.queries import readable_object
from zhixing.courts.roles import Role

from . import queries, services
from .models import Bidder, Lot
from .services.bank_money import FINANCE_ONLY
from .services.bidders import bidder_for_token

router = Router(tags=["网络司法拍卖"])
SESSION_KEY = "auction_bidder"
BAD_TOKEN_MESSAGE = "竞买凭证无效，请核对注册时获得的竞买凭证"


class BidderToken(APIKeyHeader):
    param_name = "X-Bidder-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Bidder | None:
        if not key:
            return None  # no token: the portal session may authenticate
        bidder = bidder_for_token(key)
        if bidder is None:
            # A token was given but names no bidder: 401, not the session's CSRF refusal.
            raise HttpError(401, BAD_TOKEN_MESSAGE)
        return bidder


class BidderSession(APIKeyCookie):
    """The portal's signed-in bidder (session cookie; CSRF-checked like every session write)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Bidder | None:
        pk = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        return Bidder.objects.filter(pk=pk).first() if pk else None


BIDDER_AUTH = [BidderToken(), BidderSession()]


class LotOut(Schema):
    id: int
    title: str
    court: str
    kind: str
    step: str
    round: int
    phase: str
    start_price: str
    increment: str
    deposit: str
    current_price: str | None
    bids: int
    starts_at: datetime
    ends_at: datetime = Field(description="当前结束时间（含延时）")
    server_now: datetime


class BidRow(Schema):
    seq: int
    code: str
    amount: str
    at: datetime
    priority: bool


class LotDetail(LotOut):
    description: str
    history: list[BidRow]


class BidIn(Schema):
    amount: str = Field(description="出价金额（元），须不低于当前价加一个加价幅度")


class BidOut(Schema):
    seq: int
    code: str
    amount: str
    at: datetime = Field(description="服务器接收时间（即出价时间）")
    ends_at: datetime
    current_price: str


class RegistrationOut(Schema):
    id: int
    lot: int
    code: str
    priority_rank: int | None
    deposit_due: str
    deposit_state: str


class BidderIdentityOut(Schema):
    code: str
    name: str
    id_number: str
    deposit_state: str
    bids: int


class DepositIn(Schema):
    bank_txn: str = Field(max_length=128, description="托管银行来款通知的流水号（已到本院专户、尚未使用）")
    amount: str = Field("", max_length=32, description="可选：须等于应交保证金")


class ListFilters(Schema):
    # Bounded so that an absurd number is a 422 naming the field, not an integer overflow in the database.
    court: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: str = Field("", max_length=32)
    phase: str = Field("", max_length=32)
    min_price: Decimal | None = Field(None, ge=0, le=10**15)
    max_price: Decimal | None = Field(None, ge=0, le=10**15)
    page: int = Field(1, ge=1, le=1_000_000)


def _lot_out(lot: Lot, now: datetime) -> dict[str, Any]:
    return {
        "id": lot.pk,
        "title": lot.title,
        "court": lot.court.name,
        "kind": lot.asset.get_kind_display(),
        "step": lot.get_step_display(),
        "round": lot.round_no,
        "phase": lot.phase(now),
        "start_price": f"{lot.start_price:.2f}",
        "increment": f"{lot.increment:.2f}",
        "deposit": f"{lot.deposit:.2f}",
        "current_price": f"{lot.current_price:.2f}" if lot.current_price is not None else None,
        "bids": lot.bid_count,
        "starts_at": lot.starts_at,
        "ends_at": lot.ends_at,
        "server_now": now,
    }


@router.get("/auctions/lots", auth=None, response=list[LotOut], summary="拍卖标的公开列表")
def list_lots(request: HttpRequest, f: Query[ListFilters]) -> list[dict[str, Any]]:
    from django.utils import timezone

    now = timezone.now()
    lots = queries.public_lots(
        queries.Filters(f.court, f.kind, f.phase, f.min_price, f.max_price), page=f.page
    )
    return [_lot_out(lot, now) for lot in lots]


@router.get(
    "/auctions/lots/{lot_id}", auth=None, response=LotDetail, summary="拍卖标的及出价记录（按竞买号）"
)
def get_lot(request: HttpRequest, lot_id: int) -> dict[str, Any]:
    from django.utils import timezone

    lot = queries.public_lot(lot_id)
    if lot is None:
        raise HttpError(404, "标的不存在")
    history = [{**h, "amount": f"{h['amount']:.2f}"} for h in queries.bid_history(lot)]
    return {**_lot_out(lot, timezone.now()), "description": lot.description, "history": history}


@router.post(
    "/auctions/lots/{lot_id}/registrations",
    auth=BIDDER_AUTH,
    response={201: RegistrationOut},
    summary="竞买报名（取得匿名竞买号）",
)
def join(request: HttpRequest, lot_id: int) -> Status:
    if queries.public_lot(lot_id) is None:
        raise HttpError(404, "标的不存在")
    reg = services.join_lot(request.auth, lot_id)  # type: ignore[attr-defined]
    return Status(
        201,
        {
            "id": reg.pk,
            "lot": reg.lot_id,
            "code": reg.code,
            "priority_rank": reg.rank,
            "deposit_due": f"{reg.deposit_due:.2f}",
            "deposit_state": reg.deposit_state,
        },
    )


@router.post("/auctions/lots/{lot_id}/bids", auth=BIDDER_AUTH, response={201: BidOut}, summary="出价")
def bid(request: HttpRequest, lot_id: int, payload: BidIn) -> Status:
    arrived = getattr(request, "arrived_at", None)
    b = services.place_bid(request.auth, lot_id, payload.amount, arrived_at=arrived)  # type: ignore[attr-defined]
    return Status(
        201,
        {
            "seq": b.seq,
            "code": b.registration.code,
            "amount": f"{b.amount:.2f}",
            "at": b.at,
            "ends_at": b.ends_at,
            "current_price": f"{b.amount:.2f}",
        },
    )


@router.get(
    "/auctions/lots/{lot_id}/bidders",
    response=list[BidderIdentityOut],
    summary="竞买人身份（本院，竞价结束后）",
)
def bidders(request: HttpRequest, lot_id: int) -> list[dict[str, Any]]:
    lot = readable_object(request.user, Lot, lot_id)
    if lot is None:
        raise HttpError(404, "标的不存在")
    if not queries.ended(lot):
        raise HttpError(403, "竞价结束前不得查看竞买人身份（网拍规定）")
    return [
        {
            "code": r.code,
            "name": r.bidder.name,
            "id_number": r.bidder.id_number,
            "deposit_state": r.get_deposit_state_display(),
            "bids": r.bids.count(),
        }
        for r in queries.registrations(lot, request.user)
    ]


@router.post(
    "/auctions/registrations/{reg_id}/deposit",
    response={200: RegistrationOut},
    summary="凭银行到账通知登记保证金（本院财务）",
)
def deposit(request: HttpRequest, reg_id: int, payload: DepositIn) -> dict[str, Any]:
    """The finance officer of the lot's court names a bank notice that reached the court's custody
    account (not yet used, exactly the deposit due); nobody else records money (`bank_money`)."""
    from .models import Registration

    reg = Registration.objects.select_related("lot__court").filter(pk=reg_id).first()
    if reg is None or readable_object(request.user, Lot, reg.lot_id) is None:
        raise HttpError(404, "报名不存在")
    if getattr(request.user, "role", "") != Role.FINANCE:
        raise HttpError(403, FINANCE_ONLY)
    reg = services.record_deposit(request.user, reg.pk, bank_txn=payload.bank_txn, amount=payload.amount)
    return {
        "id": reg.pk,
        "lot": reg.lot_id,
        "code": reg.code,
        "priority_rank": reg.rank,
        "deposit_due": f"{reg.deposit_due:.2f}",
        "deposit_state": reg.deposit_state,
    }
