"""Correction applications API (失信规定 Arts 11–12): file, review, carry out, 复议 and its decision.

Court-scoped like the rest of the credit API: a listing or correction the user cannot read is a 404; a
decision outside the user's role is a 403 (the enforcing court reviews and corrects, the next-higher
court records and decides the 复议).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from zhixing.core.errors import ServiceError
from zhixing.courts.queries import can_read_court

from . import queries_correction, services
from .models import Correction, Listing

router = Router(tags=["信用惩戒"])


class NotFound(ServiceError):
    status = 404

    def __init__(self, field: str = "correction_id") -> None:
        super().__init__("对象不存在或无权查看", field=field, code="not_found")


class ListingCorrectionIn(Schema):
    ground: str = Field(..., max_length=32, description="should_not_list / inaccurate / should_delete")
    detail: str = Field(..., max_length=300)
    received_on: date = Field(..., description="收到书面纠正申请之日")


class DecideIn(Schema):
    upheld: bool
    served_on: date | None = Field(
        None, description="驳回决定当场送达的，送达行为日；不填则送达后经 /served 登记（复议期限自送达起算）"
    )
    method: str = Field("personal", max_length=16, description="驳回决定送达方式（同 /served）")


class ServedIn(Schema):
    method: str = Field(
        ..., max_length=16, description="送达方式：personal/residence/electronic/post/entrusted/publication"
    )
    on: date = Field(..., description="送达行为日（公告送达为公告发布之日，经过30日视为送达）")


class ApplyIn(Schema):
    changes: dict[str, str] = Field(default_factory=dict, description="信息不准确的：更正的公布项及新值")
    trigger: str = Field("", max_length=32, description="应予删除的：失信规定第10条删除事由")


class FiledIn(Schema):
    filed_on: date = Field(..., description="上一级法院收到复议申请之日")


class CorrectionReviewIn(Schema):
    result: str = Field(..., max_length=16, description="upheld 维持驳回 / revoked 撤销驳回，予以纠正")
    decided_on: date | None = None


class CorrectionOut(Schema):
    id: int
    listing_id: int
    ground: str
    detail: str
    status: str
    status_label: str
    received_on: date
    review_due: date
    decided_on: date | None
    fix_due: date | None
    fixed_on: date | None
    service_method: str = Field(..., description="驳回决定送达方式；空为尚未登记送达")
    service_act_on: date | None
    served_on: date | None = Field(..., description="驳回决定视为送达之日（复议期限自此起算）")
    reconsideration_due: date | None
    reconsideration_filed_on: date | None
    review_court_id: int | None
    higher_review_due: date | None
    higher_result: str
    higher_decided_on: date | None
    overdue: str = Field(..., description="review / fix / higher：已超过的期限；空为未超期")


def out(c: Correction) -> dict[str, Any]:
    fields = CorrectionOut.model_fields.keys() - {"status_label", "overdue"}
    data = {k: getattr(c, k) for k in fields}
    data.update(
        status_label=c.get_status_display(), overdue=queries_correction.overdue(c, timezone.localdate())
    )
    return data


def _correction(request: HttpRequest, correction_id: int) -> Correction:
    c = queries_correction.get_visible(request.user, correction_id)
    if c is None:
        raise NotFound()
    return c


@router.get("/credit/corrections", response=list[CorrectionOut], summary="纠正申请及复议（本院及下级法院）")
def list_corrections(request: HttpRequest, overdue: bool = False, all: bool = False) -> list[dict[str, Any]]:
    rows = queries_correction.rows(request.user, open_only=not all)
    return [out(r.c) for r in rows if r.overdue or not overdue]


@router.post(
    "/credit/listings/{listing_id}/corrections", response={201: CorrectionOut}, summary="登记纠正申请"
)
def file_correction(request: HttpRequest, listing_id: int, payload: ListingCorrectionIn) -> Status:
    listing = Listing.objects.select_related("court").filter(pk=listing_id).first()
    if listing is None or not can_read_court(request.user, listing.court):
        raise NotFound("listing_id")
    c = services.file_correction(
        request.user, listing, ground=payload.ground, detail=payload.detail, received_on=payload.received_on
    )
    return Status(201, out(c))


@router.get("/credit/corrections/{correction_id}", response=CorrectionOut, summary="纠正申请")
def get_correction(request: HttpRequest, correction_id: int) -> dict[str, Any]:
    return out(_correction(request, correction_id))


@router.post("/credit/corrections/{correction_id}/decide", response=CorrectionOut, summary="审查纠正申请")
def decide(request: HttpRequest, correction_id: int, payload: DecideIn) -> dict[str, Any]:
    c = _correction(request, correction_id)
    return out(
        services.decide_correction(
            request.user, c, upheld=payload.upheld, served_on=payload.served_on, method=payload.method
        )
    )


@router.post(
    "/credit/corrections/{correction_id}/served", response=CorrectionOut, summary="登记驳回决定的送达"
)
def served(request: HttpRequest, correction_id: int, payload: ServedIn) -> dict[str, Any]:
    c = _correction(request, correction_id)
    return out(services.record_correction_service(request.user, c, method=payload.method, on=payload.on))


@router.post("/credit/corrections/{correction_id}/apply", response=CorrectionOut, summary="按纠正申请纠正")
def apply(request: HttpRequest, correction_id: int, payload: ApplyIn) -> dict[str, Any]:
    c = _correction(request, correction_id)
    return out(services.apply_correction(request.user, c, changes=payload.changes, trigger=payload.trigger))


@router.post(
    "/credit/corrections/{correction_id}/reconsideration", response=CorrectionOut, summary="登记纠正复议申请"
)
def reconsideration(request: HttpRequest, correction_id: int, payload: FiledIn) -> dict[str, Any]:
    c = _correction(request, correction_id)
    return out(services.file_correction_reconsideration(request.user, c, filed_on=payload.filed_on))


@router.post("/credit/corrections/{correction_id}/review", response=CorrectionOut, summary="纠正复议决定")
def review(request: HttpRequest, correction_id: int, payload: CorrectionReviewIn) -> dict[str, Any]:
    c = _correction(request, correction_id)
    return out(
        services.decide_correction_reconsideration(
            request.user, c, result=payload.result, decided_on=payload.decided_on
        )
    )
