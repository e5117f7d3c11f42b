"""Plate reads keep being matched while the shared store (Redis) restarts: the watchlist's version cannot
be read, so the process uses the index it holds, or builds one from the database (the cluster soak's
500 on a plate batch during the Redis restart)."""

from __future__ import annotations

from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from zhixing.command import plate_watchlist

from .test_field_services import post_reads, read


class _DownStore:
    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:63750. Connection refused.")

    add = set = incr = delete = get


@pytest.mark.django_db
def test_reads_are_matched_with_the_held_index_or_one_built_from_the_database(
    field: dict[str, Any], monkeypatch: Any
) -> None:
    held = plate_watchlist.watchlist()  # built while the store answers
    monkeypatch.setattr(plate_watchlist, "_cache", lambda: _DownStore())
    assert plate_watchlist.watchlist() is held
    body = post_reads(field["key"], [read("s1", plate="粤AB5218")])
    assert body.status_code == 200 and [h["read_id"] for h in body.json()["hits"]] == ["s1"]
    # A process that holds no index builds one from the database (and rebuilds at the next version).
    plate_watchlist._index.update({"version": None, "list": None})
    fresh = plate_watchlist.watchlist()
    assert fresh is not held and plate_watchlist._index["version"] == plate_watchlist.UNKNOWN_VERSION
    body = post_reads(field["key"], [read("s2", plate="粤AB5218", seen="2026-12-03T09:59:00+08:00")])
    assert body.status_code == 200 and [h["read_id"] for h in body.json()["hits"]] == ["s2"]
