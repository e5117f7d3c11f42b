"""Analytics API (`/api/v1/analytics/...`): job progress, profiles, computing a profile.

A job, profile or debtor the caller cannot read is answered 404; a write on a court the caller may
read but not write is 403 (raised by the service as `NotPermitted`). Imports are multipart uploads
(CSV, Excel or Parquet) queued like the page's; poll the job for progress and row errors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError

from zhixing.core.errors import ServiceError

from . import queries, services, tasks

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
) -> Any:
    """Upload one statement (`preset` = a preset code) or travel file for a debtor; 201 with the job."""
    ref = queries.debtor(request.auth, case_id, party_id)  # type: ignore[attr-defined]
    if ref is None:
        raise HttpError(404, "被执行人不存在")
    if kind not in ("statement", "travel"):
        raise ServiceError("数据类型应为 statement 或 travel", field="kind")
    if mode not in ("strict", "quarantine"):
        raise ServiceError("校验方式应为 strict 或 quarantine", field="mode")
    chosen = queries.preset_by_code(preset) if kind == "statement" else None
    if kind == "statement" and chosen is None:
        raise ServiceError(f"版式预设不存在：{preset!r}", field="preset")
    job = services.create_import(
        request.auth,  # type: ignore[attr-defined]
        ref,
        kind=kind,
        file_name=file.name or "upload",
        data=file.read(),
        preset=chosen,
        mode=mode,
    )
    transaction.on_commit(lambda: tasks.import_job_task(job.pk))
    return Status(201, job)


@router.get("/analytics/profiles/{profile_id}", response=ProfileOut)
def get_profile(request: HttpRequest, profile_id: int) -> Any:
    p = queries.profile(request.auth, profile_id)  # type: ignore[attr-defined]
    if p is None:
        raise HttpError(404, "画像不存在")
    return _profile_out(p)


@router.post("/analytics/cases/{case_id}/debtors/{party_id}/profile", response={201: ProfileOut})
def compute(request: HttpRequest, case_id: int, party_id: int, body: ComputeIn) -> Any:
    ref = queries.debtor(request.auth, case_id, party_id)  # type: ignore[attr-defined]
    if ref is None:
        raise HttpError(404, "被执行人不存在")
    p = services.compute_profile(request.auth, ref, start=body.start, end=body.end)  # type: ignore[attr-defined]
    return Status(201, _profile_out(p))
