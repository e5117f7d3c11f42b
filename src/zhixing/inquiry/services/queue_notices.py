"""An institution telling the platform that a seizure it holds moved up the 轮候 queue (or took effect).

The prior control may be one the platform does not know (another court's seizure at the registry), so
the institution's word is what moves the queue then (查封规定 Art 26, rules.md §6.1). A notice arrives on
the signed callback (`{"partner", "notices": [...]}`, docs/partner-protocol.md) and names the seizure by
the idempotency key of the platform's own seize request. Applying is idempotent and monotone: a rank
only falls while a seizure is held, so a repeated or stale notice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Action, Asset, InquiryRequest, Partner
from . import expiry

KINDS = ("queue_advanced",)


class NoticeError(ValueError):
    """A notice the platform cannot accept (malformed, or naming a seizure it never asked for)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class QueueNotice:
    request: str  # idempotency key of the platform's seize request
    rank: int
    effective_on: date | None


def parse(items: Any, today: date) -> list[QueueNotice]:
    """Validate the notices; any bad one refuses the whole message (the institution sends it again)."""
    if not isinstance(items, list) or not items:
        raise NoticeError("通知内容格式错误")
    out = []
    for item in items:
        try:
            if item.get("kind") not in KINDS:
                raise ValueError
            key = item["request"]
            rank = item["rank"]
            if not isinstance(key, str) or not key or isinstance(rank, bool) or not isinstance(rank, int):
                raise ValueError
            if rank < 1:
                raise ValueError
            day = date.fromisoformat(item["effective_on"]) if item.get("effective_on") else None
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise NoticeError("通知内容格式错误") from exc
        # A day after the platform's own date is a clock difference: the control takes effect today.
        out.append(QueueNotice(key, rank, min(day, today) if day else None))
    return out


def apply_queue_notices(partner: Partner, items: Sequence[Any]) -> int:
    """Apply the notices of one message; returns how many changed a seizure (the rest were no news)."""
    today = timezone.localdate()
    notices = parse(items, today)
    keys = {n.request for n in notices}
    with transaction.atomic():
        reqs = {
            r.idempotency_key: r.asset_id
            for r in InquiryRequest.objects.filter(
                idempotency_key__in=keys, partner=partner, action=Action.SEIZE, asset__isnull=False
            )
        }
        if set(reqs) != keys:
            raise NoticeError("通知包含本平台未发出的查封请求", status=404)
        assets = {
            a.pk: a
            for a in Asset.objects.select_for_update(of=("self",))
            .filter(pk__in=set(reqs.values()))
            .select_related("category")
            .order_by("pk")
        }
        changed = 0
        for n in notices:
            asset = assets[int(reqs[n.request] or 0)]
            changed += expiry.set_rank(
                asset,
                n.rank,
                n.effective_on or today,
                why=f"{partner.name}通知前手控制措施已解除",
                source=partner.code,
            )
    return changed
