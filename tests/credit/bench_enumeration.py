"""Overhead of the enumeration detector and the check-character scan (a measurement, not collected by the
suite): ``.venv/bin/pytest -q -s -p no:cacheprovider tests/credit/bench_enumeration.py``."""

from __future__ import annotations

import time
from datetime import date

import pytest

from tests import factories
from zhixing.credit.screening import ScreeningIndex, _bad_checks
from zhixing.credit.services import enumeration

from .conftest import make_partner


@pytest.mark.django_db(transaction=True)
def test_bench() -> None:
    partner, _ = make_partner("railway")
    ids = [factories.make_id(date(1950, 1, 1), area=f"{110101 + i}", seq=i % 1000) for i in range(10_000)]
    N = 1000
    t0 = time.perf_counter()
    for i in range(N):
        enumeration.observe(partner, 1, 0, [ids[i]])
    per = (time.perf_counter() - t0) / N * 1e6
    t0 = time.perf_counter()
    for i in range(200):
        enumeration.observe(partner, 10_000, 75, ids[:200])
    per_batch = (time.perf_counter() - t0) / 200 * 1e6
    data = "\n".join(ids).encode()
    idx = ScreeningIndex()
    t0 = time.perf_counter()
    for _ in range(200):
        _bad_checks(data, 10_000)
    chk = (time.perf_counter() - t0) / 200 * 1e6
    t0 = time.perf_counter()
    for _ in range(200):
        idx.screen_lines(data, 0xFFFF)
    sl = (time.perf_counter() - t0) / 200 * 1e6
    print(
        f"\nBENCH observe single {per:.0f} us/call; observe batch(200 sampled) {per_batch:.0f} us/call; "
        f"check digits 10k {chk:.0f} us; screen_lines 10k total {sl:.0f} us"
    )
