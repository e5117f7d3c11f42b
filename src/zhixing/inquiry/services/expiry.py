"""Controls over time: warnings before the last day, lapse after it, and 轮候 seizures taking effect.

Rules: SPC-CPL-Interp (2022) Art 485 (terms, renewal before expiry), 查封规定 Art 26 (a queued seizure
takes effect automatically, earliest registration first, when the prior one is lifted) — rules.md §6.1.

The nightly sweep claims due assets in batches through the partial indexes on `control_expires`: every
control entering the warning window gets one `ControlAlert` (unique per asset, level and expiry, so a
repeated or concurrent sweep raises nothing twice), every control past its last day lapses with its
alert in the same transaction (no silent lapse), and the seizures queued behind a lapsed or released
one move up, the first of them taking effect that day with its term counted from then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from zhixing.core import audit

from .. import conf, queries, rules
from ..models import Action, Asset, ControlAlert, InquiryRequest

L = ControlAlert.Level
FUNDS_KINDS = (Asset.Kind.ACCOUNT, Asset.Kind.SECURITIES, Asset.Kind.EQUITY)
QUEUE_STATES = (Asset.State.SEIZED, Asset.State.QUEUED)


@dataclass
class SweepResult:
    warned: int = 0
    lapsed: int = 0
    effective: int = 0


def _alerts(assets: Iterable[Asset], level: str, expires: dict[int, date | None], now: Any) -> int:
    rows = [
        ControlAlert(
            asset_id=a.pk,
            case_id=a.case_id,
            court_id=a.case.court_id,
            handler_id=a.case.handler_id,
            level=level,
            expires_on=day,
            raised_at=now,
        )
        for a in assets
        if (day := expires.get(a.pk)) is not None
    ]
    ControlAlert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def raise_warnings(today: date | None = None, batch: int | None = None) -> int:
    """One WARN alert for every active control whose last day is within the window and not yet warned."""
    today = today or timezone.localdate()
    batch = batch or int(conf.option("term_sweep_batch"))
    until = today + timedelta(days=int(conf.option("warn_days")))
    warned = ControlAlert.objects.filter(
        asset=OuterRef("pk"), level=L.WARN, expires_on=OuterRef("control_expires")
    )
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Asset.objects.filter(
                    state__in=queries.ACTIVE_STATES, control_expires__gte=today, control_expires__lte=until
                )
                .filter(~Exists(warned))
                .select_related("case")
                .order_by("control_expires", "id")[:batch]
            )
            if not rows:
                return total
            made = _alerts(rows, L.WARN, {a.pk: a.control_expires for a in rows}, timezone.now())
            audit.record(
                None,
                "inquiry.control.warned",
                object_type="Asset",
                after={"assets": [[a.pk, a.case_id, a.control_expires] for a in rows]},
            )
            total += made
        if len(rows) < batch:
            return total


def lapse_expired(today: date | None = None, batch: int | None = None) -> int:
    """Controls past their last day lapse (失效), each with a LAPSED alert, in batches; queues move up.

    A control whose renewal is still with the institution is left for the next sweep: the renewal was
    asked before expiry, and its answer decides (a failed renewal lets it lapse then).
    """
    today = today or timezone.localdate()
    batch = batch or int(conf.option("term_sweep_batch"))
    renewing = InquiryRequest.objects.filter(
        asset=OuterRef("pk"), action=Action.RENEW, status__in=queries.IN_FLIGHT
    )
    total = 0
    while True:
        with transaction.atomic():
            rows = list(
                Asset.objects.select_for_update(of=("self",))
                .filter(state__in=queries.ACTIVE_STATES, control_expires__lt=today)
                .filter(~Exists(renewing))
                .select_related("case")
                .order_by("id")[:batch]
            )
            if not rows:
                return total
            lifted = [h for a in rows if (h := holder(a)) is not None]
            Asset.objects.filter(pk__in=[a.pk for a in rows]).update(
                state=Asset.State.LAPSED, seizure_rank=None
            )
            _alerts(rows, L.LAPSED, {a.pk: a.control_expires for a in rows}, timezone.now())
            audit.record(
                None,
                "inquiry.control.lapsed",
                object_type="Asset",
                after={"assets": [[a.pk, a.case_id, a.state, a.control_expires] for a in rows]},
            )
            advance_after_lift(lifted, today)
            total += len(rows)
        if len(rows) < batch:
            return total


def term_sweep(today: date | None = None) -> SweepResult:
    """The nightly run: warnings first (a control expiring today is warned, then lapses tomorrow)."""
    today = today or timezone.localdate()
    before = ControlAlert.objects.filter(level=L.EFFECTIVE).count()
    result = SweepResult(warned=raise_warnings(today), lapsed=lapse_expired(today))
    result.effective = ControlAlert.objects.filter(level=L.EFFECTIVE).count() - before
    return result


# -- 轮候 (queued seizures) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lifted:
    """A seizure leaving the queue of (partner, ref): its place before it left."""

    partner_id: int
    ref: str
    holder: rules.QueueHolder


def holder(asset: Asset) -> Lifted | None:
    """The queue place of a seizure about to be lifted, released or lapsed (None when it holds none)."""
    if asset.state not in QUEUE_STATES or not asset.seizure_rank:
        return None
    return Lifted(
        asset.partner_id, asset.ref, rules.QueueHolder(asset.pk, asset.seizure_rank, asset.registered_on)
    )


def advance_after_lift(lifted: Sequence[Lifted], today: date) -> list[Asset]:
    """Move up the seizures queued on the same assets (any case, any court); the first takes effect.

    Runs inside the caller's transaction (the lift's). Returns the assets whose rank changed.
    """
    groups: dict[tuple[int, str], list[rules.QueueHolder]] = defaultdict(list)
    for item in lifted:
        groups[(item.partner_id, item.ref)].append(item.holder)
    changed: list[Asset] = []
    for (partner_id, ref), gone in groups.items():
        ids = {g.asset_id for g in gone}
        others = list(
            Asset.objects.select_for_update(of=("self",))
            .filter(partner_id=partner_id, ref=ref, state__in=QUEUE_STATES, seizure_rank__isnull=False)
            .exclude(pk__in=ids)
            .exclude(control_expires__lt=today)  # lapsing itself: it leaves the queue, never takes effect
            .select_related("case", "category")
            .order_by("id")
        )
        holders = [rules.QueueHolder(a.pk, int(a.seizure_rank or 0), a.registered_on) for a in others]
        ranks = rules.advance_queue(holders, gone)
        for a in others:
            if a.pk in ranks:
                set_rank(a, ranks[a.pk], today, why="前手控制措施解除或失效")
                changed.append(a)
    return changed


def set_rank(asset: Asset, rank: int, effective_on: date, *, why: str, source: str = "platform") -> bool:
    """Lower a held seizure's rank; at rank 1 a queued one takes effect on `effective_on`. Idempotent.

    Ranks only fall while a seizure is held, so a stale or repeated notice (a higher or equal rank) changes
    nothing. Returns whether anything changed.
    """
    if asset.state not in QUEUE_STATES or rank < 1 or (asset.seizure_rank and rank >= asset.seizure_rank):
        return False
    before = {"state": asset.state, "rank": asset.seizure_rank, "expires": asset.control_expires}
    asset.seizure_rank = rank
    fields = ["seizure_rank"]
    took_effect = rank == 1 and asset.state == Asset.State.QUEUED
    if took_effect:
        asset.state = Asset.State.FROZEN if asset.kind in FUNDS_KINDS else Asset.State.SEIZED
        asset.effective_on = effective_on
        asset.control_start, asset.control_expires = rules.effective_term(
            effective_on, asset.category.asset_kind
        )
        fields += ["state", "effective_on", "control_start", "control_expires"]
    asset.save(update_fields=fields)
    if took_effect:
        _alerts([asset], L.EFFECTIVE, {asset.pk: asset.control_expires}, timezone.now())
    audit.record(
        None,
        "inquiry.control.queue_effective" if took_effect else "inquiry.control.queue_advanced",
        object_type="Asset",
        object_id=asset.pk,
        case_id=asset.case_id,
        before=before,
        after={
            "state": asset.state,
            "rank": rank,
            "effective_on": asset.effective_on,
            "expires": asset.control_expires,
            "why": why,
            "source": source,
        },
    )
    return True
