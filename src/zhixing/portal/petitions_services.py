"""Petitions (信访): registered from the public form or at the counter, routed, answered by their due day.

Routing: to the case's handler; a case not yet assigned goes to the court's director (the first active
one). The due day is `rules_public.petition_due` on the working-day calendar (`conf`
``petition_answer_workdays``; rule R-10.2p).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.notify import notify
from zhixing.courts.queries import directors_of

from . import access_public, conf, rules_public
from .models import Petition

UNKNOWN_CASE = "案号有误，未找到该执行案件"


@dataclass(frozen=True)
class PetitionData:
    case_number: str
    petitioner_name: str
    petitioner_phone: str
    content: str


def _clean(data: PetitionData) -> EnforcementCase:
    limit = conf.get("text_max_chars")
    content = data.content.strip()
    if not content:
        raise ServiceError("请填写信访事项", field="content")
    if len(content) > limit:
        raise ServiceError(f"信访事项共{len(content)}字，超过{limit}字的上限", field="content")
    if not data.petitioner_name.strip() or len(data.petitioner_name) > 64:
        raise ServiceError("请填写信访人姓名（64字以内）", field="petitioner_name")
    phone = "".join(data.petitioner_phone.split())
    if not phone.isdigit() or not 7 <= len(phone) <= 20:
        raise ServiceError("请填写可联系的电话号码（7至20位数字）", field="petitioner_phone")
    case = (
        EnforcementCase.objects.select_related("court", "handler")
        .filter(number=data.case_number.strip())
        .first()
    )
    if case is None:
        raise ServiceError(UNKNOWN_CASE, field="case_number")
    return case


# rule
def register(actor: Any, data: PetitionData, *, source: str = Petition.Source.PUBLIC) -> Petition:
    """Register a petition (actor None: the public form; a staff member: the counter)."""
    case = _clean(data)
    if source == Petition.Source.COUNTER and not access_public.may_register(actor, case.court):
        raise NotPermitted("只能登记本院案件的来访信访")
    received = timezone.localdate()
    due = rules_public.petition_due(
        received, conf.get("petition_answer_workdays"), current_calendar().add_workdays
    )
    routed = case.handler if case.handler_id else next(iter(directors_of(case.court_id)), None)
    with transaction.atomic():
        row = Petition.objects.create(
            court_id=case.court_id,
            case=case,
            reference=uuid.uuid4().hex[:20],
            source=source,
            petitioner_name=data.petitioner_name.strip(),
            petitioner_phone="".join(data.petitioner_phone.split()),
            content=data.content.strip(),
            routed_to=routed,
            received_on=received,
            due_on=due,
            registered_by=actor,
        )
        row.reference = rules_public.reference("XF", received.year, row.pk)
        row.save(update_fields=["reference"])
        audit.record(
            actor,
            "portal.petition_register",
            object_type="portal.Petition",
            object_id=row.pk,
            case_id=case.pk,
            court=case.court,
            after={
                "reference": row.reference,
                "source": source,
                "routed_to": routed.pk if routed else None,
                "due_on": due,
            },
        )
        notify(
            routed,
            "portal.petition",
            f"{case.number}收到信访{row.reference}，请于{due:%Y-%m-%d}前答复",
            reverse("portal_petitions"),
            source=f"petition:{row.pk}",
        )
    return row


def answer(actor: Any, petition_id: int, text: str) -> Petition:
    text = text.strip()
    if not text:
        raise ServiceError("请填写答复内容", field="answer")
    if len(text) > conf.get("text_max_chars"):
        raise ServiceError(f"答复内容不超过{conf.get('text_max_chars')}字", field="answer")
    with transaction.atomic():
        row = (
            Petition.objects.select_for_update(of=("self",))
            .select_related("court")
            .filter(pk=petition_id)
            .first()
        )
        if row is None or not access_public.may_answer(actor, row):
            raise NotPermitted("只有信访的办理人或执行局局长可以答复")
        if row.status != Petition.Status.OPEN:
            raise Conflict("该信访已答复", field="answer")
        row.status, row.answer, row.answered_on, row.answered_by = (
            Petition.Status.ANSWERED,
            text,
            timezone.localdate(),
            actor,
        )
        row.save(update_fields=["status", "answer", "answered_on", "answered_by"])
        audit.record(
            actor,
            "portal.petition_answer",
            object_type="portal.Petition",
            object_id=row.pk,
            case_id=row.case_id,
            court=row.court,
            before={"status": "open"},
            after={
                "status": "answered",
                "on_time": rules_public.answered_on_time(row.due_on, row.answered_on),
            },
        )
    return row
