"""Situation screens (态势): each court's figures, cached and pushed live to the screens watching it.

How a figure reaches a wall screen:

1. A domain event (a payment, a closing, a suspension, money moving, a listing removed, a query answered,
   a case saved) names the cases it touched; `receivers` turns them into court ids and, once the
   event's transaction commits, calls `refresh(court_ids)`.
2. `refresh` recomputes each court's *own* figures once (a fixed handful of grouped queries per court,
   whatever the number of screens), stores them in the shared cache with a version number, and sends
   them — encoded once — to the Channels group of that court and of every court above it. A payment
   moves only a running total (`totals`: its delta was added in the payment's transaction), so its
   refresh reads that total into the cached entry instead of recounting: one query at any case count.
3. A screen (`consumers.SituationConsumer`) holds no query: on connect it sends the snapshot of its
   court's subtree read from the cache (computing only the courts missing from it), then relays pushes.
   Each server process subscribes once per court group (`screen_hub`) and hands the pushed text to
   its screens: one channel-layer message per process and push, not one per screen.
   A screen that reconnects, or the poll fallback (`/command/situation/snapshot/`), gets the same
   snapshot, so it never misses a change: the figures are state, not a stream of deltas.

A higher court's screen sums its subordinates' figures in the browser (the snapshot carries each
court's own figures and the push names the court), so one event costs one recomputation, not one per
level.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils import timezone

from zhixing.cases import queries_quality
from zhixing.courts.models import Court
from zhixing.credit import queries_command as credit_q
from zhixing.funds import queries_command as funds_q
from zhixing.inquiry import queries_command as inquiry_q

from . import sources, totals

log = logging.getLogger(__name__)

CACHE_PREFIX = "command:situation:"
CACHE_SECONDS = 24 * 3600


def group_name(court_id: int) -> str:
    return f"situation.{court_id}"


def period_start(today: date) -> date:
    """This period: the calendar month so far (本月)."""
    return today.replace(day=1)


def compute(court_id: int, today: date | None = None) -> dict[str, Any]:
    """A court's own figures, read through each domain's queries (the only heavy part of a screen)."""
    today = today or timezone.localdate()
    start = period_start(today)
    figures: dict[str, Any] = {}
    figures.update(queries_quality.case_figures(court_id, start, today))
    figures["received"] = str(totals.reconcile(court_id, start, today))  # recounted: drift corrected
    figures["open_by_track"] = inquiry_q.open_by_track(court_id)
    figures.update({f"controls_{k}": v for k, v in inquiry_q.control_figures(court_id, today).items()})
    figures.update(funds_q.money_figures(court_id, start, today))
    figures.update(credit_q.credit_figures(court_id, start))
    live = sources.get("auctions_live")
    figures["auctions_live"] = None if live is None else int(live([court_id]).get(court_id, 0))
    return {
        "court": court_id,
        "figures": figures,
        "period_start": start.isoformat(),
        "at": timezone.now().isoformat(),
    }


def _cache() -> BaseCache:
    """The cache every web worker shares (Redis at scale), so any worker's screen reads the figures."""
    return caches[getattr(settings, "ZHIXING_COMMAND", {}).get("cache", "shared")]


def _key(court_id: int) -> str:
    return f"{CACHE_PREFIX}{court_id}"


def cached(court_ids: Iterable[int], today: date | None = None) -> dict[int, dict[str, Any]]:
    """Each court's entry from the cache; a court missing from it (cold start, evicted) is computed and
    stored. An entry of an earlier period (yesterday's month) is recomputed too."""
    ids = list(court_ids)
    today = today or timezone.localdate()
    found = _cache().get_many([_key(c) for c in ids])
    out: dict[int, dict[str, Any]] = {}
    stale: list[int] = []
    for c in ids:
        entry = found.get(_key(c))
        if entry is None or entry.get("period_start") != period_start(today).isoformat():
            stale.append(c)
        else:
            out[c] = entry
    for c in stale:
        out[c] = _store(c, today, found.get(_key(c)))
    return out


def stored(court_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The cached entries of `court_ids` as they are (none computed): what another process stored."""
    ids = list(court_ids)
    found = _cache().get_many([_key(c) for c in ids])
    return {c: found[_key(c)] for c in ids if _key(c) in found}


def subtree_ids(court_id: int) -> list[int]:
    """The court and every court under it (a screen of `court_id` shows them)."""
    court = Court.objects.filter(pk=court_id).values_list("path", flat=True).first()
    if court is None:
        return []
    return list(Court.objects.filter(path__startswith=court).order_by("path").values_list("pk", flat=True))


def _store(
    court_id: int, today: date | None = None, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Compute and cache a court's entry; its version is one more than the entry it replaces (a screen
    ignores an update older than what it shows: two workers' pushes may arrive out of order)."""
    entry = compute(court_id, today)
    if previous is None:
        previous = _cache().get(_key(court_id))
    entry["version"] = (previous or {}).get("version", 0) + 1
    _cache().set(_key(court_id), entry, CACHE_SECONDS)
    return entry


def snapshot(court: Court, today: date | None = None) -> dict[str, Any]:
    """What a screen of `court` shows: the courts of its subtree (hierarchy order), each court's own
    figures. Reads the cache; computes only courts missing from it."""
    courts = list(
        Court.objects.filter(path__startswith=court.path)
        .order_by("path")
        .values("pk", "name", "code", "parent_id")
    )
    entries = cached([c["pk"] for c in courts], today)
    return {
        "type": "snapshot",
        "court": court.pk,
        "courts": [
            {
                "id": c["pk"],
                "name": c["name"],
                "code": c["code"],
                "parent_id": c["parent_id"],
                **entries[c["pk"]],
            }
            for c in courts
        ],
        "sources": {name: ok for name, _, ok in sources.status()},
    }


def _ancestors(court_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each court id with the ids of itself and every court above it (from the materialised path)."""
    rows = list(Court.objects.filter(pk__in=list(court_ids)).values_list("pk", "path"))
    codes = {code for _, path in rows for code in path.strip("/").split("/")}
    by_code = dict(Court.objects.filter(code__in=codes).values_list("code", "pk"))
    return {pk: [by_code[c] for c in path.strip("/").split("/") if c in by_code] for pk, path in rows}


def refresh(court_ids: Iterable[int], today: date | None = None, *, totals_only: Iterable[int] = ()) -> int:
    """Recompute, cache and push the figures of `court_ids`; for the courts of `totals_only` (whose
    event moved only running totals: a payment) read just the totals into the cached entry — one query,
    whatever the number of cases. Returns the number of group messages sent.

    Called after the event's transaction commits (never inside it: a screen must not show a change
    that then rolls back). A push that fails is logged: the next snapshot carries the figures anyway.
    """
    today = today or timezone.localdate()
    full = set(court_ids)
    light = set(totals_only) - full
    entries: dict[int, dict[str, Any]] = {}
    if light:
        start = period_start(today)
        found = _cache().get_many([_key(c) for c in light])
        moved = totals.read(light, start)
        for court_id in sorted(light):
            entry = found.get(_key(court_id))
            if entry is None or entry.get("period_start") != start.isoformat() or court_id not in moved:
                full.add(court_id)  # nothing cached to update (cold, evicted, last month): recompute
                continue
            entry["figures"].update(moved[court_id])
            entry["version"] = entry.get("version", 0) + 1
            entry["at"] = timezone.now().isoformat()
            entries[court_id] = entry
        if entries:
            _cache().set_many({_key(c): e for c, e in entries.items()}, CACHE_SECONDS)
    for court_id in sorted(full):
        entries[court_id] = _store(court_id, today)
    if not entries:
        return 0
    chains = _ancestors(entries)
    messages: list[tuple[str, dict[str, Any]]] = []
    for court_id in sorted(entries):
        # Encoded once here: every process relays this text to its screens as it is (screen_hub).
        text = json.dumps({"type": "update", **entries[court_id]})
        message = {
            "type": "situation.update",
            "court": court_id,
            "version": entries[court_id]["version"],
            "text": text,
        }
        messages += [(group_name(target), message) for target in chains.get(court_id, [court_id])]
    return _send(messages)


def reconcile_all(today: date | None = None) -> int:
    """Fully recompute (reconciling their running totals) and push every court holding a total this
    period: the periodic correction of drift. Returns the number of courts."""
    today = today or timezone.localdate()
    court_ids = totals.courts_with_totals(period_start(today))
    for court_id in court_ids:  # one court at a time: each reconciliation holds its row's lock briefly
        try:
            refresh([court_id], today)
        except Exception:
            log.warning("situation reconciliation failed for court %s", court_id, exc_info=True)
    return len(court_ids)


def _send(messages: list[tuple[str, dict[str, Any]]]) -> int:
    """Send each (group, message) through the channel layer, all in one hop to the event loop."""
    try:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return 0
        groups = getattr(layer, "groups", None)  # the in-memory layer: skip groups nobody here listens to
        if isinstance(groups, dict):
            messages = [(g, m) for g, m in messages if groups.get(g)]
        if not messages:
            return 0

        async def send_all() -> None:
            for group, message in messages:
                await layer.group_send(group, message)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None:  # called from a thread that runs an event loop: schedule, never block it
            loop.create_task(send_all())
        else:
            async_to_sync(send_all)()
        return len(messages)
    except Exception:
        log.warning("situation push to %s failed", sorted({g for g, _ in messages}), exc_info=True)
        return 0
