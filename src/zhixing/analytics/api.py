"""Analytics API (`/api/v1/analytics/...`): job progress, profiles, computing a profile, layouts.

A job, profile or debtor the caller cannot read is answered 404; a write on a court the caller may
read but not write is 403 (raised by the service as `NotPermitted`). Imports are multipart uploads
(CSV, Excel or Parquet) queued like the page's; poll the job for progress and row errors.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, ModelSchema, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from zhixing.core import upload_limits
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries, services
from .models import StatementPreset
from .services.imports import IMPORT_REFUSED

router = Router(tags=["analytics"])


class JobOut(Schema):
    id: int
    status: str
    total_rows: int
    processed_rows: int
    imported: int
    duplicates: int
    quarantined: int
    errors: list[dict[str, Any]]
    dedup_decisions: list[dict[str, Any]]
    period_start: date | None = None
    period_end: date | None = None
    notes: list[dict[str, Any]] = []  # preamble and footer lines, and the check of the file's own totals


class ProfileOut(Schema):
    id: int
    party_id: int
    score: int
    ruleset_version: int
    period_start: date
    period_end: date
    findings: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]


class ComputeIn(Schema):
    start: date | None = None
    end: date | None = None


def _profile_out(p: Any) -> ProfileOut:
    return ProfileOut(
        id=p.pk,
        party_id=p.party_id,
        score=p.score,
        ruleset_version=p.ruleset.version,
        period_start=p.period_start,
        period_end=p.period_end,
        findings=p.findings,
        recommendations=p.recommendations,
    )


@router.get("/analytics/jobs/{job_id}", response=JobOut)
def get_job(request: HttpRequest, job_id: int) -> Any:
    job = queries.job(request.auth, job_id)  # type: ignore[attr-defined]
    if job is None:
        raise HttpError(404, "导入任务不存在")
    return job


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/imports", response={201: JobOut})
def create_import(
    request: HttpRequest,
    case_id: int,
    party_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "statement",
    preset: Form[str] = "",
    mode: Form[str] = "strict",
    period_start: Form[date | None] = None,
    period_end: Form[date | None] = None,
) -> Any:
    """Upload one statement (`preset` = a preset code) or travel file for a debtor; 201 with the job.

    `period_start`/`period_end` (YYYY-MM-DD, both or neither) is the statement period, which gives the
    year of dates a layout reads without one.
    """
    user: Any = request.auth  # type: ignore[attr-defined]
    ref = queries.debtor(user, case_id, party_id)
    if ref is None:
        raise HttpError(404, "被执行人不存在")
    if not queries.allowed(user, ref, Cap.ANALYTICS_IMPORT):
        raise NotPermitted(IMPORT_REFUSED)
    if kind not in ("statement", "travel"):
        raise ServiceError("数据类型应为 statement 或 travel", field="kind")
    if mode not in ("strict", "quarantine"):
        raise ServiceError("校验方式应为 strict 或 quarantine", field="mode")
    chosen = queries.preset_by_code(user, preset) if kind == "statement" else None
    if kind == "statement" and chosen is None:
        raise ServiceError(f"版式预设不存在：{preset!r}", field="preset")
    upload_limits.check(file, "statement", field="file", label="导入文件")
    job = services.create_import(
        user,
        ref,
        kind=kind,
        file_name=file.name or "upload",
        data=file.read(),
        preset=chosen,
        mode=mode,
        period_start=period_start,
        period_end=period_end,
    )
    return Status(201, job)


@router.get("/analytics/profiles/{profile_id}", response=ProfileOut)
def get_profile(request: HttpRequest, profile_id: int) -> Any:
    p = queries.profile(request.auth, profile_id)  # type: ignore[attr-defined]
    if p is None:
        raise HttpError(404, "画像不存在")
    return _profile_out(p)


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/profile", response={201: ProfileOut})
def compute(request: HttpRequest, case_id: int, party_id: int, body: ComputeIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    ref = queries.debtor(user, case_id, party_id)
    if ref is None:
        raise HttpError(404, "被执行人不存在")
    p = services.compute_profile(user, ref, start=body.start, end=body.end)
    return Status(201, _profile_out(p))


# -- statement layouts (版式预设) ------------------------------------------------------------------------
class PresetOut(Schema):
    id: int
    code: str
    name: str
    institution: str
    court: str | None
    builtin: bool
    shared: bool
    editable: bool


class PresetIn(ModelSchema):
    """A court's own layout: every column name the import reads (see docs/analytics.md)."""

    class Meta:
        model = StatementPreset
        exclude = ["id", "court", "builtin"]


def _preset_out(user: Any, p: StatementPreset) -> PresetOut:
    return PresetOut(
        id=p.pk,
        code=p.code,
        name=p.name,
        institution=p.institution,
        court=p.court.code if p.court else None,
        builtin=p.builtin,
        shared=p.shared,
        editable=queries.preset_editable(user, p),
    )


def _usable(user: Any, preset_id: int) -> StatementPreset:
    p = queries.preset(user, preset_id)
    if p is None:  # another court's own layout: as if it did not exist
        raise HttpError(404, "版式预设不存在")
    return p


@router.get("/analytics/presets", response=list[PresetOut])
def list_presets(request: HttpRequest) -> Any:
    """The layouts the caller's court may import with (built-in, own, shared by a higher court)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    return [_preset_out(user, p) for p in queries.presets(user)]


@router.post("/analytics/presets", response={201: PresetOut})
def create_preset(request: HttpRequest, body: PresetIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    return Status(201, _preset_out(user, services.save_preset(user, body.model_dump())))


@router.put("/analytics/presets/{preset_id}", response=PresetOut)
def update_preset(request: HttpRequest, preset_id: int, body: PresetIn) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    return _preset_out(user, services.save_preset(user, body.model_dump(), _usable(user, preset_id)))


@router.delete("/analytics/presets/{preset_id}", response={204: None})
def delete_preset(request: HttpRequest, preset_id: int) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    services.delete_preset(user, _usable(user, preset_id))
    return Status(204, None)


# Leads (targeted query / field verification) and the debtor's record: their own module.
from .api_leads import router as leads_router  # noqa: E402

router.add_router("", leads_router)

# The checked import (preview), imported rows and their corrections, copying a layout.
from .api_rows import router as rows_router  # noqa: E402

router.add_router("", rows_router)


# The conversion rate table (分析 › 折算汇率): read by everyone who imports, kept by finance and directors.
class RateIO(Schema):
    currency: str
    valid_from: date
    rate: Decimal
    note: str = ""


@router.get("/analytics/rates", response=list[RateIO])
def list_rates(request: HttpRequest) -> Any:
    """Every rate to yuan, by currency, the latest first (as the rates page lists them)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    if not queries.may_read_rates(user):
        raise HttpError(403, "您的岗位不能查看折算汇率")
    return [_rate_out(r) for r in queries.exchange_rates()]


@router.post("/analytics/rates", response={201: RateIO})
def set_rate(request: HttpRequest, body: RateIO) -> Any:
    """Add a rate, or correct the one of that currency and day (finance staff and directors; audited)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    r = services.set_exchange_rate(user, **body.model_dump())
    return Status(201, _rate_out(r))


def _rate_out(r: Any) -> RateIO:
    return RateIO(currency=r.currency, valid_from=r.valid_from, rate=r.rate, note=r.note)
