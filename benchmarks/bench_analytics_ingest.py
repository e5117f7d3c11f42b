"""18 million statement lines for 2,309 debtors through the product's importer, then profiled.

    DATA_DIR=/tmp/an_ingest .venv/bin/python benchmarks/bench_analytics_ingest.py [--debtors 2309] [--rows 7800] [--workers 2] [--line-import | --per-line | --columnar] [--db postgres]

`--db postgres` runs it on the documented deployment's database: a throwaway PostgreSQL (and Redis)
started as `make cluster` starts them (`zhixing.config.cluster`, `scripts/services.sh`, durable
settings) on `--pgport`/`--redisport`, stopped at exit; PostgreSQL's CPU seconds (its processes living
at the end of the import: exact with `--workers 1`, whose backend lives on) are added to the import's.

Benchmark, not a test. Steps (only the timed ones count):

1. generate (untimed): the seeded corpus of `synthetic.generate` (the old benchmark's data) written
   twice: as the old benchmark's one raw CSV, and as one Bank-of-China-layout statement file per debtor
   (the `boc` built-in preset: title line, header, date + time, 人民币, signed amount, balance, counterparty
   name and masked account), i.e. what a clerk uploads;
2. setup (untimed): a court, a judge, one filed case per debtor (`cases.services.file_case`);
3. **import (timed)**: for every file `services.create_import` + `services.run_import` — the code an
   upload and its Huey task run — validating every row (by default the column-wise import,
   `services.columnar_rows`: the lines staged, typed and de-duplicated in DuckDB, the rows and the
   Parquet snapshot written from there; `--line-import` the per-line import with the layout compiled
   once per file, `compiled_layout`; `--per-line` reads every row with `parsing.normalise_row` alone,
   the reader before issue 16's performance work; `--columnar` reads the common lines with
   `columnar_layout`'s DuckDB query first, then per line), storing `Transaction` rows in bulk,
   flagging duplicates, writing each debtor's Parquet snapshot; in `--workers` forked processes (default 2, one per core: each takes every
   second debtor's file, as two queue workers would). Printed with CPU seconds (the workers'), lines per
   CPU-second and the load average, and extrapolated linearly in lines to the full 18,151,290-line
   corpus when run smaller (CPU seconds divided by the workers: the time on idle cores);
4. **profile (timed)**: `services.create_batch` + `run_batch` (the batch page's path: one DuckDB pass, a
   stored `Profile` per debtor);
5. one debtor's Word report (the documents capability's `ability_report` kind: builder + docxtpl render);
6. the old DuckDB-only ingest (raw CSV → typed read → duplicate flags → Parquet, `bench_analytics.ingest`)
   on the same corpus in the same run, and the ratio.

Targets (issue 16): import + profile < 60 s and peak RSS < 4 GB at 18 M lines; Word report < 2 s.
"""

# ruff: noqa: E501  (tables of events and layouts: one record per line reads better than wrapped)

# ruff: noqa: E402  (Django is set up before the platform's imports; SQL names benchmark paths only)

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")


def _database_option() -> tuple[str, int, int]:
    """`--db`, `--pgport`, `--redisport`, read before Django starts (the database is chosen then)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    early.add_argument("--pgport", type=int, default=25370)
    early.add_argument("--redisport", type=int, default=63770)
    got, _ = early.parse_known_args()
    return got.db, got.pgport, got.redisport


class Postgres:
    """The documented deployment's PostgreSQL (and Redis), started as `make cluster` starts them
    (`zhixing.config.cluster.Cluster.start_services`: `scripts/services.sh` with durable settings, the
    database created) under a state directory of their own, on their own ports; stopped at exit.
    Their processes' CPU seconds are the import's too (`cpu`)."""

    def __init__(self, pg_port: int, redis_port: int) -> None:
        import atexit
        import tempfile

        from zhixing.config.cluster import Cluster

        self.state = Path(tempfile.mkdtemp(prefix="zx-bench-ingest-"))
        self.state.chmod(0o755)  # PostgreSQL runs as the postgres user: it must reach services/ below
        self.cluster = Cluster(
            port=0, web_workers=0, consumers=0, state=self.state, pg_port=pg_port, redis_port=redis_port
        )
        atexit.register(self.stop)
        # always our own throwaway servers: never a DATABASE_URL/REDIS_URL of the caller's shell
        for var in ("DATABASE_URL", "REDIS_URL"):
            os.environ.pop(var, None)
        self.cluster.started_services = ["pg", "redis"]  # stopped at exit even if the start fails midway
        self.cluster.start_services()
        os.environ["DATABASE_URL"] = self.cluster.env["DATABASE_URL"]
        os.environ["REDIS_URL"] = self.cluster.env["REDIS_URL"]

    def pids(self) -> list[int]:
        """PostgreSQL's processes: the postmaster and its children (the backends, the writers)."""
        import subprocess

        try:
            master = int((self.state / "services" / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)
        return [master, *(int(p) for p in out.stdout.split())]

    def cpu(self) -> float:
        """CPU seconds of PostgreSQL's processes so far (utime + stime of each living one)."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / tick

    def stop(self) -> None:
        self.cluster.stop_services()
        shutil.rmtree(self.state, ignore_errors=True)


DB, PG_PORT, REDIS_PORT = _database_option()
PG_CPU = [0.0]  # PostgreSQL's share of the last import's CPU seconds
PG = Postgres(PG_PORT, REDIS_PORT) if DB == "postgres" else None

import django

django.setup()

import bench_analytics as old
import duckdb
from django.core.management import call_command

from zhixing.analytics import queries as aq
from zhixing.analytics import services
from zhixing.cases import services as case_services
from zhixing.cases.demo.people import credit_code, resident_id
from zhixing.courts import services as court_services
from zhixing.courts.models import Court
from zhixing.courts.roles import Role
from zhixing.documents import kinds as document_kinds
from zhixing.documents import render as document_render
from zhixing.documents import services as document_services

FULL_LINES = 18_151_290  # the seeded corpus at 2,309 debtors × 7,800 rows (docs/analytics.md)
BOC_HEADER = "记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,对方卡号/账号,对方开户行,借记卡号"


def word_report(case: Any, source: str) -> bytes:
    """The ability_report kind's builder and docxtpl render, as `documents.services.generate` runs them
    (without storing the document)."""
    kind = document_kinds.get("ability_report")
    assert kind is not None
    context = document_kinds.context_for(kind, case, source, {})
    return document_render.render_docx(bytes(document_services.current_version(kind.code).content), context)


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def generate(work: Path, n: int, k: int, seed: int) -> int:
    """The old benchmark's corpus as its raw CSV and as one BOC-layout upload per debtor."""
    rows = old.generate(work, n, k, seed)
    con = old.connect()
    con.execute(f"CREATE VIEW raw AS SELECT * FROM read_csv('{work}/raw.csv', header=true)")
    (work / "files").mkdir()
    con.execute(f"""
        COPY (SELECT debtor_id, strftime(ts, '%Y-%m-%d') AS "记账日期", strftime(ts, '%H:%M:%S') AS "记账时间",
                '人民币' AS "币别", CAST(amount AS VARCHAR) AS "金额", coalesce(CAST(balance AS VARCHAR), '') AS "余额",
                summary AS "交易名称", '手机银行' AS "渠道", '-------------------' AS "网点名称", '-------------------' AS "附言",
                coalesce(nullif(counterparty, ''), '-------------------') AS "对方账户名",
                CASE WHEN coalesce(counterparty, '') = '' THEN '-------------------' ELSE '6222******' || lpad(CAST(row_id % 10000 AS VARCHAR), 4, '0') END AS "对方卡号/账号",
                '-------------------' AS "对方开户行", '3167' AS "借记卡号"
              FROM raw ORDER BY debtor_id, ts)
        TO '{work}/files' (FORMAT csv, HEADER, PARTITION_BY (debtor_id))
    """)
    con.close()
    return rows


def setup(n: int) -> tuple[Any, dict[int, Any], Any]:
    """A court with a judge and a director; one case per debtor, filed through the filing service."""
    call_command("migrate", verbosity=0)
    services.install_builtin_presets()
    used = set(Court.objects.values_list("code", flat=True))
    high = next(c for c in "琼藏青宁新桂蒙黔滇甘" if c not in used)
    hi = court_services.create_court(None, code=high, name="基准测试高级人民法院", level="high", parent=None)
    mid = court_services.create_court(
        None, code=f"{high}01", name="基准测试中级人民法院", level="intermediate", parent=hi
    )
    court = court_services.create_court(
        None, code=f"{high}0101", name="基准测试基层人民法院", level="basic", parent=mid
    )
    judge = court_services.create_staff(
        None,
        username="bench_judge",
        full_name="基准法官",
        password="bench-only-pw-1",
        court=court,
        role=Role.JUDGE,
    )
    director = court_services.create_staff(
        None,
        username="bench_director",
        full_name="基准局长",
        password="bench-only-pw-1",
        court=court,
        role=Role.DIRECTOR,
    )
    applicant = case_services.PartyData(
        role="applicant",
        kind="organisation",
        name="基准银行股份有限公司",
        credit_code=credit_code("91", "440101", "MA5Q8A7LT"),
        legal_representative="陈行长",
    )
    refs = {}
    eff = date(2024, 3, 1)
    for d in range(n):
        debtor = case_services.PartyData(
            role="debtor",
            kind="person",
            name=f"被执行人{d}",
            id_number=resident_id("440106", date(1980, 1, 1) + timedelta(days=d // 1000), d % 1000),
        )
        case = case_services.file_case(
            judge,
            court,
            case_services.FilingData(
                case_type="执",
                applied_on=eff + timedelta(days=20),
                filed_on=eff + timedelta(days=22),
                instrument_type="civil_judgment",
                issuing_body=court.name,
                basis_number=f"（2024）基民初{d}号",
                effective_on=eff,
                performance_deadline=eff + timedelta(days=15),
                principal="100000.00",
                parties=[applicant, debtor],
            ),
        )
        party = next(p for p in case.parties.all() if p.role == "debtor")
        refs[d] = aq.debtor(judge, case.pk, party.pk)
    return judge, refs, director


def consumer_start() -> None:
    """What a queue consumer does before its workers take tasks: load every app's tasks (as
    `run_huey` does), then each worker calls Huey's start-up hooks (the heap settled, `core.heap`).
    Called untimed in this process before the import, then again in each forked worker, where it
    settles only what the fork added (the one-off start-up collection is not an import's cost)."""
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    for hook in HUEY._startup.values():
        hook()


def import_all(work: Path, judge: Any, refs: dict[int, Any]) -> dict[str, int]:
    """Every debtor's file uploaded and run, in a process started as a queue consumer starts."""
    consumer_start()
    preset = next(p for p in aq.presets(judge) if p.code == "boc")
    got = {"rows": 0, "duplicates": 0, "distinct": 0, "quarantined": 0, "rejected": 0}
    for d, ref in refs.items():
        path = next((work / "files" / f"debtor_id={d}").glob("*.csv"))
        data = path.read_bytes()
        job = services.create_import(
            judge, ref, kind="statement", file_name=path.name, data=data, preset=preset, mode="quarantine"
        )
        job = services.run_import(job.pk)
        got["rows"] += job.imported + job.duplicates
        got["duplicates"] += job.duplicates
        got["distinct"] += sum(1 for d in job.dedup_decisions if d["decision"] == "distinct")
        got["quarantined"] += job.quarantined
        got["rejected"] += job.status == "rejected"
    return got


def import_parallel(
    work: Path, judge: Any, refs: dict[int, Any], workers: int
) -> tuple[dict[str, int], float]:
    """`import_all` over `workers` processes (forked, every debtor's file in one of them, as queue
    workers on the cores would run the jobs); the stats summed and the children's CPU seconds."""
    pg = PG.cpu() if PG is not None else 0.0
    if workers <= 1:
        c = cpu()
        got = import_all(work, judge, refs)
        PG_CPU[0] = PG.cpu() - pg if PG is not None else 0.0
        return got, cpu() - c + PG_CPU[0]
    import multiprocessing

    from django.db import connections

    items = list(refs.items())
    shares = [dict(items[i::workers]) for i in range(workers)]
    connections.close_all()  # each child opens its own database connection
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        parts = pool.starmap(import_all, [(work, judge, share) for share in shares])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    PG_CPU[0] = PG.cpu() - pg if PG is not None else 0.0
    used += PG_CPU[0]
    return {k: sum(p[k] for p in parts) for k in parts[0]}, used


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--debtors", type=int, default=2309)
    ap.add_argument("--rows", type=int, default=7800)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument(
        "--profile-import", type=int, default=0, help="cProfile the import of this many debtors and stop"
    )
    ap.add_argument(
        "--workers", type=int, default=2, help="import processes (2: one per core of this machine)"
    )
    ap.add_argument("--per-line", action="store_true", help="read every row per line (no compiled layout)")
    ap.add_argument(
        "--columnar", action="store_true", help="read the common lines column-wise first (columnar_layout)"
    )
    ap.add_argument(
        "--columnar-import",
        action="store_true",
        help="the column-wise import (services.columnar_rows: lines staged and checked in DuckDB, no Line each; the default)",
    )
    ap.add_argument(
        "--line-import",
        action="store_true",
        help="the per-line import (services.columnar_rows switched off: a Line per line, the compiled layout)",
    )
    ap.add_argument(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="postgres: the documented deployment's PostgreSQL, started as make cluster starts it",
    )
    ap.add_argument("--pgport", type=int, default=25370, help="PostgreSQL's port (--db postgres)")
    ap.add_argument("--redisport", type=int, default=63770, help="Redis's port (--db postgres)")
    args = ap.parse_args()
    from zhixing.analytics.services import columnar_rows

    if args.columnar_import:
        columnar_rows.ENABLED = True
    if args.line_import or args.per_line or args.columnar:
        columnar_rows.ENABLED = False  # the per-line import's readers are what these compare
    if args.columnar:
        from functools import partialmethod

        from zhixing.analytics import parsing

        parsing.Statement.lines = partialmethod(parsing.Statement.lines, columnar=True)  # type: ignore[method-assign,assignment]
    if args.per_line:
        from zhixing.analytics import parsing

        parsing.compile_layout = lambda header, preset: None  # type: ignore[assignment]
    from django.conf import settings

    work = Path(settings.DATA_DIR) / "bench_ingest"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(
        f"debtors={args.debtors} rows/debtor={args.rows} cpus={os.cpu_count()} duckdb={duckdb.__version__} load average (1/5/15 min) {load()}"
    )
    if PG is not None:
        from django.db import connection

        with connection.cursor() as cursor:
            shown = []
            for name in ("server_version", "fsync", "synchronous_commit", "shared_buffers"):
                cursor.execute(f"SHOW {name}")
                shown.append(f"{name}={cursor.fetchone()[0]}")
        print(
            f"database: PostgreSQL {os.environ['DATABASE_URL']} ({', '.join(shown)}; scripts/services.sh as make cluster); its processes' CPU counted in the import's"
        )
    t = time.perf_counter()
    lines = generate(work, args.debtors, args.rows, args.seed)
    print(
        f"generate   {time.perf_counter() - t:8.1f} s  {lines:,} lines → raw.csv + {args.debtors} BOC-layout files (untimed)"
    )
    t = time.perf_counter()
    judge, refs, director = setup(args.debtors)
    print(f"setup      {time.perf_counter() - t:8.1f} s  {len(refs)} cases filed (untimed)")
    consumer_start()  # untimed: a consumer's start, not an import's work
    if args.profile_import:
        import cProfile
        import pstats

        pr = cProfile.Profile(time.process_time)  # CPU time: the shared machine's load does not count
        pr.enable()
        import_all(work, judge, dict(list(refs.items())[: args.profile_import]))
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(30)
        pstats.Stats(pr).sort_stats("cumulative").print_stats(40)
        return
    t = time.perf_counter()
    stats, c_imp = import_parallel(work, judge, refs, args.workers)
    t_imp = time.perf_counter() - t
    reader = (
        "per-line reader"
        if args.per_line
        else (
            "columnar + compiled layout"
            if args.columnar
            else ("column-wise import" if columnar_rows.ENABLED else "compiled layout")
        )
    )
    reader += f", {args.workers} worker process{'es' if args.workers > 1 else ''}, {DB}"
    if PG is not None:
        reader += f" (its processes {PG_CPU[0]:.1f} CPU-s of these)"
    print(
        f"import     {t_imp:8.1f} s  ({c_imp:.1f} CPU-s, {reader}) {stats['rows']:,} lines, {stats['duplicates']:,} duplicates, {stats['distinct']:,} identical lines kept as distinct, {stats['quarantined']} quarantined, {stats['rejected']} files rejected → {stats['rows'] / t_imp:,.0f} lines/s wall, {stats['rows'] / c_imp:,.0f} lines per CPU-s; load average {load()}"
    )
    if stats["rows"] < FULL_LINES:
        scale = FULL_LINES / stats["rows"]
        print(
            f"           extrapolated to {FULL_LINES:,} lines (× {scale:.1f}, linear in lines): {c_imp * scale:,.0f} CPU-s, {c_imp * scale / max(args.workers, 1):,.0f} s on {max(args.workers, 1)} idle core(s), {t_imp * scale:,.0f} s at this run's wall time"
        )
    t, c = time.perf_counter(), cpu()
    batch = services.create_batch(director)
    batch = services.run_batch(batch.pk)
    t_prof, c_prof = time.perf_counter() - t, cpu() - c
    print(f"profile    {t_prof:8.1f} s  ({c_prof:.1f} CPU-s) batch of {batch.total} debtors ({batch.status})")
    total = t_imp + t_prof
    verdict = (
        ("met" if total < 60 else "NOT met")
        if stats["rows"] >= FULL_LINES
        else "smaller run, see the extrapolation"
    )
    # an upper bound on the memory in use at once: this process's peak plus each worker at its peak
    rss = peak_mb() + (args.workers * children_peak_mb() if args.workers > 1 else 0)
    print(
        f"import+profile {total:6.1f} s  target < 60 s at {FULL_LINES:,} lines: {verdict}; peak RSS {rss:,.0f} MB (target < 4096 MB: {'met' if rss < 4096 else 'NOT met'})"
    )
    ref = refs[0]
    prof = services.compute_profile(judge, ref, start=date(2023, 1, 1), end=date(2025, 12, 31))
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        word_report(ref.case, str(prof.pk))
        runs.append(time.perf_counter() - t)
    print(f"word report {runs[0]:7.2f} s first, {min(runs):.2f} s best of 3; target < 2 s")
    t, c = time.perf_counter(), cpu()
    old_stats = old.ingest(work)
    t_old = time.perf_counter() - t
    c_old = cpu() - c
    print(
        f"old DuckDB-only ingest {t_old:6.1f} s ({c_old:.1f} CPU-s) {old_stats['rows']:,} lines → product import is {t_imp / t_old:.1f}× slower in wall time, {c_imp / max(c_old, 1e-9):.1f}× in CPU"
    )
    print(
        f"peak RSS   {peak_mb():8.0f} MB (this process), {children_peak_mb():.0f} MB (largest import worker); load average at the end {load()}"
    )


if __name__ == "__main__":
    main()
