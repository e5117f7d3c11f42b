#!/usr/bin/env python
"""Case-funds benchmark (not a pytest test): ledger at scale, notices, balance reads, reconciliation.

    .venv/bin/python benchmarks/bench_funds.py [--db sqlite|postgres] [--cases 1000000] [--entries 5000000]
        [--notices 5000] [--batched 20000] [--batch 500] [--courts 4] [--threads 8] [--hot 100000]
        [--statement 1000000]

Creates a fresh database (SQLite file in a temporary DATA_DIR, or a new PostgreSQL database
``zhixing_bench_funds`` on the server DATABASE_URL names), migrates it, then:

1. bulk setup (SQL ``INSERT … SELECT`` over a generated series, timed): ``--cases`` enforcement cases,
   their sub-accounts and case ledger accounts, ``--entries`` entries (receipt transactions of two
   entries: Dr custody bank / Cr case), one hot case with ``--hot`` more entries, and ``--statement``
   receipts dated on one statement day; running balances and counts consistent with the entries;
2. receipts booked per second through the notice path: signed POSTs to ``/api/v1/funds/bank/notices``
   through Django's test client (signature check, sub-account resolution, ledger post under row locks,
   audit chain), from ``--threads`` threads on PostgreSQL (1 on SQLite); then the batched path:
   ``--batched`` transfers as signed batch notices of ``--batch`` transfers each to
   ``/api/v1/funds/bank/notices/batch`` (one transaction per batch, bulk statements), printed with the
   ratio against the single-notice path measured in the same run (the naive baseline); and, with
   ``--courts`` > 1, single notices spread over that many courts (worker t → court t mod courts), once
   with per-court audit chains and once with every record forced into one chain (the global head of
   ADR 0001), to show what splitting the chain buys;
3. balance read latency of the hot case: ``queries.balance`` (running total, one row) against the naive
   ``queries.balance_by_sum`` (sum over every entry) — median/p95 and the ratio;
4. daily reconciliation: parse a ``--statement``-line CSV, load the day's ledger items, match (timed).

Targets: ≥ 2,000 receipts/s (PostgreSQL), balance read < 5 ms, reconciliation of 1 M lines < 60 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
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

# Bank notices must be value-dated around the day they are sent (their business day, China time).
DAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
A = Decimal("100.00")


def setup_env(db: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="bench_funds_")
    if db == "postgres":
        url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:25329/zhixing")
        import psycopg

        p = urlparse(url)
        admin = urlunparse(p._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS zhixing_bench_funds")
            conn.execute("CREATE DATABASE zhixing_bench_funds")
        os.environ["DATABASE_URL"] = urlunparse(p._replace(path="/zhixing_bench_funds"))
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn(*args)
    dt = time.perf_counter() - t
    print(f"  {label}: {dt:.1f} s", flush=True)
    return out, dt


def series(n: int, start: int = 1) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"generate_series({start}, {start + n - 1}) AS s(i)"
    return (
        f"(WITH RECURSIVE g(i) AS (SELECT {start} UNION ALL SELECT i + 1 FROM g WHERE i < {start + n - 1}) "
        "SELECT i FROM g) AS s"
    )


def bulk_setup(n_cases: int, n_entries: int, hot: int, statement: int) -> dict[str, int]:
    from django.db import connection, transaction

    from zhixing.cases.models import CaseType, EnforcementCase, InstrumentType
    from zhixing.courts import services as court_services
    from zhixing.funds import services
    from zhixing.funds.models import LedgerAccount
    from zhixing.funds.services import ledger

    court = court_services.create_court(
        None, code="粤0106", name="广州市天河区人民法院", level="basic", parent=None
    )
    services.set_custody_account(
        None,
        court,
        bank_name="沙箱托管银行",
        account_name=court.name,
        account_no="44001000106",
        sub_prefix="880106",
    )
    tpl = EnforcementCase.objects.create(
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
    )
    bank = ledger.get_account(court, "bank")
    cols = [f.column for f in EnforcementCase._meta.concrete_fields if f.column != "id"]
    sel = ["s.i" if c == "seq" else ("'B' || s.i" if c == "number" else f"t.{c}") for c in cols]
    is_pg = connection.vendor == "postgresql"
    lpad = "lpad(CAST(c.id AS text), 10, '0')" if is_pg else "substr('0000000000' || c.id, -10, 10)"
    body = f"('880106' || {lpad})"
    num = f"CAST({body} AS {'numeric' if is_pg else 'integer'})"
    check = f"(98 - ({num} * 100) % 97)"
    check_txt = f"lpad(CAST({check} AS text), 2, '0')" if is_pg else f"substr('00' || {check}, -2, 2)"
    n_txn = n_entries // 2
    now = "now()" if is_pg else "datetime('now')"
    with transaction.atomic(), connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(
            f"INSERT INTO cases_enforcementcase ({', '.join(cols)}) SELECT {', '.join(sel)} "
            f"FROM {series(n_cases)}, cases_enforcementcase t WHERE t.id = {tpl.pk}"
        )
        print(f"  {n_cases:,} cases: {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        cur.execute(f"SELECT min(id) FROM cases_enforcementcase WHERE id <> {tpl.pk}")
        first = cur.fetchone()[0]
        cur.execute(
            f"INSERT INTO funds_caseaccount (case_id, custody_id, number, closed, created_at) "
            f"SELECT c.id, {court.custody_account.pk}, {body} || {check_txt}, {'false' if is_pg else 0}, "
            f"{now} FROM cases_enforcementcase c WHERE c.id >= {first}"
        )
        # case ledger accounts with the balances/counts the generated entries give them
        hot_case = first
        cnt = (
            f"(CASE WHEN c.id - {first} + 1 <= {n_txn} THEN ({n_txn} - (c.id - {first} + 1)) / {n_cases} + 1 "
            f"ELSE 0 END + CASE WHEN c.id = {hot_case} THEN {hot} ELSE 0 END)"
        )
        cur.execute(
            f"INSERT INTO funds_ledgeraccount (court_id, kind, case_id, party_id, key, balance, entry_count) "
            f"SELECT {court.pk}, 'case', c.id, NULL, 'case/{court.pk}/' || c.id || '/0', -{A} * {cnt}, {cnt} "
            f"FROM cases_enforcementcase c WHERE c.id >= {first}"
        )
        print(f"  {n_cases:,} case and ledger accounts: {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        total = n_txn + hot
        cur.execute("SELECT COALESCE(max(id), 0) FROM funds_transaction")
        base = cur.fetchone()[0]
        case_of = f"(CASE WHEN s.i <= {n_txn} THEN {first} + (s.i - 1) % {n_cases} ELSE {hot_case} END)"
        cur.execute(
            f"INSERT INTO funds_transaction (id, idempotency_key, kind, court_id, case_id, memo, posted_at, "
            f"actor_name) SELECT {base} + s.i, 'bench:' || s.i, 'receipt', {court.pk}, {case_of}, '', "
            f"{now}, '' "
            f"FROM {series(total)}"
        )
        acc_of = f"(SELECT id FROM funds_ledgeraccount la WHERE la.kind = 'case' AND la.case_id = {case_of})"
        k_of = (
            f"(CASE WHEN s.i <= {n_txn} THEN (s.i - 1) / {n_cases} + 1 "
            f"ELSE ({n_txn} - 1) / {n_cases} + 1 + s.i - {n_txn} END)"
        )
        cur.execute(
            f"INSERT INTO funds_entry (transaction_id, account_id, amount, balance_after) "
            f"SELECT {base} + s.i, {bank.pk}, {A}, {A} * s.i FROM {series(total)}"
        )
        cur.execute(
            f"INSERT INTO funds_entry (transaction_id, account_id, amount, balance_after) "
            f"SELECT {base} + s.i, {acc_of}, -{A}, -{A} * {k_of} FROM {series(total)}"
        )
        LedgerAccount.objects.filter(pk=bank.pk).update(balance=A * total, entry_count=total)
        if is_pg:
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('funds_transaction', 'id'), "
                "(SELECT max(id) FROM funds_transaction))"
            )
        print(
            f"  {2 * total:,} entries in {total:,} transactions: {time.perf_counter() - t0:.1f} s", flush=True
        )
        t0 = time.perf_counter()
        cur.execute(
            f"INSERT INTO funds_receipt (court_id, bank_txn_id, source, amount, payer_name, payer_account, "
            f"to_account, memo, value_date, case_id, status, created_at) SELECT {court.pk}, 'bench:' || s.i, "
            f"'notice', {A}, '', '', '', '', '{DAY.isoformat()}', {first} + (s.i - 1) % {n_cases}, 'booked', "
            f"{now} FROM {series(min(statement, n_txn))}"
        )
        print(f"  {min(statement, n_txn):,} receipts on {DAY}: {time.perf_counter() - t0:.1f} s", flush=True)
    if is_pg:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return {"court": court.pk, "first": first, "hot": hot_case, "bank": bank.pk, "tpl": tpl.pk}


def extra_courts(ctx: dict[str, int], k: int, per: int) -> list[tuple[str, list[str]]]:
    """Courts 2..k, each with a custody account and `per` cases whose sub-accounts are open.

    Returns (custody account number, sub-account numbers) per court, the first court's included.
    """
    from django.db import connection

    from zhixing.cases.models import EnforcementCase
    from zhixing.courts import services as court_services
    from zhixing.funds import services

    out = [("44001000106", _accounts(ctx))]
    cols = [f.column for f in EnforcementCase._meta.concrete_fields if f.column != "id"]
    for j in range(1, k):
        court = court_services.create_court(
            None, code=f"粤01{j + 10:02d}", name=f"基准法院{j}", level="basic", parent=None
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
        special = {"seq": "s.i", "number": f"'C{j}-' || s.i", "court_id": str(court.pk)}
        sel = [special.get(c, f"t.{c}") for c in cols]
        with connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO cases_enforcementcase ({', '.join(cols)}) SELECT {', '.join(sel)} "
                f"FROM {series(per)}, cases_enforcementcase t WHERE t.id = {ctx['tpl']}"
            )
        cases = EnforcementCase.objects.filter(court=court).order_by("pk")
        out.append((no, [services.case_account(c).number for c in cases]))
    return out


def _accounts(ctx: dict[str, int]) -> list[str]:
    from zhixing.cases.models import EnforcementCase
    from zhixing.funds import services

    return [
        services.case_account(c).number
        for c in EnforcementCase.objects.filter(pk__gte=ctx["first"] + 1).order_by("pk")[:1000]
    ]


def _signed(client, path: str, payload: dict, key: str):  # type: ignore[no-untyped-def]
    from zhixing.core import partner_protocol as pp

    body = pp.encode_body(payload)
    h = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, key)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in h.items() if k != "Content-Type"}
    return client.post(path, data=body, content_type="application/json", **extra)


def bench_notices(
    targets: list[tuple[str, list[str]]],
    n: int,
    threads: int,
    batch: int = 0,
    tag: str = "N",
    one_chain: bool = False,
) -> float:
    """Receipts/s through signed notices: one per POST (`batch` 0) or `batch` per batch notice.

    Worker t sends to court t % len(targets) (custody account number, its sub-accounts). With
    `one_chain`, every audit record goes to one chain — the single global head before ADR 0002.
    """
    from django.db import connections
    from django.test import Client

    path = "/api/v1/funds/bank/notices" + ("/batch" if batch else "")
    per = n // threads
    if batch:
        per -= per % batch
    errors: list[str] = []

    def notice(t: int, i: int) -> dict:
        custody, accounts = targets[t % len(targets)]
        return {
            "txn_id": f"{tag}{t}-{i}",
            "amount": "12.34",
            "value_date": DAY.isoformat(),
            "to_account": accounts[(t * per + i) % len(accounts)],
            "custody_account_no": custody,
        }

    def worker(t: int) -> None:
        if one_chain:
            from zhixing.core import audit

            audit._resolve_chain = lambda court, case_id, actor_court: ""  # type: ignore[assignment]
        client = Client()
        try:
            if batch:
                for start in range(0, per, batch):
                    items = [notice(t, i) for i in range(start, start + batch)]
                    key = f"{tag}{t}-{start}"
                    r = _signed(client, path, {"batch_id": key, "notices": items}, key)
                    if r.status_code != 200 or r.json()["booked"] != batch:
                        errors.append(r.content.decode()[:200])
            else:
                for i in range(per):
                    r = _signed(client, path, notice(t, i), f"{tag}{t}-{i}")
                    if r.status_code != 200:
                        errors.append(r.content.decode()[:200])
        finally:
            connections.close_all()

    if threads == 1:
        if one_chain:
            raise ValueError("one_chain needs worker processes")
        t0 = time.perf_counter()
        worker(0)
        dt = time.perf_counter() - t0
    else:
        # Processes, not threads: Django's request path is CPU-bound Python and threads share the GIL.
        import multiprocessing as mp

        connections.close_all()
        ctx_mp = mp.get_context("fork")
        go = ctx_mp.Event()
        procs = [ctx_mp.Process(target=_proc, args=(worker, t, go)) for t in range(threads)]
        for p in procs:
            p.start()
        time.sleep(1.0)  # let every worker connect before the clock starts
        t0 = time.perf_counter()
        go.set()
        for p in procs:
            p.join()
        dt = time.perf_counter() - t0
        if any(p.exitcode for p in procs):
            errors.append("a worker process failed")
    if errors:
        print(f"  !! {len(errors)} notice errors, first: {errors[0]}")
    return per * threads / dt


def _proc(worker, t, go):  # type: ignore[no-untyped-def]
    from django.db import connections

    connections.close_all()
    go.wait()
    worker(t)


def bench_balance(ctx: dict[str, int], runs: int = 200) -> tuple[float, float, float, float, int]:
    from zhixing.funds import queries
    from zhixing.funds.models import LedgerAccount

    acc = LedgerAccount.objects.get(kind="case", case_id=ctx["hot"])
    fast, slow = [], []
    assert queries.balance(ctx["hot"]) == queries.balance_by_sum(ctx["hot"]), "running total ≠ sum of entries"
    for _ in range(20):  # warm-up
        queries.balance(ctx["hot"])
    for _ in range(runs):
        t = time.perf_counter()
        queries.balance(ctx["hot"])
        fast.append((time.perf_counter() - t) * 1000)
    for _ in range(max(5, runs // 20)):
        t = time.perf_counter()
        queries.balance_by_sum(ctx["hot"])
        slow.append((time.perf_counter() - t) * 1000)
    p95 = sorted(fast)[int(len(fast) * 0.95) - 1]
    return statistics.median(fast), p95, statistics.median(slow), max(slow), acc.entry_count


def bench_reconciliation(ctx: dict[str, int], lines: int) -> tuple[float, int, int]:
    import io
    from decimal import Decimal as D

    from zhixing.funds import statement as st
    from zhixing.funds.models import LedgerAccount
    from zhixing.funds.reconciliation import Item, reconcile
    from zhixing.funds.services.statements import ledger_items

    buf = io.StringIO()
    buf.write("交易流水号,交易日期,金额,余额\n")
    for i in range(1, lines + 1):
        if i % 10000 == 0:
            buf.write(f"X{i},{DAY.isoformat()},{i % 997}.{i % 100:02d},\n")  # bank-only line
        else:
            buf.write(f"bench:{i},{DAY.isoformat()},100.00,\n")
    content = buf.getvalue().encode()
    t0 = time.perf_counter()
    parsed = st.parse(st.rows_from_file(content, "s.csv"))
    t1 = time.perf_counter()
    bank = [Item(x.txn_id, x.value_date, x.amount) for x in parsed]
    mine = ledger_items(ctx["court"], DAY)
    t2 = time.perf_counter()
    bal = LedgerAccount.objects.get(pk=ctx["bank"]).balance
    report = reconcile(DAY, bank, mine, bal, D("0"))
    t3 = time.perf_counter()
    print(f"  parse {t1 - t0:.1f} s · load ledger {t2 - t1:.1f} s · match {t3 - t2:.1f} s", flush=True)
    return t3 - t0, report.matched, len(report.differences)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--entries", type=int, default=5_000_000)
    ap.add_argument("--hot", type=int, default=100_000)
    ap.add_argument("--statement", type=int, default=1_000_000)
    ap.add_argument("--notices", type=int, default=5000)
    ap.add_argument("--batched", type=int, default=20000, help="transfers sent as batch notices")
    ap.add_argument("--batch", type=int, default=500, help="transfers per batch notice")
    ap.add_argument(
        "--courts", type=int, default=4, help="courts for the per-court vs global audit chain comparison"
    )
    ap.add_argument(
        "--threads", type=int, default=8, help="worker processes for the notice path (PostgreSQL)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    a = ap.parse_args()
    print(
        f"== bench_funds on {a.db}: {a.cases:,} cases, {a.entries:,} entries, hot case +{a.hot:,}, "
        f"statement {a.statement:,} lines",
        flush=True,
    )
    setup_env(a.db)
    ctx, _ = timed("bulk setup total", bulk_setup, a.cases, a.entries, a.hot, a.statement)
    threads = a.threads if a.db == "postgres" else 1
    one = [("44001000106", _accounts(ctx))]
    rate = bench_notices(one, a.notices, threads, tag="N")
    print(
        f"receipts via single notices, 1 court: {rate:,.0f}/s ({a.notices:,} notices, {threads} processes)"
        f"  target ≥ 2,000/s on PG: {'PASS' if rate >= 2000 else 'FAIL'}",
        flush=True,
    )
    targets = extra_courts(ctx, a.courts, 1000) if a.courts > 1 and threads > 1 else []
    if targets:
        per_court = bench_notices(targets, a.notices, threads, tag="M")
        global_chain = bench_notices(targets, a.notices, threads, tag="G", one_chain=True)
        print(
            f"receipts via single notices, {a.courts} courts: {per_court:,.0f}/s with per-court audit "
            f"chains, {global_chain:,.0f}/s with one global chain (before ADR 0002); "
            f"×{per_court / global_chain:,.2f}",
            flush=True,
        )
    if a.batched:
        brate = bench_notices(one, a.batched, threads, a.batch, tag="B")
        print(
            f"receipts via batch notices, 1 court: {brate:,.0f}/s ({a.batched:,} transfers in batches of "
            f"{a.batch}, {threads} processes; ×{brate / rate:,.1f} the single-notice baseline)"
            f"  target ≥ 2,000/s on PG: {'PASS' if brate >= 2000 else 'FAIL'}",
            flush=True,
        )
    if a.batched and targets:
        bper = bench_notices(targets, a.batched, threads, a.batch, tag="MB")
        bglobal = bench_notices(targets, a.batched, threads, a.batch, tag="GB", one_chain=True)
        print(
            f"receipts via batch notices, {a.courts} courts: {bper:,.0f}/s with per-court audit chains "
            f"(×{bper / rate:,.1f} the single-notice baseline), {bglobal:,.0f}/s with one global chain; "
            f"×{bper / bglobal:,.2f}  target ≥ 2,000/s on PG: {'PASS' if bper >= 2000 else 'FAIL'}",
            flush=True,
        )
    from zhixing.core.audit import verify_chain

    t0 = time.perf_counter()
    report = verify_chain()
    print(
        f"audit chains after the notices: {report.reason} ({report.checked:,} records, "
        f"{len(report.chains)} chains, {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    med, p95, nmed, nmax, count = bench_balance(ctx)
    print(
        f"balance read, case with {count:,} entries: median {med:.3f} ms, p95 {p95:.3f} ms "
        f"(naive sum: median {nmed:.1f} ms, max {nmax:.1f} ms; ratio ×{nmed / med:,.0f})"
        f"  target < 5 ms: {'PASS' if p95 < 5 else 'FAIL'}"
    )
    secs, matched, diffs = bench_reconciliation(ctx, a.statement)
    print(
        f"reconciliation of {a.statement:,} statement lines: {secs:.1f} s "
        f"({matched:,} matched, {diffs:,} differences)"
        f"  target < 60 s: {'PASS' if secs < 60 else 'FAIL'}"
    )
    if not a.keep:
        cleanup(a.db)


def cleanup(db: str) -> None:
    """Remove the temporary DATA_DIR (SQLite) or drop the benchmark database (PostgreSQL)."""
    import shutil

    from django.db import connections

    connections.close_all()
    shutil.rmtree(os.environ["DATA_DIR"], ignore_errors=True)
    if db == "postgres":
        import psycopg

        admin = urlunparse(urlparse(os.environ["DATABASE_URL"])._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS zhixing_bench_funds")


if __name__ == "__main__":
    main()
