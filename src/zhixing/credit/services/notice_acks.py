"""Art 8 notices: a recipient's signed acknowledgement (callback) of notices it received."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core import partner_protocol as protocol
from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import refuse_control_json

from ..models import ListingNotice, NoticeRecipient
from .notice_options import S, log


# -- recipient → platform: acknowledgements ---------------------------------------------------------------
@dataclass(frozen=True)
class CallbackResult:
    status: int
    detail: str
    applied: int = 0
    field: str | None = None  # the refused part of the body (a control character in it)


def receive_acks(path: str, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
    """A recipient's signed acknowledgement `{"partner": code, "results": [{"key", "status": "done",
    "result": {"ref"}}]}` of notices it received (`accepted`).

    401 unknown recipient or bad signature; 400 malformed; 404 a key never sent to this recipient (nothing
    applied); otherwise 200 — an acknowledgement of a notice already acknowledged changes nothing.
    """
    code = protocol.partner_of(headers)
    r = NoticeRecipient.objects.filter(code=code).first() if code else None
    if r is None or not r.shared_secret:
        result = CallbackResult(401, "未知或缺失的通报对象代码")
    else:
        try:
            protocol.verify(r.shared_secret, "POST", path, body, headers)
            result = _acks(r, body)
        except protocol.ProtocolError as exc:
            result = CallbackResult(401, f"签名校验失败：{exc}")
    if result.status != 200:
        log.warning("art8 acknowledgement refused (%s %s): partner=%r", result.status, result.detail, code)
    return result


def _acks(r: NoticeRecipient, body: bytes) -> CallbackResult:
    try:
        refuse_control_json(json.loads(body))  # a NUL in a reference: refused naming it, nothing stored
    except (ValueError, RecursionError):  # RecursionError: nested past the parser's depth
        return CallbackResult(400, "确认内容格式错误")
    except ServiceError as exc:
        return CallbackResult(exc.status, exc.message, field=exc.field)
    try:
        results = json.loads(body)["results"]
        acks = {
            str(a["key"]): str((a.get("result") or {}).get("ref", ""))[:64]
            for a in results
            if a["status"] == "done"
        }
        if not results or not isinstance(results, list):
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        return CallbackResult(400, "确认内容格式错误")
    known = set(
        ListingNotice.objects.filter(recipient=r, idempotency_key__in=list(acks)).values_list(
            "idempotency_key", flat=True
        )
    )
    if known != set(acks):
        return CallbackResult(404, "确认包含未向本单位发送的通报")
    now, applied = timezone.now(), 0
    with transaction.atomic():
        for n in (
            ListingNotice.objects.select_for_update(of=("self",))
            .select_related("listing")
            .filter(recipient=r, idempotency_key__in=list(acks), status=S.SENT)
        ):
            n.status, n.acknowledged_at, n.partner_ref = S.ACKNOWLEDGED, now, acks[n.idempotency_key]
            n.save(update_fields=["status", "acknowledged_at", "partner_ref"])
            applied += 1
            audit.record(
                None,
                "credit.art8_delivery",
                object_type="ListingNotice",
                object_id=n.pk,
                case_id=n.listing.case_id,
                before={"status": S.SENT},
                after={"status": n.status, "ref": n.partner_ref, "recipient": r.name},
            )
    return CallbackResult(200, "ok", applied)
