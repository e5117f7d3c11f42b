#!/usr/bin/env python
"""Situation-screen benchmark (not a pytest test): N screens live on the product's WebSocket route.

    .venv/bin/python benchmarks/bench_situation_screens.py [--screens 200] [--rate 100] [--seconds 20]
        [--cases 200] [--clone 1000000] [--writers 1] [--batch 1]
        [--port 8850] [--redis-port 63751] [--migrated DIR]
    .venv/bin/python benchmarks/bench_situation_screens.py --entry launcher [--notices batch|single]
        [--batch 10] ...   # the same screens on `make run`'s launcher (benchmarks/situation_launcher.py)

1. A fresh SQLite DATA_DIR (migrated, or a copy of `--migrated`), a province of courts, ``--cases``
   cases filed in one basic court through the product, ``--clone`` more cloned in SQL into the same court
   (statuses and dates spread over five years, one payment this month on every tenth), an operator of
   its intermediate court (whose screens watch the subtree).
2. Redis on ``--redis-port`` (loopback, no persistence) as the Channels layer and shared cache, and the
   product's server (``python -m zhixing.config.server``, the documented deployment) on ``--port``.
3. ``--screens`` WebSocket clients — in a process of their own, so the writer never delays a receive —
   sign in, connect to ``/ws/command/situation/<court>/`` (the intermediate court) and read their snapshot.
4. ``--writers`` processes (1: this one) record payments (``cases.services.record_payment``, each 1.00 on
   a random filed case) at ``--rate`` events/s in total for ``--seconds``; each process's receivers
   (background refresher) refresh the court's cached figures and push through Redis. The k-th commit makes
   the court's ``received`` figure (seed + k).00, so each screen's receive time is matched to the commit
   time (time.monotonic, shared by the processes): **push latency** per (event, screen). ``--batch B``
   records B payments per transaction (``record_payments``, a batch of bank receipts: B events at once).
5. **DB load**: queries of the payments and of the refresher threads (counted on their connections), the
   refreshes and how many were full recomputations, against a naive baseline: every screen re-running the
   court's figure queries per event (queries and time of ``situation.compute`` × screens, same run).

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--screens", type=int, default=200)
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--clone", type=int, default=0, help="cases cloned in SQL into the same court")
    p.add_argument("--writers", type=int, default=1, help="writer processes sharing the event rate")
    p.add_argument("--batch", type=int, default=1, help="payments per transaction (bank receipt batches)")
    p.add_argument("--port", type=int, default=8850)
    p.add_argument("--redis-port", type=int, default=63751)
    p.add_argument("--refresh", choices=("inline", "background"), default="background")
    p.add_argument("--migrated", help="a migrated DATA_DIR to copy instead of migrating (saves a minute)")
    p.add_argument(
        "--entry",
        choices=("server", "launcher"),
        default="server",
        help="server: the documented deployment (Redis layer); launcher: make run (situation_launcher.py)",
    )
    p.add_argument("--notices", choices=("batch", "single"), default="batch", help="launcher: event path")
    args = p.parse_args()
    launcher = args.entry == "launcher"

    data = Path(tempfile.mkdtemp(prefix="bench_screens_"))
    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    redis = (
        None
        if launcher
        else subprocess.Popen(
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
    )
    server = None
    try:
        from tests.live_asgi import LiveASGI, migrated_data_dir

        t0 = time.perf_counter()
        if args.migrated:
            for f in Path(args.migrated).glob("zhixing.sqlite3*"):
                shutil.copy2(f, data / f.name)
        else:
            migrated_data_dir(data)
        print(f"migrated database: {time.perf_counter() - t0:.1f} s")
        os.environ.update(
            DJANGO_SETTINGS_MODULE="zhixing.config.settings",
            DATA_DIR=str(data),
            ZHIXING_COMMAND_REFRESH=args.refresh,
        )
        if not launcher:
            os.environ["REDIS_URL"] = redis_url
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
        if launcher:  # the events are bank notices to the filed cases' sub-accounts (before the clones)
            from benchmarks import situation_launcher

            custody, accounts = situation_launcher.open_accounts(courts["th"], case_ids)
        if args.clone:
            t0 = time.perf_counter()
            seed_clones(case_ids[0], args.clone)
            print(
                f"cloned {args.clone:,} cases (+ {args.clone // 10:,} payments this month): "
                f"{time.perf_counter() - t0:.1f} s"
            )

        env = {"ZHIXING_COMMAND_POLL_SECONDS": "3600", "ZHIXING_COMMAND_REFRESH": args.refresh}
        if not launcher:
            env["REDIS_URL"] = redis_url
        server = LiveASGI(data, entry=args.entry, env=env)
        server.port = args.port
        server.url = f"http://127.0.0.1:{args.port}"
        server.env["PORT"] = str(args.port)
        server.start(timeout=300)
        if launcher:
            run_launcher(args, server, operator.username, courts["gz"].pk, courts["th"].pk, custody, accounts)
        else:
            run(args, server.url, operator.username, courts["gz"].pk, courts["th"].pk, case_ids)
    finally:
        if server is not None:
            server.stop()
        if redis is not None:
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


def seed_clones(template_id: int, n: int) -> None:
    """`n` cases cloned in SQL from case `template_id` (same court): statuses and filing dates spread over
    five years (a third closed, with closing dates), and one payment this month on every tenth clone, so
    the court's figures are counted over a realistic table (the figures' cost grows with it)."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    start = today.replace(day=1)
    t = "cases_enforcementcase"
    with connection.cursor() as cur:
        cur.execute(f"PRAGMA table_info({t})")
        cols = [r[1] for r in cur.fetchall() if r[1] != "id"]
        computed = {
            "number": "c.number || '-' || g.n",
            "seq": "c.seq + 10000000 + g.n",
            "status": "CASE g.n % 6 WHEN 0 THEN 'closed' WHEN 1 THEN 'dormant' WHEN 2 THEN 'registered' "
            "WHEN 3 THEN 'suspended' ELSE 'in_progress' END",
            "closing_mode": "CASE g.n % 6 WHEN 0 THEN 'performed' WHEN 1 THEN 'dormant' ELSE '' END",
            "filed_on": f"date('{today}', '-' || (g.n % 1825) || ' days')",
            "closed_on": f"CASE WHEN g.n % 6 < 2 THEN date('{today}', '-' || (g.n % 400) || ' days') END",
        }
        select = ", ".join(computed.get(col, f"c.{col}") for col in cols)
        done = 0
        while done < n:
            batch = min(100_000, n - done)
            cur.execute(
                f"WITH RECURSIVE g(n) AS (SELECT {done + 1} UNION ALL SELECT n + 1 FROM g "
                f"WHERE n < {done + batch}) "
                f"INSERT INTO {t} ({', '.join(cols)}) SELECT {select} FROM {t} c, g WHERE c.id = %s",
                [template_id],
            )
            done += batch
        cur.execute(
            "INSERT INTO cases_payment (case_id, amount, paid_on, source, reference, note, recorded_at) "
            f"SELECT id, 1.00, date('{start}', '+' || (id % 28) || ' days'), 'direct', 'seed-' || id, '', "
            f"'{timezone.now().isoformat()}' FROM {t} WHERE id > %s AND id % 10 = 0 "
            f"AND date('{start}', '+' || (id % 28) || ' days') <= '{today}'",
            [template_id],
        )
        cur.execute("ANALYZE")


def screens_worker(url: str, cookie: str, origin: str, n: int, th_id: int, base: str, out: str) -> None:
    """The screens, in their own process (so the writer's CPU and GIL never delay a receive): prints
    "ready" once all are connected, runs until a line arrives on stdin, then writes what each screen
    received — (figure − base, time.monotonic()) pairs — to `out` as JSON."""
    import websockets

    received: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    stop = threading.Event()
    connected = [0]
    drops = [0]
    zero = Decimal(base)

    def figure(value: str) -> int:
        return int(Decimal(value) - zero)

    async def screen(i: int) -> None:
        first = True
        while not stop.is_set():
            try:
                async with websockets.connect(
                    url,
                    additional_headers={"Cookie": f"sessionid={cookie}", "Origin": origin},
                    max_size=2**22,
                    open_timeout=120,
                    ping_interval=None,
                ) as ws:
                    snap = json.loads(await ws.recv())
                    assert snap["type"] == "snapshot", snap
                    now = time.monotonic()
                    for c in snap["courts"]:  # a reconnecting screen catches up from the snapshot
                        if c["id"] == th_id and not first:
                            received[i].append((figure(c["figures"]["received"]), now))
                    if first:
                        connected[0] += 1
                        first = False
                    while not stop.is_set():
                        try:
                            raw = await asyncio.wait_for(ws.recv(), 1.0)
                        except TimeoutError:
                            continue
                        now = time.monotonic()
                        msg = json.loads(raw)
                        if msg.get("type") == "update" and msg.get("court") == th_id:
                            received[i].append((figure(msg["figures"]["received"]), now))
            except (websockets.ConnectionClosed, OSError, TimeoutError):
                drops[0] += 1
                await asyncio.sleep(0.5)

    async def all_screens() -> None:
        tasks = []
        for i in range(n):
            tasks.append(asyncio.create_task(screen(i)))
            if i % 20 == 19:
                await asyncio.sleep(0.05)
        while connected[0] < n and not any(t.done() for t in tasks):
            await asyncio.sleep(0.1)
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()  # type: ignore[misc]
        print("ready", flush=True)
        await asyncio.gather(*tasks)

    loop_thread = threading.Thread(target=lambda: asyncio.run(all_screens()), daemon=True)
    loop_thread.start()
    sys.stdin.readline()
    stop.set()
    loop_thread.join(10)
    Path(out).write_text(json.dumps({"received": received, "drops": drops[0]}))


def write_events(
    rate: float, n: int, case_ids: list[int], tag: str, began: float, batch: int = 1
) -> dict[str, Any]:
    """Record `n` payments (1.00 each, on random cases) at `rate`/s from `began` (time.monotonic()), in
    transactions of `batch` payments; returns each payment's commit time, the writer's DB queries and its
    refresher's calls, queries and time."""
    from django.db import connection

    from zhixing.cases import services
    from zhixing.cases.services.performance import PaymentItem, record_payments
    from zhixing.command import receivers, situation

    rng = random.Random(tag)
    sent: list[float] = []
    counter = [0]
    refresher: dict[str, Any] = {"calls": 0, "queries": 0, "seconds": 0.0, "full": 0}
    real_refresh, real_compute = receivers._refresh, situation.compute

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counter[0] += 1
        return execute(sql, params, many, context)

    def counted_compute(*a, **kw):  # type: ignore[no-untyped-def]
        refresher["full"] += 1
        return real_compute(*a, **kw)

    def counted_refresh(*a, **kw):  # type: ignore[no-untyped-def]
        # The refresher thread's own connection: its queries and time are the refresh's DB load.
        def tally(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            refresher["queries"] += 1
            return execute(sql, params, many, context)

        t = time.perf_counter()
        with connection.execute_wrapper(tally):
            real_refresh(*a, **kw)
        refresher["calls"] += 1
        refresher["seconds"] += time.perf_counter() - t

    receivers._refresh = counted_refresh  # type: ignore[assignment]
    situation.compute = counted_compute  # type: ignore[assignment]
    interval = batch / rate
    with connection.execute_wrapper(count):
        for k in range(1, n // batch + 1):
            delay = began + (k - 1) * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if batch == 1:
                services.record_payment(
                    rng.choice(case_ids),
                    Decimal("1.00"),
                    date.today(),
                    source="direct",
                    reference=f"{tag}-{k}",
                )  # on_commit hands the court to the refresher (background mode), or refreshes here (inline)
            else:  # a batch of bank receipts: one transaction, `batch` payments (events)
                record_payments(
                    [
                        PaymentItem(
                            rng.choice(case_ids), Decimal("1.00"), date.today(), "direct", f"{tag}-{k}-{i}"
                        )
                        for i in range(batch)
                    ]
                )
            sent.extend([time.monotonic()] * batch)
    time.sleep(2)  # the refresher's last push
    receivers._refresh, situation.compute = real_refresh, real_compute  # type: ignore[assignment]
    return {"sent": sent, "queries": counter[0], "refresher": refresher}


def writer_process(rate: str, n: str, ids_file: str, tag: str, began: str, out: str) -> None:
    """`--writers N`: one of N writer processes (Django set up from the environment the run left)."""
    import django

    django.setup()
    result = write_events(float(rate), int(n), json.loads(Path(ids_file).read_text()), tag, float(began))
    Path(out).write_text(json.dumps(result))


def start_screens(args: argparse.Namespace, base: str, username: str, court_id: int, th_id: int) -> Any:
    """Sign in, cache the court's figures, connect the screens (their own process); (worker, out file)."""
    from zhixing.command import situation

    cookie = session_cookie(base, username)
    url = base.replace("http://", "ws://") + f"/ws/command/situation/{court_id}/"
    t0 = time.perf_counter()
    situation.refresh([th_id])
    start_figure = situation.cached([th_id])[th_id]["figures"]["received"]
    print(f"court figures recomputed and cached: {time.perf_counter() - t0:.1f} s")
    out = Path(tempfile.mkdtemp(prefix="bench_screens_out_")) / "received.json"
    t0 = time.perf_counter()
    worker = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--worker",
            url,
            cookie,
            base,
            str(args.screens),
            str(th_id),
            start_figure,
            str(out),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert worker.stdout is not None and worker.stdin is not None
    if worker.stdout.readline().strip() != "ready":
        raise SystemExit("the screens did not connect")
    print(f"{args.screens} screens connected and read their snapshot: {time.perf_counter() - t0:.1f} s")
    return worker, out


def run_launcher(
    args: argparse.Namespace,
    server: Any,
    username: str,
    court_id: int,
    th_id: int,
    custody: str,
    accounts: list[str],
) -> None:
    """`--entry launcher`: the events through the launcher's HTTP interface (situation_launcher.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks import situation_launcher
    from zhixing.command import situation

    worker, out = start_screens(args, server.url, username, court_id, th_id)
    load0 = os.getloadavg()
    wrote = situation_launcher.events(args, server, custody, accounts)
    load1 = os.getloadavg()
    worker.stdin.write("stop\n")
    worker.stdin.flush()
    worker.wait(60)
    result = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    samples = 3 if args.clone else 10
    with CaptureQueriesContext(connection) as naive:
        t1 = time.perf_counter()
        for _ in range(samples):
            situation.compute(th_id)
        naive_cpu = (time.perf_counter() - t1) / samples
    situation_launcher.report(
        args,
        wrote,
        result["received"],
        {"queries": len(naive.captured_queries) / samples, "seconds": naive_cpu},
    )
    print(f"connections dropped and re-opened (caught up from a snapshot): {result['drops']}")
    print(f"load average (1 min) before / after the events: {load0[0]:.1f} / {load1[0]:.1f}")


def run(
    args: argparse.Namespace, base: str, username: str, court_id: int, th_id: int, case_ids: list[int]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhixing.command import situation

    worker, out = start_screens(args, base, username, court_id, th_id)

    n = int(args.rate * args.seconds)
    began = time.monotonic() + 1.0
    if args.writers == 1:
        wrote = [write_events(args.rate, n, case_ids, "bench", began, args.batch)]
    else:  # several writer processes (each its own refresher), together at the asked rate
        ids_file = out.parent / "case_ids.json"
        ids_file.write_text(json.dumps(case_ids))
        began = time.monotonic() + 15.0  # they import Django first
        procs = []
        for w in range(args.writers):
            share = n // args.writers + (1 if w < n % args.writers else 0)
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
                        "--writer",
                        str(args.rate / args.writers),
                        str(share),
                        str(ids_file),
                        f"bench{w}",
                        str(began),
                        str(out.parent / f"writer{w}.json"),
                    ],
                    env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                )
            )
        for proc in procs:
            proc.wait()
        wrote = [json.loads((out.parent / f"writer{w}.json").read_text()) for w in range(args.writers)]
    times = sorted(t for w in wrote for t in w["sent"])
    sent = dict(enumerate(times, start=1))  # the k-th commit makes the figure k
    elapsed = times[-1] - began
    queries = sum(w["queries"] for w in wrote)
    refresher = {
        key: sum(w["refresher"][key] for w in wrote) for key in ("calls", "queries", "seconds", "full")
    }
    time.sleep(3)
    worker.stdin.write("stop\n")
    worker.stdin.flush()
    worker.wait(60)
    result = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    received: list[list[list[float]]] = result["received"]

    samples = 3 if args.clone else 10
    with CaptureQueriesContext(connection) as naive:
        t1 = time.perf_counter()
        for _ in range(samples):
            situation.compute(th_id)
        naive_cpu = (time.perf_counter() - t1) / samples
    naive_per_screen = len(naive.captured_queries) / samples
    t1 = time.perf_counter()
    for _ in range(samples):
        situation.refresh([th_id])
    full_time = (time.perf_counter() - t1) / samples

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

    refresh_q = refresher["queries"] / max(refresher["calls"], 1)
    print(f"events: {n} at {n / elapsed:.1f}/s achieved (asked {args.rate}/s) over {elapsed:.1f} s")
    print(
        f"(event, screen) pairs shown: {delivered} of {expected}; "
        f"screens ending on the last figure: {final_ok}/{args.screens}"
    )
    print(
        f"push latency ms: p50 {pct(0.5):.1f}  p95 {pct(0.95):.1f}  p99 {pct(0.99):.1f}  max {pct(1.0):.1f}"
    )
    print(
        f"refreshes: {refresher['calls']} for {n} events (mode {args.refresh}), "
        f"{refresher['full']} of them full recomputations; "
        f"{refresh_q:.1f} queries and {refresher['seconds'] / max(refresher['calls'], 1) * 1000:.1f} ms each"
    )
    per_event = (queries + refresher["queries"]) / n
    print(f"DB queries per event (payment + share of refreshes, whatever the screens): {per_event:.1f}")
    print(
        f"  the payment itself: {queries / n:.1f}; refresher: {refresher['queries'] / n:.2f} "
        f"({refresher['seconds'] / n * 1000:.2f} ms of refresher time per event); "
        f"a full recomputation: {naive_per_screen:.0f} queries, {full_time * 1000:.1f} ms"
    )
    print(
        f"naive baseline (each screen re-queries per event): {naive_per_screen:.0f} queries × "
        f"{args.screens} screens = {naive_per_screen * args.screens:.0f} queries/event, "
        f"{naive_cpu * args.screens * 1000:.0f} ms of query time/event"
    )
    print(
        "ratio naive ÷ product, figure queries per event: "
        f"{naive_per_screen * args.screens / max(refresher['queries'] / n, 0.01):.0f}×; "
        f"query time per event: {naive_cpu * args.screens / max(refresher['seconds'] / n, 1e-6):.0f}×"
    )
    print(f"connections dropped and re-opened (caught up from a snapshot): {result['drops']}")
    print(f"mean updates per screen: {statistics.mean(len(r) for r in received):.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        w = sys.argv[2:]
        screens_worker(w[0], w[1], w[2], int(w[3]), int(w[4]), w[5], w[6])
    elif len(sys.argv) > 1 and sys.argv[1] == "--writer":
        writer_process(*sys.argv[2:8])
    else:
        main()
