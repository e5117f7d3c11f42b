"""Cases API: leaders' chart data and 督办 (supervision orders).

GET  /api/v1/supervision/charts/{name}?court=粤01 — trend / courts / age, scoped like the tables.
GET  /api/v1/cases/{id}/supervision-orders — a case's orders.
POST /api/v1/cases/{id}/supervision-orders — issue one (president or director of the case's court or above).
POST /api/v1/supervision-orders/{id}/reply — the addressee replies.
GET  /api/v1/supervision-orders?view=mine|issued|all&overdue=true — lists.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Schema, Status
from pydantic import Field

from zhixing.core.errors import NotPermitted
from zhixing.courts.roles import Cap

from . import charts_leaders, queries_leaders, services
from .api_support import NotFound, _ok, _readable_case, _user, router
from .models import Node, SupervisionOrder
from .schemas import Id, ISODate, Text500

MAX_ORDERS = 200


class ChartSeriesOut(Schema):
    name: str
    data: list[int | str] = Field(description="件数为整数；金额为两位小数的字符串（万元）")
    axis: int | None = None
    kind: str | None = None
    links: list[str | None] | None = Field(None, description="每个数字所统计清单的页面地址")


class ChartOut(Schema):
    title: str
    kind: str
    unit: str
    categories: list[str]
    series: list[ChartSeriesOut]


class OrderIn(Schema):
    text: Text500 = Field(description="督办事项")
    due_on: ISODate = Field(description="回复期限（含当日）")
    node: Id | None = Field(None, description="督办针对的未完成节点；不填为整个案件")


class ReplyIn(Schema):
    reply: str = Field(max_length=1000, description="回复内容")


class OrderOut(Schema):
    id: int
    case_id: int
    case_number: str
    court: str
    node: str | None
    issued_by: str
    addressee: str
    addressee_id: int
    text: str
    due_on: date
    issued_at: datetime
    status: str
    status_label: str
    overdue: bool = Field(description="逾期未回复")
    reply: str
    replied_at: datetime | None


def _order_out(o: SupervisionOrder, today: date) -> dict[str, Any]:
    overdue = o.is_overdue(today)
    return {
        "id": o.pk,
        "case_id": o.case_id,
        "case_number": o.case.number,
        "court": o.court.code,
        "node": o.node.node_type.name if o.node else None,
        "issued_by": o.issued_by.full_name,
        "addressee": o.addressee.full_name,
        "addressee_id": o.addressee_id,
        "text": o.text,
        "due_on": o.due_on,
        "issued_at": o.issued_at,
        "status": o.status,
        "status_label": "逾期未回复" if overdue else o.get_status_display(),
        "overdue": overdue,
        "reply": o.reply,
        "replied_at": o.replied_at,
    }


def _full(pk: int) -> SupervisionOrder:
    return SupervisionOrder.objects.select_related(
        "case", "court", "issued_by", "addressee", "node__node_type"
    ).get(pk=pk)


@router.get(
    "/supervision/charts/{name}", response=_ok(ChartOut), summary="领导图表数据（趋势、法院对比、超期时长）"
)
def chart(request: HttpRequest, name: Path[str], court: Query[str | None] = None) -> Any:
    user = _user(request)
    if not user.can(Cap.SUPERVISE):
        raise NotPermitted("仅有节点监管权限的人员可以查看")
    target = queries_leaders.scope_court(user, court)
    if target is None or name not in charts_leaders.CHARTS:
        raise NotFound("图表或法院不存在，或不在您的查看范围内")
    return charts_leaders.chart_payload(user, name, target, timezone.localdate())


@router.get("/cases/{case_id}/supervision-orders", response=_ok(list[OrderOut]), summary="案件的督办")
def case_orders(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    today = timezone.localdate()
    return [_order_out(o, today) for o in queries_leaders.case_orders(case)]


@router.post("/cases/{case_id}/supervision-orders", response=_ok(OrderOut, 201), summary="发出督办")
def issue_order(request: HttpRequest, payload: OrderIn, case_id: Path[Id]) -> Any:
    user = _user(request)
    case = _readable_case(user, case_id)
    node = None
    if payload.node is not None:
        node = Node.objects.filter(pk=payload.node, case=case).first()
        if node is None:
            raise NotFound("流程节点不存在或不属于本案")
    order = services.issue_supervision_order(user, case, text=payload.text, due_on=payload.due_on, node=node)
    return Status(201, _order_out(_full(order.pk), timezone.localdate()))


@router.post("/supervision-orders/{order_id}/reply", response=_ok(OrderOut), summary="回复督办")
def reply_order(request: HttpRequest, payload: ReplyIn, order_id: Path[Id]) -> Any:
    user = _user(request)
    order = queries_leaders.readable_order(user, order_id)
    if order is None:
        raise NotFound("督办不存在或无权查看")
    services.reply_supervision_order(user, order, reply=payload.reply)
    return _order_out(_full(order.pk), timezone.localdate())


@router.get(
    "/supervision-orders", response=_ok(list[OrderOut]), summary="督办清单（待我回复、我发出的、辖区全部）"
)
def order_list(request: HttpRequest, view: Query[str] = "mine", overdue: Query[bool] = False) -> Any:
    user = _user(request)
    if view not in queries_leaders.ORDER_VIEWS:
        raise NotFound("没有这种督办清单")
    if view == "all" and not user.can(Cap.SUPERVISE):
        raise NotPermitted("仅有节点监管权限的人员可以查看辖区全部督办")
    today = timezone.localdate()
    return [
        _order_out(o, today)
        for o in queries_leaders.order_list(user, view, today, overdue=overdue)[:MAX_ORDERS]
    ]
