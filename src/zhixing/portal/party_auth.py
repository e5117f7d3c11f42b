"""Party portal sign-in: a code to the phone through the SMS partner, checked with limits.

* `request_code(phone, client)` — rate-limited per phone and per client address (before any write);
  a phone that is on no case gets the same answer and no text (the page reveals nothing about who is a
  party). The code's text goes through the e-service outbox (`documents.Delivery`, purpose "code") and
  is sent at once.
* `sign_in(phone, code, client)` — the newest code of the phone, counted per try; a wrong or expired
  code changes nothing else. Success returns the phone; the view keeps it in the session.
* `identities(phone)` — every (case, party) the phone belongs to: the party's own phone on file, or the
  phone of a confirmed service address. These are the only cases the portal shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.cases.models import Party
from zhixing.core import audit
from zhixing.core.errors import ServiceError
from zhixing.core.ratelimit import hit_rate_limit
from zhixing.documents import dispatch, eservice
from zhixing.documents.models import Channel, Delivery, ServiceAddress

from . import party_rules as rules
from .models import PortalCode


def option(name: str) -> Any:
    return settings.ZHIXING_ESERVICE[name]


@dataclass(frozen=True)
class Identity:
    case_id: int
    party_id: int
    role: str
    name: str


def identities(phone: str) -> list[Identity]:
    """The (case, party) pairs of this phone, by case then party (two queries)."""
    if not phone:
        return []
    via_address = ServiceAddress.objects.filter(phone=phone).values_list("party_id", flat=True)
    parties = Party.objects.filter(Q(phone=phone) | Q(pk__in=list(via_address))).order_by("case_id", "pk")
    return [Identity(p.case_id, p.pk, p.role, p.name) for p in parties]


def request_code(raw_phone: str, client: str) -> str:
    """Send a sign-in code; returns the normalised phone. Errors name the field."""
    phone = rules.normalise_phone(raw_phone)
    if not phone:
        raise ServiceError("请输入11位手机号码", field="phone")
    window = int(option("code_window"))
    hit_rate_limit("party-code-phone", phone, int(option("code_per_phone")), window)
    hit_rate_limit("party-code-client", client, int(option("code_per_client")), window)
    if not identities(phone):
        return phone  # same answer, no text: whether a phone is a party's is not disclosed
    code = rules.new_code()
    now = timezone.now()
    with transaction.atomic():
        row = PortalCode.objects.create(
            phone=phone,
            code_hash=rules.code_hash(settings.SECRET_KEY, phone, code),
            expires_at=now + timedelta(minutes=int(option("code_minutes"))),
        )
        key = f"pc-{row.pk}"
        eservice.enqueue(
            Delivery.Purpose.CODE,
            [
                {
                    "channel": Channel.SMS,
                    "address": phone,
                    "text": f"【人民法院】您的执行案件当事人门户登录验证码为{code}，"
                    f"{int(option('code_minutes'))}分钟内有效。如非本人操作请忽略。",
                    "key": key,
                    "source": f"portal_code:{row.pk}",
                }
            ],
            now=now,
        )
        audit.record(
            None, "portal.code_request", object_type="portal_code", object_id=row.pk, after={"client": client}
        )
    dispatch.send_now([key])
    return phone


def sign_in(raw_phone: str, code: str, client: str) -> str:
    """Check the code of the phone; returns the phone on success. Every try counts."""
    phone = rules.normalise_phone(raw_phone)
    if not phone:
        raise ServiceError("请输入11位手机号码", field="phone")
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        row = PortalCode.objects.select_for_update().filter(phone=phone).order_by("-id").first()
        if row is None:
            raise ServiceError("请先获取验证码", field="code")
        problem = rules.code_problem(
            expires_at=row.expires_at,
            used=row.used_at is not None,
            tries=row.tries,
            max_tries=int(option("code_tries")),
            now=now,
        )
        if problem:
            raise ServiceError(problem, field="code")
        row.tries += 1
        ok = rules.matches(settings.SECRET_KEY, phone, code, row.code_hash)
        if ok:
            row.used_at = now
        row.save(update_fields=["tries", "used_at"])
        seen = {"client": client, "tries": row.tries}
        if ok:
            audit.record(None, "portal.sign_in", object_type="portal_code", object_id=row.pk, after=seen)
        else:
            audit.record(
                None, "portal.sign_in_failed", object_type="portal_code", object_id=row.pk, after=seen
            )
    if not ok:
        raise ServiceError("验证码不正确", field="code")
    return phone
