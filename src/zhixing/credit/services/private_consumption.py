"""Approved private / necessary consumption (限制消费规定 Arts 3(2), 8): the decision and the scan
that opens and closes its window in the screening register."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError

from .. import rules
from ..models import PrivateConsumption, Restriction
from .access import require_write
from .register import refresh_subject


def decide_private_consumption(
    actor: Any,
    restriction: Restriction,
    *,
    applied_on: date,
    purpose: str,
    granted: bool,
    reason: str,
    codes: list[str] | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> PrivateConsumption:
    """Decide an application to consume with personal property (Art 3(2)) or for necessities (Art 8).

    # rule: R-3.4.2
    A granted application naming screening `codes` (e.g. ``flight`` for a medical flight) and a window
    frees those codes of this restriction in the screening register for the window: partners answer
    "free" from its first day (now, or by the periodic scan) until the scan closes it after its last day.
    """
    require_write(actor, restriction.court)
    if restriction.kind != Restriction.Kind.CONSUMPTION or restriction.status != Restriction.Status.ACTIVE:
        raise Conflict("只能对生效中的限制消费令审查消费申请", field="restriction")
    if not purpose.strip() or not reason.strip():
        raise ServiceError("请填写消费事项和决定理由", field="purpose" if not purpose.strip() else "reason")
    today = timezone.localdate()
    if applied_on > today:
        raise ServiceError("申请日期不能晚于今天", field="applied_on")
    codes = sorted(set(codes or [])) if granted else []
    field, message = rules.private_codes_refusal(restriction.items, codes, valid_from, valid_until)
    if field:
        raise ServiceError(message, field=field)
    state = ""
    if codes and valid_from is not None and valid_until is not None:
        state = rules.private_window_state(valid_from, valid_until, today)
    with transaction.atomic():
        pc = PrivateConsumption.objects.create(
            restriction=restriction,
            applied_on=applied_on,
            purpose=purpose.strip()[:200],
            granted=granted,
            reason=reason.strip()[:200],
            decided_on=today,
            codes=codes,
            valid_from=valid_from if codes else None,
            valid_until=valid_until if codes else None,
            window_state=state,
        )
        audit.record(
            actor,
            "credit.private_consumption",
            object_type="PrivateConsumption",
            object_id=pc.pk,
            case_id=restriction.case_id,
            after={
                "purpose": pc.purpose,
                "granted": granted,
                "reason": pc.reason,
                "codes": codes,
                "valid_from": pc.valid_from,
                "valid_until": pc.valid_until,
            },
        )
        if state == "applied":
            refresh_subject(restriction.subject_key, today)
    return pc


def scan_private_windows(today: date) -> int:
    """Periodic scan: approved consumption windows that began or ended enter or leave the register.

    # rule: R-3.4.2
    Returns the number of windows whose state changed. Idempotent: `refresh_subject` appends a change
    event only when a subject's mask actually changes."""
    changed = 0
    due = list(
        PrivateConsumption.objects.filter(granted=True, window_state__in=("pending", "applied"))
        .exclude(codes=[])
        .select_related("restriction")
    )
    for pc in due:
        assert pc.valid_from is not None and pc.valid_until is not None
        state = rules.private_window_state(pc.valid_from, pc.valid_until, today)
        if state == pc.window_state:
            continue
        with transaction.atomic():
            pc.window_state = state
            pc.save(update_fields=["window_state"])
            refresh_subject(pc.restriction.subject_key, today)
            audit.record(
                None,
                "credit.private_window",
                object_type="PrivateConsumption",
                object_id=pc.pk,
                case_id=pc.restriction.case_id,
                after={"window_state": state, "codes": pc.codes},
            )
        changed += 1
    return changed
