#!/usr/bin/env python
"""Situation-screen benchmark (not a pytest test): N screens live on the product's WebSocket route.

    .venv/bin/python benchmarks/bench_situation_screens.py [--screens 200] [--rate 100] [--seconds 20]
        [--cases 200] [--port 8850] [--redis-port 63751]

1. A fresh SQLite DATA_DIR (migrated), a province of courts, ``--cases`` cases filed in one basic court,
   an operator of its intermediate court (whose screens watch the subtree).
2. Redis on ``--redis-port`` (loopback, no persistence) as the Channels layer and shared cache, and the
   product's server (``python -m zhixing.config.server``, the documented deployment) on ``--port``.
3. ``--screens`` WebSocket clients sign in and connect to ``/ws/command/situation/<court>/`` (the
   intermediate court) and read their snapshot.
4. This process records payments (``cases.services.record_payment``, each 1.00 on a random case) at
   ``--rate`` events/s for ``--seconds``; its receivers refresh the court's cached figures once per event
   and push through Redis. The k-th event makes the court's ``received`` figure k.00, so each screen's
   receive time is matched to the event's commit time: **push latency** per (event, screen).
5. **DB queries per event** (payment + refresh, counted here; the server runs none per push) against a
   naive baseline: every screen re-running the court's figure queries per event (measured in the same
   process: queries and CPU time of ``situation.compute`` × screens).

Target (issue 21): screens updated within 2 s (p99) with no per-screen query load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--screens", type=int, default=200)
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--port", type=int, default=8850)
    p.add_argument("--redis-port", type=int, default=63751)
    p.add_argument("--refresh", choices=("inline", "background"), default="background")
    args = p.parse_args()

    data = Path(tempfile.mkdtemp(prefix="bench_screens_"))
    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(args.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = None
    try:
        from tests.live_asgi import LiveASGI, migrated_data_dir

        t0 = time.perf_counter()
        migrated_data_dir(data)
        print(f"migrated database: {time.perf_counter() - t0:.1f} s")
        os.environ.update(
            DJANGO_SETTINGS_MODULE="zhixing.config.settings",
            DATA_DIR=str(data),
            REDIS_URL=redis_url,
            ZHIXING_COMMAND_REFRESH=args.refresh,
        )
        import django

        django.setup()
        from tests import factories
        from zhixing.courts.roles import Role

        courts = factories.province()
        clerk = factories.staff(courts["th"], Role.CLERK, username="bench_clerk")
        operator = factories.staff(courts["gz"], Role.OPERATOR, username="bench_operator")
        from zhixing.command import receivers

        receivers._pending.courts = set()
        t0 = time.perf_counter()
        case_ids = [
            factories.case(clerk, filed_on=date.today(), applied_on=date.today()).pk
            for _ in range(args.cases)
        ]
        print(f"filed {len(case_ids)} cases: {time.perf_counter() - t0:.1f} s")

        server = LiveASGI(
            data, entry="server", env={"REDIS_URL": redis_url, "ZHIXING_COMMAND_POLL_SECONDS": "3600"}
        )
        server.port = args.port
        server.url = f"http://127.0.0.1:{args.port}"
        server.env["PORT"] = str(args.port)
        server.start()
        run(args, server.url, operator.username, courts["gz"].pk, courts["th"].pk, case_ids)
    finally:
        if server is not None:
            server.stop()
        redis.terminate()
        redis.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def session_cookie(base: str, username: str) -> str:
    import requests

    from tests import factories
    from tests.live_asgi import login_form

    s = requests.Session()
    token = login_form(s, base)
    r = s.post(
        base + "/login/",
        data={"username": username, "password": factories.PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/login/"},
        timeout=30,
    )
    r.raise_for_status()
    return str(s.cookies["sessionid"])


def run(
    args: argparse.Namespace, base: str, username: str, court_id: int, th_id: int, case_ids: list[int]
) -> None:
    import websockets
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhixing.cases import services
    from zhixing.command import situation

    cookie = session_cookie(base, username)
    url = base.replace("http://", "ws://") + f"/ws/command/situation/{court_id}/"
    received: list[list[tuple[int, float]]] = [[] for _ in range(args.screens)]
    ready = threading.Event()
    stop = threading.Event()
    connected = [0]
    drops = [0]

    async def screen(i: int) -> None:
        first = True
        while not stop.is_set():
            try:
                async with websockets.connect(
                    url,
                    additional_headers={"Cookie": f"sessionid={cookie}", "Origin": base},
                    max_size=2**22,
                    open_timeout=120,
                    ping_interval=None,
                ) as ws:
                    snap = json.loads(await ws.recv())
                    assert snap["type"] == "snapshot", snap
                    now = time.perf_counter()
                    for c in snap["courts"]:  # a reconnecting screen catches up from the snapshot
                        if c["id"] == th_id and not first:
                            received[i].append((int(Decimal(c["figures"]["received"])), now))
                    if first:
                        connected[0] += 1
                        first = False
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(ws.recv(), 1.0)
                        except TimeoutError:
                            continue
                        now = time.perf_counter()
                        msg = json.loads(raw)
                        if msg.get("type") == "update" and msg.get("court") == th_id:
                            received[i].append((int(Decimal(msg["figures"]["received"])), now))
            except (websockets.ConnectionClosed, OSError, TimeoutError):
                drops[0] += 1
                await asyncio.sleep(0.5)

    async def all_screens() -> None:
        tasks = []
        for i in range(args.screens):
            tasks.append(asyncio.create_task(screen(i)))
            if i % 20 == 19:
                await asyncio.sleep(0.05)
        while connected[0] < args.screens and not any(t.done() for t in tasks):
            await asyncio.sleep(0.1)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()  # type: ignore[misc]
        ready.set()
        await asyncio.gather(*tasks)

    loop_thread = threading.Thread(target=lambda: asyncio.run(all_screens()), daemon=True)
    t0 = time.perf_counter()
    loop_thread.start()
    if not ready.wait(300):
        raise SystemExit(f"only {connected[0]} of {args.screens} screens connected")
    print(f"{args.screens} screens connected and read their snapshot: {time.perf_counter() - t0:.1f} s")

    sent: dict[int, float] = {}
    n = int(args.rate * args.seconds)
    interval = 1.0 / args.rate
    rng = random.Random(2026)
    start = time.perf_counter()
    counter = [0]
    computes = [0]
    real_compute = situation.compute

    def counted_compute(*a, **kw):  # type: ignore[no-untyped-def]
        computes[0] += 1
        return real_compute(*a, **kw)

    situation.compute = counted_compute  # type: ignore[assignment]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counter[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        for k in range(1, n + 1):
            due = start + (k - 1) * interval
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            services.record_payment(
                rng.choice(case_ids), Decimal("1.00"), date.today(), source="direct", reference=f"bench-{k}"
            )  # on_commit runs the refresh + push right here (autocommit)
            sent[k] = time.perf_counter()
    queries = counter[0]
    elapsed = time.perf_counter() - start
    time.sleep(3)
    situation.compute = real_compute  # type: ignore[assignment]
    recomputations = computes[0]
    stop.set()
    loop_thread.join(10)

    with CaptureQueriesContext(connection) as one:
        situation.refresh([th_id])
    refresh_queries = len(one.captured_queries)
    with CaptureQueriesContext(connection) as naive:
        t1 = time.perf_counter()
        for _ in range(min(args.screens, 50)):
            situation.compute(th_id)
        naive_cpu = (time.perf_counter() - t1) / min(args.screens, 50)
    naive_per_screen = len(naive.captured_queries) / min(args.screens, 50)
    t1 = time.perf_counter()
    for _ in range(20):
        situation.refresh([th_id])
    refresh_time = (time.perf_counter() - t1) / 20

    # Event k is on a screen once the screen shows a figure ≥ k (a coalesced push carries several events).
    latencies: list[float] = []
    for per in received:
        per = sorted(per, key=lambda kt: kt[1])
        j = 0
        for k in range(1, n + 1):
            while j < len(per) and per[j][0] < k:
                j += 1
            if j < len(per):
                latencies.append(per[j][1] - sent[k])
    latencies.sort()
    delivered = len(latencies)
    expected = n * args.screens
    # A screen sees every update pushed; when two events commit before a push is built the later figure
    # supersedes the earlier (state, not a stream): a screen's last figure must be n.
    final_ok = sum(1 for per in received if per and max(k for k, _ in per) == n)

    def pct(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
        )

    print(f"events: {n} at {n / elapsed:.1f}/s achieved (asked {args.rate}/s) over {elapsed:.1f} s")
    print(
        f"(event, screen) pairs shown: {delivered} of {expected}; "
        f"screens ending on the last figure: {final_ok}/{args.screens}"
    )
    print(
        f"push latency ms: p50 {pct(0.5):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}  max {pct(1.0):.1f}"
    )
    per_event = (queries + recomputations * refresh_queries) / n
    print(f"recomputations of the court's figures: {recomputations} for {n} events (mode {args.refresh})")
    print(f"DB queries per event (payment + share of refreshes, whatever the screens): {per_event:.1f}")
    print(
        f"  the payment itself: {queries / n:.1f}; one refresh: {refresh_queries} "
        f"({refresh_time * 1000:.1f} ms)"
    )
    print(
        f"naive baseline (each screen re-queries per event): {naive_per_screen:.0f} queries × "
        f"{args.screens} screens = {naive_per_screen * args.screens:.0f} queries/event, "
        f"{naive_cpu * args.screens * 1000:.0f} ms of query time/event"
    )
    print(
        "ratio naive ÷ product, figure queries per event: "
        f"{naive_per_screen * args.screens / max(recomputations * refresh_queries / n, 0.01):.0f}×"
    )
    print(f"connections dropped and re-opened (caught up from a snapshot): {drops[0]}")
    print(f"mean updates per screen: {statistics.mean(len(r) for r in received):.1f}")


if __name__ == "__main__":
    main()
