"""Tip-offs (举报): a member of the public reports a debtor's whereabouts or assets; the handler acts.

`submit` validates everything first (case, kind, text length, each photo's type and size, the number of
photos) and writes nothing on any error; the error names the field. The tip reaches the case's handler
(a notification and the worklist) with a deadline to act (`conf` ``tip_action_days`` working days), and
after commit `events.tip_received` is sent for the command center.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.choices import OPEN_STATUSES
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.notify import notify
from zhixing.core.redaction import redact

from . import access_public, conf, rules_public
from .events import tip_received
from .models import Tip, TipPhoto

UNKNOWN_CASE = "案号有误，或该案件不在执行中，无法受理举报"


@dataclass(frozen=True)
class Photo:
    """An uploaded photo as the form hands it over: its name, size and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class TipData:
    case_number: str
    kind: str
    content: str
    reporter_name: str
    reporter_phone: str
    photos: tuple[Photo, ...] = ()


def _clean(data: TipData) -> tuple[EnforcementCase, list[tuple[Photo, str]]]:
    """The case and the checked photos (with their sniffed types), or a ServiceError naming the field."""
    limit = conf.get("text_max_chars")
    if data.kind not in Tip.Kind.values:
        raise ServiceError("请选择线索类型（下落线索或财产线索）", field="kind")
    content = data.content.strip()
    if not content:
        raise ServiceError("请填写线索内容", field="content")
    if len(content) > limit:
        raise ServiceError(f"线索内容共{len(content)}字，超过{limit}字的上限，请精简后提交", field="content")
    if not data.reporter_name.strip() or len(data.reporter_name) > 64:
        raise ServiceError("请填写举报人姓名（64字以内）", field="reporter_name")
    phone = "".join(data.reporter_phone.split())
    if not phone.isdigit() or not 7 <= len(phone) <= 20:
        raise ServiceError("请填写可联系的电话号码（7至20位数字）", field="reporter_phone")
    if len(data.photos) > conf.get("photos_max"):
        raise ServiceError(
            f"最多上传{conf.get('photos_max')}张照片，本次{len(data.photos)}张", field="photos"
        )
    checked = []
    for photo in data.photos:
        kind, problem = rules_public.check_photo(
            photo.name, len(photo.data), photo.data[:16], conf.get("photo_max_bytes")
        )
        if problem is not None:
            raise ServiceError(problem.message, field="photos")
        checked.append((photo, kind))
    case = (
        EnforcementCase.objects.select_related("court", "handler")
        .filter(number=data.case_number.strip(), status__in=OPEN_STATUSES)
        .first()
    )
    if case is None:
        raise ServiceError(UNKNOWN_CASE, field="case_number")
    return case, checked


def submit(data: TipData) -> Tip:
    """Register a public tip-off (no login). Returns the tip; its `reference` is told to the reporter."""
    case, photos = _clean(data)
    now = timezone.now()
    due = rules_public.tip_due(
        timezone.localdate(), conf.get("tip_action_days"), current_calendar().add_workdays
    )
    with transaction.atomic():
        tip = Tip.objects.create(
            court_id=case.court_id,
            case=case,
            reference=uuid.uuid4().hex[:20],
            kind=data.kind,
            content=data.content.strip(),
            reporter_name=data.reporter_name.strip(),
            reporter_phone="".join(data.reporter_phone.split()),
            received_at=now,
            due_on=due,
        )
        tip.reference = rules_public.reference("JB", now.year, tip.pk)
        tip.save(update_fields=["reference"])
        TipPhoto.objects.bulk_create(
            [
                TipPhoto(
                    tip=tip,
                    content_type=kind,
                    content=photo.data,
                    size=len(photo.data),
                    sha256=hashlib.sha256(photo.data).hexdigest(),
                )
                for photo, kind in photos
            ]
        )
        audit.record(
            None,
            "portal.tip_submit",
            object_type="portal.Tip",
            object_id=tip.pk,
            case_id=case.pk,
            court=case.court,
            after={"reference": tip.reference, "kind": tip.kind, "photos": len(photos), "due_on": due},
        )
        url = reverse("portal_case", args=[case.pk])
        notify(
            case.handler,
            "portal.tip",
            f"{case.number}收到举报线索{tip.reference}（{tip.get_kind_display()}），请于{due:%Y-%m-%d}前核查",
            url,
            source=f"tip:{tip.pk}",
        )
        transaction.on_commit(lambda: tip_received.send(sender=Tip, tip=tip))
    return tip


def _own_tip(actor: Any, tip_id: int) -> Tip:
    tip = Tip.objects.select_for_update(of=("self",)).select_related("court").filter(pk=tip_id).first()
    if tip is None or not access_public.may_handle(actor, tip.court):
        raise NotPermitted("只有本院承办法官、法官助理或执行局局长可以办理举报线索")
    return tip


def act(actor: Any, tip_id: int, note: str) -> Tip:
    """The handler records what was done about a new tip (核查)."""
    note = note.strip()
    if not note:
        raise ServiceError("请填写核查情况（采取了哪些措施）", field="note")
    if len(note) > 500:
        raise ServiceError("核查情况不超过500字", field="note")
    with transaction.atomic():
        tip = _own_tip(actor, tip_id)
        if tip.status != Tip.Status.NEW:
            raise Conflict("该线索已核查，不能重复登记", field="note")
        tip.status, tip.acted_at, tip.acted_by, tip.action_note = (
            Tip.Status.ACTED,
            timezone.now(),
            actor,
            note,
        )
        tip.save(update_fields=["status", "acted_at", "acted_by", "action_note"])
        audit.record(
            actor,
            "portal.tip_act",
            object_type="portal.Tip",
            object_id=tip.pk,
            case_id=tip.case_id,
            court=tip.court,
            before={"status": "new"},
            after={"status": "acted", "note": note},
        )
    return tip


def close(actor: Any, tip_id: int, outcome: str) -> Tip:
    """Close an acted-on tip with its outcome (据此执行到位 makes it eligible for the case's reward)."""
    if outcome not in (Tip.Outcome.RECOVERED, Tip.Outcome.USEFUL, Tip.Outcome.USELESS):
        raise ServiceError("请选择办结结果", field="outcome")
    with transaction.atomic():
        tip = _own_tip(actor, tip_id)
        if tip.status != Tip.Status.ACTED:
            raise Conflict("线索须先登记核查情况才能办结", field="outcome")
        tip.status, tip.outcome, tip.closed_at = Tip.Status.CLOSED, outcome, timezone.now()
        tip.save(update_fields=["status", "outcome", "closed_at"])
        audit.record(
            actor,
            "portal.tip_close",
            object_type="portal.Tip",
            object_id=tip.pk,
            case_id=tip.case_id,
            court=tip.court,
            before={"status": "acted"},
            after={"status": "closed", "outcome": outcome},
        )
    return tip


def public_summary(tip: Tip) -> str:
    """A tip's content as shown outside the handler's page (e.g. alerts): identifiers masked."""
    return redact(tip.content)[:120]
