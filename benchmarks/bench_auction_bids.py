#!/usr/bin/env python
"""Hot-lot bidding benchmark (issue 18): bids/s on the real bid endpoint, WebSocket broadcast latency to
N watchers, and the ratio against a naive locked read-modify-write.

    .venv/bin/python benchmarks/bench_auction_bids.py --bidders 50 --seconds 20 --watchers 200 \
        [--entry server|launcher] [--port 8810] [--db sqlite|postgres]

1. A fresh database (SQLite in a temporary DATA_DIR, or a new PostgreSQL database on DATABASE_URL's
   server), migrated; one court, a case, a seized house, its reference price and one published lot
   bidding now (ending in a day, so no extension interferes); `--bidders` real-name bidders, each
   registered for the lot with its deposit booked in the ledger (not timed).
2. The server — `python -m zhixing.config.server` (the documented deployment, docs/deploy.md) or
   `python -m zhixing.config.launcher` (what `make run` starts) — on 127.0.0.1:`--port`.
3. `--watchers` WebSocket clients connect to /ws/auctions/<lot>/ and stay.
4. Timed: every bidder in its own thread posts bids as fast as it can for `--seconds` — each bid the
   current price it last saw plus the increment — to POST /api/v1/auctions/lots/<id>/bids with its
   X-Bidder-Token. Accepted (201) and refused (409: outbid meanwhile) responses are counted; the
   processed rate is both together.
5. Broadcast latency: for each accepted bid, the time from the client's send to each watcher's receipt
   of the update carrying that bid's sequence number; p50 / p99 over all (bid, watcher) pairs.
6. Correctness: the bids in the database equal the accepted responses (none lost, none duplicated),
   their amounts rise strictly with the sequence, and none is later than the end.
7. The naive baseline in the same database: the same number of threads, each taking a process-wide
   lock and doing read-modify-write on the lot through the ORM (read price, insert bid, update lot)
   for `--seconds`; and the product's `place_bid` service in-process, the same way. Bids/s of each and
   the ratio product/naive.

Prints every figure; the targets of the issue (≥ 1,000 bids/s, p99 < 500 ms to 10,000 watchers) are
printed beside them, PASS/FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_cases import cleanup, prepare  # noqa: E402 - the same fresh-database set-up

TARGET_BIDS = 1000.0
TARGET_P99_MS = 500.0


def setup_lot(bidders: int) -> tuple[int, list[str]]:
    """One published lot bidding now and `bidders` registered bidders with paid deposits."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from tests import factories
    from zhixing.auctions import services
    from zhixing.auctions.models import Lot
    from zhixing.inquiry.models import Asset, Partner

    call_command("migrate", verbosity=0)
    courts = factories.province()
    clerk = factories.staff(courts["th"], "clerk", username="bench_clerk")
    judge = factories.staff(courts["th"], "judge", username="bench_judge")
    case = factories.case(clerk)
    partner = Partner.objects.get(code="REG-ESTATE")
    today = timezone.localdate()
    asset = Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=partner,
        category=partner.category,
        kind="house",
        ref="BENCH-1",
        value=Decimal("1000000"),
        divisible=False,
        state=Asset.State.SEIZED,
        control_start=today - timedelta(days=60),
        found_at=timezone.now() - timedelta(days=60),
    )
    services.set_reference_price(
        judge,
        asset.pk,
        method="agreement",
        amount="1000000",
        started_on=today - timedelta(days=50),
        reported_on=today - timedelta(days=45),
    )
    now = timezone.now()
    lot = services.create_lot(
        judge,
        asset.pk,
        services.LotInput(
            title="压测标的",
            start_price="700000",
            increment="100",
            deposit="70000",
            notified_on=today - timedelta(days=40),
            announced_on=today - timedelta(days=35),
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(days=1),
            panel=["甲", "乙", "丙"],
        ),
    )
    # The lot's announcement would have been 35 days ago: create_lot checks the dates, not "now".
    services.publish_lot(judge, lot.pk)
    tokens = []
    for i in range(bidders):
        number = factories.make_id(date(1970 + i % 40, 1 + i % 12, 1 + i % 28), seq=100 + i // 480)
        bidder, token = services.register_bidder(f"压测竞买人{i}", number)
        reg = services.join_lot(bidder, lot.pk)
        services.pay_deposit(reg.pk, bank_txn=f"BENCH-{i}", amount=reg.deposit_due)
        tokens.append(token)
    assert Lot.objects.get(pk=lot.pk).status == "announced"
    return lot.pk, tokens


class Watchers:
    """N WebSocket clients in one asyncio loop (its own thread), recording when each bid's update arrives."""

    def __init__(self, url: str, origin: str, n: int) -> None:
        self.url, self.origin, self.n = url, origin, n
        self.arrivals: dict[int, list[float]] = {}
        self.connected = 0
        self.loop = asyncio.new_event_loop()
        self.stop = asyncio.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _one(self) -> None:
        import websockets

        try:
            async with websockets.connect(
                self.url, origin=self.origin, open_timeout=60, max_queue=None
            ) as ws:
                self.connected += 1
                while not self.stop.is_set():
                    try:
                        raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                    except TimeoutError:
                        continue
                    seen = time.perf_counter()
                    last = json.loads(raw).get("last")
                    if last:
                        self.arrivals.setdefault(int(last["seq"]), []).append(seen)
        except Exception as exc:  # a refused connection counts as not connected
            print(f"  watcher failed: {exc!r}", file=sys.stderr)

    async def _main(self) -> None:
        self.stop = asyncio.Event()
        tasks = []
        for _ in range(self.n):
            tasks.append(asyncio.create_task(self._one()))
            await asyncio.sleep(0.002)
        await asyncio.gather(*tasks)

    def start(self) -> None:
        self.thread.start()

    def finish(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(timeout=30)


def hammer(
    base: str, lot_id: int, tokens: list[str], seconds: float
) -> tuple[list[tuple[int, float]], int, int, int]:
    """Every bidder bids as fast as it can; returns (accepted (seq, send time)), accepted, refused, errors."""
    import requests

    state = {"price": 700000 - 100}
    lock = threading.Lock()
    accepted: list[tuple[int, float]] = []
    counts = {"ok": 0, "refused": 0, "error": 0}
    deadline = time.perf_counter() + seconds

    def run(token: str) -> None:
        s = requests.Session()
        s.headers.update({"X-Bidder-Token": token, "Content-Type": "application/json"})
        url = f"{base}/api/v1/auctions/lots/{lot_id}/bids"
        while time.perf_counter() < deadline:
            amount = state["price"] + 100
            sent = time.perf_counter()
            try:
                r = s.post(url, data=json.dumps({"amount": str(amount)}), timeout=30)
            except requests.RequestException:
                with lock:
                    counts["error"] += 1
                continue
            with lock:
                if r.status_code == 201:
                    counts["ok"] += 1
                    body = r.json()
                    accepted.append((int(body["seq"]), sent))
                    state["price"] = max(state["price"], int(float(body["amount"])))
                elif r.status_code == 409:
                    counts["refused"] += 1
                    state["price"] = max(state["price"], amount)
                else:
                    counts["error"] += 1

    threads = [threading.Thread(target=run, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return accepted, counts["ok"], counts["refused"], counts["error"]


def in_process(lot_id: int, threads: int, seconds: float, naive: bool) -> int:
    """Bids/s in-process: the product's place_bid, or a naive global-lock read-modify-write."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from zhixing.auctions import services
    from zhixing.auctions.models import Bid, Bidder, Lot, Registration

    bidders = list(Bidder.objects.order_by("pk")[:threads])
    big = threading.Lock()
    done = [0]
    deadline = time.perf_counter() + seconds

    def run(b: Bidder) -> None:
        reg = Registration.objects.get(lot_id=lot_id, bidder=b)
        while time.perf_counter() < deadline:
            try:
                if naive:
                    with big, transaction.atomic():
                        lot = Lot.objects.get(pk=lot_id)
                        price = (lot.current_price or lot.start_price) + lot.increment
                        Bid.objects.create(
                            lot=lot,
                            registration=reg,
                            seq=lot.bid_count + 1,
                            amount=price,
                            at=timezone.now(),
                            ends_at=lot.ends_at,
                        )
                        Lot.objects.filter(pk=lot_id).update(
                            current_price=price, bid_count=lot.bid_count + 1, leader=reg
                        )
                else:
                    lot = Lot.objects.only("current_price", "increment", "start_price").get(pk=lot_id)
                    services.place_bid(
                        b, lot_id, (lot.current_price or lot.start_price) + Decimal(lot.increment)
                    )
                done[0] += 1
            except Exception:
                pass
        connection.close()

    ts = [threading.Thread(target=run, args=(b,)) for b in bidders]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--bidders", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--watchers", type=int, default=200)
    ap.add_argument("--entry", choices=("server", "launcher"), default="server")
    ap.add_argument("--port", type=int, default=8810)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--skip-seed", action="store_true")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--naive-threads", type=int, default=8)
    args = ap.parse_args()
    env = prepare(args)
    import django

    django.setup()
    from django.db import connections

    from tests.live_asgi import LiveASGI
    from zhixing.auctions.models import Bid, Lot

    t0 = time.perf_counter()
    lot_id, tokens = setup_lot(args.bidders)
    print(f"准备：标的 {lot_id}，竞买人 {len(tokens)}（{time.perf_counter() - t0:.1f} s，不计时）")
    connections.close_all()
    server = LiveASGI(
        env.data_dir,
        entry=args.entry,
        env={"PORT": str(args.port)}
        | ({"DATABASE_URL": os.environ["DATABASE_URL"]} if args.db == "postgres" else {}),
    )
    # The port block of this benchmark (not a random free port): the shared machine's agreement.
    server.port = args.port
    server.url = f"http://127.0.0.1:{args.port}"
    server.env["PORT"] = str(args.port)
    server.start(timeout=180)
    base = f"http://127.0.0.1:{args.port}"
    try:
        watchers = Watchers(f"ws://127.0.0.1:{args.port}/ws/auctions/{lot_id}/", base, args.watchers)
        watchers.start()
        wait = time.perf_counter() + 120
        while watchers.connected < args.watchers and time.perf_counter() < wait:
            time.sleep(0.2)
        print(f"WebSocket 围观者已连接 {watchers.connected}/{args.watchers}")
        start = time.perf_counter()
        accepted, ok, refused, errors = hammer(base, lot_id, tokens, args.seconds)
        elapsed = time.perf_counter() - start
        time.sleep(2)  # the last broadcasts
        watchers.finish()
    finally:
        server.stop()
    # Correctness in the database.
    rows = list(Bid.objects.filter(lot_id=lot_id).order_by("seq").values_list("seq", "amount", "at"))
    lot = Lot.objects.get(pk=lot_id)
    seqs = [s for s, _, _ in rows]
    rising = all(b[1] > a[1] for a, b in itertools.pairwise(rows))
    lost_or_dup = len(rows) != ok or len(set(seqs)) != len(seqs) or sorted(s for s, _ in accepted) != seqs
    late = sum(1 for _, _, at in rows if at > lot.ends_at)
    latencies = [
        (arrival - sent) * 1000 for seq, sent in accepted for arrival in watchers.arrivals.get(seq, [])
    ]
    delivered = sum(len(watchers.arrivals.get(seq, [])) for seq, _ in accepted)
    expected = len(accepted) * watchers.connected
    which = (
        "python -m zhixing.config.server（部署文档）" if args.entry == "server" else "make run 的 launcher"
    )
    print(f"\n服务器：{which}，数据库 {args.db}")
    total = ok + refused + errors
    print(f"出价请求 {total} 个 / {elapsed:.1f} s：受理 {ok}，被超价拒绝 {refused}，错误 {errors}")
    processed = (ok + refused) / elapsed
    print(
        f"处理速率 {processed:.1f} 次/s（受理 {ok / elapsed:.1f} 次/s）；目标 ≥ {TARGET_BIDS:.0f}/s："
        f"{'PASS' if processed >= TARGET_BIDS else 'FAIL'}"
    )
    whole = rising and not lost_or_dup
    print(f"数据库出价 {len(rows)} 条，与受理数一致、序号唯一、金额严格递增：{whole}；结束后出价 {late} 条")
    if latencies:
        lat = sorted(latencies)
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        met = p99 < TARGET_P99_MS and watchers.connected >= 10000
        print(
            f"广播：{delivered}/{expected} 条送达，p50 {p50:.1f} ms，p99 {p99:.1f} ms，"
            f"{watchers.connected} 个围观者"
        )
        print(
            f"目标 p99 < {TARGET_P99_MS:.0f} ms 至 10,000 个围观者："
            f"{'PASS' if met else 'FAIL（规模或延迟未达）'}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"压测进程峰值内存 {rss:.0f} MB")
    # In-process comparison on the same database (the server stopped).
    product = in_process(lot_id, args.naive_threads, args.seconds / 2, naive=False) / (args.seconds / 2)
    naive = in_process(lot_id, args.naive_threads, args.seconds / 2, naive=True) / (args.seconds / 2)
    ratio = product / naive if naive else 0
    print(f"进程内：产品 place_bid {product:.1f} 次/s，朴素全局锁读改写 {naive:.1f} 次/s，比值 {ratio:.2f}")
    cleanup(env, args.keep)


if __name__ == "__main__":
    main()
