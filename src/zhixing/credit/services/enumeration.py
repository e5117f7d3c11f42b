"""Enumeration detection: a partner walking through ID numbers is flagged and the administrators told.

Per screening call (:func:`observe`, called by `audit_screening` before its transaction): the IDs asked
and the hits are added to per-partner counters of the current window in the shared store
(`zhixing.core.ratelimit`: Redis or the database cache, one store for every worker, counted
atomically), and up to `sample_size` recent resident-ID bodies are kept there too. The pure rule
(`rules.enumeration_signals`) judges them. When it trips, once per partner per day: an audit record
``screening.enumeration_alert`` and a notification to every active administrator (superuser or staff),
and the partner admin list shows the alert (:func:`recent_alerts`).

The sample is read and written without a lock: two workers writing at once may lose a few IDs of the
sample (never a counted ID); the rule reads a share, so it is not affected by that.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.models import AuditRecord
from zhixing.core.notify import notify_all
from zhixing.core.ratelimit import count_hit, store, store_unavailable, window_key

from .. import rules
from ..models import Partner

log = logging.getLogger(__name__)
ACTION = "screening.enumeration_alert"
NOTIFY_KIND = "screening_enumeration"
ALERT_SHOWN_DAYS = 7  # how long the partner list shows an alert


def thresholds() -> rules.EnumerationThresholds:
    """`rules.EnumerationThresholds` with the deployment's overrides (`settings.ZHIXING_ENUMERATION`)."""
    return rules.EnumerationThresholds(**getattr(settings, "ZHIXING_ENUMERATION", {}))


def sample_size() -> int:
    """How many resident IDs of a call the detector reads (callers may pass just these)."""
    return thresholds().sample_size


def _sample_key(partner: Partner, t: rules.EnumerationThresholds) -> str:
    return window_key("enum-ids", str(partner.pk), t.window_seconds)


def observe(partner: Partner, asked: int, hits: int, ids: Iterable[str] = ()) -> tuple[str, ...]:
    """Count one screening call of `partner` and alert when the window looks like enumeration.

    `ids` are the resident IDs asked (a sample is enough: only the first `sample_size` are read).
    Returns the reasons tripped (empty when none). Call outside a transaction (counts must survive).
    """
    if asked <= 0:
        return ()
    try:
        return _observe(partner, asked, hits, ids)
    except store_unavailable():
        # The detector watches; it must not fail the partner's answer or its audit record when the shared
        # store is down (Redis restarting): this call goes unjudged, like an uncounted rate-limit hit.
        log.warning("enumeration detector skipped a call: shared store unreachable", exc_info=True)
        return ()


def _observe(partner: Partner, asked: int, hits: int, ids: Iterable[str]) -> tuple[str, ...]:
    t = thresholds()
    ident = str(partner.pk)
    total = count_hit("enum-asked", ident, t.window_seconds, n=asked)
    # Hits are counted only when there are some, and read only when the miss ratio can be judged:
    # most calls cost one counter write here.
    if hits:
        found = count_hit("enum-hits", ident, t.window_seconds, n=hits)
    elif total >= t.min_sample:
        found = int(store().get(window_key("enum-hits", ident, t.window_seconds)) or 0)
    else:
        found = 0
    bodies: list[int] = []
    for number in ids:
        body = rules.id_body(number)
        if body is not None:
            bodies.append(body)
            if len(bodies) >= t.sample_size:
                break
    cache = store()
    key = _sample_key(partner, t)
    recent: list[int] = cache.get(key) or []
    if bodies:
        recent = (recent + bodies)[-t.sample_size :]
        cache.set(key, recent, timeout=t.window_seconds + 5)
    reasons, share = rules.enumeration_signals(total, found, recent, t)
    if reasons:
        _alert(partner, reasons, total, found, share)
    return reasons


def administrators() -> list[Any]:
    """Every active superuser or staff member (those who run the partner accounts)."""
    users = get_user_model().objects.filter(Q(is_superuser=True) | Q(is_staff=True), is_active=True)
    return list(users.order_by("pk"))


def _alert(partner: Partner, reasons: tuple[str, ...], asked: int, hits: int, share: float) -> None:
    """Audit and notify once per partner per day (the first worker to claim the day's key does it)."""
    today = timezone.localdate()
    if not store().add(f"zx:enum:alerted:{partner.pk}:{today.isoformat()}", 1, timeout=2 * 86400):
        return
    words = "、".join(rules.ENUMERATION_REASONS[r] for r in reasons)
    with transaction.atomic():
        audit.record(
            None,
            "screening.enumeration_alert",  # == ACTION, spelt out for the audit-catalogue scan
            object_type="Partner",
            object_id=partner.pk,
            after={
                "partner": partner.name,
                "reasons": list(reasons),
                "asked": asked,
                "hits": hits,
                "sequential_share": round(share, 3),
            },
        )
        notify_all(
            administrators(),
            NOTIFY_KIND,
            f"疑似枚举查询：{partner.name}（{words}；本时段核查{asked}个、命中{hits}个）",
            f"/admin/credit/partner/{partner.pk}/change/",
            source=f"enumeration:{partner.pk}:{today.isoformat()}",
            once=True,
        )


def recent_alerts(partner_ids: Iterable[int]) -> dict[int, AuditRecord]:
    """The latest enumeration alert of each partner in the last ALERT_SHOWN_DAYS days, by partner id."""
    since = timezone.now() - timedelta(days=ALERT_SHOWN_DAYS)
    rows = AuditRecord.objects.filter(
        action=ACTION, object_type="Partner", object_id__in=[str(i) for i in partner_ids], at__gte=since
    ).order_by("at", "pk")
    return {int(r.object_id): r for r in rows}
