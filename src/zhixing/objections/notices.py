"""Telling the parties of an objection (执行异议复议规定 Art 2) and serving its ruling.

* `notify_filing` runs in the filing's transaction: every party of the case whose 送达地址确认书 consents to
  electronic service gets a message on the first channel it allows (the documents outbox, `eservice.enqueue`:
  a portal message is there at once, an SMS / e-mail is sent by the dispatcher); an objector who is not a
  party (利害关系人) gets an SMS at the phone given. The case's handler is told in-app. When anyone was
  told electronically the notice is recorded as sent today; otherwise the clerk tells them by other means
  and records it (`record_notice`). A notice not recorded by `notify_due` is overdue on the supervision
  pages and in the worklist.
* `serve_ruling` runs in the ruling's transaction: the ruling (执行裁定书) is served electronically on every
  consenting party (`eservice.serve`), and `service_due` says by when it must reach the objector
  (configuration `ZHIXING_OBJECTIONS["ruling_service_days"]`, default 5: rules.md gives no figure).
* `on_document_served` (documents' `document_served` signal): the ruling reaching the objector's system is
  its service (CPL-2023 Art 90); it starts the 10-day 复议 window (Art 236) or the 15-day suit window
  (Art 238) as a service recorded by hand does.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.parties import Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.notify import notify
from zhixing.documents import eservice
from zhixing.documents.service_models import Channel, Delivery

from . import access, rules
from .models import Objection
from .services import start_service_windows
from .services.inputs import _date, _text

log = logging.getLogger("zhixing.objections.notices")
CHANNEL_WORDS = {"portal": "门户消息", "sms": "短信", "email": "电子邮件"}


def ruling_service_days() -> int:
    """Days after the ruling by which it should reach the objector (UNCONFIRMED: rules.md gives no figure;
    `ZHIXING_OBJECTIONS["ruling_service_days"]`, default 5)."""
    return int(getattr(settings, "ZHIXING_OBJECTIONS", {}).get("ruling_service_days", 5))


def _text_of(obj: Objection) -> str:
    return (
        f"【人民法院】{obj.case.number}：{obj.objector_name}"
        f"对{obj.act_label or obj.asset or '执行标的'}提出的执行异议已立案"
        f"（{obj.number}），法院将在{obj.decision_due:%Y年%m月%d日}前审查并作出裁定。"
    )


# rule
def notify_filing(actor: Any, obj: Objection) -> str:
    """Tell the parties and the objector of a filing (inside the filing's transaction); the channels used,
    in words ("" = nobody could be told electronically). The notice counts as sent (`notified_on`) only
    when everyone was reached; otherwise `notice_method` names who was not, and the clerk tells them by
    other means and records it (`record_notice`)."""
    text = _text_of(obj)
    items: list[dict[str, Any]] = []
    untold: list[str] = []
    for party in Party.objects.filter(case_id=obj.case_id).order_by("pk"):
        addr = eservice.address_of(obj.case_id, party.pk)
        channels = eservice.channels_of(addr) if addr is not None else []
        if not channels:
            untold.append(party.name)
            continue
        channel = channels[0]
        assert addr is not None
        address = addr.email if channel == Channel.EMAIL else (addr.phone if channel == Channel.SMS else "")
        items.append(
            {
                "channel": channel,
                "address": address,
                "text": text,
                "case_id": obj.case_id,
                "court_id": obj.court_id,
                "party_id": party.pk,
                "source": f"objection:{obj.pk}",
                "subject": f"执行异议立案通知 {obj.number}",
                "key": f"objn-{obj.pk}-{party.pk}",
            }
        )
    outsider_phone = eservice.MOBILE.match(obj.objector_phone or "")
    if obj.objector_party_id is None and not outsider_phone:
        untold.append(obj.objector_name)
    if obj.objector_party_id is None and outsider_phone:
        items.append(
            {
                "channel": Channel.SMS,
                "address": obj.objector_phone,
                "text": text,
                "case_id": obj.case_id,
                "court_id": obj.court_id,
                "source": f"objection:{obj.pk}",
                "key": f"objn-{obj.pk}-objector",
            }
        )
    if obj.case.handler_id:
        notify(
            obj.case.handler,
            "objection_filed",
            f"{obj.case.number}有新的执行异议{obj.number}，{obj.decision_due:%m月%d日}前须审查",
            reverse("objection_detail", args=[obj.pk]),
            source=f"objection:{obj.pk}",
        )
    if not items:
        return ""
    eservice.enqueue(Delivery.Purpose.NODE_PUSH, items)
    counts: dict[str, int] = {}
    for i in items:
        counts[str(i["channel"])] = counts.get(str(i["channel"]), 0) + 1
    method = "、".join(f"{CHANNEL_WORDS[c]}{n}人" for c, n in counts.items())
    if untold:  # Art 2 wants everyone told: the notice is complete only when the clerk records the rest
        obj.notice_method = f"已电子通知：{method}；未能电子通知：{'、'.join(untold)}"[:200]
        obj.save(update_fields=["notice_method"])
        return method
    obj.notified_on, obj.notice_method = timezone.localdate(), method[:200]
    obj.save(update_fields=["notified_on", "notice_method"])
    audit.record(
        actor,
        "objections.notified",
        object_type="objections.Objection",
        object_id=obj.pk,
        case_id=obj.case_id,
        after={"notified_on": obj.notified_on, "method": obj.notice_method, "late": False},
        court=obj.court,
    )
    return method


# rule
def record_notice(actor: Any, obj: Objection, *, notified_on: Any, method: Any) -> Objection:
    """The clerk told the parties by other means (书面、电话): the date and the way. Refused, naming the
    field: a date before the filing or after today, no method; a notice already recorded is a conflict."""
    if not (access.can_file(actor, obj.court) or access.can_decide(actor, obj.court)):
        raise NotPermitted("只有本院立案人员、执行法官或局长可以登记通知")
    on = _date(notified_on, "notified_on", "通知日期")
    how = _text(method, "notice_method", "通知方式", 200)
    if on > timezone.localdate():
        raise ServiceError("通知日期不能晚于今天", field="notified_on")
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.notified_on is not None:
            raise Conflict(f"已于{obj.notified_on:%Y-%m-%d}通知当事人")
        if on < obj.received_on:
            raise ServiceError("通知日期不能早于收到异议日期", field="notified_on")
        if obj.notice_method:  # keep what the platform already sent electronically
            how = f"{obj.notice_method}；{how}"[:200]
        obj.notified_on, obj.notice_method = on, how
        obj.save(update_fields=["notified_on", "notice_method"])
        audit.record(
            actor,
            "objections.notified",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"notified_on": on, "method": how, "late": on > obj.notify_due},
            court=obj.court,
        )
    return obj


# rule
def serve_ruling(actor: Any, obj: Objection, document: Any, decided_on: date) -> int:
    """Inside the ruling's transaction: its service deadline, and electronic service on every party whose
    address consents (the others are served by hand and recorded). Returns how many were served."""
    obj.service_due = rules.ruling_service_due(decided_on, ruling_service_days(), current_calendar())
    obj.save(update_fields=["service_due"])
    served = 0
    for party in Party.objects.filter(case_id=obj.case_id).order_by("pk"):
        addr = eservice.address_of(obj.case_id, party.pk)
        if addr is None or not eservice.channels_of(addr):
            continue
        try:
            with transaction.atomic():  # a savepoint: one party's refusal leaves the others' services
                eservice.serve(actor, document, party.pk)
        except ServiceError as exc:
            log.warning("ruling %s not served on party %s: %s", document.pk, party.pk, exc.message)
            continue
        served += 1
    return served


# rule
def on_document_served(
    sender: Any, *, document: Any, party_id: int, served_on: Any, actor: Any, **_: Any
) -> None:
    """The ruling reached the objector (a party) electronically: that day is its service."""
    if document.kind != "objection_ruling" or not str(document.source).isdigit():
        return
    obj = Objection.objects.filter(pk=int(document.source), case_id=document.case_id).first()
    if obj is None or obj.served_on is not None or obj.objector_party_id != party_id:
        return
    try:
        with transaction.atomic():
            start_service_windows(actor, obj, served_on, method="electronic")
    except ServiceError as exc:
        log.warning("e-service of ruling %s not recorded: %s", document.pk, exc.message)


def install() -> None:
    from zhixing.documents.events import document_served

    document_served.connect(on_document_served, dispatch_uid="objections.ruling_eservice")
