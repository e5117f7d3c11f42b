"""E-service (电子送达): record a party's confirmed address, serve a document on it, record opening.

* `confirm_address` records the 送达地址确认书 of one party of a case (phone, e-mail, portal, postal).
* `serve` serves a stored document on a party: the channels their address allows, in `CHANNEL_ORDER`;
  the first channel's message is queued (`Delivery`), `dispatch.run_once` sends it, and a channel that
  fails falls back to the next (`dispatch`). Serving the same document on the same party twice
  returns the first service (idempotent).
* `record_opened` stamps the first opening of a served document (the party portal calls it).
* `enqueue` queues any other party-facing message (node push, sign-in code) on the same outbox.

Parties are looked up by model name (`cases.Party`): this capability imports no domain.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court

from .models import CHANNEL_ORDER, Channel, Delivery, Document, Service, ServiceAddress

MOBILE = re.compile(r"^1[3-9]\d{9}$")
SERVICE_KINDS_TEXT = "您有一份法院文书待查收"


def party_of(case: Any, party_id: int) -> Any:
    """The party `party_id` of `case`, or a clear error naming the field."""
    party = apps.get_model("cases", "Party").objects.filter(case_id=case.pk, pk=party_id).first()
    if party is None:
        raise ServiceError("该当事人不属于本案", field="party")
    return party


def _may_serve(actor: Any, case: Any) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件的送达；上级法院只能查看")


def channels_of(addr: ServiceAddress) -> list[str]:
    """The electronic channels a confirmed address allows, in the order a service tries them."""
    if not addr.electronic_consent:
        return []
    have = {Channel.PORTAL: addr.portal and bool(addr.phone), Channel.SMS: bool(addr.phone)}
    have[Channel.EMAIL] = bool(addr.email)
    return [str(c) for c in CHANNEL_ORDER if have[c]]


def confirm_address(
    actor: Any,
    case: Any,
    party_id: int,
    *,
    phone: str = "",
    email: str = "",
    portal: bool = False,
    postal_address: str = "",
    electronic_consent: bool = False,
    confirmed_on: date | None = None,
) -> ServiceAddress:
    """Record (or replace) the party's 送达地址确认书. Bad input names the field and changes nothing."""
    _may_serve(actor, case)
    party_of(case, party_id)
    phone, email, postal_address = phone.strip(), email.strip(), postal_address.strip()
    on = confirmed_on or timezone.localdate()
    if phone and not MOBILE.match(phone):
        raise ServiceError("手机号码应为11位大陆手机号", field="phone")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ServiceError("电子邮箱格式不正确", field="email") from exc
    if portal and not phone:
        raise ServiceError("门户送达需要手机号码（用于登录）", field="phone")
    if electronic_consent and not (phone or email):
        raise ServiceError("同意电子送达须至少填写手机号码或电子邮箱", field="electronic_consent")
    if len(postal_address) > 200:
        raise ServiceError("邮寄地址不能超过200字", field="postal_address")
    if on > timezone.localdate():
        raise ServiceError("确认日期不能晚于今天", field="confirmed_on")
    values = {
        "phone": phone,
        "email": email,
        "portal": portal,
        "postal_address": postal_address,
        "electronic_consent": electronic_consent,
        "confirmed_on": on,
        "recorded_by": actor if getattr(actor, "pk", None) else None,
    }
    with transaction.atomic():
        addr, created = ServiceAddress.objects.update_or_create(
            case_id=case.pk, party_id=party_id, defaults=values
        )
        audit.record(
            actor,
            "document.address_confirm",
            object_type="service_address",
            object_id=addr.pk,
            case_id=case.pk,
            after={"party": party_id, "channels": channels_of(addr), "on": on, "new": created},
            court=case.court,
        )
    return addr


def address_of(case_id: int, party_id: int) -> ServiceAddress | None:
    return ServiceAddress.objects.filter(case_id=case_id, party_id=party_id).first()


def new_key(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


def link_path(token: str) -> str:
    """The party portal's page for one served document (the link in the SMS and the e-mail)."""
    return reverse("party_document_link", args=[token])


def delivery_for(service: Service, channel: str, addr: ServiceAddress, title: str, now: datetime) -> Delivery:
    """The (unsaved) message that serves `service` on `channel`."""
    token = secrets.token_urlsafe(24)
    address = addr.email if channel == Channel.EMAIL else (addr.phone if channel == Channel.SMS else "")
    text = f"【人民法院】{service.party_name}：{SERVICE_KINDS_TEXT}《{title}》，请点击查阅："
    return Delivery(
        purpose=Delivery.Purpose.SERVICE,
        service=service,
        case_id=service.case_id,
        court_id=None,
        party_id=service.party_id,
        source=f"document:{service.document_id}",
        channel=channel,
        address=address,
        subject=f"法院文书送达：{title}"[:120],
        text=text[:400],
        token=token,
        key=new_key("sv"),
        due_at=now,
    )


def serve(actor: Any, document: Document, party_id: int) -> Service:
    """Serve `document` on the party by the address they confirmed; returns the (possibly existing)
    service. Refused without a confirmed address that consents to e-service."""
    case = document.case
    _may_serve(actor, case)
    party = party_of(case, party_id)
    addr = address_of(case.pk, party_id)
    if addr is None:
        raise ServiceError(f"{party.name}尚未签署送达地址确认书", field="party")
    channels = channels_of(addr)
    if not channels:
        raise ServiceError(f"{party.name}未同意电子送达或未留有电子地址，请采用其他方式送达", field="party")
    existing = Service.objects.filter(document=document, party_id=party_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            svc = Service.objects.create(
                document=document,
                case_id=case.pk,
                party_id=party_id,
                party_name=party.name[:128],
                channels=channels,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            d = delivery_for(svc, channels[0], addr, document.title, now)
            d.court_id = case.court_id
            d.save()
            audit.record(
                actor,
                "document.serve",
                object_type="document",
                object_id=document.pk,
                case_id=case.pk,
                after={"party": party_id, "channels": channels, "title": document.title},
                court=case.court,
            )
    except IntegrityError:  # a concurrent click served it first
        found = Service.objects.filter(document=document, party_id=party_id).first()
        if found is None:
            raise
        return found
    return svc


def serve_all(actor: Any, document: Document, role: str = "") -> list[Service]:
    """Serve on every party of the case (of `role`, if given) whose address consents; the others are
    skipped (they are served by other means)."""
    parties = apps.get_model("cases", "Party").objects.filter(case_id=document.case_id)
    if role:
        parties = parties.filter(role=role)
    done = []
    for p in parties.order_by("pk"):
        addr = address_of(document.case_id, p.pk)
        if addr is not None and channels_of(addr):
            done.append(serve(actor, document, p.pk))
    if not done:
        raise Conflict("没有同意电子送达的当事人，请先登记送达地址确认书", field="party")
    return done


def record_opened(delivery: Delivery, *, now: datetime | None = None) -> bool:
    """The party opened the served document: stamp the delivery and its service (first opening only).

    True when this was the first opening. An opening before delivery was recorded (the portal shows a
    served document as soon as it is queued) also proves delivery, and counts as it."""
    now = now or timezone.now()
    from . import dispatch  # the delivered-state writer

    with transaction.atomic():
        d = Delivery.objects.select_for_update(of=("self",)).select_related("service").get(pk=delivery.pk)
        if d.opened_at is not None:
            return False
        if d.delivered_at is None:
            dispatch.mark_delivered([d], now)
        d.opened_at = now
        d.save(update_fields=["opened_at"])
        svc = d.service
        if svc is not None and svc.opened_at is None:
            svc.opened_at = now
            svc.save(update_fields=["opened_at"])
        audit.record(
            None,
            "document.opened",
            object_type="document",
            object_id=svc.document_id if svc else d.source,
            case_id=d.case_id,
            after={"party": d.party_id, "channel": d.channel, "at": now},
        )
    return True


def enqueue(
    purpose: str,
    items: list[dict[str, Any]],
    *,
    now: datetime | None = None,
) -> int:
    """Queue party-facing messages (node pushes, sign-in codes): each item has `channel`, `address`,
    `text`, and optionally `case_id`, `court_id`, `party_id`, `source`, `subject`, `key` (a stable key
    makes a repeated enqueue a no-op). Returns how many were offered."""
    now = now or timezone.now()
    rows = [
        Delivery(
            purpose=purpose,
            case_id=i.get("case_id"),
            court_id=i.get("court_id"),
            party_id=i.get("party_id"),
            source=str(i.get("source", ""))[:64],
            channel=i["channel"],
            address=str(i.get("address", ""))[:254],
            subject=str(i.get("subject", ""))[:120],
            text=str(i["text"])[:500],
            key=str(i.get("key") or new_key(purpose[:2]))[:64],
            due_at=now,
            **(
                {"status": Delivery.Status.DELIVERED, "delivered_at": now, "sent_at": now}
                if i["channel"] == Channel.PORTAL
                else {}
            ),
        )
        for i in items
    ]
    # A portal message is there as soon as it is written: delivered on creation, nothing to send.
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
