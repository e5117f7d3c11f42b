"""Screening benchmark on the product's own path: the platform as `make run` starts it, real partner URLs.

Run:  .venv/bin/python benchmarks/bench_credit.py                       (full: 10.59 M persons)
      .venv/bin/python benchmarks/bench_credit.py --persons 1000000 --seconds 5   (quick)
      .venv/bin/python benchmarks/bench_credit.py --deployment postgres --persons 1000000  (PG + Redis)

What it does, in one run:

1. A data directory of its own (temp), migrated; N listed persons loaded through the product's bulk
   path (`manage.py credit_load_register`: valid resident IDs, `synthetic.synthetic_id`, register rows
   and change events, audited) and a railway partner created through `services.create_partner`.
2. The platform started as `make run` does (`python -m zhixing.config.launcher`: uvicorn on the ASGI
   app with the screening gateway, the Huey worker; SQLite; its own PORT and DATA_DIR; the partner
   sandbox off). `--workers N` starts the documented deployment's entry point instead
   (`python -m zhixing.config.server --workers N`) on the same SQLite database.
   `--deployment postgres`: the documented deployment itself — throwaway PostgreSQL and Redis started
   as `make cluster` starts them (`zhixing.config.cluster`: `scripts/services.sh`, durable settings,
   under the data directory on `--pgport`/`--redisport`), the database migrated (`python -m
   zhixing.config.cluster --migrate`: the cluster's migrated template when the schema matches), the
   persons loaded through the same command into PostgreSQL, and `python -m zhixing.config.server
   --workers N` (default 2) on DATABASE_URL + REDIS_URL (shared cache: rate limits, enumeration counts).
3. Correctness: a sample of single checks (listed, not listed, wrong check digit) compared with the
   database the load wrote.
4. The real URLs with the real key: `POST /api/v1/screening/check` paced at --rate (p50/p99 from the
   scheduled send time) and closed-loop (the maximum rate); `POST /api/v1/screening/batch` with
   10,000-ID text/plain batches answered in CSV (court and case details on), 1 % and 100 % hits.
5. Index memory: the server's RSS before and after the index is built (per process: the web workers and
   the screening engine's process, which holds the one index).
6. Every answered call audited: audit records `screening.check`/`screening.batch` == 200 answers.
7. In the same run, two baselines over the same persons: the stand-in (the former minimal raw ASGI app
   over the same `ScreeningIndex`, no audit, no details, no rate limit: what the earlier figures
   measured) and a naive per-request database query (the same minimal app answering each ID with
   ``SELECT mask FROM credit_restrictedsubject WHERE subject_key = ?`` on the product's database:
   the SQLite file, or PostgreSQL in the postgres deployment).

Every server, database server and temporary directory it started is stopped and removed on exit, also
on Ctrl+C or SIGTERM (``--keep DIR`` keeps DIR, and with it PostgreSQL's data, for the next run).

Options: ``--keep DIR`` loads into DIR once and reuses it; ``BENCH_EXTRA_PATH=:DIR`` appends DIR to the
server's PYTHONPATH (to A/B a package installed privately with ``pip install --target DIR``, e.g. uvloop,
which uvicorn's ``loop="auto"`` takes when importable). A load-generator run that gets no answer within
30 s is reported as FAILED with the server's state, not a crash. The in-process CPU cost of a single check
(no HTTP) is measured by ``benchmarks/prof_gateway.py``.

Targets (issue 14): single check p99 < 5 ms at 2,000 req/s; batch > 1 M IDs/s; index < 1.5 GiB per
worker. The load generator runs on the same 2-core machine (with PostgreSQL and Redis in the postgres
deployment). The figures are printed with PASS/FAIL (docs/adr/0014-screening-gateway.md).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import loadgen  # noqa: E402  (benchmarks/loadgen.py, beside this file)

from zhixing.config.cluster import Cluster  # noqa: E402
from zhixing.credit import rules  # noqa: E402
from zhixing.credit.screening import LineBatch, ScreeningIndex, count_lines  # noqa: E402
from zhixing.credit.screening_csv import hits_csv  # noqa: E402
from zhixing.credit.synthetic import synthetic_id  # noqa: E402

CHECK = "/api/v1/screening/check"
BATCH = "/api/v1/screening/batch"
STANDIN_KEY = "zxp_bench_railway_key"
RAILWAY = rules.partner_mask("railway")
TARGET_P99_MS = 5.0
TARGET_RATE = 2000
TARGET_BATCH = 1_000_000
TARGET_MEMORY = 1.5 * 2**30
MAX_BATCH = 10_000
ANSWER_TIMEOUT = 30.0  # seconds a load-generator connection waits for one answer


def ratio(a: float, b: float) -> str:
    """a/b for the RATIO lines; "n/a" when a run failed (no answers, NaN latencies)."""
    return f"{a / b:.2f}" if b and b == b and a == a else "n/a"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def rss_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (from /proc), to separate our cost from machine contention."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the product ---------------------------------------------------------------------------------------------
def env_for(data_dir: Path, port: int, services: dict[str, str] | None = None) -> dict[str, str]:
    """The platform's environment: SQLite in `data_dir`, or the DATABASE_URL/REDIS_URL of `services`."""
    scrub = ("DATABASE_URL", "REDIS_URL", "ZHIXING_PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE", "HOST")
    env = {k: v for k, v in os.environ.items() if k not in scrub}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="zhixing.config.settings",
        DATA_DIR=str(data_dir),
        PORT=str(port),
        ZHIXING_SANDBOX="0",
        ZHIXING_SANDBOX_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
        **(services or {}),
    )
    return env


class Services:
    """The documented deployment's PostgreSQL and Redis, started as `make cluster` starts them
    (`zhixing.config.cluster.Cluster.start_services`: `scripts/services.sh` with durable settings, the
    database created) under `state`/services on their own ports; `stop` stops both."""

    def __init__(self, state: Path, pg_port: int, redis_port: int) -> None:
        self.cluster = Cluster(
            port=0, web_workers=0, consumers=0, state=state, pg_port=pg_port, redis_port=redis_port
        )

    def start(self) -> dict[str, str]:
        # Always our own throwaway servers: never a DATABASE_URL/REDIS_URL of the caller's shell.
        saved = {k: os.environ.pop(k) for k in ("DATABASE_URL", "REDIS_URL") if k in os.environ}
        self.cluster.started_services = ["pg", "redis"]  # stopped at exit even if the start fails midway
        try:
            self.cluster.start_services()
        finally:
            os.environ.update(saved)
        return {k: self.cluster.env[k] for k in ("DATABASE_URL", "REDIS_URL")}

    def pids(self) -> list[int]:
        """PostgreSQL's processes (postmaster and backends) and Redis: their CPU is the deployment's too."""
        state = self.cluster.state / "services"
        pids = []
        with contextlib.suppress(OSError, ValueError, IndexError):
            master = int((state / "data" / "postmaster.pid").read_text().split()[0])
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)
            pids = [master, *(int(p) for p in out.stdout.split())]
        with contextlib.suppress(OSError, ValueError):
            pids.append(int((state / "redis.pid").read_text().split()[0]))
        return pids

    def stop(self) -> None:
        self.cluster.stop_services()


def manage(env: dict[str, str], *args: str) -> str:
    """`manage.py <args>` (or `python -m <module> …` when `args` start with "-m"); its standard output."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args] if args[0] != "-m" else [sys.executable, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


class Product:
    """The platform's server process: the launcher (`make run`) or the deployment entry with workers."""

    def __init__(self, data_dir: Path, workers: int, services: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.env = env_for(data_dir, self.port, services)
        if workers:
            cmd = [
                sys.executable,
                "-m",
                "zhixing.config.server",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ]
        else:
            cmd = [sys.executable, "-m", "zhixing.config.launcher"]
        self.log = (data_dir / "server.log").open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.data_dir = data_dir

    def wait_ready(self) -> None:
        data_dir = self.data_dir
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login/", timeout=30).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((data_dir / "server.log").read_text()) from None
                time.sleep(0.3)

    def server_pids(self) -> list[int]:
        """The processes answering HTTP: the launcher itself, or the deployment's worker processes."""
        out = subprocess.run(
            ["ps", "-o", "pid=,ppid=,args=", "-s", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        pids = []
        for line in out.splitlines():
            pid, _ppid, cmd = line.split(None, 2)
            if "run_huey" in cmd or "ps -o" in cmd:
                continue
            pids.append(int(pid))
        if len(pids) > 1:  # uvicorn --workers: the supervisor answers nothing
            pids = [
                p
                for p in pids
                if p != self.proc.pid and "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()
            ]
        return pids + self.engine_pids()

    def engine_pids(self) -> list[int]:
        """The screening engine's process (a session of its own, started by the server: its CPU and its
        index are the server's)."""
        out = subprocess.run(
            ["ps", "-o", "pid=,args=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [int(line.split(None, 1)[0]) for line in out.splitlines() if "screening_engine" in line]

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # uvicorn workers the supervisor left behind
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def post(
    port: int, path: str, body: bytes, key: str, ctype: str = "application/json", accept: str = ""
) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"X-Partner-Key": key, "Content-Type": ctype}
    if accept:
        headers["Accept"] = accept
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    out = resp.read()
    conn.close()
    return resp.status, out


# -- the stand-in: the former minimal raw ASGI app (same index code), and the naive per-request query --------
def make_app(lookup: Any) -> Any:
    digests = {hashlib.sha256(STANDIN_KEY.encode()).hexdigest(): RAILWAY}

    async def app(scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        chunks = []
        more = True
        while more:
            msg = await receive()
            chunks.append(msg.get("body", b""))
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        key = ctype = b""
        for k, v in scope["headers"]:
            if k == b"x-partner-key":
                key = v
            elif k == b"content-type":
                ctype = v
        visible = digests.get(hashlib.sha256(key).hexdigest())
        out: dict[str, Any]
        if visible is None:
            status, out = 401, {"detail": "合作单位接口密钥无效或已吊销"}
        elif scope["path"] == BATCH and ctype.startswith(b"text/plain"):
            if count_lines(body) > MAX_BATCH:
                status, out = 422, {"detail": f"每批最多{MAX_BATCH}个身份号码", "field": "ids"}
            else:
                csv = hits_csv(lookup.lines(body, visible)).encode()
                headers = [
                    (b"content-type", b"text/csv; charset=utf-8"),
                    (b"content-length", str(len(csv)).encode()),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": csv})
                return
        elif scope["path"] == CHECK:
            number = json.loads(body)["id"]
            mask = lookup(number)
            if mask is None:
                status, out = 422, {"detail": "身份号码格式错误", "field": "id"}
            else:
                mask &= visible
                status, out = (
                    200,
                    {"id": number, "restricted": bool(mask), "restrictions": rules.codes_of(mask)},
                )
        else:
            status, out = 404, {"detail": "not found"}
        payload = json.dumps(out, ensure_ascii=False).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return app


class IndexLookup:
    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index

    def __call__(self, number: str) -> int | None:
        key = rules.id_key(number)
        return None if key is None else self.index.mask_of_key(key)

    def lines(self, body: bytes, visible: int) -> LineBatch:
        return self.index.screen_lines(body, visible)


class Database:
    """The product's database as the benchmark reads it: the SQLite file of the data directory, or the
    PostgreSQL database of the deployment (`target` is a path or a postgres:// URL). The connection is
    opened on first use, in the process that uses it (the stand-in's server is forked)."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.postgres = target.startswith(("postgres://", "postgresql://"))
        self.conn: Any = None

    def one(self, sql: str, params: tuple = ()) -> Any:
        """The first row of `sql` (placeholders written %s)."""
        if self.conn is None:
            if self.postgres:
                import psycopg

                self.conn = psycopg.connect(self.target, autocommit=True)
            else:
                self.conn = sqlite3.connect(self.target, check_same_thread=False)
        if not self.postgres:
            sql = sql.replace("%s", "?")
        return self.conn.execute(sql, params).fetchone()

    def mask(self, number: str) -> int:
        """The register's mask of `number` (0: not on the register)."""
        row = self.one("SELECT mask FROM credit_restrictedsubject WHERE subject_key = %s", (number,))
        return int(row[0]) if row else 0

    def audited(self) -> int:
        q = "SELECT COUNT(*) FROM core_auditrecord WHERE action IN ('screening.check', 'screening.batch')"
        return int(self.one(q)[0])

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class DbLookup:
    """The naive baseline: one SQL query per ID against the product's register table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, number: str) -> int | None:
        if rules.id_key(number) is None:
            return None
        return self.db.mask(number)

    def lines(self, body: bytes, visible: int) -> LineBatch:
        hits = {}
        for pos, number in enumerate(body.decode().split("\n"), 1):
            m = (self(number) or 0) & visible
            if m:
                hits[pos] = m
        return LineBatch(len(body.split(b"\n")), hits, [])


def serve_standin(lookup: Any, port: int, ready: Any) -> None:
    import uvicorn

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: `stop` ends it quietly
    gc.freeze()
    config = uvicorn.Config(
        make_app(lookup), host="127.0.0.1", port=port, log_level="error", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    ready.set()
    server.run()


class StandIn:
    def __init__(self, lookup: Any) -> None:
        ctx = mp.get_context("fork")
        self.port = free_port()
        ready = ctx.Event()
        self.proc = ctx.Process(target=serve_standin, args=(lookup, self.port, ready), daemon=True)
        self.proc.start()
        ready.wait()
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)

    def server_pids(self) -> list[int]:
        assert self.proc.pid is not None
        return [self.proc.pid]

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()


# -- load generator: benchmarks/loadgen.py (open loop, latency from the scheduled send time) ---------------
def _load(port: int, key: str, ids: list[str], rate: int, seconds: float, conns: int, out: Any) -> None:
    headers = {"Content-Type": "application/json", "X-Partner-Key": key}
    for sig in (signal.SIGTERM, signal.SIGINT):  # not the parent's handler: ended quietly (stop_children)
        signal.signal(sig, signal.SIG_DFL)
    requests = [loadgen.request_bytes("127.0.0.1", CHECK, headers, b'{"id": "%s"}' % i.encode()) for i in ids]
    gc.disable()  # nothing cyclic is made while it runs; no collection pauses in the measurement
    r = loadgen.run(port, requests, rate, seconds, conns, timeout=ANSWER_TIMEOUT)
    out.put((r.lat, r.status, r.elapsed, r.cpu))


def cpu_of(pids: list[int]) -> float:
    """CPU seconds of the processes still alive among `pids`."""
    total = 0.0
    for p in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += cpu_seconds(p)
    return total


def http_run(
    server: Any,
    key: str,
    ids: list[str],
    rate: int,
    seconds: float,
    conns: int,
    backends: list[int] | None = None,
) -> dict[str, Any]:
    """One load-generator run against `server`; a run with no answer (or unanswered requests) is reported
    as failed with the server's state (alive, RSS, CPU used), not a crash. `backends`: the database and
    Redis processes, whose CPU is reported per request beside the server's."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    pids = server.server_pids()
    cpu0 = sum(cpu_seconds(p) for p in pids)
    backends = backends or []
    db_cpu0 = cpu_of(backends)
    # The parent may hold a 10 M-entry index (the stand-in's): the forked generator must not walk it in
    # its own garbage collections (a full collection visits every entry of a tracked set).
    gc.collect()
    gc.freeze()
    gen = ctx.Process(target=_load, args=(server.port, key, ids, rate, seconds, conns, q))
    gen.start()
    lat, status, elapsed, gen_cpu = q.get()
    gen.join()
    gc.unfreeze()
    alive = [p for p in pids if Path(f"/proc/{p}").exists()]
    server_cpu = sum(cpu_seconds(p) for p in alive) - cpu0 if alive else 0.0
    db_cpu = cpu_of(backends) - db_cpu0
    lat.sort()
    n = len(lat)
    unanswered = status.pop(0, 0)
    failure = ""
    if not n or unanswered:
        failure = (
            f"{'no answers' if not n else f'{unanswered} connections got no answer'} within "
            f"{ANSWER_TIMEOUT:.0f}s · server processes alive {len(alive)}/{len(pids)}, RSS "
            f"{', '.join(f'{rss_of(p) / 2**20:,.0f} MiB' for p in alive) or '-'}, CPU used {server_cpu:.1f}s "
            f"in {elapsed:.1f}s · MemAvailable {_mem_available() / 2**30:.1f} GiB"
        )

    def at(q: float) -> float:
        return lat[min(n - 1, int(n * q))] * 1000 if n else float("nan")

    return {
        "n": n,
        "ok": status.get(200, 0),
        "errors": n - status.get(200, 0) + unanswered,
        "unanswered": unanswered,  # requests the generator stopped waiting for (the server may answer later)
        "status": status,
        "rate": n / elapsed,
        "cpu_us": server_cpu / max(n, 1) * 1e6,
        "db_cpu_us": db_cpu / max(n, 1) * 1e6 if backends else None,
        "server_busy": server_cpu / max(elapsed, 1e-9),
        "client_busy": gen_cpu / max(elapsed, 1e-9),
        "p50": at(0.5),
        "p99": at(0.99),
        "max": at(1.0),
        "failure": failure,
    }


def _mem_available() -> int:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def show(name: str, label: str, r: dict[str, Any]) -> None:
    print(
        f"  {name:8} @ {label:>7}: {r['rate']:6.0f} req/s · p50 {r['p50']:7.2f} ms · "
        f"p99 {r['p99']:8.2f} ms · "
        f"max {r['max']:7.1f} ms · non-200 {r['errors']} · server CPU {r['cpu_us']:.0f} µs/request, "
        f"busy {r['server_busy']:.0%} · "
        + (
            f"PostgreSQL+Redis CPU {r['db_cpu_us']:.0f} µs/request · "
            if r.get("db_cpu_us") is not None
            else ""
        )
        + f"load generator busy {r['client_busy']:.0%}"
        + (f" · load average {r['load'][0]:.1f} → {r['load'][1]:.1f}" if "load" in r else "")
        + (f" · FAILED: {r['failure']}" if r["failure"] else ""),
        flush=True,
    )


def post_batches(port: int, key: str, bodies: list[bytes], conns: int) -> tuple[float, int, int]:
    """POST text/plain batches (CSV answer) over `conns` keep-alive connections; (wall s, hit rows, 200s)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def run(part: list[bytes]) -> tuple[int, int]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        hits = ok = 0
        for body in part:
            conn.request(
                "POST",
                BATCH,
                body=body,
                headers={"X-Partner-Key": key, "Content-Type": "text/plain", "Accept": "text/csv"},
            )
            resp = conn.getresponse()
            out = resp.read()
            ok += resp.status == 200
            hits += out.count(b"\n") - 1
        conn.close()
        return hits, ok

    with ThreadPoolExecutor(conns) as pool:
        t0 = time.perf_counter()
        done = list(pool.map(run, [bodies[c::conns] for c in range(conns)]))
        wall = time.perf_counter() - t0
    return wall, sum(h for h, _ in done), sum(o for _, o in done)


def check_sample(port: int, key: str, sample: list[str], db: Database) -> tuple[int, int, int]:
    """The correctness check: each single check of `sample` on the product route (`key`: a railway
    partner's) compared with the register row in the database (restricted or not, the railway's visible
    measures), then a wrong check character answered 422 ``check_digit``. (answers compared, wrong
    answers, calls answered 200). Also run by the suite at small scale on PostgreSQL
    (tests/credit/test_bench_credit_pg.py)."""
    wrong = answered = 0
    for number in sample:
        status, body = post(port, CHECK, json.dumps({"id": number}).encode(), key)
        answered += status == 200
        expected = list(rules.codes_of(db.mask(number) & RAILWAY))
        got = json.loads(body)
        wrong += not (
            status == 200 and got["restricted"] == bool(expected) and got["restrictions"] == expected
        )
    # A wrong check character (one that is not a valid credit code's either: those can be all digits).
    bad = next(b for c in "0123456789X" if rules.subject_invalid(b := sample[0][:17] + c) == "check_digit")
    status, body = post(port, CHECK, json.dumps({"id": bad}).encode(), key)
    wrong += not (status == 422 and json.loads(body)["code"] == "check_digit")
    return len(sample) + 1, wrong, answered


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=10_590_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rate", type=int, default=TARGET_RATE)
    ap.add_argument(
        "--also-rates",
        default="1000",
        help="more paced rates for the product's single check (comma-separated; the latency curve)",
    )
    ap.add_argument("--conns", type=int, default=32)
    ap.add_argument("--batches", type=int, default=20, help="10,000-ID batches per batch run")
    ap.add_argument(
        "--deployment",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="sqlite: make run's launcher (or --workers N) on SQLite; postgres: the documented deployment "
        "(server --workers N, default 2, on throwaway PostgreSQL + Redis)",
    )
    ap.add_argument(
        "--workers", type=int, default=0, help="0: the launcher (make run); N: server --workers N"
    )
    ap.add_argument("--pgport", type=int, default=25360, help="PostgreSQL's port (--deployment postgres)")
    ap.add_argument("--redisport", type=int, default=63760, help="Redis's port (--deployment postgres)")
    ap.add_argument("--keep", default="", help="data directory to use and keep (default: a temp dir)")
    args = ap.parse_args()
    if args.deployment == "postgres" and not args.workers:
        args.workers = 2

    def stop_on(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # SIGTERM stops it as Ctrl+C does (everything it started is stopped); SIGINT also when started in the
    # background, where it is ignored otherwise (as zhixing.config.cluster does).
    signal.signal(signal.SIGTERM, stop_on)
    signal.signal(signal.SIGINT, stop_on)
    with contextlib.ExitStack() as stack:
        try:
            run(args, stack)
        except KeyboardInterrupt:
            print("\ninterrupted: stopping the servers and removing the temporary data", flush=True)
            sys.exit(130)


def stop_children() -> None:
    """The forked load generator or stand-in, if an interruption left one running."""
    for child in mp.active_children():
        child.terminate()
        child.join(5)


def run(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    """The benchmark; everything it starts is stopped (and a temp directory removed) by `stack`."""
    print(
        f"credit screening benchmark on the product · {os.cpu_count()} CPUs · "
        f"Python {sys.version.split()[0]} · "
        f"load average {os.getloadavg()[0]:.1f} at start",
        flush=True,
    )
    data_dir = Path(args.keep or tempfile.mkdtemp(prefix="zx-bench-credit-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    if not args.keep:
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)  # last: after the servers stopped
    stack.callback(stop_children)
    services: dict[str, str] = {}
    backends: Services | None = None
    if args.deployment == "postgres":
        data_dir.chmod(0o755)  # PostgreSQL runs as the postgres user: it must reach services/ below
        backends = Services(data_dir, args.pgport, args.redisport)
        stack.callback(backends.stop)
        t0 = time.perf_counter()
        services = backends.start()
        db = Database(services["DATABASE_URL"])
        settings = ", ".join(
            f"{name}={db.one(f'SHOW {name}')[0]}"
            for name in ("fsync", "synchronous_commit", "shared_buffers", "server_version")
        )
        print(
            f"services: PostgreSQL {services['DATABASE_URL']} ({settings}) · Redis {services['REDIS_URL']} "
            f"· started in {time.perf_counter() - t0:.0f}s (scripts/services.sh, as make cluster)",
            flush=True,
        )
    else:
        db = Database(str(data_dir / "zhixing.sqlite3"))
    stack.callback(db.close)
    env = env_for(data_dir, 0, services)
    n = args.persons

    # 1. Migrate, load N persons through the product's bulk path, a railway partner through its service.
    saved = data_dir / "bench-partner.key"
    if saved.exists() and saved.read_text().split()[0] == str(n):  # --keep: reuse a loaded directory
        key = saved.read_text().split()[1]
        manage(env, "migrate", "--noinput", "-v0")  # the code may have a migration the directory has not
        print(f"data: {data_dir} · reused ({n:,} persons loaded earlier)", flush=True)
    else:
        t0 = time.perf_counter()
        if backends:
            manage(env, "-m", "zhixing.config.cluster", "--migrate")
        else:
            manage(env, "migrate", "--noinput", "-v0")
        t_migrate = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = manage(
            env, "credit_load_register", "--persons", str(n), "--partner", "railway", "--rate", "10000000"
        )
        t_load = time.perf_counter() - t0
        key = out.strip().splitlines()[-1]
        saved.write_text(f"{n} {key}\n")
        print(
            f"data: {data_dir} · migrate {t_migrate:.0f}s · credit_load_register {n:,} persons "
            f"{t_load:.0f}s ({out.strip().splitlines()[0]})",
            flush=True,
        )

    audited_before = db.audited()
    rnd = random.Random(7)
    listed = [synthetic_id(i) for i in rnd.sample(range(n), min(n, 220_000))]
    misses = [synthetic_id(i, listed=False) for i in rnd.sample(range(max(n, 220_000)), 220_000)]

    # 2. The platform as `make run` starts it, or the documented deployment.
    mode = (
        f"zhixing.config.server --workers {args.workers}"
        if args.workers
        else "zhixing.config.launcher (make run)"
    )
    where = "PostgreSQL + Redis" if backends else "SQLite"
    product = Product(data_dir, args.workers, services)
    stack.callback(product.stop)
    product.wait_ready()
    db_pids = backends.pids() if backends else []
    pids = product.server_pids()
    before = {p: rss_of(p) for p in pids}
    t0 = time.perf_counter()
    for _ in range(max(1, len(pids)) * 4):  # every worker builds its index on its first call
        status, body = post(product.port, CHECK, json.dumps({"id": listed[0]}).encode(), key)
        assert status == 200, body
    t_index = time.perf_counter() - t0
    time.sleep(1)
    mem = {p: rss_of(p) - before[p] for p in pids}
    print(
        f"product: {mode} on {where}, port {product.port} · first calls (index build) {t_index:.1f}s · "
        "index RSS per process (web workers, engine) "
        f"{', '.join(f'{m / 2**20:,.0f} MiB' for m in mem.values())} → "
        f"{verdict(max(mem.values()) < TARGET_MEMORY)} (< 1.5 GiB per worker)",
        flush=True,
    )
    answered = max(1, len(pids)) * 4
    late = 0  # requests given up on after ANSWER_TIMEOUT: audited if the server answered them after all

    # 3. Correctness: a sample of answers against the database.
    compared, wrong, ok_calls = check_sample(product.port, key, listed[:100] + misses[:100], db)
    answered += ok_calls
    print(
        f"correctness: {compared} answers compared with the database, {wrong} wrong → {verdict(not wrong)}",
        flush=True,
    )

    # 4. Single check: paced at the target rate, then closed loop (the maximum rate). Half hits.
    mixed = [x for pair in zip(listed[:20_000], misses[:20_000], strict=True) for x in pair]
    rnd.shuffle(mixed)
    print(
        f"HTTP single check {CHECK}, {args.seconds:.0f}s per run, {args.conns} connections, half hits:",
        flush=True,
    )
    runs: dict[str, dict[str, dict[str, Any]]] = {"product": {}, "stand-in": {}, "naive": {}}
    also = [int(r) for r in args.also_rates.split(",") if r.strip()]
    paced = [(f"{r}/s", r) for r in [args.rate, *also]]
    for label, rate in [*paced, ("max", 0)]:
        load = os.getloadavg()[0]
        r = runs["product"][label] = http_run(product, key, mixed, rate, args.seconds, args.conns, db_pids)
        r["load"] = (load, os.getloadavg()[0])
        answered += r["ok"]
        late += r["unanswered"]
        show("product", label, r)

    # 5. Batch: 10,000 IDs per request, text/plain → CSV with details, 1 % and 100 % hits.
    batch_results: dict[str, tuple[float, int, int, int]] = {}
    nb = args.batches
    one = [listed[100 + i * 100 : 100 + (i + 1) * 100] for i in range(nb)]
    bodies_1 = []
    for i in range(nb):
        ids = one[i] + misses[i * 9_900 : (i + 1) * 9_900]
        random.Random(i).shuffle(ids)
        bodies_1.append("\n".join(ids).encode())
    pool_hits = listed[20_000:] or listed  # (a small run: the hits may repeat the paced runs')
    bodies_100 = [
        "\n".join(pool_hits[(i * MAX_BATCH) % len(pool_hits) :][:MAX_BATCH]).encode() for i in range(nb)
    ]
    for name, bodies, expect in (("1 % hits", bodies_1, 100), ("100 % hits", bodies_100, MAX_BATCH)):
        for conns in (1, 2):
            wall, hits, ok = post_batches(product.port, key, bodies, conns)
            answered += ok
            batch_results[f"{name}, {conns} connection{'s' if conns > 1 else ''}"] = (
                nb * MAX_BATCH / wall,
                hits,
                ok,
                expect * nb,
            )
    for label, (rate, hits, ok, expect) in batch_results.items():
        print(
            f"HTTP batch {BATCH} (10,000 IDs, text/plain → CSV with court and case), {label}: "
            f"{rate / 1e6:.3f} M IDs/s · hits {hits:,}/{expect:,} · {ok}/{nb} answered → "
            f"{verdict(rate > TARGET_BATCH and hits == expect)} (> 1 M IDs/s)",
            flush=True,
        )

    # 6. Every answered call audited. On the documented deployment the records reach the chain through
    # the screening journal's flusher (core.audit_journal), a few milliseconds behind the answers: wait
    # until it has caught up (at most 30 s), and say how long that took.
    t_done = time.monotonic()
    while True:
        rows = db.audited() - audited_before
        if rows >= answered or time.monotonic() - t_done > 30:
            break
        time.sleep(0.05)
    caught_up = time.monotonic() - t_done
    audit_ok = answered <= rows <= answered + late
    print(
        f"audit: {rows:,} screening records for {answered:,} answered calls"
        + (f" (+ up to {late} the load generator gave up on)" if late else "")
        + f" (in the chain {caught_up:.2f} s after the last answer)"
        + f" → {verdict(audit_ok)}",
        flush=True,
    )
    product_rss = {p: rss_of(p) for p in product.server_pids()}
    product.stop()

    # 7. Baselines in the same run: the stand-in and the naive per-request query, the same persons.
    index = ScreeningIndex()
    t0 = time.perf_counter()
    index.bulk_load_keys(rules.id_key(synthetic_id(i)) or 0 for i in range(n))
    t_standin = time.perf_counter() - t0
    print(f"stand-in index built in process: {len(index):,} persons in {t_standin:.0f}s", flush=True)
    standin_key = STANDIN_KEY
    naive = DbLookup(Database(db.target))  # its own connection, opened in the forked server
    for name, lookup in (("stand-in", IndexLookup(index)), ("naive", naive)):
        server = StandIn(lookup)
        stack.callback(server.stop)
        for label, rate in ((f"{args.rate}/s", args.rate), ("max", 0)):
            r = runs[name][label] = http_run(
                server, standin_key, mixed, rate, args.seconds, args.conns, db_pids if name == "naive" else []
            )
            show(name, label, r)
        bodies = bodies_1[: max(2, nb // 5)] if name == "naive" else bodies_1
        wall, hits, ok = post_batches(server.port, standin_key, bodies, 1)
        batch_results[f"{name}: 1 % hits, 1 connection"] = (
            len(bodies) * MAX_BATCH / wall,
            hits,
            ok,
            100 * len(bodies),
        )
        print(
            f"  {name:8} batch 1 % hits, 1 connection: "
            f"{batch_results[f'{name}: 1 % hits, 1 connection'][0] / 1e6:.3f} M IDs/s",
            flush=True,
        )
        server.stop()
    del index

    # 8. Verdicts and ratios.
    print(f"RESULT {n:,} persons · {mode} on {where}")
    p = runs["product"]
    fast = p[f"{args.rate}/s"]
    ok = (
        fast["p99"] < TARGET_P99_MS
        and fast["rate"] > args.rate * 0.95
        and not fast["errors"]
        and not fast["failure"]
    )
    print(
        f"RESULT single check at {args.rate} req/s offered: {fast['rate']:.0f} req/s, "
        f"p50 {fast['p50']:.2f} ms, "
        f"p99 {fast['p99']:.2f} ms → {verdict(ok)} (p99 < 5 ms at 2,000 req/s)"
    )
    for label, _rate in paced[1:]:
        r = p[label]
        print(
            f"RESULT single check at {label} offered: {r['rate']:.0f} req/s, p50 {r['p50']:.2f} ms, "
            f"p99 {r['p99']:.2f} ms (load average {r['load'][0]:.1f} → {r['load'][1]:.1f})"
        )
    print(
        f"RESULT single check, maximum sustainable (closed loop, {args.conns} connections): "
        f"{p['max']['rate']:.0f} req/s (p50 {p['max']['p50']:.1f} ms, p99 {p['max']['p99']:.1f} ms)"
    )
    for label in (
        "1 % hits, 1 connection",
        "100 % hits, 1 connection",
        "1 % hits, 2 connections",
        "100 % hits, 2 connections",
    ):
        rate = batch_results[label][0]
        print(
            f"RESULT batch {label}: {rate / 1e6:.3f} M IDs/s → {verdict(rate > TARGET_BATCH)} (> 1 M IDs/s)"
        )
    print(
        "RESULT index RSS per process (web workers, engine): "
        f"{', '.join(f'{m / 2**20:,.0f} MiB' for m in mem.values())} "
        f"(server RSS at the end {', '.join(f'{v / 2**20:,.0f} MiB' for v in product_rss.values())}) "
        f"→ {verdict(max(mem.values()) < TARGET_MEMORY)}"
    )
    print(
        f"RESULT audit records == answered calls: {rows:,} == {answered:,}"
        + (f" (+ up to {late} given up on by the load generator after {ANSWER_TIMEOUT:.0f}s)" if late else "")
        + f" → {verdict(audit_ok)}"
    )
    for base in ("stand-in", "naive"):
        b = runs[base]
        bb = batch_results[f"{base}: 1 % hits, 1 connection"][0]
        print(
            f"RATIO product/{base}: max rate ×{ratio(p['max']['rate'], b['max']['rate'])} "
            f"({p['max']['rate']:.0f} vs {b['max']['rate']:.0f} req/s) · p99 at {args.rate}/s "
            f"×{ratio(fast['p99'], b[f'{args.rate}/s']['p99'])} "
            f"({fast['p99']:.2f} vs {b[f'{args.rate}/s']['p99']:.2f} ms) · "
            f"server CPU per check ×{ratio(p['max']['cpu_us'], b['max']['cpu_us'])} · "
            f"batch 1 % hits ×{ratio(batch_results['1 % hits, 1 connection'][0], bb)}"
            + (
                ""
                if not (b["max"]["failure"] or b[f"{args.rate}/s"]["failure"])
                else " (a run FAILED, above)"
            )
        )
    print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
