"""Screening benchmark: the in-memory index at national scale against a naive per-request DB query.

Run:  .venv/bin/python benchmarks/bench_credit.py            (full: 10.59 M persons)
      .venv/bin/python benchmarks/bench_credit.py --persons 1000000 --seconds 5   (quick)

Prints figures and PASS/FAIL against the targets of issue 4:
  * index memory for 10.59 M listed persons < 1.5 GB
  * single-ID check over HTTP on loopback at 2,000 req/s: p99 < 5 ms (server: 1 uvicorn worker on 1 core,
    load generator on the other core — the machine has 2)
  * batch screening > 1 M IDs/s (10,000-ID batches), in process and over HTTP in both formats: the
    original JSON (`{"ids": [...]}` → per-ID JSON) and the compact one (text/plain, one ID per line →
    CSV of hits by position), over one and two keep-alive connections
  * change feed after 100,000 changes (apply to the index + compute a partner's deltas)
and the ratio to a naive baseline measured in the same run: the same HTTP endpoint answering from a
SQLite table (`SELECT mask FROM subject WHERE subject_key = ?` per ID) loaded with a smaller sample.
Because both answer far below saturation at 2,000 req/s, the single check is also run at a higher
offered rate (--high-rate, 5,000/s) and closed-loop (as fast as the server answers: the maximum
sustainable rate); the ratios of p99, maximum rate and server CPU per request are printed. Each run
also prints how busy the server and the load generator were: when neither is near 100 %, other
processes took the cores and the latency figures say more about the machine than about the code.

The HTTP server is a minimal raw ASGI app under uvicorn (httptools parser when installed) serving the
same `ScreeningIndex` code (and, for the compact batch, the same `screen_lines`/`hits_csv`) the Django
endpoints use. It verifies the partner key (SHA-256 digest lookup) and the ID format; unlike the
Django endpoint it does not write an audit record per call nor look up the court and case of hits
(that cost is the database's, see report). Synthetic IDs carry random 17-digit bodies: the index does
not verify check digits.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import multiprocessing as mp
import os
import random
import socket
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from zhixing.credit import rules
from zhixing.credit.screening import (
    COMMON_MASK,
    LineBatch,
    ScreeningIndex,
    count_lines,
    feed_deltas,
    hits_csv,
)

PARTNER_KEY = "zxp_bench_railway_key"
RAILWAY = rules.partner_mask("railway")
TARGET_P99_MS = 5.0
TARGET_RATE = 2000
TARGET_BATCH = 1_000_000
TARGET_MEMORY = 1.5 * 2**30
MAX_BATCH = 10_000  # = zhixing.credit.schemas.MAX_BATCH (not imported: it needs Django settings)
HIGH_RATE = 5000  # offered rate where the naive baseline and the index part ways


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def synthetic_keys(n: int, seed: int = 7) -> list[int]:
    rnd = random.Random(seed)
    bits = rnd.getrandbits
    # 17 random decimal digits and a check character (0–9 or X) read in base 11, as rules.id_key does.
    return [rules.id_key(f"{bits(57) % 10**17:017d}" + "0123456789X"[bits(4) % 11]) or 0 for _ in range(n)]


# -- the minimal ASGI app (same index code) ------------------------------------------------------------------
def make_app(lookup: Any) -> Any:
    digests = {hashlib.sha256(PARTNER_KEY.encode()).hexdigest(): RAILWAY}

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
        if visible is None:
            out: dict[str, Any]
            status, out = 401, {"detail": "合作单位接口密钥无效或已吊销"}
        elif scope["path"] == "/batch" and ctype.startswith(b"text/plain"):
            # The compact format of the Django endpoint: one ID per line in, CSV of hits by position out.
            n = count_lines(body)
            if n > MAX_BATCH:
                status, out = 422, {"detail": f"每批最多{MAX_BATCH}个身份号码", "field": "ids"}
            else:
                csv = hits_csv(lookup.lines(body, visible)).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [
                            (b"content-type", b"text/csv; charset=utf-8"),
                            (b"content-length", str(len(csv)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": csv})
                return
        elif scope["path"] == "/check":
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
        elif scope["path"] == "/batch":
            ids = json.loads(body)["ids"]
            hits = lookup.many(ids, visible)
            status, out = (
                200,
                {"asked": len(ids), "restricted": {k: rules.codes_of(m) for k, m in hits.items()}},
            )
        else:
            status, out = 404, {"detail": "not found"}
        payload = json.dumps(out, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    return app


class IndexLookup:
    def __init__(self, index: ScreeningIndex) -> None:
        self.index = index

    def __call__(self, number: str) -> int | None:
        key = rules.id_key(number)
        return None if key is None else self.index.mask_of_key(key)

    def many(self, ids: list[str], visible: int) -> dict[str, int]:
        return self.index.check_many(ids, visible)

    def lines(self, body: bytes, visible: int) -> LineBatch:
        return self.index.screen_lines(body, visible)


class SqliteLookup:
    """The naive baseline: one SQL query per ID against the register table."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)

    def __call__(self, number: str) -> int | None:
        if rules.id_key(number) is None:
            return None
        row = self.db.execute("SELECT mask FROM subject WHERE subject_key = ?", (number,)).fetchone()
        return row[0] if row else 0

    def many(self, ids: list[str], visible: int) -> dict[str, int]:
        out = {}
        for number in ids:
            m = (self(number) or 0) & visible
            if m:
                out[number] = m
        return out


PIN = False


def serve(lookup: Any, port: int, ready: Any, sock: socket.socket | None = None) -> None:
    """One uvicorn worker; with `sock`, it accepts on that shared listening socket (several workers)."""
    import uvicorn

    if PIN:
        os.sched_setaffinity(0, {0})
    if os.environ.get("BENCH_NO_FREEZE") != "1":
        gc.freeze()  # the index was built before fork: keep the collector (and copy-on-write) off it
    config = uvicorn.Config(
        make_app(lookup), host="127.0.0.1", port=port, log_level="error", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    ready.set()
    server.run(sockets=[sock] if sock is not None else None)


def start_workers(lookup: Any, workers: int) -> tuple[int, list[Any]]:
    """`workers` forked uvicorn processes sharing one listening socket (the index shared copy-on-write)."""
    ctx = mp.get_context("fork")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = int(sock.getsockname()[1])
    procs = []
    for _ in range(workers):
        ready = ctx.Event()
        proc = ctx.Process(target=serve, args=(lookup, port, ready, sock), daemon=True)
        proc.start()
        ready.wait()
        procs.append(proc)
    sock.close()
    time.sleep(0.5)
    return port, procs


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (from /proc), to separate our cost from machine contention."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- load generator (raw HTTP/1.1 keep-alive, paced, latency from the scheduled send time) ---------------
async def _worker(
    port: int,
    ids: list[str],
    start: float,
    interval: float,
    count: int,
    lat: list[float],
    errors: list[int],
    until: float | None = None,
) -> None:
    """Paced (`interval` > 0: latency from the scheduled send time) or closed-loop until `until`."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    for i in range(count):
        due = start + i * interval
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        if until is not None:
            due = loop.time()
            if due > until:
                break
        body = json.dumps({"id": ids[i % len(ids)]}).encode()
        writer.write(
            b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Partner-Key: "
            + PARTNER_KEY.encode()
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body
        )
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            errors.append(1)
        lat.append(loop.time() - due)
    writer.close()


def load(port: int, ids: list[str], rate: int, seconds: float, conns: int, out: Any) -> None:
    """Offer `rate` requests/s over `conns` keep-alive connections; rate 0: closed loop (saturation)."""
    if PIN:
        os.sched_setaffinity(0, {1})

    async def main() -> tuple[list[float], int, float]:
        lat: list[float] = []
        errors: list[int] = []
        loop = asyncio.get_running_loop()
        start = loop.time() + 0.2
        t0 = time.perf_counter()
        if rate:
            per = int(rate * seconds / conns)
            workers = (
                _worker(port, ids[c::conns], start + c / rate, conns / rate, per, lat, errors)
                for c in range(conns)
            )
        else:
            until = start + seconds
            workers = (
                _worker(port, ids[c::conns], start, 0.0, 10**9, lat, errors, until) for c in range(conns)
            )
        await asyncio.gather(*workers)
        return lat, len(errors), time.perf_counter() - t0 - 0.2

    c0 = time.process_time()
    lat, errors, elapsed = asyncio.run(main())
    out.put((lat, errors, elapsed, time.process_time() - c0))


def http_run(lookup: Any, ids: list[str], rate: int, seconds: float, conns: int) -> dict[str, float]:
    ctx = mp.get_context("fork")
    port = free_port()
    ready = ctx.Event()
    server = ctx.Process(target=serve, args=(lookup, port, ready), daemon=True)
    server.start()
    ready.wait()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    q = ctx.Queue()
    assert server.pid is not None
    cpu0 = cpu_seconds(server.pid)
    gen = ctx.Process(target=load, args=(port, ids, rate, seconds, conns, q))
    gen.start()
    lat, errors, elapsed, gen_cpu = q.get()
    gen.join()
    server_cpu = cpu_seconds(server.pid) - cpu0
    server.terminate()
    server.join()
    lat.sort()
    n = len(lat)
    return {
        "n": n,
        "errors": errors,
        "rate": n / elapsed,
        "cpu_us": server_cpu / max(n, 1) * 1e6,
        "server_busy": server_cpu / max(elapsed, 1e-9),
        "client_busy": gen_cpu / max(elapsed, 1e-9),
        "p50": lat[n // 2] * 1000,
        "p99": lat[int(n * 0.99)] * 1000,
        "max": lat[-1] * 1000,
    }


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=10_590_000)
    ap.add_argument("--naive-persons", type=int, default=200_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rate", type=int, default=TARGET_RATE)
    ap.add_argument("--high-rate", type=int, default=HIGH_RATE, help="second, higher offered rate")
    ap.add_argument("--conns", type=int, default=32)
    ap.add_argument(
        "--pin", action="store_true", help="pin the server to CPU 0 and the load generator to CPU 1"
    )
    args = ap.parse_args()
    global PIN
    PIN = args.pin
    print(
        f"credit screening benchmark · {os.cpu_count()} CPUs · Python {sys.version.split()[0]} · "
        f"load average {os.getloadavg()[0]:.1f} at start (latency figures need an idle machine)"
    )

    # 1. Build the index.
    gc.collect()
    base = rss()
    t0 = time.perf_counter()
    keys = synthetic_keys(args.persons)
    t_gen = time.perf_counter() - t0
    index = ScreeningIndex()
    t0 = time.perf_counter()
    index.bulk_load_keys(keys)
    t_load = time.perf_counter() - t0
    sample_keys = random.Random(1).sample(keys, 200_000)
    del keys
    gc.collect()
    mem = rss() - base
    print(
        f"index: {len(index):,} persons · generated {t_gen:.1f}s · loaded {t_load:.1f}s · "
        f"memory {mem / 2**20:,.0f} MiB (RSS delta) → {verdict(mem < TARGET_MEMORY)} (< 1.5 GiB)"
    )

    hits = [rules.key_id(k) for k in sample_keys]
    rnd = random.Random(2)
    misses = [f"{rnd.getrandbits(57) % 10**17:017d}3" for _ in range(100_000)]
    mixed = [x for pair in zip(hits[:100_000], misses, strict=True) for x in pair]

    # 2. In-process single check and batch.
    lookup = IndexLookup(index)
    t0 = time.perf_counter()
    for number in mixed:
        lookup(number)
    single_us = (time.perf_counter() - t0) / len(mixed) * 1e6
    batches = [mixed[i : i + 10_000] for i in range(0, len(mixed), 10_000)]
    walls, cpus = [], []
    for _ in range(3):  # best of three passes over 200,000 IDs
        t0, c0 = time.perf_counter(), time.process_time()
        found = 0
        for b in batches:
            found += len(index.check_many(b, RAILWAY))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        assert found == len(mixed) // 2, found
    batch_rate = len(mixed) / min(walls)
    batch_cpu_rate = len(mixed) / min(cpus)
    print(
        f"in-process: single look-up {single_us:.2f} µs · batch {batch_rate / 1e6:.2f} M IDs/s wall-clock, "
        f"{batch_cpu_rate / 1e6:.2f} M IDs/s per CPU-second (10,000-ID batches, half hits) → "
        f"{verdict(batch_rate > TARGET_BATCH)} (> 1 M IDs/s, wall-clock)"
    )

    # 3. Naive baseline: SQLite register table with a smaller sample, same look-ups.
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, "naive.sqlite3")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE subject (subject_key TEXT PRIMARY KEY, mask INTEGER NOT NULL)")
    naive_hits = hits[: args.naive_persons]
    db.executemany("INSERT INTO subject VALUES (?, ?)", ((h, COMMON_MASK) for h in naive_hits))
    db.commit()
    db.close()
    naive = SqliteLookup(path)
    naive_mixed = [x for pair in zip(naive_hits[:50_000], misses[:50_000], strict=True) for x in pair]
    t0 = time.perf_counter()
    for number in naive_mixed[:20_000]:
        naive(number)
    naive_single_us = (time.perf_counter() - t0) / 20_000 * 1e6
    t0 = time.perf_counter()
    naive.many(naive_mixed[:20_000], RAILWAY)
    naive_batch = 20_000 / (time.perf_counter() - t0)
    print(
        f"naive (SQLite, {len(naive_hits):,} rows): single look-up {naive_single_us:.2f} µs · "
        f"batch {naive_batch / 1e6:.3f} M IDs/s"
    )
    print(
        f"ratio index/naive: single look-up ×{naive_single_us / single_us:.1f} faster · "
        f"batch ×{batch_rate / naive_batch:.1f} faster"
    )

    # 4. Change feed after 100,000 changes.
    rnd = random.Random(3)
    events = []
    for i in range(100_000):
        number = hits[rnd.randrange(len(hits))] if i % 2 else misses[i % len(misses)]
        old = index.mask_of(number)
        new = 0 if old else (COMMON_MASK if i % 3 else rules.CODE_BITS["exit"])
        events.append((i + 1, number, old, new, None))
    t0 = time.perf_counter()
    for _, number, _, new, _ in events:
        index.set(number, new)
    t_apply = time.perf_counter() - t0
    t0 = time.perf_counter()
    cursor, deltas = 0, 0
    while True:
        out, last = feed_deltas((e for e in events if e[0] > cursor), RAILWAY, 10_000)
        if last is None:
            break
        deltas += len(out)
        cursor = last
        if last == events[-1][0]:
            break
    t_feed = time.perf_counter() - t0
    print(
        f"change feed: applied 100,000 changes to the index in {t_apply * 1000:.0f} ms · "
        f"railway feed of {deltas:,} deltas in {t_feed * 1000:.0f} ms (pages of 10,000)"
    )

    # 5. HTTP: index vs naive, the same load: the target rate, a higher offered rate, and saturation.
    print(
        f"HTTP single check, {args.seconds:.0f}s per run, {args.conns} connections "
        f"({'server on CPU 0, load generator on CPU 1' if PIN else 'unpinned'}; "
        f"HTTP parser {http_impl()}):"
    )
    runs: dict[str, dict[str, dict[str, float]]] = {"index": {}, "naive": {}}
    for label, rate in ((f"{args.rate}/s", args.rate), (f"{args.high_rate}/s", args.high_rate), ("max", 0)):
        for name, lk, ids in (("index", lookup, mixed), ("naive", naive, naive_mixed)):
            r = runs[name][label] = http_run(lk, ids, rate, args.seconds, args.conns)
            print(
                f"  {name:5} @ {label:>7}: {r['rate']:6.0f} req/s · p50 {r['p50']:6.2f} ms · "
                f"p99 {r['p99']:7.2f} ms · max {r['max']:6.1f} ms · errors {r['errors']} · "
                f"server CPU {r['cpu_us']:.0f} µs/request, busy {r['server_busy']:.0%} · "
                f"load generator busy {r['client_busy']:.0%}"
            )
    fast = runs["index"][f"{args.rate}/s"]
    ok = fast["p99"] < TARGET_P99_MS and fast["rate"] > args.rate * 0.95 and not fast["errors"]
    print(
        f"  index at {args.rate} req/s: p99 {fast['p99']:.2f} ms → {verdict(ok)} (p99 < 5 ms at 2,000 req/s)"
    )
    for label in (f"{args.rate}/s", f"{args.high_rate}/s"):
        f, n = runs["index"][label], runs["naive"][label]
        print(
            f"  ratio naive/index at {label}: p50 ×{n['p50'] / f['p50']:.2f} · "
            f"p99 ×{n['p99'] / f['p99']:.2f} · server CPU per request ×{n['cpu_us'] / f['cpu_us']:.2f}"
        )
    f, n = runs["index"]["max"], runs["naive"]["max"]
    # Which side ran out of CPU: with neither near 100 %, other processes took the cores.
    busiest = max(f["server_busy"], n["server_busy"]), max(f["client_busy"], n["client_busy"])
    bound = (
        "server-bound"
        if busiest[0] > 0.85
        else "load-generator-bound"
        if busiest[1] > 0.85
        else "neither side saturated: the machine is busy with other work"
    )
    print(
        f"  ratio index/naive at saturation: max rate ×{f['rate'] / n['rate']:.2f} "
        f"({f['rate']:.0f} vs {n['rate']:.0f} req/s, {bound}) · "
        f"server CPU per request ×{n['cpu_us'] / f['cpu_us']:.2f} (naive/index)"
    )

    # 6. HTTP batch of 10,000 IDs through the same app: the JSON format, then the compact one.
    expected_hits = sum(len(index.check_many(b, RAILWAY)) for b in batches)
    json_bodies = [json.dumps({"ids": b}).encode() for b in batches]
    text_bodies = ["\n".join(b).encode() for b in batches]
    results = {}
    for fmt, bodies, ctype, conns, workers in (
        ("JSON {ids} → per-ID JSON, 1 worker, 1 connection", json_bodies, "application/json", 1, 1),
        ("text/plain → CSV of hits, 1 worker, 1 connection", text_bodies, "text/plain", 1, 1),
        ("text/plain → CSV of hits, 1 worker, 2 connections", text_bodies, "text/plain", 2, 1),
        ("text/plain → CSV of hits, 2 workers, 2 connections", text_bodies, "text/plain", 2, 2),
    ):
        port, procs = start_workers(lookup, workers)
        best_wall, best_cpu, sent = 1e9, 1e9, 0
        for _ in range(5):  # best of five passes over 200,000 IDs
            cpu0 = sum(cpu_seconds(p.pid) for p in procs)
            wall, found_hits, sent = post_batches(port, bodies, ctype, conns)
            best_wall = min(best_wall, wall)
            best_cpu = min(best_cpu, sum(cpu_seconds(p.pid) for p in procs) - cpu0)
            if ctype == "text/plain":
                assert found_hits == expected_hits, (found_hits, expected_hits)
        results[fmt] = (len(mixed) / best_wall, len(mixed) / max(best_cpu, 1e-9), sent / len(bodies))
        for p in procs:
            p.terminate()
            p.join()
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    for fmt, (wall, cpu, size) in results.items():
        print(
            f"HTTP batch (10,000 IDs per request, half hits), {fmt}: {wall / 1e6:.2f} M IDs/s wall-clock, "
            f"{cpu / 1e6:.2f} M IDs/s per server CPU-second, response {size / 1000:.0f} kB → "
            f"{verdict(wall > TARGET_BATCH)} (> 1 M IDs/s)"
        )


def post_batches(port: int, bodies: list[bytes], ctype: str, conns: int) -> tuple[float, int, int]:
    """POST every body over `conns` keep-alive connections (one thread each); (wall s, CSV hits, bytes)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    def run(part: list[bytes]) -> tuple[int, int]:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        hits = size = 0
        for body in part:
            conn.request(
                "POST", "/batch", body=body, headers={"X-Partner-Key": PARTNER_KEY, "Content-Type": ctype}
            )
            out = conn.getresponse().read()
            size += len(out)
            hits += out.count(b"\n") - 1
        conn.close()
        return hits, size

    with ThreadPoolExecutor(conns) as pool:
        t0 = time.perf_counter()
        done = list(pool.map(run, [bodies[c::conns] for c in range(conns)]))
        wall = time.perf_counter() - t0
    return wall, sum(h for h, _ in done), sum(z for _, z in done)


def http_impl() -> str:
    """Which HTTP/1.1 parser uvicorn picks ('auto': httptools when installed, else pure-Python h11)."""
    try:
        import httptools  # noqa: F401

        return "httptools"
    except ImportError:
        return "h11 (pure Python)"


if __name__ == "__main__":
    main()
