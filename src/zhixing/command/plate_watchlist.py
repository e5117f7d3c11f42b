"""The vehicle watchlist (车辆布控名单): every seized vehicle of the asset register, and each process' index.

`sync_watchlist` keeps `WatchedPlate` rows in step with the register (idempotent, audited). The index
(`plate_rules.Watchlist`, one dict look-up per read) lives in each worker process and is rebuilt when the
`watch version` in the shared cache moves (the `shared` alias: a sync run by a task consumer must reach
every web worker's index). `threshold` and `false_hit_budget` are the matching settings
(`ZHIXING_COMMAND`, ADR 0027).
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.ratelimit import store_unavailable
from zhixing.inquiry import queries_vehicles

from . import plate_rules
from .models import WatchedPlate

VERSION_KEY = "command:watch:version"


def threshold() -> float:
    return float(
        getattr(settings, "ZHIXING_COMMAND", {}).get("plate_threshold", plate_rules.DEFAULT_THRESHOLD)
    )


def false_hit_budget() -> float:
    """Expected false look-alike alerts per read the command center accepts (ADR 0027)."""
    return float(
        getattr(settings, "ZHIXING_COMMAND", {}).get(
            "plate_false_hit_budget", plate_rules.DEFAULT_FALSE_HIT_BUDGET
        )
    )


def _cache() -> BaseCache:
    return caches["shared"]


def _bump() -> None:
    _cache().set(VERSION_KEY, secrets.token_hex(8), None)


def sync_watchlist(actor: Any = None) -> dict[str, int]:
    """Watch every seized vehicle of the register and stop watching released ones (idempotent)."""
    seized = {v.asset_id: v for v in queries_vehicles.seized_vehicles()}
    now = timezone.now()
    added = dropped = 0
    with transaction.atomic():
        current = {w.asset_id: w for w in WatchedPlate.objects.all()}
        for asset_id, v in seized.items():
            try:
                plate = plate_rules.validate(v.plate)
            except plate_rules.PlateError:
                continue  # a register row whose ref is not a plate (e.g. a frame number): not watchable
            w = current.get(asset_id)
            if w is None:
                WatchedPlate.objects.create(
                    plate=plate,
                    asset_id=asset_id,
                    case_id=v.case_id,
                    court_id=v.court_id,
                    description=v.description[:200],
                    since=now,
                )
                added += 1
            elif not w.active:
                WatchedPlate.objects.filter(pk=w.pk).update(active=True, since=now)
                added += 1
        gone = [w.pk for a, w in current.items() if w.active and a not in seized]
        dropped = WatchedPlate.objects.filter(pk__in=gone).update(active=False)
        if added or dropped:
            audit.record(
                actor,
                "command.watch.sync",
                object_type="command.watch",
                after={"added": added, "dropped": dropped},
            )
            transaction.on_commit(_bump)
    return {"added": added, "dropped": dropped}


log = logging.getLogger(__name__)
_index_lock = threading.Lock()
UNKNOWN_VERSION = "unknown"  # an index built while the shared version could not be read
_index: dict[str, Any] = {"version": None, "list": None}


def watchlist() -> plate_rules.Watchlist:
    """This process' index of active watched plates, rebuilt when the shared version moved."""
    cache = _cache()
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = "0"
            cache.add(VERSION_KEY, version, None)
    except store_unavailable():
        # The shared store is down (Redis restarting): reads keep being matched against the index this
        # process holds (a watchlist change made meanwhile reaches it when the store is back); a process
        # with none builds one from the database and rebuilds it at the next version it reads.
        log.warning("plate watchlist version unreadable (shared store down): using this process' index")
        if _index["list"] is not None:
            return _index["list"]
        version = UNKNOWN_VERSION
    if _index["list"] is not None and _index["version"] == version:
        return _index["list"]
    with _index_lock:
        if _index["list"] is None or _index["version"] != version:
            rows = (
                WatchedPlate.objects.filter(active=True).values_list("pk", "plate").iterator(chunk_size=20000)
            )
            _index["list"] = plate_rules.Watchlist(rows)
            _index["version"] = version
    return _index["list"]


def watchlist_and_tolerance() -> tuple[plate_rules.Watchlist, int]:
    """The index and how many look-alikes a match may have and still alert (see `plate_rules`)."""
    index = watchlist()
    budget = false_hit_budget()
    known = _index.get("tolerance")
    if known is not None and known[0] is index and known[1] == budget:
        return index, known[2]
    tolerance = index.tolerance(budget)
    _index["tolerance"] = (index, budget, tolerance)
    return index, tolerance


def invalidate() -> None:
    """Tests and the demo: forget the index and move the shared version."""
    _index["list"] = None
    _bump()
