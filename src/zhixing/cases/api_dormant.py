"""Cases API: 终本 (dormant) preconditions, the judge's confirmations, the review kept at closing and the
applicant's requests to resume.

GET  /api/v1/cases/{id}/dormant — every precondition with its state (for closing today), the review
     kept at closing (compliance, ruling) and the resume requests.
POST /api/v1/cases/{id}/dormant/confirmations — the judge confirms one precondition with a note
     (evidence files are uploaded on the page).
POST /api/v1/cases/{id}/dormant/resume-requests — record the applicant's request to resume.
The closing itself is `POST /api/v1/cases/{id}/close` with mode "dormant": refused (422, field
"preconditions") naming every missing precondition.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Schema, Status
from pydantic import Field

from zhixing.core.errors import NotPermitted

from . import queries_dormant, services
from .api_support import _ok, _readable_case, _user, router
from .models import ResumptionRequest
from .schemas import Id, ISODate
from .services import dormant as dormant_services


class DormantCheckOut(Schema):
    key: str
    label: str
    article: str
    state: str = Field(
        description="met 系统记录满足 / confirmed 法官确认 / not_required 不适用 / missing 未满足"
    )
    detail: str


class ReviewOut(Schema):
    closed_on: date
    met: int
    total: int
    compliant: bool
    ruling_id: int | None
    states: dict[str, str]


class RequestOut(Schema):
    id: int
    requested_by: str
    reason: str
    channel: str
    status: str
    created_at: str


class DormantOut(Schema):
    case_id: int
    status: str
    ready: bool = Field(description="今天可以以终结本次执行程序结案")
    checks: list[DormantCheckOut]
    review: ReviewOut | None
    requests: list[RequestOut]


class DormantConfirmIn(Schema):
    key: str = Field(max_length=32)
    done_on: ISODate
    note: str = Field(max_length=2000)


class ResumeRequestIn(Schema):
    by: str = Field(max_length=100)
    reason: str = Field(max_length=2000)


def _requests(case_id: int) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "requested_by": r.requested_by,
            "reason": r.reason,
            "channel": r.channel,
            "status": r.status,
            "created_at": timezone.localtime(r.created_at).isoformat(),
        }
        for r in ResumptionRequest.objects.filter(case_id=case_id).order_by("-id")[:50]
    ]


@router.get("/cases/{case_id}/dormant", response=_ok(DormantOut), summary="终本条件与终本审查记录")
def case_dormant(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    checks = services.dormant_checklist(case) if case.is_open else []
    review = queries_dormant.review_of(case)
    return {
        "case_id": case.pk,
        "status": case.status,
        "ready": bool(checks) and all(c.ok for c in checks),
        "checks": [
            {"key": c.key, "label": c.label, "article": c.article, "state": c.state, "detail": c.detail}
            for c in checks
        ],
        "review": None
        if review is None
        else {
            "closed_on": review.closed_on,
            "met": review.met,
            "total": review.total,
            "compliant": review.compliant,
            "ruling_id": review.ruling_id,
            "states": review.states,
        },
        "requests": _requests(case.pk),
    }


@router.post(
    "/cases/{case_id}/dormant/confirmations",
    response=_ok(DormantCheckOut, 201),
    summary="法官确认终本条件（附情况说明）",
)
def confirm(request: HttpRequest, payload: DormantConfirmIn, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    services.confirm_precondition(
        _user(request), case, key=payload.key, done_on=payload.done_on, note=payload.note
    )
    check = next(c for c in services.dormant_checklist(case) if c.key == payload.key)
    return Status(
        201,
        {
            "key": check.key,
            "label": check.label,
            "article": check.article,
            "state": check.state,
            "detail": check.detail,
        },
    )


@router.post(
    "/cases/{case_id}/dormant/resume-requests", response=_ok(RequestOut, 201), summary="登记恢复执行申请"
)
def resume_request(request: HttpRequest, payload: ResumeRequestIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _readable_case(user, case_id)
    if not dormant_services.may_record_request(user, case):
        raise NotPermitted("您的岗位或法院无权登记恢复执行申请")
    r = services.request_resumption(case, payload.by, payload.reason, actor=user)
    return Status(201, _requests(case.pk)[0] | {"id": r.pk})
