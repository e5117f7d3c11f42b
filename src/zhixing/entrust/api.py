"""Entrustment API.

GET  /api/v1/entrust/inbox — entrustments received by the caller's court, with clock states.
GET  /api/v1/entrust/outbox — entrustments the caller's court sent.
GET  /api/v1/entrust/statistics — matters sent and handled, person-trips saved.
POST /api/v1/cases/{id}/entrustments — send a matter (kind "matter") or the whole case (kind "case").
POST /api/v1/entrustments/{id}/{op} — start | progress | done | filed (delegate); close (delegating court).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from pydantic import Field

from zhixing.cases import queries as case_queries
from zhixing.cases.schemas import Id
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Staff

from . import queries, services
from .models import Entrustment

router = Router(tags=["委托执行"])


class NotFound(ServiceError):
    status = 404

    def __init__(self, message: str) -> None:
        super().__init__(message, code="not_found")


class EntrustErrorOut(Schema):
    detail: str
    field: str | None = None
    code: str = ""


_ERR: dict[int | str, Any] = dict.fromkeys((400, 401, 403, 404, 409, 422), EntrustErrorOut)


class EntrustmentOut(Schema):
    id: int
    kind: str
    matter: str
    case_number: str
    from_court: str
    to_court: str
    debtor: str
    request: str
    status: str
    sent_on: date
    start_by: date = Field(description="开始办理期限（收到委托函之日起十五日）")
    report_by: date = Field(description="函复期限（三十日）")
    started_on: date | None
    progress_on: date | None
    done_on: date | None
    result: str
    delegate_number: str
    start_clock: str = Field(description="met 按期 / late 逾期办理 / overdue 已超期 / running 进行中")
    report_clock: str
    renewed_assets: list[int]


class SendIn(Schema):
    kind: str = Field(description="matter 事项委托 / case 整案委托")
    to_court: str = Field(description="受托法院代字，如 粤0104")
    matter: str = Field("", description="inquiry / freeze / seizure / investigation / service")
    request: str = Field(max_length=1000)


class EntrustStepIn(Schema):
    text: str = ""
    number: str = ""
    on: date | None = None


class StatsOut(Schema):
    sent: int
    sent_done: int
    received: int
    handled: int
    trips_saved: int


def _user(request: HttpRequest) -> Staff:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _out(e: Entrustment) -> dict[str, Any]:
    c = queries.clocks(e)
    return {
        "id": e.pk,
        "kind": e.kind,
        "matter": e.matter,
        "case_number": e.case_number,
        "from_court": e.from_court.code,
        "to_court": e.to_court.code,
        "debtor": e.debtor,
        "request": e.request,
        "status": e.status,
        "sent_on": e.sent_on,
        "start_by": e.start_by,
        "report_by": e.report_by,
        "started_on": e.started_on,
        "progress_on": e.progress_on,
        "done_on": e.done_on,
        "result": e.result,
        "delegate_number": e.delegate_number,
        "start_clock": c.start,
        "report_clock": c.report,
        "renewed_assets": e.renewed_assets,
    }


@router.get("/entrust/inbox", response={200: list[EntrustmentOut], **_ERR}, summary="受托收件箱")
def inbox(request: HttpRequest) -> Any:
    return [_out(e) for e, _ in queries.with_clocks(queries.inbox(_user(request)))]


@router.get("/entrust/outbox", response={200: list[EntrustmentOut], **_ERR}, summary="委托发件箱")
def outbox(request: HttpRequest) -> Any:
    return [_out(e) for e, _ in queries.with_clocks(queries.outbox(_user(request)))]


@router.get("/entrust/statistics", response={200: StatsOut, **_ERR}, summary="委托统计")
def statistics(request: HttpRequest) -> Any:
    court = _user(request).court
    if court is None:
        raise NotPermitted("委托执行按法院办理")
    return queries.statistics(court).__dict__


@router.post("/cases/{case_id}/entrustments", response={201: EntrustmentOut, **_ERR}, summary="发出委托")
def send(request: HttpRequest, payload: SendIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = case_queries.get_case(user, case_id)
    if case is None:
        raise NotFound("案件不存在或无权查看")
    if payload.kind == "case":
        e = services.send_case(user, case, to_court=payload.to_court, request=payload.request)
    elif payload.kind == "matter":
        e = services.send_matter(
            user, case, to_court=payload.to_court, matter=payload.matter, request=payload.request
        )
    else:
        raise ServiceError("请选择委托类型（matter 事项委托或 case 整案委托）", field="kind")
    return Status(201, _out(e))


@router.post(
    "/entrustments/{entrustment_id}/{op}", response={200: EntrustmentOut, **_ERR}, summary="办理委托"
)
def step(request: HttpRequest, payload: EntrustStepIn, entrustment_id: Path[Id], op: str) -> Any:
    user = _user(request)
    e = queries.visible(user, entrustment_id)
    if e is None:
        raise NotFound("委托不存在或无权查看")
    if op == "start":
        e = services.start(user, e, on=payload.on)
    elif op in ("progress", "done"):
        e = services.report(user, e, text=payload.text, done=op == "done", on=payload.on)
    elif op == "filed":
        e = services.record_filing(user, e, number=payload.number, filed_on=payload.on)
    elif op == "close":
        e = services.close_delegated(user, e)
    else:
        raise NotFound("没有这种办理操作")
    return _out(e)
