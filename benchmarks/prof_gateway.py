"""In-process CPU profile of the screening gateway's single check and batch (no HTTP, no event loop).

Run:  PYTHONPATH=$PWD/src .venv/bin/python benchmarks/prof_gateway.py DATA_DIR [GROUP] [--profile]
      PYTHONPATH=$PWD/src .venv/bin/python benchmarks/prof_gateway.py DATA_DIR --batch [--profile]

DATA_DIR is a data directory loaded by `bench_credit.py --keep DIR` (it holds ``bench-partner.key``);
the harness opens its SQLite database and WRITES audit records into it (use a scratch copy, never the
10 M directory a benchmark reuses). It runs the gateway's `Engine.process` on groups of GROUP single
checks (half listed, half not) as the server's group commit does, and prints the CPU µs per check
(`time.process_time`, unprofiled) and, with ``--profile``, a cProfile listing of a second pass.
Environment: ``PROF_IDS`` distinct IDs (default 40000; e.g. 2000 keeps the detail cache warm, as a
benchmark that cycles its IDs does), ``PROF_N`` checks per pass (8000), ``PROF_SORT`` the profile's
order (cumulative; ``tottime``). Group size 1 vs 16 shows a group's fixed cost (docs/credit.md).

``--batch``: `Engine.process` on one 10,000-ID batch of listed persons (100 % hits) at a time, as the
benchmark's batch run sends it (text/plain, answered in CSV), and the CPU ms per batch: "cold" batches
of subjects the detail cache has not seen (each batch new persons), then "warm" (the same batches
again). ``PROF_FORMAT``: csv (default), compact (text/plain answered in compact JSON), array (a JSON
array answered in compact JSON), ids (``{"ids": [...]}``); ``PROF_BATCHES`` batches per pass (5);
``PROF_COLD=1`` profiles cold batches.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

args = [a for a in sys.argv[1:] if not a.startswith("--")]
DATA = Path(args[0]) if args else Path("/tmp/gwperf/bench200k")
GROUP = int(args[1]) if len(args) > 1 else 16
os.environ["DATA_DIR"] = str(DATA)
os.environ["DJANGO_SETTINGS_MODULE"] = "zhixing.config.settings"
os.environ["ZHIXING_SANDBOX"] = "0"

import django  # noqa: E402

django.setup()

from zhixing.credit import gateway  # noqa: E402
from zhixing.credit.synthetic import synthetic_id  # noqa: E402

n_persons, key = (DATA / "bench-partner.key").read_text().split()[:2]
eng = gateway.Engine()
rnd = random.Random(3)
DISTINCT = int(os.environ.get("PROF_IDS", "40000"))  # distinct IDs (fewer: the detail cache is warm)
ids = [synthetic_id(rnd.randrange(int(n_persons)), listed=bool(i % 2)) for i in range(DISTINCT)]


def jobs(n: int, off: int) -> list[gateway.Job]:
    return [
        gateway.Job(
            kind="check",
            key=key,
            content_type="application/json",
            accept="",
            query="",
            body=json.dumps({"id": ids[(off + k) % len(ids)]}).encode(),
        )
        for k in range(n)
    ]


def run(n: int, off: int) -> float:
    t0 = time.process_time()
    for g in range(n // GROUP):
        eng.process(jobs(GROUP, off + g * GROUP))
    return (time.process_time() - t0) / n * 1e6


def batch_job(ids: list[str]) -> gateway.Job:
    fmt = os.environ.get("PROF_FORMAT", "csv")
    if fmt in ("csv", "compact"):
        ctype, body = "text/plain", "\n".join(ids).encode()
    elif fmt == "array":
        ctype, body = "application/json", json.dumps(ids).encode()
    else:
        ctype, body = "application/json", json.dumps({"ids": ids}).encode()
    accept = "text/csv" if fmt == "csv" else "application/json"
    return gateway.Job(kind="batch", key=key, content_type=ctype, accept=accept, query="", body=body)


def run_batches(batches: list[list[str]], cold: bool = False) -> float:
    t0 = time.process_time()
    for ids in batches:
        if cold:  # the profile of new subjects: a detail cache that has seen none
            eng.details = gateway.Engine().details
        answer = eng.process([batch_job(ids)])[0]
        assert answer.status == 200, answer.body[:300]
    return (time.process_time() - t0) / len(batches) * 1e3


if "--batch" in sys.argv:
    NB = int(os.environ.get("PROF_BATCHES", "5"))
    listed = [synthetic_id(i) for i in range(min(int(n_persons), 10_000 * (4 * NB + 1)))]
    chunks = [listed[k * 10_000 : (k + 1) * 10_000] for k in range(len(listed) // 10_000)]
    eng.process([batch_job(chunks[-1])])  # warm: index, partner, statements
    passes = [chunks[k * NB : (k + 1) * NB] for k in range(3)]
    cold = [run_batches(p) for p in passes]
    warm = [run_batches(p) for p in passes]
    fmt = os.environ.get("PROF_FORMAT", "csv")
    print(
        f"batch {fmt}, 10,000 IDs, 100 % hits: cold {min(cold):.1f} ms, warm {min(warm):.1f} ms CPU/batch "
        f"(best of 3 × {NB}; all cold {', '.join(f'{c:.1f}' for c in cold)})"
    )
    if "--profile" in sys.argv:
        pr = cProfile.Profile()
        pr.enable()
        run_batches(passes[0] * 2, cold=os.environ.get("PROF_COLD") == "1")
        pr.disable()
        pstats.Stats(pr).sort_stats(os.environ.get("PROF_SORT", "tottime")).print_stats(30)
    sys.exit(0)

for g in range(20):  # warm: index, caches
    eng.process(jobs(GROUP, g * GROUP))
N = int(os.environ.get("PROF_N", "8000"))
best = min(run(N, 1000 + r * N) for r in range(3))
print(f"group {GROUP}: {best:.0f} µs CPU/check (unprofiled, best of 3 × {N})")
if "--profile" in sys.argv:
    pr = cProfile.Profile()
    pr.enable()
    run(N, 30000)
    pr.disable()
    pstats.Stats(pr).sort_stats(os.environ.get("PROF_SORT", "cumulative")).print_stats(35)
