"""Reconciliation JSON API: list, detail (differences with candidates), confirm a match, book a missing
line, and the statement layouts. Reads: finance, directors, presidents, court-scoped (another court's
reconciliation is a 404); writes: the court's finance staff (the services refuse anyone else, 403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from zhixing.core import upload_limits
from zhixing.courts.queries import object_id

from . import queries_recon, services
from . import statement_layouts as sl
from .models import Reconciliation, ReconciliationItem

router = Router(tags=["执行案款"])


class ReconciliationOut(Schema):
    id: int
    court: str
    statement_date: str
    source: str
    status: str
    status_label: str
    ledger_balance: str
    bank_balance: str | None
    balance_difference: str | None
    unexplained: str
    matched: int
    difference_count: int
    open_count: int
    confirmed_by: str
    confirmed_at: str | None


class ReconCandidateOut(Schema):
    ref: str
    date: str
    amount: str
    party: str = ""
    label: str = ""


class ItemOut(Schema):
    id: int
    side: str
    side_label: str
    ref: str
    value_date: str
    amount: str
    other_amount: str | None
    counterparty: str
    account: str
    memo: str
    status: str
    matched_ref: str
    matched_date: str | None
    resolved_by: str
    candidates: list[ReconCandidateOut]


class ReconciliationDetailOut(ReconciliationOut):
    items: list[ItemOut]


class ReconConfirmIn(Schema):
    ref: str


class LayoutOut(Schema):
    value: str
    name: str
    builtin: bool


def _money(v: Any) -> str | None:
    return None if v is None else f"{v:.2f}"


def _rec_out(r: Reconciliation) -> dict[str, Any]:
    return {
        "id": r.pk,
        "court": r.court.name,
        "statement_date": r.statement_date.isoformat(),
        "source": r.source,
        "status": r.status,
        "status_label": r.get_status_display(),
        "ledger_balance": f"{r.ledger_balance:.2f}",
        "bank_balance": _money(r.bank_balance),
        "balance_difference": _money(r.balance_difference),
        "unexplained": f"{r.unexplained:.2f}",
        "matched": r.matched,
        "difference_count": r.difference_count,
        "open_count": r.open_count,
        "confirmed_by": r.confirmed_by,
        "confirmed_at": r.confirmed_at.isoformat() if r.confirmed_at else None,
    }


def _item_out(i: ReconciliationItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "side": i.side,
        "side_label": i.get_side_display(),
        "ref": i.ref,
        "value_date": i.value_date.isoformat(),
        "amount": f"{i.amount:.2f}",
        "other_amount": _money(i.other_amount),
        "counterparty": i.counterparty,
        "account": i.account,
        "memo": i.memo,
        "status": i.status,
        "matched_ref": i.matched_ref,
        "matched_date": i.matched_date.isoformat() if i.matched_date else None,
        "resolved_by": i.resolved_by,
        "candidates": i.candidates,
    }


def _readable(request: HttpRequest, pk: Any) -> Reconciliation:
    if not queries_recon.may_read(request.user):
        raise HttpError(403, "只有财务人员和院局领导可以查看对账结果")
    rec = queries_recon.reconciliation(request.user, pk)
    if rec is None:
        raise HttpError(404, "对账记录不存在或无权查看")
    return rec


def _detail(rec: Reconciliation) -> dict[str, Any]:
    rec.refresh_from_db()
    return {**_rec_out(rec), "items": [_item_out(i) for i in queries_recon.items(rec)]}


@router.get("/funds/reconciliations", response=list[ReconciliationOut], summary="银行对账列表（按对账日期）")
def list_reconciliations(request: HttpRequest) -> Any:
    if not queries_recon.may_read(request.user):
        raise HttpError(403, "只有财务人员和院局领导可以查看对账结果")
    return [_rec_out(r) for r in queries_recon.reconciliations(request.user)]


@router.get(
    "/funds/reconciliations/{rec_id}", response=ReconciliationDetailOut, summary="银行对账详情（差异与候选）"
)
def reconciliation_detail(request: HttpRequest, rec_id: int) -> Any:
    return _detail(_readable(request, rec_id))


def _item_rec(request: HttpRequest, item_id: int) -> Reconciliation:
    rec_id = (
        ReconciliationItem.objects.filter(pk=object_id(item_id) or 0)
        .values_list("reconciliation_id", flat=True)
        .first()
    )
    return _readable(request, rec_id or 0)


@router.post(
    "/funds/reconciliation-items/{item_id}/confirm",
    response=ReconciliationDetailOut,
    summary="确认差异与候选匹配",
)
def confirm_item(request: HttpRequest, item_id: int, payload: ReconConfirmIn) -> Any:
    _item_rec(request, item_id)
    return _detail(services.confirm_match(request.user, item_id, payload.ref))


@router.post(
    "/funds/reconciliation-items/{item_id}/book",
    response=ReconciliationDetailOut,
    summary="补记银行有、账簿无的来款",
)
def book_item(request: HttpRequest, item_id: int) -> Any:
    _item_rec(request, item_id)
    return _detail(services.book_line(request.user, item_id))


@router.get("/funds/statement-layouts", response=list[LayoutOut], summary="可用的对账单版式（内置与本院）")
def statement_layouts(request: HttpRequest) -> Any:
    if not queries_recon.may_read(request.user):
        raise HttpError(403, "只有财务人员和院局领导可以查看对账单版式")
    return [
        {"value": c.value, "name": c.name, "builtin": c.value in sl.BUILTIN}
        for c in queries_recon.layout_choices(request.user.court)  # type: ignore[union-attr]
    ]


@router.post("/funds/statements", response={201: ReconciliationDetailOut}, summary="导入银行对账单并对账")
def upload_statement(
    request: HttpRequest,
    file: File[UploadedFile],
    layout: Form[str] = "",
    book_missing: Form[bool] = False,
) -> Any:
    user: Any = request.user
    if getattr(user, "court", None) is None:
        raise HttpError(403, "只有本院财务人员可以导入银行对账单")
    upload_limits.check(file, "statement", field="file", label="对账单文件")
    imp = services.import_statement(
        user, user.court, file.read(), file.name or "", layout=layout or None, book_missing=book_missing
    )
    return Status(201, _detail(imp.reconciliation))
