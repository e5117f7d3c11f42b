"""Analytics API for the checked import, imported rows and copying layouts (`/api/v1/analytics/...`).

    POST /analytics/cases/{case}/debtors/{party}/previews           multipart `file`: hold it, propose
                                                                    layouts, preview with the best one
    POST /analytics/cases/{case}/debtors/{party}/previews/review    {"token", "preset", "edits",
                                                                    "suggestions"}
    POST /analytics/cases/{case}/debtors/{party}/previews/confirm   {"token", "preset", "edits", "mode",
                                                                    "copy_name"} → 201 with the job
    GET  /analytics/cases/{case}/debtors/{party}/transactions       the rows page's filters, `page`
    POST /analytics/transactions/{id}/correction                    {"direction", "amount",
                                                                    "counterparty", "category",
                                                                    "excluded", "reason"}
    POST /analytics/presets/{id}/copy                               {"name", "code"} → 201

`preset` is a layout code (as for imports); `edits` maps layout field names to values and, when given,
is the complete set of changes from the stored layout (else the detector's adjustments apply).
A debtor, row or layout the caller cannot read is 404; a write they may not make 403.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from zhixing.core import upload_limits
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries, queries_rows
from .api import JobOut, PresetOut, _preset_out
from .models import StatementPreset
from .services import corrections, layout_copies, previews
from .services.imports import IMPORT_REFUSED

router = Router(tags=["analytics"])


class ReviewIn(Schema):
    token: str
    preset: str = ""
    edits: dict[str, Any] | None = None
    # without edits: apply the layout's suggestions too (the file's columns for the ones it lacks)
    suggestions: bool = False


class ConfirmIn(ReviewIn):
    mode: str = "strict"
    copy_name: str = ""


class CopyIn(Schema):
    name: str = ""
    code: str = ""


class CorrectionIn(Schema):
    direction: str
    amount: Decimal
    counterparty: str = ""
    category: str = ""
    excluded: bool = False
    reason: str


class RowOut(Schema):
    id: int
    job_id: int
    row_no: int
    occurred_at: datetime
    direction: str
    amount: Decimal = Field(description="金额（人民币元，收入为正、支出为负；外币已按汇率折算）")
    counterparty: str
    category: str
    kind: str
    currency: str = Field(description="流水上的原币种（如 USD）；金额 amount 始终为人民币")
    original_amount: Decimal | None = Field(
        description="外币交易在流水上的原币金额（带正负号）；人民币交易为空"
    )
    fx_rate: Decimal | None = Field(description="折算汇率（1 单位原币折合人民币）；人民币交易为空")
    duplicate: bool
    excluded: bool
    corrected: bool
    original: dict[str, Any]


class RowsOut(Schema):
    count: int
    page: int
    pages: int
    items: list[RowOut]


def _ref(user: Any, case_id: int, party_id: int) -> queries.DebtorRef:
    ref = queries.debtor(user, case_id, party_id)
    if ref is None:
        raise HttpError(404, "被执行人不存在")
    return ref


def _writer(user: Any, case_id: int, party_id: int) -> queries.DebtorRef:
    ref = _ref(user, case_id, party_id)
    if not queries.allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted(IMPORT_REFUSED)
    return ref


def _preset(user: Any, code: str) -> StatementPreset | None:
    if not code:
        return None
    found = queries.preset_by_code(user, code)
    if found is None:
        raise ServiceError(f"版式预设不存在：{code!r}", field="preset")
    return found


def draft_json(draft: previews.Draft) -> dict[str, Any]:
    """The proposals and the preview of a held upload."""
    result = draft.result
    out: dict[str, Any] = {
        "token": draft.token,
        "file_name": draft.file_name,
        "preset": draft.preset.code if draft.preset else None,
        "score": draft.score,
        "changes": draft.changes,
        "proposals": [
            {
                "code": p.preset.code,
                "name": p.preset.name,
                "score": p.score,
                "usable": p.usable,
                "header_row": p.header_row,
                "reasons": p.reasons,
                "missing": p.missing,
                "adjustments": p.adjustments,
                "suggestions": p.suggestions,
                "covered": p.covered,
            }
            for p in draft.proposals
        ],
        "preview": None,
    }
    if result is not None:
        out["preview"] = {
            "total": result.total,
            "valid": result.valid,
            "errors": result.errors,
            "file_error": result.file_error,
            "period": [str(d) for d in result.period] if result.period else None,
            "warnings": result.warnings,
            "rows": [
                {
                    "row": r.row_no,
                    "date": r.occurred_at.isoformat(sep=" ") if r.occurred_at else None,
                    "direction": r.direction,
                    "amount": str(r.amount) if r.amount is not None else None,
                    "currency": r.currency,
                    "counterparty": r.counterparty,
                    "summary": r.summary,
                    "kind": r.kind,
                    "error": r.error,
                }
                for r in result.rows
            ],
            # rows with a problem after those above (the first ten): a strict import refuses the file
            "later_errors": [{"row": r.row_no, "error": r.error} for r in result.later_errors],
            "later_error_count": result.later_error_count,
            # lines naming only a currency ("币种：美元"): the lines after each are in that currency
            "sections": [{"row": r, "currency": c, "text": t} for r, c, t in result.sections],
        }
    return out


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/previews")
def start_preview(request: HttpRequest, case_id: int, party_id: int, file: File[UploadedFile]) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    ref = _writer(user, case_id, party_id)
    upload_limits.check(file, "statement", field="file", label="流水文件")
    draft = previews.start(
        user, ref, data=file.read(), file_name=file.name or "upload", today=timezone.localdate()
    )
    return draft_json(draft)


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/previews/review")
def review_preview(request: HttpRequest, case_id: int, party_id: int, body: ReviewIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    ref = _writer(user, case_id, party_id)
    draft = previews.review(
        user,
        ref,
        token=body.token,
        today=timezone.localdate(),
        preset=_preset(user, body.preset),
        edits=body.edits,
        suggested=body.suggestions,
    )
    return draft_json(draft)


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/previews/confirm", response={201: JobOut})
def confirm_preview(request: HttpRequest, case_id: int, party_id: int, body: ConfirmIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    ref = _writer(user, case_id, party_id)
    if body.mode not in ("strict", "quarantine"):
        raise ServiceError("校验方式应为 strict 或 quarantine", field="mode")
    job = previews.confirm(
        user,
        ref,
        token=body.token,
        preset=_preset(user, body.preset),
        today=timezone.localdate(),
        edits=body.edits,
        mode=body.mode,
        copy_name=body.copy_name,
    )
    return Status(201, job)


def _row_out(tx: Any) -> RowOut:
    corrected = corrections._has_correction(tx)
    return RowOut(
        id=tx.pk,
        job_id=tx.job_id,
        row_no=tx.row_no,
        occurred_at=tx.occurred_at,
        direction=tx.eff_direction,
        amount=Decimal(tx.eff_amount).quantize(Decimal("0.01")),  # SQLite returns 12000 for 12000.00
        counterparty=tx.eff_counterparty,
        category=tx.eff_category,
        kind=tx.kind,
        currency=tx.currency,
        original_amount=tx.original_amount,
        fx_rate=tx.fx_rate,
        duplicate=tx.duplicate_of_id is not None,
        excluded=bool(tx.eff_excluded),
        corrected=corrected,
        original={
            "direction": tx.direction,
            "amount": str(tx.amount),
            "counterparty": tx.counterparty,
            "category": tx.category,
        },
    )


@router.get("/analytics/cases/{case_id}/debtors/{party_id}/transactions", response=RowsOut)
def list_rows(request: HttpRequest, case_id: int, party_id: int) -> Any:
    """The debtor's imported rows with the rows page's filters (query string), 50 per `page`."""
    user: Any = request.auth  # type: ignore[attr-defined]
    _ref(user, case_id, party_id)
    flt = queries_rows.RowFilter.from_params(request.GET)
    page = Paginator(queries_rows.rows(party_id, flt), queries_rows.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return RowsOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        items=[_row_out(tx) for tx in page],
    )


@router.post("/analytics/transactions/{tx_id}/correction", response=RowOut)
def correct_row(request: HttpRequest, tx_id: int, body: CorrectionIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    found = queries_rows.transaction_of(user, tx_id)
    if found is None:
        raise HttpError(404, "流水不存在")
    tx, _ = found
    corrections.correct_transaction(user, tx, **body.model_dump())
    return _row_out(queries_rows.rows(tx.party_id, queries_rows.RowFilter(ids=[tx.pk])).get())


@router.post("/analytics/presets/{preset_id}/copy", response={201: PresetOut})
def copy_preset(request: HttpRequest, preset_id: int, body: CopyIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    source = queries.preset(user, preset_id)
    if source is None:
        raise HttpError(404, "版式预设不存在")
    copy = layout_copies.copy_preset(user, source, name=body.name, code=body.code)
    return Status(201, _preset_out(user, copy))
