"""Analytics API (`/api/v1/analytics/...`): job progress, profiles, computing a profile.

A job, profile or debtor the caller cannot read is answered 404; a write on a court the caller may
read but not write is 403 (raised by the service as `NotPermitted`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from . import queries, services

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
