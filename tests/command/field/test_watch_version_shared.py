"""The plate watchlist's version lives in the shared cache: a sync run in one process (a task consumer)
must make every other process (each web worker) rebuild its index, which a per-process cache never did."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from zhixing.command import plate_watchlist
from zhixing.command.models import WatchedPlate

pytestmark = pytest.mark.django_db


def test_a_version_moved_by_another_process_rebuilds_this_process_index(field: dict[str, Any]) -> None:
    before = plate_watchlist.watchlist()
    assert before.size == 1 and before.match("粤B12345") is None
    WatchedPlate.objects.create(
        plate="粤B12345", asset_id=990002, case=field["case"], court=field["case"].court, since=timezone.now()
    )
    # Another process (the consumer that ran the sync) moves the version: only the shared store is common
    # to both; this process' own memory still holds whatever it held.
    caches["shared"].set(plate_watchlist.VERSION_KEY, "moved-elsewhere", None)
    after = plate_watchlist.watchlist()
    hit = after.match("粤B12345")
    assert after.size == 2 and hit is not None and hit.plate == "粤B12345"


def test_an_unchanged_version_keeps_the_index(field: dict[str, Any]) -> None:
    first = plate_watchlist.watchlist()
    WatchedPlate.objects.create(
        plate="粤B12345", asset_id=990002, case=field["case"], court=field["case"].court, since=timezone.now()
    )
    assert plate_watchlist.watchlist() is first
