"""Signed callbacks from partners: verify, log, apply. Anything malformed, unsigned or unknown is refused."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction

from zhixing.core import partner_protocol as protocol
from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import refuse_control_json

from ..models import CallbackLog, InquiryRequest, Partner
from . import feedback, jobs, queue_notices

log = logging.getLogger("zhixing.inquiry.callbacks")


@dataclass(frozen=True)
class CallbackResult:
    status: int
    detail: str
    applied: int = 0
    field: str | None = None  # the refused part of the body (a control character in it)


def _refuse(status: int, reason: str, partner: str, key: str, field: str | None = None) -> CallbackResult:
    log.warning("partner callback refused (%s): partner=%r key=%r", reason, partner, key)
    with transaction.atomic():
        CallbackLog.objects.create(
            partner_code=partner[:32],
            idempotency_key=key[:64],
            accepted=False,
            status=status,
            reason=reason[:200],
        )
    return CallbackResult(status, reason, field=field)


def receive(path: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    code = protocol.partner_of(headers)
    key = next((v for k, v in headers.items() if k.lower() == "idempotency-key"), "")
    partner = (
        Partner.objects.filter(code=code, active=True).select_related("category").first() if code else None
    )
    if partner is None or not partner.shared_secret:  # a partner without a secret cannot authenticate
        return _refuse(401, "未知或缺失的联动单位代码", code, key)
    try:
        protocol.verify(partner.shared_secret, "POST", path, body, headers)
    except protocol.ProtocolError as exc:
        return _refuse(401, f"签名校验失败：{exc}", code, key)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        return _refuse(400, "回调内容格式错误", code, key)
    try:
        refuse_control_json(payload)  # a NUL in an answer: refused naming it, nothing applied or stored
    except ServiceError as exc:
        return _refuse(exc.status, exc.message, code, key, field=exc.field)
    try:
        if isinstance(payload, dict) and "notices" in payload:  # 轮候: the queue moved at the institution
            return _notices(partner, payload["notices"], code, key)
        answers = [a for a in payload["results"] if isinstance(a, dict) and isinstance(a.get("key"), str)]
        if len(answers) != len(payload["results"]) or not answers:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return _refuse(400, "回调内容格式错误", code, key)
    keys = [a["key"] for a in answers]
    rows = list(
        InquiryRequest.objects.filter(idempotency_key__in=keys, partner=partner).select_related(
            "partner", "partner__category", "case", "asset"
        )
    )
    if len(rows) != len(set(keys)):
        return _refuse(404, "回调包含本平台未发出的请求", code, key)
    final = {a["key"]: a for a in answers if a.get("status") in ("done", "error")}
    open_rows = [r for r in rows if r.status in feedback.OPEN and r.idempotency_key in final]
    if open_rows:
        feedback.apply_answers(jobs.load(r.pk for r in open_rows), list(final.values()))
    with transaction.atomic():
        CallbackLog.objects.create(
            partner_code=code,
            idempotency_key=key[:64],
            accepted=True,
            status=200,
            reason=f"{len(open_rows)}条",
        )
    return CallbackResult(200, "ok", len(open_rows))


def _notices(partner: Partner, items: object, code: str, key: str) -> CallbackResult:
    try:
        changed = queue_notices.apply_queue_notices(partner, items)  # type: ignore[arg-type]
    except queue_notices.NoticeError as exc:
        return _refuse(exc.status, str(exc), code, key)
    with transaction.atomic():
        CallbackLog.objects.create(
            partner_code=code,
            idempotency_key=key[:64],
            accepted=True,
            status=200,
            reason=f"轮候通知{changed}条",
        )
    return CallbackResult(200, "ok", changed)
