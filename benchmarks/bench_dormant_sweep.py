#!/usr/bin/env python
"""终本 re-inquiry sweep benchmark: select and dispatch N due dormant cases, pages vs one job per case.

    DATABASE_URL=postgres://postgres@127.0.0.1:54331/zhixing REDIS_URL=redis://127.0.0.1:63731/0 \\
        .venv/bin/python benchmarks/bench_dormant_sweep.py --cases 5270000 --db postgres --baseline 100000

1. A fresh database (a new PostgreSQL database on DATABASE_URL's server), migrated; one case filed through
   the product (`file_case`), then cloned in SQL to N dormant cases closed over the last 5 years (not
   timed). `--with-rounds` of them (default 10 %) get an earlier query round: those inside the 6-month
   period are not due, the rest are — so the selection applies the real rule, not a `WHERE true`.
2. Timed, the product's path — the daily task's body `inquiry.services.reinquiry_sweep()`: keyset pages
   of due case ids (`queries_dormant.due_ids_page`, ids only) and one queued Huey job per page through the
   installed `core.work` hook (`inquiry.tasks.dormant_page_task`), into the configured Huey storage (Redis
   when REDIS_URL is set, as in the scaled deployment), with the product's page sizes (settings
   `dormant_sweep_read`, `dormant_page`; `--read`, `--page` override them). The process RSS is sampled
   after each page to show memory stays flat (`--tracemalloc` also traces the Python heap, slower).
3. The baseline in the same run: the same selection, one `dormant_page_task([id])` job per case.
4. The queue is flushed after each (the jobs are not executed: filing rounds is the consumers' work,
   measured by bench_inquiry).

Prints cases/s for both, the ratio, and PASS/FAIL against the target (5 M in under 20 minutes): the
measured time when at least 5,000,000 cases were due (`--cases 5270000`: about 5 % of the clones are
inside the 6-month period), otherwise a linear projection, labelled as such.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_cases import cleanup, prepare  # noqa: E402 - the same fresh-database set-up

TARGET_CASES = 5_000_000
TARGET_SECONDS = 20 * 60


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--cases", type=int, default=200_000)
    ap.add_argument("--with-rounds", type=float, default=0.10, help="share of cases with an earlier round")
    ap.add_argument("--page", type=int, help="cases per queued job (default: the setting dormant_page)")
    ap.add_argument("--read", type=int, help="ids per query (default: the setting dormant_sweep_read)")
    ap.add_argument("--baseline", type=int, default=0, help="cases for the baseline (0 = all)")
    ap.add_argument("--tracemalloc", action="store_true", help="also trace the Python heap (slows the sweep)")
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    ap.add_argument("--data-dir")
    ap.add_argument("--skip-seed", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    env = prepare(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        if not args.skip_seed:
            call_command("migrate", verbosity=0)
            t = time.perf_counter()
            seed(args.cases, args.with_rounds)
            print(f"seed: {args.cases:,} dormant cases in {time.perf_counter() - t:.1f} s (not timed)")
        run(args)
    finally:
        cleanup(env, args.keep)


def seed(n: int, with_rounds: float) -> None:
    """One case filed by the product, cloned in SQL; an earlier query round for a share of them."""
    from datetime import date

    from django.db import connection
    from django.utils import timezone

    from tests import factories
    from zhixing.courts.roles import Role
    from zhixing.inquiry import services as inquiry

    courts = factories.province()
    clerk = factories.staff(courts["th"], Role.CLERK, username="bench_clerk")
    judge = factories.staff(courts["th"], Role.JUDGE, username="bench_judge")
    template = factories.case(clerk)
    inquiry.start_inquiry(judge, template, ["deposit"])  # the request row the rounds are cloned from
    today = timezone.localdate()
    t = "cases_enforcementcase"
    with connection.cursor() as cur:
        cur.execute(
            COLUMNS,
            [t],
        )
        cols = [r[0] for r in cur.fetchall() if r[0] != "id"]
        computed = {
            "number": "c.number || '-' || g",
            "seq": "c.seq + g",
            "status": "'dormant'",
            "closing_mode": "'dormant'",
            "closed_on": f"DATE '{today}' - ((g::bigint * 7919) %% 1820)::int",
            "closing_details": "'{}'::jsonb",
        }
        select = ", ".join(computed.get(col, f"c.{col}") for col in cols)
        # At national scale, maintaining ~20 indexes (one a trigram GIN) row by row dominates the clone:
        # drop the non-unique ones, insert, and rebuild them in bulk (the same indexes in the end).
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE %s",
            [t, "CREATE UNIQUE%"],
        )
        rebuilt = cur.fetchall()
        for name, _ in rebuilt:
            cur.execute(f'DROP INDEX "{name}"')
        cur.execute(
            f"INSERT INTO {t} ({', '.join(cols)}) SELECT {select} FROM {t} c, generate_series(1, %s) g "
            "WHERE c.id = %s",
            [n, template.pk],
        )
        for _, ddl in rebuilt:
            cur.execute(ddl)
        cur.execute(f"UPDATE {t} SET status = 'dormant' WHERE id = %s", [template.pk])
        r = "inquiry_inquiryrequest"
        cur.execute(
            COLUMNS,
            [r],
        )
        rcols = [x[0] for x in cur.fetchall() if x[0] != "id"]
        rounds = int(n * with_rounds)
        rcomputed = {
            "case_id": "x.id",
            "idempotency_key": "md5('bench' || x.id)",
            "status": "'done'",
            # Spread over the last year: about half inside the 6-month period (not due), half before it.
            "created_at": (
                f"TIMESTAMPTZ '{today} 10:00+08' - ((x.id::bigint * 104729) %% 365) * INTERVAL '1 day'"
            ),
        }
        rselect = ", ".join(rcomputed.get(col, f"q.{col}") for col in rcols)
        cur.execute(
            f"INSERT INTO {r} ({', '.join(rcols)}) SELECT {rselect} FROM "
            f"(SELECT id FROM {t} WHERE status = 'dormant' AND id <> %s ORDER BY id LIMIT %s) x, "
            f"(SELECT * FROM {r} WHERE case_id = %s ORDER BY id LIMIT 1) q",
            [template.pk, rounds, template.pk],
        )
        cur.execute(f"DELETE FROM {r} WHERE case_id = %s", [template.pk])
        cur.execute("ANALYZE")
    print(f"  {n:,} cases cloned from {template.number}; {rounds:,} with an earlier round ({date.today()})")


COLUMNS = "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position"


def _rss_now() -> int:
    """The process's resident set now (bytes), from /proc (no tracing overhead on the timed path)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from zhixing.core import work
    from zhixing.inquiry import conf, queries_dormant, services, tasks

    today = timezone.localdate()
    storage = type(HUEY.storage).__name__
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; Huey storage: {storage}")
    assert work.installed(services.PAGE_WORK) is not None, "inquiry.tasks did not install the page hook"
    HUEY.flush()

    # -- the product's path: the daily task's body, one job per page ----------------------------------
    heap: list[int] = []
    original = tasks.dormant_page_task

    def page_job(ids: list[int], day: str) -> None:
        original(ids, day)
        heap.append(_rss_now())

    work.install(services.PAGE_WORK, page_job)  # the same enqueue, with a memory sample per page
    if args.tracemalloc:
        tracemalloc.start()
    t = time.perf_counter()
    swept = services.reinquiry_sweep(today, page_size=args.page, read_size=args.read)
    product = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
    tracemalloc.stop()
    work.install(services.PAGE_WORK, original)
    queued = HUEY.pending_count()
    HUEY.flush()
    rate = swept.selected / product if product else 0.0
    print(
        f"product sweep: {swept.selected:,} due cases in {swept.pages:,} page jobs, {product:.1f} s "
        f"= {rate:,.0f} cases/s; queued {queued:,} jobs"
    )
    tenth = max(len(heap) // 10, 1)
    trend = " → ".join(f"{max(heap[i : i + tenth]) / 1e6:.1f}" for i in range(0, len(heap), tenth))
    print(
        f"  process RSS after each page, max of each tenth of the run (MB): {trend}; "
        f"max RSS {_rss_mb():.0f} MB"
        + (f"; tracemalloc peak {peak / 1e6:.1f} MB" if args.tracemalloc else "")
    )

    # -- the baseline: one job per case ------------------------------------------------------------------
    limit = args.baseline or swept.selected
    read = args.read or int(conf.option("dormant_sweep_read"))  # the same reads as the sweep
    t = time.perf_counter()
    n = 0
    cursor: int | None = 0
    while cursor is not None and n < limit:
        ids, cursor = queries_dormant.due_ids_page(today, None, cursor, read)
        for case_id in ids[: limit - n]:
            original([case_id], today.isoformat())
            n += 1
    base = time.perf_counter() - t
    queued = HUEY.pending_count()
    HUEY.flush()
    base_rate = n / base if base else 0.0
    print(
        f"baseline, one job per case: {n:,} cases in {base:.1f} s = {base_rate:,.0f} cases/s; "
        f"queued {queued:,}"
    )
    print(f"ratio (product / baseline): ×{rate / base_rate:.1f}" if base_rate else "ratio: n/a")
    if swept.selected >= TARGET_CASES:  # the full size was run: the measured time is the figure
        verdict = product < TARGET_SECONDS
        print(
            f"measured: {swept.selected:,} due cases selected and dispatched in {product / 60:.1f} min; "
            f"target {TARGET_CASES:,} in < {TARGET_SECONDS // 60} min: {'PASS' if verdict else 'FAIL'}"
        )
        return
    projected = TARGET_CASES / rate if rate else float("inf")
    print(
        f"projected for {TARGET_CASES:,} cases: {projected / 60:.1f} min (linear extrapolation from cases/s "
        f"measured at {swept.selected:,}, below the target size); target < {TARGET_SECONDS // 60} min: "
        f"{'PASS' if projected < TARGET_SECONDS else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
