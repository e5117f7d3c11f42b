#!/usr/bin/env python
"""Single signed bank notices over HTTP on the platform as users run it (not a pytest test).

    .venv/bin/python benchmarks/bench_funds_inbox.py --db postgres [--notices 20000] [--rate 1200]
        [--conns 32] [--courts 4] [--cases 1000] [--web-workers 4] [--huey-workers 4]
        [--batched 20000] [--batch 500] [--database-url URL]
    .venv/bin/python benchmarks/bench_funds_inbox.py --db sqlite [--notices 3000] [--rate 0]

PostgreSQL — the documented deployment (docs/deploy.md): unless ``--database-url`` is given, a
throwaway PostgreSQL cluster is initialised in a temporary directory with the server's DURABLE defaults
(``fsync=on``, ``synchronous_commit=on``; the benchmark prints both and refuses a server where either
is off unless ``--allow-nondurable``), plus its own ``redis-server``; then ``python -m
zhixing.config.server --workers N`` (uvicorn) and ``python manage.py run_huey --workers M
--worker-type thread`` (the booker) on ``DATABASE_URL`` + ``REDIS_URL``. SQLite — ``make run``'s
launcher (``python -m zhixing.config.launcher``: one uvicorn worker, the Huey consumer, the sandbox).

Data: ``--courts`` courts, each with a custody account and ``--cases`` cases with open sub-accounts.
Load: a separate process sends real signed single notices (partner protocol, each to a case
sub-account of court i mod courts, Idempotency-Key = txn id; signed before the clock starts) over
``--conns`` keep-alive HTTP/1.1 connections, paced at ``--rate``/s (latency from each request's
scheduled send time, so a slow server cannot hide queueing) or closed-loop with ``--rate 0``.

Printed: accepted/s (200 answers / wall time), p50/p99/max acknowledgment latency, errors; the time
until every notice is booked and the max and p99 notice→booked latency (the inbox row's ``booked_at``
minus the load generator's scheduled send time, one clock) against the 2 s target; then the batch
endpoint in the same run (``--batched`` transfers in signed batch notices of ``--batch``, closed loop
over 2 connections) and the ratio; the ledger checks (every notice booked once: one receipt, one
``receipt:`` transaction, entries summing to zero); CPU seconds of the web workers, the booker,
PostgreSQL and the load generator; the balance read (``queries.balance``, one row) against the naive
sum over entries on a case with many entries. Targets: ≥ 1,000 accepted/s on PostgreSQL with every
notice booked within 2 s; balance read < 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
PY = sys.executable
PATH = "/api/v1/funds/bank/notices"
DAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
PGBIN = (
    Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
    if Path("/usr/lib/postgresql").exists()
    else None
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def cpu_of_tree(pid: int) -> float:
    """CPU seconds (user+system) of a process and its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            parts = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(parts[1]), []).append(int(d.name))
        stats[int(d.name)] = (int(parts[11]) + int(parts[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total


# -- services: durable PostgreSQL cluster and Redis ------------------------------------------------------
class Services:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.pgdata = tmp / "pgdata"
        self.redis: subprocess.Popen | None = None

    def _as_postgres(self, cmd: str) -> None:
        if os.getuid() == 0:
            subprocess.run(
                ["su", "postgres", "-s", "/bin/bash", "-c", cmd], check=True, stdout=subprocess.DEVNULL
            )
        else:
            subprocess.run(["bash", "-c", cmd], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> tuple[str, str]:
        assert PGBIN is not None, "PostgreSQL binaries not found"
        os.chmod(self.tmp, 0o777)
        self.pgdata.mkdir()
        if os.getuid() == 0:
            shutil.chown(self.pgdata, "postgres")
        self._as_postgres(f"{PGBIN}/initdb -D {self.pgdata} -A trust -U postgres -E UTF8 --locale=C.UTF-8")
        # The server's own defaults for durability (fsync, synchronous_commit, full_page_writes: on).
        opts = f"-p {self.pg_port} -k {self.tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self._as_postgres(f"{PGBIN}/pg_ctl -D {self.pgdata} -w -l {self.tmp}/pg.log -o '{opts}' start")
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_port(self.redis_port)
        return (
            f"postgres://postgres@127.0.0.1:{self.pg_port}/zhixing_inbox",
            f"redis://127.0.0.1:{self.redis_port}/0",
        )

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        if (self.pgdata / "PG_VERSION").exists():
            self._as_postgres(f"{PGBIN}/pg_ctl -D {self.pgdata} -m fast stop")

    def pg_pids(self) -> list[int]:
        pidfile = self.pgdata / "postmaster.pid"
        return [int(pidfile.read_text().split()[0])] if pidfile.exists() else []


def create_db(url: str) -> None:
    import psycopg

    p = urlparse(url)
    admin = urlunparse(p._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        name = p.path.lstrip("/")
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
        fsync = conn.execute("SHOW fsync").fetchone()[0]
        sync = conn.execute("SHOW synchronous_commit").fetchone()[0]
    print(f"  PostgreSQL durability: fsync={fsync}, synchronous_commit={sync}", flush=True)
    if (fsync, sync) != ("on", "on") and not os.environ.get("BENCH_ALLOW_NONDURABLE"):
        raise SystemExit("the server does not flush commits to disk: the acks would not be durable")


# -- data -------------------------------------------------------------------------------------------------
def seed(courts: int, cases: int, hot_entries: int) -> tuple[list[tuple[str, list[str]]], int]:
    """Courts with custody accounts and open case sub-accounts; one hot case with many entries."""
    from django.db import connection, transaction

    from zhixing.cases.models import CaseType, EnforcementCase, InstrumentType
    from zhixing.courts import services as court_services
    from zhixing.funds import services
    from zhixing.funds.services import ledger

    targets = []
    cols = [f.column for f in EnforcementCase._meta.concrete_fields if f.column != "id"]
    tpl_id = None
    for j in range(courts):
        court = court_services.create_court(
            None, code=f"粤01{j + 10:02d}", name=f"基准法院{j + 1}", level="basic", parent=None
        )
        no = f"44002{j:06d}"
        services.set_custody_account(
            None,
            court,
            bank_name="沙箱托管银行",
            account_name=court.name,
            account_no=no,
            sub_prefix=f"77{j:04d}",
        )
        if tpl_id is None:
            tpl_id = EnforcementCase.objects.create(
                court=court,
                case_type=CaseType.objects.get(code="执"),
                year=2026,
                seq=0,
                number="BENCH-TPL",
                status="in_progress",
                applied_on=DAY,
                filed_on=DAY,
                instrument_type=InstrumentType.objects.first(),
                issuing_body="某法院",
                basis_number="（2025）粤0106民初1号",
                effective_on=DAY,
                performance_deadline=DAY,
                principal=Decimal("100000.00"),
            ).pk
        special = {"seq": "s.i", "number": f"'C{j}-' || s.i", "court_id": str(court.pk)}
        sel = [special.get(c, f"t.{c}") for c in cols]
        series = (
            f"generate_series(1, {cases}) AS s(i)"
            if connection.vendor == "postgresql"
            else f"(WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {cases}) "
            "SELECT i FROM g) AS s"
        )
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO cases_enforcementcase ({', '.join(cols)}) SELECT {', '.join(sel)} "
                f"FROM {series}, cases_enforcementcase t WHERE t.id = {tpl_id}"
            )
        services.backfill_case_accounts(court)
        accs = [
            services.case_account(c).number
            for c in EnforcementCase.objects.filter(court=court).exclude(pk=tpl_id).order_by("pk")
        ]
        targets.append((no, accs))
    # The hot case: many receipts, so the balance read is measured on a long account.
    hot = EnforcementCase.objects.get(pk=tpl_id)
    acc = services.case_account(hot)
    bank = ledger.get_account(hot.court_id, "bank")
    case_acc = ledger.get_account(hot.court_id, "case", hot.pk)
    with transaction.atomic():
        for start in range(0, hot_entries, 500):
            ledger.post_many(
                [
                    ledger.Posting(
                        key=f"hot:{i}",
                        kind="receipt",
                        court_id=hot.court_id,
                        case_id=hot.pk,
                        lines=[(bank, Decimal("1.00")), (case_acc, Decimal("-1.00"))],
                        memo="",
                        actor_name="",
                    )
                    for i in range(start, min(start + 500, hot_entries))
                ]
            )
    assert acc is not None
    return targets, hot.pk


# -- load generator ----------------------------------------------------------------------------------------
def signed_requests(targets: list[tuple[str, list[str]]], n: int, tag: str) -> list[tuple[str, bytes]]:
    from zhixing.core import partner_protocol as pp

    out = []
    for i in range(n):
        custody, accs = targets[i % len(targets)]
        txn = f"{tag}{i:07d}"
        payload = {
            "txn_id": txn,
            "amount": "12.34",
            "value_date": DAY.isoformat(),
            "to_account": accs[(i // len(targets)) % len(accs)],
            "custody_account_no": custody,
            "payer_name": "张三",
            "memo": "还款",
        }
        body = pp.encode_body(payload)
        h = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", PATH, body, txn)
        head = "".join(f"{k}: {v}\r\n" for k, v in h.items())
        raw = (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        out.append((txn, raw))
    return out


async def _conn(port: int, reqs: list, t0: float, interval: float, out: list, wall0: float) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    for k, (txn, raw) in enumerate(reqs):
        due = t0 + k * interval if interval else loop.time()
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        body = await reader.readexactly(length)
        done = loop.time()
        status = int(head[9:12])
        # (txn, status, latency from the scheduled send, wall-clock scheduled send time)
        out.append((txn, status, done - due, wall0 + (due - t0), body[:200] if status != 200 else b""))
    writer.close()


def run_load(port: int, reqs: list, rate: float, conns: int, q: mp.Queue) -> None:
    async def main() -> list:
        out: list = []
        loop = asyncio.get_running_loop()
        t0 = loop.time() + 0.3
        wall0 = time.time() + 0.3
        parts = [reqs[c::conns] for c in range(conns)]
        interval = conns / rate if rate else 0.0
        await asyncio.gather(
            *(
                _conn(port, p, t0 + (c / rate if rate else 0), interval, out, wall0)
                for c, p in enumerate(parts)
            )
        )
        return out

    c0 = time.process_time()
    t = time.perf_counter()
    out = asyncio.run(main())
    q.put((out, time.perf_counter() - t - 0.3, time.process_time() - c0))


def load(port: int, reqs: list, rate: float, conns: int) -> tuple[list, float, float]:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=run_load, args=(port, reqs, rate, conns, q))
    p.start()
    res = q.get()
    p.join()
    return res


def post_batches(port: int, bodies: list[bytes], conns: int) -> float:
    import http.client
    import threading

    def run(part: list[bytes]) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for raw in part:
            c.sock or c.connect()
            assert c.sock is not None
            c.sock.sendall(raw)
            r = http.client.HTTPResponse(c.sock)
            r.begin()
            data = r.read()
            if r.status != 200:
                print("  !! batch refused:", data[:200])

    threads = [threading.Thread(target=run, args=(bodies[i::conns],)) for i in range(conns)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return time.perf_counter() - t


def batch_requests(targets: list[tuple[str, list[str]]], n: int, size: int, tag: str) -> list[bytes]:
    from zhixing.core import partner_protocol as pp

    path = PATH + "/batch"
    out = []
    for b in range(0, n, size):
        custody, accs = targets[(b // size) % len(targets)]
        items = [
            {
                "txn_id": f"{tag}{i:07d}",
                "amount": "12.34",
                "value_date": DAY.isoformat(),
                "to_account": accs[i % len(accs)],
            }
            for i in range(b, min(b + size, n))
        ]
        key = f"{tag}-batch-{b}"
        body = pp.encode_body({"batch_id": key, "custody_account_no": custody, "notices": items})
        h = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, key)
        head = "".join(f"{k}: {v}\r\n" for k, v in h.items())
        out.append(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def wait_booked(tag: str, n: int, timeout: float) -> float:
    from zhixing.funds.models import BankNotice

    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        left = BankNotice.objects.filter(txn_id__startswith=tag, status="received").count()
        if left == 0:
            return time.perf_counter() - t
        time.sleep(0.05)
    return float("inf")


def check_ledger(tag: str, n: int, inbox: bool = True) -> str:
    from django.db.models import Count, Sum

    from zhixing.funds.models import BankNotice, Entry, Receipt, Transaction

    notices = BankNotice.objects.filter(txn_id__startswith=tag)
    booked = notices.filter(status="booked").count() if inbox else n
    receipts = Receipt.objects.filter(bank_txn_id__startswith=tag).count()
    txns = Transaction.objects.filter(idempotency_key__startswith=f"receipt:{tag}")
    twice = txns.values("idempotency_key").annotate(c=Count("id")).filter(c__gt=1).count()
    unbalanced = (
        Entry.objects.filter(transaction__in=txns)
        .values("transaction")
        .annotate(s=Sum("amount"))
        .exclude(s=0)
        .count()
    )
    ok = booked == receipts == txns.count() == n and twice == 0 and unbalanced == 0
    return (
        f"{booked:,} booked, {receipts:,} receipts, {txns.count():,} ledger transactions, {twice} twice, "
        f"{unbalanced} unbalanced: {'OK' if ok else 'MISMATCH'}"
    )


def booked_latency(tag: str, sent: dict[str, float]) -> tuple[list[float], list[float]]:
    """(scheduled send → booked, recorded (ack) → booked) per notice, in seconds."""
    from zhixing.funds.models import BankNotice

    out, behind = [], []
    rows = BankNotice.objects.filter(txn_id__startswith=tag).values_list("txn_id", "received_at", "booked_at")
    for txn, received_at, booked_at in rows:
        if booked_at is not None and txn in sent:
            out.append(booked_at.timestamp() - sent[txn])
            behind.append((booked_at - received_at).total_seconds())
    return out, behind


def bench_balance(case_id: int, runs: int = 300) -> tuple[float, float, float]:
    from zhixing.funds import queries

    assert queries.balance(case_id) == queries.balance_by_sum(case_id)
    for _ in range(20):
        queries.balance(case_id)
    fast = []
    for _ in range(runs):
        t = time.perf_counter()
        queries.balance(case_id)
        fast.append((time.perf_counter() - t) * 1000)
    slow = []
    for _ in range(10):
        t = time.perf_counter()
        queries.balance_by_sum(case_id)
        slow.append((time.perf_counter() - t) * 1000)
    return statistics.median(fast), pct(fast, 0.95), statistics.median(slow)


# -- main ----------------------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument(
        "--database-url", default="", help="use this PostgreSQL server instead of a throwaway one"
    )
    ap.add_argument("--notices", type=int, default=20000)
    ap.add_argument("--rate", type=float, default=1200, help="offered notices/s; 0 = closed loop")
    ap.add_argument("--conns", type=int, default=32)
    ap.add_argument("--courts", type=int, default=4)
    ap.add_argument("--cases", type=int, default=1000, help="cases per court")
    ap.add_argument("--hot", type=int, default=20000, help="entries on the case whose balance is read")
    ap.add_argument("--web-workers", type=int, default=4)
    ap.add_argument("--huey-workers", type=int, default=4)
    ap.add_argument("--batched", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=500)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_inbox_"))
    env = {**os.environ, "DATA_DIR": str(tmp / "data"), "PYTHONPATH": str(ROOT / "src"), "HOST": "127.0.0.1"}
    env.pop("HUEY_IMMEDIATE", None)
    svc = None
    procs: list[subprocess.Popen] = []
    print(f"   load average before the run: {os.getloadavg()[0]:.1f} (other processes share the cores)")
    print(
        f"== bench_funds_inbox on {a.db}: {a.notices:,} single notices at {a.rate or 'max'}/s over {a.conns} "
        f"connections, {a.courts} courts × {a.cases:,} cases; {os.cpu_count()} CPUs",
        flush=True,
    )
    try:
        if a.db == "postgres":
            if a.database_url:
                url, redis = a.database_url, os.environ.get("REDIS_URL", "redis://127.0.0.1:63799/5")
            else:
                svc = Services(tmp)
                url, redis = svc.start()
            create_db(url)
            env.update(DATABASE_URL=url, REDIS_URL=redis)
        else:
            env.pop("DATABASE_URL", None)
            env.pop("REDIS_URL", None)
        os.environ.update({k: v for k, v in env.items() if k in ("DATA_DIR", "DATABASE_URL", "REDIS_URL")})
        if a.db == "sqlite":
            os.environ.pop("DATABASE_URL", None)
            os.environ.pop("REDIS_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        targets, hot = seed(a.courts, a.cases, a.hot)
        print(f"  migrate + seed: {time.perf_counter() - t:.1f} s", flush=True)
        connections.close_all()
        port = free_port()
        if a.db == "postgres":
            web = subprocess.Popen(
                [PY, "-m", "zhixing.config.server", "--port", str(port), "--workers", str(a.web_workers)],
                cwd=ROOT,
                env=env,
            )
            booker = subprocess.Popen(
                [
                    PY,
                    "manage.py",
                    "run_huey",
                    "--workers",
                    str(a.huey_workers),
                    "--worker-type",
                    "thread",
                    "--quiet",
                ],
                cwd=ROOT,
                env=env,
            )
            procs += [web, booker]
            how = f"uvicorn ×{a.web_workers} (zhixing.config.server) + run_huey --workers {a.huey_workers}"
        else:
            env.update(PORT=str(port), ZHIXING_SANDBOX_PORT=str(free_port()))
            web = subprocess.Popen(
                [PY, "-m", "zhixing.config.launcher"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
            )
            booker = web
            procs.append(web)
            how = "make run's launcher (uvicorn ×1 + Huey consumer + sandbox)"
        wait_port(port)
        time.sleep(3)
        print(f"  platform: {how}", flush=True)
        # Warm-up: every web worker imports and connects.
        load(port, signed_requests(targets, 200, "W"), 0, min(a.conns, 8))
        wait_booked("W", 200, 30)
        reqs = signed_requests(targets, a.notices, "N")
        cpu0 = {"web": cpu_of_tree(web.pid), "booker": cpu_of_tree(booker.pid) if booker is not web else 0.0}
        pg0 = sum(cpu_of_tree(p) for p in svc.pg_pids()) if svc else 0.0
        out, elapsed, gen_cpu = load(port, reqs, a.rate, a.conns)
        t_done = time.perf_counter()
        ok = [o for o in out if o[1] == 200]
        lat = [o[2] * 1000 for o in ok]
        errors = [o for o in out if o[1] != 200]
        rate = len(ok) / elapsed
        first_error = (": " + errors[0][4].decode(errors="replace")) if errors else ""
        print(
            f"single notices: {rate:,.0f} accepted/s ({len(ok):,} of {len(out):,} in {elapsed:.1f} s, "
            f"{len(errors)} errors{first_error}); "
            f"ack latency p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, max {max(lat):.1f} ms",
            flush=True,
        )
        drain = wait_booked("N", len(ok), 120)
        cpu1 = {"web": cpu_of_tree(web.pid), "booker": cpu_of_tree(booker.pid) if booker is not web else 0.0}
        pg1 = sum(cpu_of_tree(p) for p in svc.pg_pids()) if svc else 0.0
        sent = {o[0]: o[3] for o in ok}
        blat, behind = booked_latency("N", sent)
        print(
            f"  booked: all {len(ok):,} {drain:.2f} s after the last ack; "
            f"notice→booked p50 {pct(blat, 0.5):.2f} s, "
            f"p99 {pct(blat, 0.99):.2f} s, max {max(blat):.2f} s  "
            f"target ≤ 2 s: {'PASS' if max(blat) <= 2 else 'FAIL'}; "
            f"recorded→booked (the booker's lag alone) p50 {pct(behind, 0.5):.2f} s, max {max(behind):.2f} s",
            flush=True,
        )
        print(f"  ledger: {check_ledger('N', len(ok))}", flush=True)
        span = elapsed + (time.perf_counter() - t_done)
        print(
            f"  CPU seconds during the run ({span:.1f} s wall, {os.cpu_count()} cores): "
            f"web {cpu1['web'] - cpu0['web']:.1f}"
            + (
                f", booker {cpu1['booker'] - cpu0['booker']:.1f}"
                if booker is not web
                else " (incl. the booker)"
            )
            + (f", PostgreSQL {pg1 - pg0:.1f}" if svc else "")
            + f", load generator {gen_cpu:.1f}",
            flush=True,
        )
        target = f"  target ≥ 1,000/s: {'PASS' if rate >= 1000 else 'FAIL'}" if a.db == "postgres" else ""
        print(f"RESULT single notices {rate:,.0f}/s, all booked ≤ {max(blat):.2f} s{target}", flush=True)
        if a.batched:
            bodies = batch_requests(targets, a.batched, a.batch, "B")
            dt = post_batches(port, bodies, 2)
            brate = a.batched / dt
            print(
                f"batch notices: {brate:,.0f} transfers/s ({a.batched:,} in batches of {a.batch}, "
                "2 connections; "
                f"single notices reach ×{rate / brate:.2f} of it)",
                flush=True,
            )
            print(f"  ledger: {check_ledger('B', a.batched, inbox=False)}", flush=True)
        from zhixing.core.audit import verify_chain

        report = verify_chain()
        print(f"audit chains: {report.reason} ({report.checked:,} records)", flush=True)
        med, p95, naive = bench_balance(hot)
        print(
            f"balance read ({a.hot:,} entries): median {med:.3f} ms, p95 {p95:.3f} ms "
            f"(naive sum {naive:.1f} ms, "
            f"×{naive / med:,.0f})  target < 5 ms: {'PASS' if p95 < 5 else 'FAIL'}",
            flush=True,
        )
    finally:
        for p in procs:
            p.send_signal(signal.SIGINT)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        try:
            from django.db import connections as conns

            conns.close_all()
        except Exception:
            pass
        if svc is not None:
            svc.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
