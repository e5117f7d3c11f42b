#!/usr/bin/env python
"""Hot-lot bidding benchmark (issue 18): bids/s on the real bid endpoint, WebSocket broadcast latency to
N watchers, server memory, and the ratio against a naive locked read-modify-write.

    DATABASE_URL=postgres://postgres@127.0.0.1:54391/postgres .venv/bin/python \
        benchmarks/bench_auction_bids.py --db postgres --workers 2 --redis-url redis://127.0.0.1:63791/1 \
        --bidders 200 --seconds 20 --watchers 2000
    .venv/bin/python benchmarks/bench_auction_bids.py --entry launcher --bidders 200 --seconds 20 \
        --watchers 2000

1. A fresh database (SQLite in a temporary DATA_DIR, or a new PostgreSQL database on DATABASE_URL's
   server), migrated; one court, a case, a seized house, its reference price and one published lot
   bidding now (ending in a day, so no extension interferes); `--bidders` real-name bidders, each
   registered for the lot with its deposit booked in the ledger (not timed).
2. The server — `python -m zhixing.config.server` with `--workers` uvicorn workers (the documented
   deployment, docs/deploy.md; with `--redis-url` its Channels layer and shared cache, a throwaway Redis
   whose database is flushed first) or `python -m zhixing.config.launcher` (what `make run` starts) —
   on 127.0.0.1:`--port`.
3. `--watchers` WebSocket clients, in `--watcher-procs` processes of their own (one uvloop each, raw
   sockets, frames parsed in place: one (receipt, first seq, last seq) triple per frame), connect to
   /ws/auctions/<lot>/ and stay.
4. Timed: every bidder, over its own keep-alive connection (asyncio protocols in this process, raw
   HTTP/1.1, the status and length read from the bytes), posts bids as fast as it can for `--seconds` —
   each bid the current price it last saw plus the increment — to POST /api/v1/auctions/lots/<id>/bids
   with its X-Bidder-Token. Accepted (201) and refused (409: outbid meanwhile) responses are counted;
   the processed rate is both together. The server's gateway judges the bids waiting in a worker as one
   group in one transaction (group commit, `services.place_bids`).
5. Broadcast latency over every (accepted bid, watcher) pair: from the bidder's send, and from the
   server's arrival time (the bid's `at`), to the watcher's receipt of the frame listing the bid;
   p50 / p99 (a 0.1 ms histogram), the delivered share, the sampled frame encoding (`server_now`) →
   receipt, the accepted bids' send → arrival, and the watcher processes' CPU per frame per socket.
6. Correctness: the bids in the database equal the accepted responses (none lost, none duplicated),
   their amounts rise strictly with the sequence, none is later than the end, and each has its audit
   record.
7. Memory: the server's resident memory (all workers) after the watchers connected and its peak.
8. The naive baseline in the same database: `--naive-threads` threads, each taking a process-wide lock
   and doing read-modify-write on the lot through the ORM (read price, insert bid, update lot) for
   half of `--seconds`; and the product's `place_bid` service in-process, the same way (each thread
   bidding the price it read plus the increment, so the losers of a race are refused). Bids/s of each
   and the ratio product/naive.

Prints every figure; the targets of the issue (≥ 1,000 bids/s, p99 < 500 ms to 10,000 watchers) are
printed beside them, PASS/FAIL, and the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import resource
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

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
    from zhixing.auctions.services import sandbox_bank
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
        sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"BENCH-{i}", amount=reg.deposit_due)
        tokens.append(token)
    assert Lot.objects.get(pk=lot.pk).status == "announced"
    return lot.pk, tokens


SEQ = re.compile(rb'"seq": (\d+)')
RECENT = b'"recent": ['
SEQ_KEY = b'"seq": '
SERVER_NOW = re.compile(rb'"server_now": "([^"]+)"')
SAMPLE_EVERY = 100  # one client in 100 also reads its frames' encoding time (`server_now`)


def _seq_at(buf: Any, pos: int) -> int:
    """The number written at buf[pos:] (digits up to the first non-digit)."""
    end = pos
    while 48 <= buf[end] <= 57:
        end += 1
    return int(buf[pos:end])


def _watch(host: str, port: int, path: str, n: int, conn: Any, deflate: bool = True) -> None:
    """Child process: n WebSocket clients on raw sockets in one uvloop, reading with as little Python
    per frame as possible (the clients' reads share the machine's two cores with the server): the
    handshake and frame headers by hand, frames parsed in place in the receive buffer (no copy), no
    JSON. A frame lists the bids since the previous frame in `recent`, in sequence order; when they are
    consecutive (the rule: each worker's feed sends every bid once) only the first and last sequence
    numbers are read and the frame is recorded as one (receipt time, first, last) triple; otherwise
    every sequence number is read. A bitmap per client counts each bid once (a bid a later frame lists
    again is not a second delivery). Reports how many connected, then (when told to stop) the triples,
    its CPU time and frame count. Receipt times are perf_counter (CLOCK_MONOTONIC: comparable across
    processes); the parent turns them into latencies from the bidder's send and the server's arrival."""
    import array
    import base64
    from datetime import datetime

    import uvloop

    triples: array.array = array.array("d")  # (receipt time, first seq, last seq) per frame and client
    encoded: array.array = array.array("d")  # sampled clients: (receipt time, the frame's `server_now`)
    state = {"connected": 0, "failed": 0, "frames": 0, "closed": 0, "compressed": 0, "scattered": 0}
    offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" if deflate else ""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Origin: http://{host}:{port}\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"{offer}\r\n"
    ).encode()

    stopping = threading.Event()

    class Client(asyncio.Protocol):
        def __init__(self, ready: asyncio.Future[bool], sample: bool) -> None:
            self.sample = sample
            self.buf = bytearray()
            self.open = False
            self.ready = ready
            self.seen = bytearray(1 << 16)  # seq → already received
            self.transport: Any = None

        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            transport.write(request)

        def connection_lost(self, exc: Exception | None) -> None:
            if self.open and not stopping.is_set():  # closed by the server (or lost) mid-run
                state["closed"] += 1
            if not self.ready.done():
                self.ready.set_result(False)

        def data_received(self, data: bytes) -> None:
            now = time.perf_counter()
            buf = self.buf
            buf += data
            if not self.open:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    return
                head = bytes(buf[:end]).lower()
                del buf[: end + 4]
                if not head.startswith(b"http/1.1 101"):
                    self.ready.set_result(False)
                    self.transport.close()
                    return
                if b"sec-websocket-extensions" in head:
                    state["compressed"] += 1  # frames would need inflating: not what is measured
                self.open = True
                self.ready.set_result(True)
            pos, size = 0, len(buf)
            while size - pos >= 2:
                length, start = buf[pos + 1] & 0x7F, pos + 2
                if length == 126:
                    if size - pos < 4:
                        break
                    length, start = (buf[pos + 2] << 8) | buf[pos + 3], pos + 4
                elif length == 127:
                    if size - pos < 10:
                        break
                    length, start = int.from_bytes(buf[pos + 2 : pos + 10], "big"), pos + 10
                stop = start + length
                if stop > size:
                    break
                opcode = buf[pos] & 0x0F
                if opcode == 1:
                    self.frame(now, buf, start, stop)
                elif opcode == 9:  # uvicorn's keepalive ping: a masked pong (zero key) or it closes us
                    self.transport.write(bytes([0x8A, 0x80 | length]) + b"\0\0\0\0" + bytes(buf[start:stop]))
                pos = stop
            if pos:
                del buf[:pos]

        def frame(self, now: float, buf: bytearray, start: int, stop: int) -> None:
            state["frames"] += 1
            at = buf.find(RECENT, start, stop)
            if at < 0:
                return
            first = buf.find(SEQ_KEY, at, stop)
            if first < 0:  # nothing new (a frame of the watchers' count only)
                return
            last = buf.rfind(SEQ_KEY, at, stop)
            if self.sample:
                m = SERVER_NOW.search(buf, start, stop)
                if m is not None:
                    encoded.extend((now, datetime.fromisoformat(m.group(1).decode()).timestamp()))
            lo, hi = _seq_at(buf, first + 7), _seq_at(buf, last + 7)
            seen = self.seen
            if hi >= len(seen):
                seen.extend(bytes(hi + 65536 - len(seen)))
            if hi - lo + 1 == buf.count(SEQ_KEY, at, stop) and seen.find(1, lo, hi + 1) < 0:
                seen[lo : hi + 1] = b"\1" * (hi + 1 - lo)  # consecutive and all new: one triple
                triples.extend((now, lo, hi))
                return
            state["scattered"] += 1
            for raw in SEQ.findall(bytes(buf[at:stop])):
                seq = int(raw)
                if not seen[seq]:
                    seen[seq] = 1
                    triples.extend((now, seq, seq))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(100)  # handshakes in flight (the server opens a snapshot for each)
        clients: list[Client] = []

        async def one(i: int) -> None:
            async with gate:
                ready: asyncio.Future[bool] = loop.create_future()
                client = Client(ready, i % SAMPLE_EVERY == 0)
                try:
                    await loop.create_connection(lambda: client, host, port)
                    ok = await asyncio.wait_for(ready, 120)
                except (OSError, TimeoutError) as exc:
                    ok = False
                    if state["failed"] < 3:
                        print(f"  watcher failed: {exc!r}", file=sys.stderr)
                if ok:
                    state["connected"] += 1
                    clients.append(client)
                else:
                    state["failed"] += 1

        await asyncio.gather(*(one(i) for i in range(n)))
        conn.send(("connected", state["connected"]))
        cpu0 = os.times()
        await loop.run_in_executor(None, conn.recv)  # the parent says stop
        cpu1 = os.times()
        stopping.set()
        for c in clients:
            c.transport.close()
        cpu = cpu1.user - cpu0.user + cpu1.system - cpu0.system
        print(f"  围观者进程 {os.getpid()}：{state}，CPU {cpu:.1f} s", file=sys.stderr)
        lost = state["failed"] + state["closed"]
        conn.send(("triples", triples.tobytes(), state["frames"], lost, cpu, encoded.tobytes()))

    uvloop.run(main())


class Watchers:
    """`_watch` in `procs` processes of their own (their own cores and GILs, as real viewers would be)."""

    def __init__(self, host: str, port: int, path: str, n: int, deflate: bool = True, procs: int = 1) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        procs = max(1, min(procs, n or 1))
        self.conns, self.procs = [], []
        for i in range(procs):
            share = n // procs + (1 if i < n % procs else 0)
            parent, child = ctx.Pipe()
            self.conns.append(parent)
            self.procs.append(
                ctx.Process(target=_watch, args=(host, port, path, share, child, deflate), daemon=True)
            )
        self.connected = 0
        self.frames = 0
        self.failed = 0
        self.cpu = 0.0  # the watcher processes' CPU seconds while the bids ran
        self.triples: list[Any] = []  # numpy (k, 3) arrays: receipt time, first seq, last seq
        self.encoded: list[Any] = []  # numpy (k, 2) arrays: receipt time, the frame's `server_now`

    def start(self, timeout: float) -> None:
        for proc in self.procs:
            proc.start()
        deadline = time.perf_counter() + timeout
        for conn in self.conns:
            if conn.poll(max(1.0, deadline - time.perf_counter())):
                self.connected += conn.recv()[1]

    def finish(self) -> None:
        import numpy as np

        for conn in self.conns:
            conn.send("stop")
        for conn in self.conns:
            if not conn.poll(120):
                continue
            _, raw, frames, failed, cpu, enc = conn.recv()
            self.encoded.append(np.frombuffer(enc, dtype=np.float64).reshape(-1, 2))
            self.frames += frames
            self.failed += failed
            self.cpu += cpu
            self.triples.append(np.frombuffer(raw, dtype=np.float64).reshape(-1, 3))
        for proc in self.procs:
            proc.join(timeout=30)


def pair_latencies(triples: list[Any], base: int, origin: Any) -> tuple[Any, int]:
    """Every (bid, watcher) delivery's latency in ms from the bid's `origin` time (perf_counter seconds,
    indexed by seq - base; NaN where unknown) to its frame's receipt, as a histogram of 0.1 ms bins
    (the pairs may be hundreds of millions: the triples are expanded a chunk at a time); and how many
    deliveries had no origin."""
    import numpy as np

    bins = np.zeros(1_200_001, dtype=np.int64)  # 0.1 ms bins up to 120 s (the last holds the rest)
    unknown = 0
    for block in triples:
        for chunk in range(0, len(block), 200_000):
            part = block[chunk : chunk + 200_000]
            lo = part[:, 1].astype(np.int64) - base
            counts = part[:, 2].astype(np.int64) - base - lo + 1
            seqs = np.repeat(lo, counts) + (
                np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
            )
            ok = (seqs >= 0) & (seqs < len(origin))
            t0 = np.full(len(seqs), np.nan)
            t0[ok] = origin[seqs[ok]]
            ms = (np.repeat(part[:, 0], counts) - t0) * 1000
            known = ~np.isnan(ms)
            unknown += int((~known).sum())
            idx = np.clip((ms[known] * 10).astype(np.int64), 0, len(bins) - 1)
            bins += np.bincount(idx, minlength=len(bins))
    return bins, unknown


def quantiles(bins: Any, *qs: float) -> list[float]:
    """The qs-quantiles (ms) of a 0.1 ms histogram."""
    import numpy as np

    total = int(bins.sum())
    if not total:
        return [float("nan") for _ in qs]
    cum = np.cumsum(bins)
    return [float(np.searchsorted(cum, q * total, side="left")) / 10 for q in qs]


def hammer(
    host: str, port: int, lot_id: int, tokens: list[str], seconds: float, price: int = 700000 - 100
) -> tuple[list[tuple[int, float]], int, int, int]:
    """Every bidder bids as fast as it can over its own keep-alive connection: one uvloop, raw
    HTTP/1.1 on asyncio protocols (the status and Content-Length read from the response's bytes, the
    body parsed only for an accepted bid), so that the load generator takes as little of the shared
    cores as it can; returns (accepted (seq, send time)), accepted, refused, errors."""
    import uvloop

    state = {"price": price}
    accepted: list[tuple[int, float]] = []
    counts = {"ok": 0, "refused": 0, "error": 0}
    path = f"/api/v1/auctions/lots/{lot_id}/bids"

    class Bidder(asyncio.Protocol):
        def __init__(self, token: str, deadline: float, done: asyncio.Future[None]) -> None:
            self.head = (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nX-Bidder-Token: {token}\r\n"
                "Content-Type: application/json\r\nContent-Length: "
            ).encode()
            self.deadline, self.done = deadline, done
            self.buf = bytearray()
            self.transport: Any = None
            self.sent = 0.0
            self.amount = 0
            self.waiting = False

        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.bid()

        def connection_lost(self, exc: Exception | None) -> None:
            if self.waiting:  # the connection went away with a bid unanswered
                counts["error"] += 1
            if not self.done.done():
                self.done.set_result(None)

        def bid(self) -> None:
            if time.perf_counter() >= self.deadline:
                self.transport.close()
                return
            self.amount = state["price"] + 100
            body = b'{"amount": "%d"}' % self.amount
            self.sent = time.perf_counter()
            self.waiting = True
            self.transport.write(self.head + b"%d\r\n\r\n" % len(body) + body)

        def data_received(self, data: bytes) -> None:
            buf = self.buf
            buf += data
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            at = buf.find(b"content-length:", 0, end)
            length = int(buf[at + 15 : buf.find(b"\r\n", at, end + 2)]) if at >= 0 else 0
            if len(buf) < end + 4 + length:
                return
            status = int(buf[9:12])
            self.waiting = False
            if status == 201:
                counts["ok"] += 1
                got = json.loads(bytes(buf[end + 4 : end + 4 + length]))
                accepted.append((int(got["seq"]), self.sent))
                state["price"] = max(state["price"], int(float(got["amount"])))
            elif status == 409:
                counts["refused"] += 1
                state["price"] = max(state["price"], self.amount)
            else:
                counts["error"] += 1
            del buf[: end + 4 + length]
            self.bid()

    async def run(token: str, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        while time.perf_counter() < deadline:
            done: asyncio.Future[None] = loop.create_future()
            try:
                await loop.create_connection(lambda: Bidder(token, deadline, done), host, port)
                await done
            except OSError:
                counts["error"] += 1
                await asyncio.sleep(0.1)

    async def main() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(run(t, deadline) for t in tokens))

    uvloop.run(main())
    return accepted, counts["ok"], counts["refused"], counts["error"]


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return out


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process tree (the server's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue
    return total / tick


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the server's workers), MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


class Sampler(threading.Thread):
    """The server's peak RSS, sampled every half second."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))


def in_process(lot_id: int, threads: int, seconds: float, naive: bool) -> tuple[int, int]:
    """In-process (processed, accepted): the product's place_bid (each thread bidding the price it
    read plus the increment; the losers of a race are refused), or a naive global-lock
    read-modify-write (never refused)."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from zhixing.auctions import services
    from zhixing.auctions.models import Bid, Bidder, Lot, Registration
    from zhixing.core.errors import Conflict

    bidders = list(Bidder.objects.order_by("pk")[:threads])
    big = threading.Lock()
    done = [0]
    refused = [0]
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
            except Conflict:
                refused[0] += 1
            except Exception:
                pass
        connection.close()

    ts = [threading.Thread(target=run, args=(b,)) for b in bidders]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done[0] + refused[0], done[0]


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
    ap.add_argument("--state-file", default="", help="the seeded lot and tokens (read with --skip-seed)")
    ap.add_argument("--seed-only", action="store_true", help="seed (kept) and stop")
    ap.add_argument("--naive-threads", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn workers (--entry server)")
    ap.add_argument("--watcher-procs", type=int, default=0, help="watcher processes (default: one per 2,500)")
    ap.add_argument(
        "--no-ws-deflate",
        action="store_true",
        help="watchers do not offer permessage-deflate (diagnosis: the server's per-socket compression)",
    )
    ap.add_argument(
        "--redis-url",
        default="",
        help="a throwaway Redis for the server (Channels layer, shared cache); its database is flushed",
    )
    args = ap.parse_args()
    args.watcher_procs = args.watcher_procs or max(1, -(-args.watchers // 2500))
    if args.workers > 1 and not args.redis_url:
        sys.exit("--workers > 1 needs --redis-url: watchers hear other workers' bids through Redis")
    env = prepare(args)
    import django

    django.setup()
    from django.db import connections

    from tests.live_asgi import LiveASGI
    from zhixing.auctions.models import Bid, Lot

    t0 = time.perf_counter()
    state_file = Path(args.state_file) if args.state_file else None
    if args.skip_seed:
        if state_file is None or not state_file.exists():
            sys.exit("--skip-seed needs --state-file written by an earlier --keep run")
        saved = json.loads(state_file.read_text())
        lot_id, tokens = saved["lot"], saved["tokens"][: args.bidders]
    else:
        lot_id, tokens = setup_lot(args.bidders)
        if state_file is not None:
            state_file.write_text(json.dumps({"lot": lot_id, "tokens": tokens}))
    print(f"准备：标的 {lot_id}，竞买人 {len(tokens)}（{time.perf_counter() - t0:.1f} s，不计时）")
    if args.seed_only:
        cleanup(env, keep=True)
        return
    lot = Lot.objects.get(pk=lot_id)
    first_bid = int(lot.current_price or lot.start_price - lot.increment)
    seq0 = lot.bid_count  # bids of earlier runs on a kept database
    from zhixing.core.models import AuditRecord

    audit0 = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    connections.close_all()
    server_env = {"PORT": str(args.port), "WEB_CONCURRENCY": str(args.workers)}
    if args.db == "postgres":
        server_env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if args.redis_url:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        server_env["REDIS_URL"] = args.redis_url
    server = LiveASGI(env.data_dir, entry=args.entry, env=server_env)
    # The port block of this benchmark (not a random free port): the shared machine's agreement.
    server.port = args.port
    server.url = f"http://127.0.0.1:{args.port}"
    server.env["PORT"] = str(args.port)
    server.start(timeout=180)
    assert server.proc is not None
    sampler = Sampler(server.proc.pid)
    sampler.start()
    try:
        watchers = Watchers(
            "127.0.0.1",
            args.port,
            f"/ws/auctions/{lot_id}/",
            args.watchers,
            not args.no_ws_deflate,
            args.watcher_procs,
        )
        t1 = time.perf_counter()
        watchers.start(timeout=600)
        idle_rss = rss_mb(server.proc.pid)
        print(
            f"WebSocket 围观者已连接 {watchers.connected}/{args.watchers}"
            f"（{time.perf_counter() - t1:.1f} s）；"
            f"服务器内存 {idle_rss:.0f} MB"
        )
        load0 = os.getloadavg()[0]
        server_cpu0 = cpu_s(server.proc.pid)
        start = time.perf_counter()
        cpu0 = os.times()
        accepted, ok, refused, errors = hammer(
            "127.0.0.1", args.port, lot_id, tokens, args.seconds, first_bid
        )
        elapsed = time.perf_counter() - start
        cpu1 = os.times()
        server_cpu = cpu_s(server.proc.pid) - server_cpu0
        time.sleep(3)  # the last broadcasts
        watchers.finish()
    finally:
        sampler.done.set()
        server.stop()
    trouble = [line for line in server.output().splitlines() if "dropped" in line or "Error" in line]
    if trouble:
        print(f"服务器日志：{len(trouble)} 行警告或错误，例如：", *trouble[:3], sep="\n  ")
    print(
        f"负载（uptime 1 分钟平均）开始 {load0:.2f}，结束 {os.getloadavg()[0]:.2f}；"
        f"出价客户端 CPU {cpu1.user - cpu0.user + cpu1.system - cpu0.system:.1f} s；"
        f"服务器（全部 worker）CPU {server_cpu:.1f} s / {elapsed:.1f} s"
    )
    # Correctness in the database.
    rows = list(
        Bid.objects.filter(lot_id=lot_id, seq__gt=seq0).order_by("seq").values_list("seq", "amount", "at")
    )
    lot = Lot.objects.get(pk=lot_id)
    seqs = [s for s, _, _ in rows]
    rising = all(b[1] > a[1] for a, b in itertools.pairwise(rows))
    lost_or_dup = len(rows) != ok or len(set(seqs)) != len(seqs) or sorted(s for s, _ in accepted) != seqs
    late = sum(1 for _, _, at in rows if at > lot.ends_at)
    import numpy as np

    # Every (bid, watcher) delivery timed twice: from the bidder's send (what a bidder waits, the
    # closed loop's queueing at the server included) and from the server's arrival time (the bid's
    # `at`, wall clock, turned into perf_counter: the broadcast's own latency).
    base = seq0 + 1
    span = (max(seqs) - base + 1) if seqs else 0
    wall_to_perf = time.time() - time.perf_counter()
    sent_at = np.full(span, np.nan)
    for seq, sent in accepted:
        if 0 <= seq - base < span:
            sent_at[seq - base] = sent
    arrived_at = np.full(span, np.nan)
    for seq, _, at in rows:
        arrived_at[seq - base] = at.timestamp() - wall_to_perf
    from_send, _ = pair_latencies(watchers.triples, base, sent_at)
    from_arrival, stray = pair_latencies(watchers.triples, base, arrived_at)
    delivered = int(from_arrival.sum())
    expected = len(rows) * watchers.connected
    queued = sorted(
        (arrived_at[seq - base] - sent) * 1000 for seq, sent in accepted if 0 <= seq - base < span
    )
    which = (
        "python -m zhixing.config.server（部署文档）" if args.entry == "server" else "make run 的 launcher"
    )
    deflate = (
        "围观者不提供 permessage-deflate（诊断）"
        if args.no_ws_deflate
        else "围观者提供 permessage-deflate（同浏览器）"
    )
    print(f"\n服务器：{which}，数据库 {args.db}，{args.workers} 个 worker；{deflate}")
    total = ok + refused + errors
    print(f"出价请求 {total} 个 / {elapsed:.1f} s：受理 {ok}，被超价拒绝 {refused}，错误 {errors}")
    processed = (ok + refused) / elapsed
    if ok + refused:
        print(f"服务器 CPU 每次出价 {server_cpu / (ok + refused) * 1000:.2f} ms（含向围观者推送）")
    print(
        f"处理速率 {processed:.1f} 次/s（受理 {ok / elapsed:.1f} 次/s）；目标 ≥ {TARGET_BIDS:.0f}/s："
        f"{'PASS' if processed >= TARGET_BIDS else 'FAIL'}"
    )
    whole = rising and not lost_or_dup
    print(f"数据库出价 {len(rows)} 条，与受理数一致、序号唯一、金额严格递增：{whole}；结束后出价 {late} 条")
    if delivered:
        p50, p99 = quantiles(from_send, 0.5, 0.99)
        a50, a99 = quantiles(from_arrival, 0.5, 0.99)
        met = a99 < TARGET_P99_MS and p99 < TARGET_P99_MS and watchers.connected >= 10000
        print(
            f"广播：{delivered}/{expected} 对（出价 × 围观者）送达（{delivered / max(expected, 1):.1%}），"
            f"{watchers.connected} 个围观者；重复或不属本次的 {stray}"
        )
        print(f"出价人发出 → 围观者收到：p50 {p50:.1f} ms，p99 {p99:.1f} ms（含出价在服务器前后的排队）")
        print(
            f"服务器收到出价（at）→ 围观者收到：p50 {a50:.1f} ms，p99 {a99:.1f} ms（广播本身：合并提交、"
            "Redis、每 tick 一帧、逐个套接字写出、围观者进程读取）"
        )
        enc = np.concatenate(watchers.encoded) if watchers.encoded else np.zeros((0, 2))
        if len(enc):
            e50, e99 = np.percentile((enc[:, 0] + wall_to_perf - enc[:, 1]) * 1000, [50, 99])
            print(
                f"其中帧编码（server_now）→ 围观者收到：p50 {e50:.1f} ms，p99 {e99:.1f} ms"
                f"（逐个套接字写出与围观者进程的读取；{len(enc)} 个抽样）"
            )
        if queued:
            print(
                f"受理出价：出价人发出 → 服务器到达时刻 p50 {statistics.median(queued):.1f} ms，"
                f"p99 {queued[min(len(queued) - 1, int(len(queued) * 0.99))]:.1f} ms（闭环排队）"
            )
        print(
            f"目标 p99 < {TARGET_P99_MS:.0f} ms 至 10,000 个围观者："
            f"{'PASS' if met else 'FAIL（规模或延迟未达）'}"
        )
    reads = watchers.frames
    print(
        f"围观者收到的帧 {reads}（合并发送：每帧列出上一帧以来的全部出价）；"
        f"连接失败或中途断开 {watchers.failed}；围观者进程 CPU {watchers.cpu:.1f} s"
        + (f"，每帧每套接字 {watchers.cpu / reads * 1e6:.1f} µs" if reads else "")
    )
    audited = AuditRecord.objects.filter(action="auctions.bid", object_id=str(lot_id), pk__gt=audit0).count()
    print(f"审计记录 auctions.bid {audited} 条（应等于数据库出价 {len(rows)} 条）：{audited == len(rows)}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"服务器峰值内存 {sampler.peak:.0f} MB（全部 worker）；压测主进程峰值内存 {rss:.0f} MB")
    # In-process comparison on the same database (the server stopped).
    half = args.seconds / 2
    p_all, p_ok = in_process(lot_id, args.naive_threads, half, naive=False)
    n_all, _ = in_process(lot_id, args.naive_threads, half, naive=True)
    ratio = p_all / n_all if n_all else 0
    print(
        f"进程内（{args.naive_threads} 线程）：产品 place_bid 处理 {p_all / half:.1f} 次/s"
        f"（受理 {p_ok / half:.1f}），"
        f"朴素全局锁读改写 {n_all / half:.1f} 次/s，比值 {ratio:.2f}"
    )
    if n_all:
        print(
            f"产品路径（服务器，合并提交）处理 {processed:.1f} 次/s ÷ 朴素 {n_all / half:.1f} 次/s = "
            f"{processed / (n_all / half):.2f}"
        )
    cleanup(env, args.keep)


if __name__ == "__main__":
    main()
