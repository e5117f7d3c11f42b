"""Case funds JSON API: the custody bank's notice callback (partner protocol) and staff endpoints."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from zhixing.cases import queries as case_queries
from zhixing.core import partner_protocol as pp
from zhixing.core.inputguard import refuse_control_json

from . import conf, formats, notice_body, payable, queries, services
from .services import inbox
from .services.inbox_batches import receive_batch
from .services.receipts import INCOMING_TEXT

router = Router(tags=["执行案款"])


class FundsNoticeOut(Schema):
    receipt_id: int | None
    status: str
    case_id: int | None


class NoticeAckOut(FundsNoticeOut):
    """A single notice's acknowledgment: recorded in the inbox (`received`), then booked."""

    notice_id: int
    txn_id: str


def signed_json(path: str, body: bytes, headers: dict[str, str]) -> tuple[Any, date]:
    """The body of a message the custody bank signed (partner protocol), parsed, and the bank's
    business date (the day, in China time, of the signed timestamp); 401 when the signature fails, 422
    naming the field when a string holds a control character (`_refuse_control_text`)."""
    if pp.partner_of(headers) != conf.get("FUNDS_BANK_PARTNER"):
        raise HttpError(401, "未知的合作方")
    try:
        pp.verify(conf.bank_secret(), "POST", path, body, headers)
    except pp.ProtocolError as exc:
        raise HttpError(401, str(exc)) from exc
    # verify() accepted the timestamp: an integer within MAX_SKEW_SECONDS of our clock.
    signed_at = datetime.fromtimestamp(int(pp._header(headers, pp.HEADER_TIMESTAMP)), tz=UTC)
    data = notice_body.loads(body)  # a key twice is refused: which value counts is parser-defined
    return data, timezone.localtime(signed_at).date()


def _signed_json(request: HttpRequest) -> tuple[Any, date]:
    return signed_json(request.path, request.body, dict(request.headers.items()))


# The transfer's text fields: the service refuses a control character in them in its own words
# (`services.receipts.check_incoming`: “附言”, “第2笔来款：…”); any other string of a notice (its amount,
# value date, the batch's id or custody account, a field the platform does not read) is refused here.
_TRANSFER_TEXT = frozenset(name for name, _label, _longest in INCOMING_TEXT)


def _refuse_control_text(data: Any, *, batch: bool) -> None:
    """422 naming the first string of a signed notice holding a control character; nothing recorded."""

    def left(field: str) -> bool:
        head, _, name = field.rpartition(".")
        in_transfer = re.fullmatch(r"notices\[\d+\]", head) is not None if batch else head == ""
        return in_transfer and name in _TRANSFER_TEXT

    refuse_control_json(data, left_to_service=left)


def receive_signed_notice(path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """Check a signed single notice and record it in the durable inbox (services/inbox.py); the ack.

    Shared by the django-ninja endpoint below and the ASGI fast path (`funds.notice_gateway`), so
    both answer alike. Raises `HttpError` (401) or `ServiceError` (422/409) with nothing recorded.
    """
    data, business_date = signed_json(path, body, headers)
    _refuse_control_text(data, batch=False)
    item = notice_body.incoming(data)  # exact JSON types: strings, as the protocol sends them
    key = pp._header(headers, pp.HEADER_IDEMPOTENCY)
    return asdict(inbox.receive_notice(item, business_date=business_date, idempotency_key=key))


@router.post(
    "/funds/bank/notices",
    auth=None,
    response=NoticeAckOut,
    summary="托管银行来款通知（合作方签名，受理即确认）",
)
def bank_notice(request: HttpRequest) -> Any:
    """Answered 200 once the notice is durably recorded; it is booked in a batch right behind."""
    return receive_signed_notice(request.path, request.body, dict(request.headers.items()))


@router.get(
    "/funds/bank/notices/{txn_id}/status",
    auth=None,
    response=NoticeAckOut,
    summary="来款通知受理与入账状态（合作方签名）",
)
def bank_notice_status(request: HttpRequest, txn_id: str) -> Any:
    """The bank asks how far its notice has got (received → booked/unidentified/conflict)."""
    headers = dict(request.headers.items())
    if pp.partner_of(headers) != conf.get("FUNDS_BANK_PARTNER"):
        raise HttpError(401, "未知的合作方")
    try:
        pp.verify(conf.bank_secret(), "GET", request.path, b"", headers)
    except pp.ProtocolError as exc:
        raise HttpError(401, str(exc)) from exc
    notice = queries.bank_notice(txn_id)
    if notice is None:
        raise HttpError(404, "未受理该流水号的来款通知")
    return asdict(inbox.status_of(notice))


class NoticeStatusOut(NoticeAckOut):
    amount: str
    value_date: str
    received_at: str
    booked_at: str | None
    error: str


@router.get(
    "/funds/notices/{txn_id}", response=NoticeStatusOut, summary="来款通知受理与入账状态（本院及下级法院）"
)
def notice_status(request: HttpRequest, txn_id: str) -> Any:
    """Staff see a notice of a court they may read (court scoping: own court, or a subordinate one)."""
    from zhixing.courts.queries import can_read_court

    notice = queries.bank_notice(txn_id)
    if notice is None or not can_read_court(request.user, notice.court):
        raise HttpError(404, "来款通知不存在或无权查看")
    return {
        **asdict(inbox.status_of(notice)),
        "amount": str(notice.amount),
        "value_date": notice.value_date.isoformat(),
        "received_at": notice.received_at.isoformat(),
        "booked_at": notice.booked_at.isoformat() if notice.booked_at else None,
        "error": notice.error,
    }


class BatchNoticeItemOut(FundsNoticeOut):
    txn_id: str


class BatchNoticeOut(Schema):
    batch_id: str
    booked: int
    duplicates: int
    receipts: list[BatchNoticeItemOut]


@router.post(
    "/funds/bank/notices/batch",
    auth=None,
    response=BatchNoticeOut,
    summary="托管银行批量来款通知",
)
def bank_notice_batch(request: HttpRequest) -> Any:
    """Up to `FUNDS_NOTICE_BATCH_MAX` transfers in one signed message, booked in one transaction."""
    data, business_date = _signed_json(request)
    _refuse_control_text(data, batch=True)
    batch_id, items = notice_body.batch(data)
    # Through the inbox: a txn id acknowledged before (single or batch) with another amount is a 409.
    key = pp._header(dict(request.headers.items()), pp.HEADER_IDEMPOTENCY) or batch_id
    result = receive_batch(items, business_date=business_date, idempotency_key=key)
    return {
        "batch_id": batch_id,
        "booked": result.booked,
        "duplicates": result.duplicates,
        "receipts": [
            {"txn_id": r.bank_txn_id, "receipt_id": r.pk, "status": r.status, "case_id": r.case_id}
            for r in result.receipts
        ],
    }


class EntryOut(Schema):
    id: int
    posted_at: str
    memo: str
    amount: str
    balance_after: str


class CaseFundsOut(Schema):
    case_id: int
    account_number: str | None
    received: str
    fees: str
    costs: str
    paid: str
    held: str
    balance: str
    payable: str
    entries: list[EntryOut]


@router.get("/funds/cases/{case_id}", response=CaseFundsOut, summary="案件案款")
def case_funds(request: HttpRequest, case_id: int) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    m = queries.case_money(case)
    acc = queries.account_view(case)
    return {
        "case_id": case.pk,
        "account_number": acc.number if acc else None,
        "received": str(m.received),
        "fees": str(m.fees),
        "costs": str(m.costs),
        "paid": str(m.paid),
        "held": str(m.held),
        "balance": str(m.balance),
        "payable": str(payable.payable(case)),
        "entries": [
            {
                "id": e.pk,
                "posted_at": e.transaction.posted_at.isoformat(),
                "memo": e.transaction.memo,
                "amount": str(-e.amount),
                "balance_after": str(-e.balance_after),
            }
            for e in m.entries
        ],
    }


class PayoutIn(Schema):
    party_id: int
    amount: str
    account_name: formats.CheckedText
    account_no: formats.CheckedText
    bank_name: formats.CheckedText = ""
    purpose: str = "applicant"


class PayoutOut(Schema):
    id: int
    status: str
    step: int
    chain: list[str]
    amount: str
    last_error: str = ""
    send_attempts: int = 0
    next_attempt_at: str | None = None


def _payout_out(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "status": p.status,
        "step": p.step,
        "chain": p.chain,
        "amount": str(p.amount),
        "last_error": p.last_error,
        "send_attempts": p.send_attempts,
        "next_attempt_at": p.next_attempt_at.isoformat() if p.next_attempt_at else None,
    }


@router.post("/funds/cases/{case_id}/payouts", response={201: PayoutOut}, summary="提出发款")
def propose_payout(request: HttpRequest, case_id: int, payload: PayoutIn) -> Any:
    case = case_queries.get_case(request.user, case_id)
    if case is None:
        raise HttpError(404, "案件不存在或无权查看")
    p = services.propose(request.user, case, **payload.dict())
    return Status(201, _payout_out(p))


class FundsDecisionIn(Schema):
    approve: bool = True
    note: formats.CheckedText = ""


class CancelIn(Schema):
    reason: formats.CheckedText


@router.post("/funds/payouts/{payout_id}/decide", response=PayoutOut, summary="审批发款")
def decide_payout(request: HttpRequest, payout_id: int, payload: FundsDecisionIn) -> Any:
    _visible(request, payout_id)
    return _payout_out(services.decide(request.user, payout_id, approve=payload.approve, note=payload.note))


@router.post("/funds/payouts/{payout_id}/cancel", response=PayoutOut, summary="撤回发款（发送银行前）")
def cancel_payout(request: HttpRequest, payout_id: int, payload: CancelIn) -> Any:
    _visible(request, payout_id)
    return _payout_out(services.cancel(request.user, payout_id, reason=payload.reason))


@router.post("/funds/payouts/{payout_id}/send", response=PayoutOut, summary="发送支付指令")
def send_payout(request: HttpRequest, payout_id: int) -> Any:
    _visible(request, payout_id)
    return _payout_out(services.send(request.user, payout_id))


def _visible(request: HttpRequest, payout_id: int) -> None:
    from zhixing.courts.queries import can_read_court

    from .models import Payout

    p = Payout.objects.select_related("court").filter(pk=payout_id).first()
    if p is None or not can_read_court(request.user, p.court):
        raise HttpError(404, "发款不存在或无权查看")


# Staff endpoints for the custody account, payable amounts, approval queue and home counts.
from .api_work import router as _work_router  # noqa: E402

router.add_router("", _work_router)
# Payout clocks and holds (their own module; same tag and prefix).
from .api_clocks import router as _clocks_router  # noqa: E402

router.add_router("", _clocks_router)
from . import api_interest  # noqa: E402, F401
from .api_recon import router as _recon_router  # noqa: E402  (reconciliation endpoints, same tag)

router.add_router("", _recon_router)
# Income withholding (CPL-2023 Art 254; its own module, same tag and prefix).
from .api_withholding import router as _withholding_router  # noqa: E402

router.add_router("", _withholding_router)
