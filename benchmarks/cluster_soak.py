"""Soak and faults on `make cluster` (issue 22 item 3): a mixed workload through the public HTTP
interfaces while a web worker is SIGKILLed, a Huey consumer is SIGKILLed and Redis restarts; then the
effects are checked and the figures printed.

    python benchmarks/cluster_soak.py [--seconds 60] [--web-workers 2] [--consumers 2] [--no-faults]

It starts its own cluster (`zhixing.config.cluster`) under `--dir` on its own ports, with a small demo
(`CLUSTER_DEMO_CASES`, first start only; later runs reuse the seeded database), and stops it at the end.

Workload (threads, closed loop): bank transfers at the sandbox custody bank, whose signed notices reach
the platform's notice gateway through nginx and are booked by the consumers; public blacklist queries;
the sign-in page; supervision page loads of a signed-in director; and the API workloads of
`soak_workloads.py` with real credentials — filings, partner screening checks and batches, inquiry
rounds answered by the sandbox, statement imports, payouts; freeze orders (`soak_controls.py`), listing
changes (`soak_listings.py`), plate reads and their alerts (`soak_plates.py`). A client retries a
connection error or a 502/503/504 (at most 20 times, 0.25 s apart), as the platform's partners and
browsers do.

Checks, after the load and once every notice is acknowledged and booked and every workload settled
(at most 3 minutes):
* every transfer the bank accepted is one receipt, exactly once (by txn id), and at most one inbox row
  (single notices; batch notices are booked without one);
* each workload's exactly-once check (`soak_workloads.py`: cases, screening audit records, inquiry
  answers, import jobs and rows, payouts and their ledger transactions; `soak_controls.py`: every freeze
  the platform accepted, by its request id, is one request, answered, its answer applied once, and no
  other freeze on those accounts — and the freeze leg fails when it made no freeze at all; listings;
  plate-read alerts);
* the ledger balances: every transaction's entries sum to zero, every account's balance and entry count
  are its entries' sum and count;
* the audit chains verify (`manage.py verify_audit`);
* no request failed after its retries, and every 5xx a client saw fell within a fault's window (the
  killed worker's own in-flight requests, the seconds Redis was down).
Exit status 1 when a check fails. Figures: per interface, requests, throughput, p50 and p99 latency.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from soak_controls import Controls
from soak_listings import Listings
from soak_plates import PlateReads
from soak_workloads import ALL, Soak, sign_in

WORKLOADS = [*ALL, Controls, Listings, PlateReads]

ROOT = Path(__file__).resolve().parents[1]
RETRY_STATUSES = {502, 503, 504}


@dataclass
class Record:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    five_xx: list[tuple[float, str, int]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, name: str, send: Any) -> requests.Response | None:
        """Send with the clients' retry rule; record latency of the request that succeeded."""
        started = time.monotonic()
        for _attempt in range(20):
            try:
                answer = send()
            except requests.RequestException as exc:
                with self.lock:
                    self.five_xx.append((time.monotonic(), name, 0))
                last = repr(exc)
                time.sleep(0.25)
                continue
            if answer.status_code >= 500:
                with self.lock:
                    self.five_xx.append((time.monotonic(), name, answer.status_code))
                last = f"HTTP {answer.status_code}"
                if answer.status_code in RETRY_STATUSES:
                    time.sleep(0.25)
                    continue
                break
            with self.lock:
                self.samples[name].append(time.monotonic() - started)
            return answer
        with self.lock:
            self.failed.append((name, last))
        return None


def platform_env(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    """(the launcher's environment, the platform's: what `manage.py` needs to reach its database)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "CLUSTER_PORT": str(args.port),
        "CLUSTER_WEB_WORKERS": str(args.web_workers),
        "CLUSTER_CONSUMERS": str(args.consumers),
        "CLUSTER_DIR": str(args.dir),
        "CLUSTER_PGPORT": str(args.pgport),
        "CLUSTER_REDISPORT": str(args.redisport),
        "CLUSTER_DEMO_CASES": str(args.cases),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    platform = {
        **env,
        "DJANGO_SETTINGS_MODULE": "zhixing.config.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{args.pgport}/zhixing",
        "REDIS_URL": f"redis://127.0.0.1:{args.redisport}/0",
        "DATA_DIR": str(args.dir / "data"),
    }
    return env, platform


def start_cluster(args: argparse.Namespace, when_prepared: Any = None) -> subprocess.Popen[str]:
    """Start the launcher and wait until it serves; `when_prepared` is called once the database is
    migrated and seeded (while the web workers still start)."""
    env, _platform = platform_env(args)
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhixing.config.cluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + args.start_timeout
    assert proc.stdout is not None
    for line in proc.stdout:
        if "启动步骤" in line:  # "  启动步骤 migrate 用时 35.2 秒": the launcher's own step times
            print(line.rstrip(), flush=True)
            parts = line.split()
            args.phases[f"start: {parts[1]}"] = float(parts[3])
            if parts[1] == "collectstatic" and when_prepared is not None:
                when_prepared()
        if "已启动" in line:
            break
        if time.monotonic() > deadline:
            proc.terminate()
            raise SystemExit("cluster did not start in time")
    else:
        raise SystemExit(f"cluster exited ({proc.wait()}) before it started")
    # Keep draining its output (restart messages) so the launcher never blocks on a full pipe.
    threading.Thread(
        target=lambda: [print("  [cluster]", ln.rstrip()) for ln in proc.stdout or []], daemon=True
    ).start()
    return proc


def pids(parent: int, pattern: str) -> list[int]:
    """The launcher's children whose command line matches (never another engineer's processes)."""
    out = subprocess.run(
        ["pgrep", "-P", str(parent), "-f", pattern], capture_output=True, text=True, check=False
    ).stdout
    return [int(p) for p in out.split()]


def sql(platform: dict[str, str], query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(platform["DATABASE_URL"]) as conn:
        return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]


def inject_faults(args: argparse.Namespace, cluster: subprocess.Popen[str]) -> list[tuple[str, float, float]]:
    """At ¼, ½ and ¾ of the load: a consumer SIGKILLed, a web worker SIGKILLed, Redis restarted.

    The consumer goes first: the work it held comes back when its lease runs out (up to a minute or
    two, then the every-minute sweeps), most of which now passes while the load still runs instead of
    in the wait after it.
    """
    faults: list[tuple[str, float, float]] = []
    services = {
        **os.environ,
        "ZX_SERVICES_STATE": str(args.dir / "services"),
        "ZX_TEST_PGPORT": str(args.pgport),
        "ZX_TEST_REDISPORT": str(args.redisport),
        "ZX_SERVICES_DURABLE": "1",
    }
    time.sleep(args.seconds * 0.25)
    consumer = pids(cluster.pid, "manage.py run_huey")[:1]
    faults.append(("consumer SIGKILL", time.monotonic(), time.monotonic()))
    for p in consumer:
        os.kill(p, signal.SIGKILL)
    time.sleep(args.seconds * 0.25)
    web = pids(cluster.pid, f"zhixing.config.server --host 127.0.0.1 --port {args.port + 10}")
    faults.append(("web worker SIGKILL", time.monotonic(), time.monotonic() + 3))
    for p in web:
        os.kill(p, signal.SIGKILL)
    time.sleep(args.seconds * 0.25)
    down = time.monotonic()
    subprocess.run(["bash", str(ROOT / "scripts/services.sh"), "stop", "redis"], env=services, check=True)
    time.sleep(1)
    subprocess.run(
        ["bash", str(ROOT / "scripts/services.sh"), "start", "redis"],
        env=services,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    faults.append(("Redis restart", down, time.monotonic() + 4))
    return faults


def timed(job: Any) -> float:
    started = time.monotonic()
    job()
    return time.monotonic() - started


def ledger_problems(platform: dict[str, str]) -> list[str]:
    unbalanced = sql(
        platform,
        "SELECT count(*) FROM (SELECT transaction_id FROM funds_entry "
        "GROUP BY transaction_id HAVING SUM(amount) <> 0) t",
    )[0][0]
    wrong = sql(
        platform,
        "SELECT count(*) FROM funds_ledgeraccount a LEFT JOIN "
        "(SELECT account_id, SUM(amount) s, count(*) n FROM funds_entry GROUP BY account_id) e "
        "ON e.account_id = a.id "
        "WHERE a.balance <> COALESCE(e.s, 0) OR a.entry_count <> COALESCE(e.n, 0)",
    )[0][0]
    if unbalanced or wrong:
        return [f"ledger: {unbalanced} unbalanced transactions, {wrong} accounts off their entries"]
    return []


def run(args: argparse.Namespace) -> int:
    args.phases = phases = {}
    t0 = time.monotonic()
    _env, platform = platform_env(args)
    base, bank = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}/custody"
    record, stop, faults = Record(), threading.Event(), []
    tag = f"SOAK{int(time.time())}"
    accepted: list[str] = []
    problems: list[str] = []
    soak = Soak(
        base=base,
        record=record,
        stop=stop,
        platform=platform,
        tag=tag,
        web_workers=[f"http://127.0.0.1:{args.port + 10 + i}" for i in range(args.web_workers)],
    )
    # The credentials are made while the web workers start (the database is ready by then).
    provisioning = ThreadPoolExecutor(1)
    provisioned: list[Any] = []
    cluster = start_cluster(args, lambda: provisioned.append(provisioning.submit(timed, soak.provision)))
    phases["cluster start (total)"] = startup = time.monotonic() - t0
    try:
        mark = time.monotonic()
        accounts = [
            r[0] for r in sql(platform, "SELECT number FROM funds_caseaccount WHERE NOT closed LIMIT 40")
        ]
        assert accounts, "no open case account in the demo"
        director = sign_in(base, "th_director")
        phases["credentials (beside the start)"] = provisioned[0].result()
        provisioning.shutdown()
        workloads = [kind() for kind in WORKLOADS]
        with ThreadPoolExecutor(len(workloads)) as pool:
            list(pool.map(lambda w: w.prepare(soak), workloads))
        phases["workload setup after the start"] = time.monotonic() - mark
        seq = iter(range(10**9))

        def transfers() -> None:
            while not stop.is_set():
                i = next(seq)
                txn = f"{tag}-{i}"
                body = {
                    "txn_id": txn,
                    "to_account": accounts[i % len(accounts)],
                    "amount": "100.00",
                    "payer_name": "压测付款人",
                }
                answer = record.call(
                    "bank transfer → notice",
                    lambda: requests.post(f"{bank}/transfers", json=body, timeout=30),
                )
                if answer is not None and answer.status_code == 201:
                    with record.lock:
                        accepted.append(txn)

        def public() -> None:
            while not stop.is_set():
                record.call(
                    "public query", lambda: requests.get(f"{base}/public/blacklist/?q=张三", timeout=30)
                )

        def sign_in_page() -> None:
            while not stop.is_set():
                record.call("sign-in page", lambda: requests.get(f"{base}/login/", timeout=30))

        def supervision() -> None:
            while not stop.is_set():
                record.call("supervision page", lambda: director.get(f"{base}/supervision/", timeout=60))

        workers = [
            threading.Thread(target=f, daemon=True)
            for f in (transfers, transfers, public, sign_in_page, supervision)
        ] + [
            threading.Thread(target=w.loop, args=(soak,), daemon=True)
            for w in workloads
            for _ in range(w.threads)
        ]
        started = time.monotonic()
        loads = [os.getloadavg()[0]]
        for w in workers:
            w.start()
        if not args.no_faults:
            faults = inject_faults(args, cluster)
        while time.monotonic() < started + args.seconds:
            time.sleep(min(5.0, max(0.0, started + args.seconds - time.monotonic())))
            loads.append(os.getloadavg()[0])
        stop.set()
        for w in workers:
            w.join(timeout=120)
        phases["load (and the steps in flight)"] = elapsed = time.monotonic() - started
        args.load_average = max(loads)

        # -- settle: every notice acknowledged by the platform and booked by a consumer ------------
        settle_from = time.monotonic()
        deadline = settle_from + 180
        while time.monotonic() < deadline:
            notices = requests.get(f"{bank}/notices", timeout=30).json()
            pending = [n for n in notices if n["txn_id"].startswith(tag) and not n["delivered"]]
            unbooked = sql(
                platform,
                "SELECT count(*) FROM funds_banknotice WHERE txn_id LIKE %s AND status = 'received'",
                (f"{tag}-%",),
            )[0][0]
            waiting = [type(w).__name__ for w in workloads if not w.settled(soak)]
            if not pending and not unbooked and not waiting:
                break
            if int(time.monotonic() - settle_from) % 20 < 2:  # what the wait is for, every ~20 s
                print(f"  settling: notices {len(pending)} unacknowledged, {unbooked} unbooked; {waiting}")
            time.sleep(2)
        phases["settle after the load"] = settle = time.monotonic() - settle_from

        # -- checks: verify_audit in its own process while the other checks run beside it ---------
        check_from = time.monotonic()
        audit_proc = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "verify_audit"],
            cwd=ROOT,
            env=platform,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def receipts() -> tuple[list[str], tuple[Any, ...], tuple[Any, ...]]:
            n_notices = sql(
                platform,
                "SELECT count(*), count(DISTINCT txn_id) FROM funds_banknotice WHERE txn_id LIKE %s",
                (f"{tag}-%",),
            )[0]
            n_receipts = sql(
                platform,
                "SELECT count(*), count(DISTINCT bank_txn_id) FROM funds_receipt WHERE bank_txn_id LIKE %s",
                (f"{tag}-%",),
            )[0]
            found = []
            # Many notices travel in batch notices (no inbox row); a single notice is in the inbox once.
            if n_notices[0] != n_notices[1] or n_notices[0] > len(accepted):
                found.append(
                    f"bank notice inbox rows {tuple(n_notices)} for {len(accepted)} accepted transfers"
                )
            if tuple(n_receipts) != (len(accepted), len(accepted)):
                found.append(f"receipts {tuple(n_receipts)} for {len(accepted)} accepted transfers")
            return found, tuple(n_notices), tuple(n_receipts)

        with ThreadPoolExecutor(len(workloads) + 2) as pool:
            got_receipts = pool.submit(receipts)
            got_ledger = pool.submit(ledger_problems, platform)
            got_checks = [pool.submit(w.check, soak) for w in workloads]
            found, n_notices, n_receipts = got_receipts.result()
            problems += found + got_ledger.result()
            for future in got_checks:
                problems += future.result()
        audit_out, audit_err = audit_proc.communicate()
        phases["checks (verify_audit beside the rest)"] = time.monotonic() - check_from
        if audit_proc.returncode != 0:
            problems.append(f"audit chains: {audit_err.strip() or audit_out.strip()}")
        if record.failed:
            problems.append(f"{len(record.failed)} requests failed after retries: {record.failed[:3]}")
        outside = [
            (t, n, s) for t, n, s in record.five_xx if not any(a - 0.5 <= t <= b for _f, a, b in faults)
        ]
        if outside:
            problems.append(
                f"{len(outside)} 5xx outside the faults' windows: {[(n, s) for _t, n, s in outside[:5]]}"
            )

        fault_names = ", ".join(f for f, _a, _b in faults) or "none"
        print(f"\n== soak: {elapsed:.0f} s, {args.web_workers} web workers, {args.consumers} consumers")
        print(f"faults: {fault_names}; cluster start {startup:.0f} s, settle after the load {settle:.0f} s")
        print(f"load average (1 min) during the load: up to {args.load_average:.1f}")
        args.figures = {}
        print(f"{'interface':<28}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for name, lat in sorted(record.samples.items()):
            lat = sorted(lat)
            p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
            args.figures[name] = (len(lat) / elapsed, p(0.5), p(0.99))
            print(f"{name:<28}{len(lat):>10}{len(lat) / elapsed:>9.1f}{p(0.5):>9.1f}{p(0.99):>9.1f}")
        print(
            f"transfers accepted {len(accepted)}; single notices (rows, distinct) {n_notices}; "
            f"receipts {n_receipts}"
        )
        for workload in workloads:
            print(workload.summary(soak))
        print(
            f"5xx seen by clients (then retried): {len(record.five_xx)}, inside fault windows: {not outside}"
        )
        print("audit:", (audit_out.strip().splitlines() or [""])[0])
    finally:
        stop.set()
        stopping = time.monotonic()
        cluster.send_signal(signal.SIGTERM)
        try:
            cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
        phases["cluster stop"] = time.monotonic() - stopping
        phases["total"] = time.monotonic() - t0
        print("phase timings:")
        for name, seconds in phases.items():
            print(f"  {name:<40}{seconds:>7.1f} s")
    print("RESULT:", "OK" if not problems else "FAILED\n  " + "\n  ".join(problems), flush=True)
    return 0 if not problems else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--pgport", type=int, default=25350)
    parser.add_argument("--redisport", type=int, default=63750)
    parser.add_argument("--cases", type=int, default=40, help="demo size on the first start")
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "soak")
    parser.add_argument("--start-timeout", type=float, default=1200)
    parser.add_argument(
        "--capacity",
        action="store_true",
        help="capacity table: the workload without faults with 1, 2 and 4 web workers, one after another",
    )
    args = parser.parse_args()
    args.dir = args.dir.resolve()
    sys.exit(capacity(args) if args.capacity else run(args))


def capacity(args: argparse.Namespace) -> int:
    """Run the workload without faults with 1, 2 and 4 web workers on one directory (the first run
    seeds it, the others reuse it) and print one table: requests per second and p99 per interface,
    with the highest 1-minute load average seen during each run (the machine may be shared)."""
    args.no_faults = True
    runs: dict[int, dict[str, tuple[float, float, float]]] = {}
    loads: dict[int, float] = {}
    status = 0
    for n in (1, 2, 4):
        args.web_workers = n
        status |= run(args)
        runs[n], loads[n] = args.figures, args.load_average
    names = sorted({name for figures in runs.values() for name in figures})
    print(f"\n== capacity: {args.seconds:.0f} s each, no faults, {args.consumers} consumers")
    print("| interface | " + " | ".join(f"{n} web: req/s, p99 ms" for n in runs) + " |")
    print("|---|" + "---|" * len(runs))
    for name in names:
        cells = [f"{runs[n][name][0]:.1f}, {runs[n][name][2]:,.0f}" if name in runs[n] else "—" for n in runs]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("| load average (1 min, highest) | " + " | ".join(f"{loads[n]:.1f}" for n in runs) + " |")
    return status


if __name__ == "__main__":
    main()
