#!/usr/bin/env python
"""Case-list, supervision and deadline-scan benchmark at provincial scale (not a pytest test).

    .venv/bin/python benchmarks/bench_cases.py --cases 1000000 [--db sqlite|postgres]

Creates a fresh database (an SQLite file under a temporary DATA_DIR, or a new PostgreSQL database on the
server DATABASE_URL points at), migrates it, runs ``seed_demo --cases N`` (timed), then measures the
server-side time of the reads the work screens make, by calling the real read functions with real users:

* the case list's first page (``zhixing.cases.queries.case_page``) with each filter, as the bureau
  director of a basic court (th_director) and as the high-court president who reads every court
  (gd_president);
* supervision: ``queries.overdue_counts``, everything the supervision page reads (open cases, overdue
  nodes per court and per handler with the handler's id, cases past their term);
* the periodic scan ``services.scan_due_nodes(today)`` (full run, inside a transaction rolled back after
  each run so every run does the full work);
* optionally (``--pages``) the same pages through the Django test client, templates included.

Each figure is the median and p95 of ``--runs`` runs after ``--warmup`` runs, printed next to a naive
baseline measured in the same process (the list: every row of the user's scope loaded into Python, then
filtered and sorted there; supervision: every node iterated in Python; the scan: one node at a time
through the ORM over a sample, extrapolated), with the ratio and PASS/FAIL against the targets:
list and supervision < 200 ms (p95), full scan < 10 s, generation < 10 min.

``--data-dir DIR --skip-seed`` (SQLite) or ``--skip-seed`` with DATABASE_URL (PostgreSQL) measure an
existing database instead. ``--explain`` prints the plan of the slowest query of each failing figure.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

LIST_TARGET_MS = 200.0
SUPERVISION_TARGET_MS = 200.0
SCAN_TARGET_S = 10.0
GENERATION_TARGET_S = 600.0


# -- setup ------------------------------------------------------------------------------------------


@dataclass
class Environment:
    db: str
    data_dir: Path
    temp_data_dir: bool
    pg_admin_url: str = ""
    pg_database: str = ""


def prepare(args: argparse.Namespace) -> Environment:
    """Point Django at a fresh (or, with --skip-seed, existing) database before it is set up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    temp = args.data_dir is None
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="zx_bench_"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DATA_DIR"] = str(data_dir)
    env = Environment(db=args.db, data_dir=data_dir, temp_data_dir=temp)
    if args.db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        if not args.skip_seed and (data_dir / "zhixing.sqlite3").exists():
            sys.exit(f"{data_dir} already holds a database; use a new --data-dir or --skip-seed")
        return env
    url = os.environ.get("DATABASE_URL", "")
    if urlparse(url).scheme not in ("postgres", "postgresql"):
        sys.exit("--db postgres needs DATABASE_URL=postgres://user@host:port/dbname")
    if args.skip_seed:
        return env
    import psycopg

    parsed = urlparse(url)
    env.pg_database = f"zx_bench_{int(time.time())}_{os.getpid()}"
    env.pg_admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(env.pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{env.pg_database}"')
    os.environ["DATABASE_URL"] = urlunparse(parsed._replace(path="/" + env.pg_database))
    return env


def cleanup(env: Environment, keep: bool) -> None:
    from django.db import connections

    connections.close_all()
    if keep:
        where = os.environ.get("DATABASE_URL") if env.db == "postgres" else env.data_dir
        print(f"\n数据库保留在 {where}")
    elif env.pg_database:
        import psycopg

        with psycopg.connect(env.pg_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{env.pg_database}"')
    # A temporary DATA_DIR holds the SQLite database, or with PostgreSQL only Huey's file and static/.
    if env.temp_data_dir and (env.db == "postgres" or not keep):
        shutil.rmtree(env.data_dir, ignore_errors=True)
        # The Huey storage may reopen its file in DATA_DIR while the interpreter shuts down.
        atexit.register(shutil.rmtree, env.data_dir, ignore_errors=True)


# -- timing -----------------------------------------------------------------------------------------


@dataclass
class QueryLog:
    """SQL statements of one run with their durations (for --explain and the query count)."""

    entries: list[tuple[float, str, Any]] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.entries.append((time.perf_counter() - start, sql, params))


@dataclass
class Figure:
    section: str
    name: str
    samples: list[float]  # seconds
    target: float | None = None  # seconds, judged on p95
    baseline: list[float] = field(default_factory=list)
    baseline_note: str = ""
    queries: int = 0
    slowest: tuple[float, str, Any] | None = None
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        if not self.samples:
            return float("nan")
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.target is None:
            return ""
        return "PASS" if self.p95 < self.target else "FAIL"


def measure(fn: Callable[[], Any], runs: int, warmup: int) -> tuple[list[float], QueryLog]:
    from django.db import connection

    for _ in range(warmup):
        fn()
    samples: list[float] = []
    log = QueryLog()
    for i in range(runs):
        current = QueryLog()
        with connection.execute_wrapper(current):
            start = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - start)
        if i == runs - 1:
            log = current
    return samples, log


def rolled_back(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Run `fn` in a transaction that is rolled back, so every run starts from the same data."""
    from django.db import transaction

    class _Undo(Exception):
        pass

    def run() -> Any:
        result = None
        try:
            with transaction.atomic():
                result = fn()
                raise _Undo
        except _Undo:
            pass
        return result

    return run


# -- naive baselines --------------------------------------------------------------------------------


def naive_case_page(user: Any, f: Any, size: int = 50) -> list[Any]:
    """The list the simple way: the whole scope into Python, filtered and sorted there."""
    from django.utils import timezone

    from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Party, PartyAlias
    from zhixing.courts.models import Court
    from zhixing.courts.queries import court_scope_q

    codes = dict(Court.objects.values_list("pk", "code"))
    scope = EnforcementCase.objects.filter(court_scope_q(user))
    rows = list(scope.values_list("id", "court_id", "handler_id", "status", "next_due_on", "filed_on"))
    today = timezone.localdate()
    open_ = set(OPEN_STATUSES)
    if f.court:
        rows = [r for r in rows if codes[r[1]] == f.court]
    if f.handler:
        rows = [r for r in rows if r[2] == f.handler]
    if f.status:
        rows = [r for r in rows if r[3] == f.status]
    if f.overdue:
        rows = [r for r in rows if r[4] is not None and r[4] < today and r[3] in open_]
    if f.filed_from:
        rows = [r for r in rows if r[5] >= f.filed_from]
    if f.filed_to:
        rows = [r for r in rows if r[5] <= f.filed_to]
    if f.debtor:
        term = f.debtor.strip().upper()
        debtors = Party.objects.filter(role=Party.Role.DEBTOR, case__in=scope.values("pk"))
        hits = {
            cid
            for cid, name, rid, code in debtors.values_list("case_id", "name", "id_number", "credit_code")
            if name.startswith(term) or rid == term or code == term
        }
        hits |= {
            cid
            for cid, name in PartyAlias.objects.filter(party__in=debtors.values("pk")).values_list(
                "party__case_id", "name"
            )
            if name.startswith(term)
        }
        rows = [r for r in rows if r[0] in hits]
    rows.sort(key=lambda r: (r[5], r[0]), reverse=True)
    ids = [r[0] for r in rows[:size]]
    page = {
        c.pk: c
        for c in EnforcementCase.objects.filter(pk__in=ids).select_related("court", "case_type", "handler")
    }
    return [page[i] for i in ids]


def naive_overdue_counts(user: Any) -> dict[Any, int]:
    """Supervision the simple way: every node and case of the scope iterated in Python."""
    from django.utils import timezone

    from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Node
    from zhixing.courts.queries import readable_courts

    today = timezone.localdate()
    courts = list(readable_courts(user).values_list("pk", flat=True))
    counts: Counter[Any] = Counter()
    for court_id, handler_id, status, due in (
        Node.objects.filter(court_id__in=courts)
        .values_list("court_id", "handler_id", "status", "due_on")
        .iterator(chunk_size=20000)
    ):
        if status == Node.Status.PENDING and due is not None and due < today:
            counts[(court_id, handler_id)] += 1
    open_ = set(OPEN_STATUSES)
    for court_id, status, term_due in (
        EnforcementCase.objects.filter(court_id__in=courts)
        .values_list("court_id", "status", "term_due")
        .iterator(chunk_size=20000)
    ):
        if status in open_:
            counts[("open", court_id)] += 1
            if term_due is not None and term_due < today:
                counts[("term", court_id)] += 1
    return counts


def naive_scan_per_node(today: date, sample: int) -> float:
    """One pending node at a time through the ORM (colour, alert, flag): seconds per node."""
    from django.db import transaction
    from django.utils import timezone

    from zhixing.cases.models import Alert, Node
    from zhixing.cases.rules import node_color
    from zhixing.core.holidays import current_calendar

    cal = current_calendar()
    now = timezone.now()
    start = time.perf_counter()
    done = 0
    for node in (
        Node.objects.filter(status=Node.Status.PENDING).select_related("node_type").order_by("pk")[:sample]
    ):
        colour = node_color(node.due_on, today, False, cal, node.node_type.yellow_workdays)
        level = {"red": Node.Alerted.RED, "yellow": Node.Alerted.YELLOW}.get(colour)
        if level is not None and node.due_on is not None and node.alerted < level:
            with transaction.atomic():
                Alert.objects.get_or_create(
                    node=node,
                    level=level,
                    defaults={
                        "case_id": node.case_id,
                        "court_id": node.court_id,
                        "handler_id": node.handler_id,
                        "due_on": node.due_on,
                        "raised_at": now,
                    },
                )
                node.alerted = level
                node.save(update_fields=["alerted"])
        done += 1
    return (time.perf_counter() - start) / max(done, 1)


# -- the benchmark ----------------------------------------------------------------------------------


def explain(sql: str, params: Any) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cur:
        cur.execute(prefix + sql, params)
        rows = cur.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"      {r[-1]}" for r in rows)
    return "\n".join(f"      {r[0]}" for r in rows)


def run(args: argparse.Namespace, env: Environment, figures: list[Figure]) -> None:
    """Seed and measure, appending to `figures` as it goes (so a failure keeps what was measured)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    if not args.skip_seed:
        call_command("migrate", verbosity=0)
        start, cpu = time.perf_counter(), time.process_time()
        call_command("seed_demo", cases=args.cases, seed=args.seed)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        connections.close_all()  # measure on a connection as a server process opens it
        load = os.getloadavg()[0]
        figures.append(
            Figure(
                "生成",
                f"seed_demo --cases {args.cases:,}",
                [elapsed],
                GENERATION_TARGET_S if args.cases >= 1_000_000 else None,
                # On a shared machine the process's own CPU time shows what an idle machine would take.
                note=f"本进程CPU {cpu:,.0f} s，结束时负载 {load:.1f}",
            )
        )

    from zhixing.cases import queries
    from zhixing.cases.models import EnforcementCase, Node, Party
    from zhixing.cases.queries import CaseFilters
    from zhixing.courts.models import Staff

    total_cases = EnforcementCase.objects.count()
    pending = Node.objects.filter(status=Node.Status.PENDING).count()
    print(
        f"\n数据库：{connection.vendor}，案件 {total_cases:,} 件，节点 {Node.objects.count():,} 个"
        f"（未完成 {pending:,}），当事人 {Party.objects.count():,} 名",
        flush=True,
    )
    today = timezone.localdate()
    director = Staff.objects.select_related("court").get(username="th_director")
    president = Staff.objects.select_related("court").get(username="gd_president")

    def debtor_sample(court_code: str) -> tuple[str, str]:
        debtors = Party.objects.filter(
            role=Party.Role.DEBTOR, kind=Party.Kind.PERSON, case__court__code=court_code
        )
        name = debtors.order_by("-id").values_list("name", flat=True)[200]
        id_number = debtors.order_by("-id").values_list("id_number", flat=True)[300]
        return name, id_number

    older = today - timedelta(days=400)
    scenarios: list[tuple[str, Any, CaseFilters]] = []
    for label, user, court, judge in (
        ("执行局局长 th_director", director, "粤0106", "th_judge1"),
        ("高院院长 gd_president", president, "粤0304", "ft_judge2"),
    ):
        handler = Staff.objects.get(username=judge).pk
        name, id_number = debtor_sample(court)
        scenarios += [
            (label, user, CaseFilters()),
            (label, user, CaseFilters(court=court)),
            (label, user, CaseFilters(handler=handler)),
            (label, user, CaseFilters(status="in_progress")),
            (label, user, CaseFilters(status="suspended")),
            (label, user, CaseFilters(overdue=True)),
            (label, user, CaseFilters(debtor=name)),
            (label, user, CaseFilters(debtor=name[0])),
            (label, user, CaseFilters(debtor=id_number)),
            (label, user, CaseFilters(filed_from=older, filed_to=older + timedelta(days=30))),
        ]

    def describe(f: CaseFilters) -> str:
        parts = [f"{k}={v}" for k, v in vars(f).items() if v not in ("", None, False)]
        return "无筛选（默认首页）" if not parts else ", ".join(str(p) for p in parts)

    sections = set(args.only or ("list", "supervision", "scan"))
    print("测量案件列表……" if "list" in sections else "跳过案件列表（--only）", flush=True)
    for label, user, f in scenarios if "list" in sections else ():
        samples, log = measure(partial(queries.case_page, user, f), args.runs, args.warmup)
        base, _ = measure(partial(naive_case_page, user, f), args.baseline_runs, 0)
        rows = len(queries.case_page(user, f).rows)
        figures.append(
            Figure(
                f"案件列表首页 · {label}",
                describe(f),
                samples,
                LIST_TARGET_MS / 1000,
                base,
                "整个范围载入Python后筛选排序",
                len(log.entries),
                max(log.entries, default=None),
                note=f"{rows}行",
            )
        )

    print("测量节点监管……" if "supervision" in sections else "跳过节点监管（--only）", flush=True)
    supervised = (("执行局局长 th_director", director), ("高院院长 gd_president", president))
    for label, user in supervised if "supervision" in sections else ():
        base, _ = measure(partial(naive_overdue_counts, user), args.baseline_runs, 0)
        for name, fn in (("overdue_counts（监管页全部数据）", partial(queries.overdue_counts, user, today)),):
            samples, log = measure(fn, args.runs, args.warmup)
            figures.append(
                Figure(
                    f"节点监管 · {label}",
                    name,
                    samples,
                    SUPERVISION_TARGET_MS / 1000,
                    base,
                    "逐个节点在Python中计数",
                    len(log.entries),
                    max(log.entries, default=None),
                )
            )

    if "scan" in sections:
        scan(args, today, figures)

    if args.pages:
        pages(args, director, president, figures)

    if args.explain:
        for fig in figures:
            if fig.verdict == "FAIL" and fig.slowest is not None:
                seconds, sql, params = fig.slowest
                print(f"\n[{fig.section}] {fig.name}: 最慢语句 {seconds * 1000:.1f} ms")
                shown = sql if len(sql) < 1500 else sql[:700] + " … " + sql[-700:]
                values = str(params)
                print(f"    {shown}\n    参数 {values if len(values) < 300 else values[:300] + ' …'}")
                print(explain(sql, params))


def scan(args: argparse.Namespace, today: date, figures: list[Figure]) -> None:
    """The periodic due-node scan, full and steady-state, beside the one-node-at-a-time baseline."""
    from zhixing.cases.models import Node
    from zhixing.cases.services import scan_due_nodes

    pending = Node.objects.filter(status=Node.Status.PENDING).count()
    print("测量节点到期扫描……", flush=True)
    result = rolled_back(lambda: scan_due_nodes(today))()
    samples, log = measure(rolled_back(lambda: scan_due_nodes(today)), args.scan_runs, 0)
    per_node = statistics.median(
        rolled_back(lambda: naive_scan_per_node(today, args.scan_sample))() for _ in range(3)
    )
    figures.append(
        Figure(
            "节点到期扫描",
            f"scan_due_nodes 全量（红{result.red:,}，黄{result.yellow:,}）",
            samples,
            SCAN_TARGET_S,
            [per_node * pending],
            f"逐节点ORM循环{args.scan_sample:,}个样本外推至{pending:,}个",
            len(log.entries),
            max(log.entries, default=None),
        )
    )

    def scan_twice() -> None:
        scan_due_nodes(today)
        start = time.perf_counter()
        scan_due_nodes(today)
        steady.append(time.perf_counter() - start)

    steady: list[float] = []
    for _ in range(args.scan_runs):
        rolled_back(scan_twice)()
    figures.append(Figure("节点到期扫描", "scan_due_nodes 再次运行（无新预警）", steady, SCAN_TARGET_S))
    reclaim_rolled_back_rows()


def reclaim_rolled_back_rows() -> None:
    """VACUUM (ANALYZE) the tables the rolled-back scans touched (PostgreSQL only).

    Each measured scan raises ~85,000 alerts and flags as many nodes at 1 M cases, then rolls back:
    the runs above leave millions of dead row versions, which a real deployment never accumulates
    (its scans commit once, and autovacuum reclaims). Without this, the pages measured afterwards
    walk the dead index entries (the high court's supervision page went 64 ms → 295 ms at 1 M cases).
    SQLite rolls back in place and needs nothing.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for table in ("cases_node", "cases_alert", "cases_enforcementcase"):
            cur.execute(f"VACUUM (ANALYZE) {table}")


def pages(args: argparse.Namespace, director: Any, president: Any, figures: list[Figure]) -> None:
    """The same screens through the test client: middleware, form, template."""
    from django.test import Client

    for label, user, urls in (
        (
            "th_director",
            director,
            ("/cases/", "/cases/?overdue=on", "/cases/?status=in_progress", "/supervision/"),
        ),
        (
            "gd_president",
            president,
            ("/cases/", "/cases/?overdue=on", "/cases/?court=粤0304", "/supervision/"),
        ),
    ):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        section = f"整页（测试客户端）· {label}"
        for url in urls:
            try:
                status = client.get(url).status_code
                samples, log = measure(partial(client.get, url), args.runs, args.warmup)
            except Exception as exc:  # a page broken by unrelated work must not lose the other figures
                figures.append(Figure(section, url, [], error=f"{type(exc).__name__}: {exc}"))
                continue
            target = SUPERVISION_TARGET_MS if "supervision" in url else LIST_TARGET_MS
            figures.append(
                Figure(
                    section,
                    url,
                    samples,
                    target / 1000 if status == 200 else None,
                    queries=len(log.entries),
                    slowest=max(log.entries, default=None),
                    note=f"HTTP {status}",
                )
            )


# -- report -----------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def report(figures: list[Figure], env: Environment, args: argparse.Namespace) -> bool:
    print(
        f"\n==== 结果（{env.db}，每项 {args.runs} 次取中位数与P95，预热 {args.warmup} 次；"
        f"朴素基线取 {args.baseline_runs} 次中位数）===="
    )
    print(
        f"机器：{os.cpu_count()} 核，当前1/5/15分钟平均负载 "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    ok = True
    by_section: dict[str, list[Figure]] = defaultdict(list)
    for fig in figures:
        by_section[fig.section].append(fig)
    for section, rows in by_section.items():
        print(f"\n{section}")
        table = [("项目", "中位数", "P95", "SQL", "朴素基线", "倍数", "目标", "结论")]
        for f in rows:
            if f.error:
                table.append((f.name, "", "", "", "", "", "", f"ERROR {f.error[:80]}"))
                continue
            base = statistics.median(f.baseline) if f.baseline else None
            table.append(
                (
                    f.name + (f"（{f.note}）" if f.note else ""),
                    _ms(f.median),
                    _ms(f.p95) if len(f.samples) > 1 else "",
                    str(f.queries) if f.queries else "",
                    _ms(base) if base is not None else "",
                    f"{base / f.median:,.0f}×" if base is not None and f.median > 0 else "",
                    f"< {_ms(f.target)}" if f.target else "",
                    f.verdict,
                )
            )
            ok = ok and f.verdict != "FAIL"
        widths = [max(_width(r[i]) for r in table) for i in range(len(table[0]))]
        for r in table:
            print("  " + "  ".join(_pad(c, widths[i]) for i, c in enumerate(r)).rstrip())
        notes = sorted({f.baseline_note for f in rows if f.baseline_note})
        for note in notes:
            print(f"  基线：{note}")
    print(f"\n总体：{'全部达标 PASS' if ok else '有未达标项 FAIL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="案件数（默认1,000,000）")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=20, help="每项测量次数")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--scan-runs", type=int, default=3)
    parser.add_argument("--scan-sample", type=int, default=2000, help="朴素扫描基线的样本节点数")
    parser.add_argument("--data-dir", help="SQLite数据目录（默认新建临时目录，结束后删除）")
    parser.add_argument("--skip-seed", action="store_true", help="不新建数据库，测量已有数据")
    parser.add_argument("--keep", action="store_true", help="保留生成的数据库")
    parser.add_argument("--pages", action="store_true", help="另测整页（测试客户端，含模板渲染）")
    parser.add_argument("--explain", action="store_true", help="打印未达标项最慢语句的执行计划")
    parser.add_argument("--json", help="另把结果写入该JSON文件")
    parser.add_argument(
        "--only",
        action="append",
        choices=("list", "supervision", "scan"),
        help="只测量这些部分（可重复；默认全部）",
    )
    parser.add_argument("--strict", action="store_true", help="有未达标项时以状态码1退出")
    args = parser.parse_args()
    if args.db == "sqlite" and args.skip_seed and not args.data_dir:
        parser.error("--skip-seed with SQLite needs --data-dir")

    env = prepare(args)
    keep = args.keep or args.skip_seed
    figures: list[Figure] = []
    failed = False
    try:
        run(args, env, figures)
    except BaseException:
        failed = True
        traceback.print_exc()
        print("\n测量中断；以下为已完成的测量。")
    try:
        ok = report(figures, env, args) and not failed
        if args.json:
            Path(args.json).write_text(
                json.dumps([figure_json(env, f) for f in figures], ensure_ascii=False, indent=1)
            )
    finally:
        # A failed run keeps its database so it can be measured again with --skip-seed.
        cleanup(env, keep or (failed and any(f.section == "生成" for f in figures)))
    if args.strict and not ok:
        sys.exit(1)


def figure_json(env: Environment, f: Figure) -> dict[str, Any]:
    return {
        "db": env.db,
        "section": f.section,
        "name": f.name,
        "median_s": f.median if f.samples else None,
        "p95_s": f.p95 if f.samples else None,
        "baseline_s": statistics.median(f.baseline) if f.baseline else None,
        "target_s": f.target,
        "verdict": f.verdict,
        "queries": f.queries,
        "error": f.error,
    }


if __name__ == "__main__":
    main()
