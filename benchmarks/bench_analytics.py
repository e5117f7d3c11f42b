"""Ability-to-pay analysis at the published scale: 18 million records across 2,309 debtors.

    DATA_DIR=/tmp/an_bench .venv/bin/python benchmarks/bench_analytics.py [--debtors 2309] [--rows 7800]

Prints (not a test): generation time, ingest time (raw CSV → validated, de-duplicated Parquet), profile
time for all debtors (DuckDB indicators + rules), one debtor's profile time over its own Parquet file,
peak memory, and the ratio against a straightforward pandas implementation of the same indicators run
on a subset in the same process (extrapolated linearly to the full size, and stated as such).
Targets: ingest + profile < 60 s on 2 cores, peak memory < 4 GB, one debtor < 200 ms.
"""

# ruff: noqa: E501  (SQL assembled from constants and rule-set configuration, never request data)

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

from zhixing.analytics import indicators, synthetic  # noqa: E402
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG  # noqa: E402
from zhixing.analytics.rules import evaluate  # noqa: E402

CONTEXT = ("debtors", "related", "restrictions", "freezes", "travel")


def cpu() -> float:
    """User + system CPU seconds of this process (DuckDB's threads included): on a busy shared machine
    this, divided by the cores, estimates the wall time an idle machine would take."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def connect(threads: int = 2) -> Any:
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}; SET memory_limit = '3GB'; SET preserve_insertion_order = false")
    return con


def generate(work: Path, n: int, k: int, seed: int) -> int:
    con = connect()
    synthetic.generate(con, n, k, seed)
    con.execute(f"COPY raw_tx TO '{work}/raw.csv' (HEADER)")
    for name in CONTEXT:
        con.execute(f"COPY {name} TO '{work}/{name}.parquet' (FORMAT parquet)")
    con.execute(f"COPY syn_debtors TO '{work}/truth.parquet' (FORMAT parquet)")
    rows = con.execute("SELECT count(*) FROM raw_tx").fetchone()[0]
    con.close()
    return int(rows)


def ingest(work: Path) -> dict[str, int]:
    """Read the raw export with typed columns (bad lines go to DuckDB's reject table and are counted),
    flag duplicate lines, and write the normalised Parquet the indicators read."""
    con = connect()
    con.execute(f"""
        CREATE TABLE typed AS SELECT * FROM read_csv('{work}/raw.csv', header=true, auto_detect=false,
          store_rejects=true, columns={{'row_id': 'BIGINT', 'debtor_id': 'BIGINT', 'ts': 'TIMESTAMP',
            'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'counterparty': 'VARCHAR', 'summary': 'VARCHAR',
            'balance': 'DECIMAL(18,2)'}})
    """)
    bad = con.execute("SELECT count(*) FROM reject_errors").fetchone()[0]
    stats = synthetic.ingest(con, "typed", f"{work}/tx.parquet")
    con.close()
    return {**stats, "rejected": int(bad)}


def attach_context(con: Any, work: Path, where: str = "") -> None:
    for name in CONTEXT:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM '{work}/{name}.parquet' {where}")


def profile_all(work: Path) -> tuple[int, dict[int, Any]]:
    con = connect()
    con.execute(f"CREATE VIEW tx AS SELECT * FROM '{work}/tx.parquet'")
    attach_context(con, work)
    ind = indicators.compute(con, DEFAULT_CONFIG)
    con.close()
    results = {d: evaluate(v, DEFAULT_CONFIG, {"claim": 100000}) for d, v in ind.items()}
    return len(results), results


def split_one(work: Path, debtor: int) -> Path:
    con = connect()
    target = work / f"debtor_{debtor}.parquet"
    con.execute(
        f"COPY (SELECT * FROM '{work}/tx.parquet' WHERE debtor_id = {debtor}) TO '{target}' (FORMAT parquet)"
    )
    con.close()
    return target


_SHARED: Any = None


def profile_one(work: Path, debtor: int, tx_file: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds of one debtor's full profile over its own Parquet file.

    Like the platform (`store.connect`), each profile is a cursor on one long-lived in-memory
    database, with its relations as TEMP objects, rather than a new database per profile.
    """
    global _SHARED
    if _SHARED is None:
        _SHARED = connect()
    t, c = time.perf_counter(), cpu()
    con = _SHARED.cursor()
    con.execute(f"CREATE TEMP VIEW tx AS SELECT * FROM '{tx_file}'")
    attach_context(con, work, f"WHERE debtor_id = {debtor}")
    ind = indicators.compute(con, DEFAULT_CONFIG)[debtor]
    result = evaluate(ind, DEFAULT_CONFIG, {"claim": 100000})
    con.close()
    return time.perf_counter() - t, cpu() - c, result["score"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--debtors", type=int, default=2309)
    ap.add_argument("--rows", type=int, default=7800)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--pandas-debtors", type=int, default=100)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    base = Path(os.environ.get("DATA_DIR", tempfile.gettempdir())) / "bench_analytics"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    print(
        f"debtors={args.debtors} rows/debtor={args.rows} seed={args.seed} cpus={os.cpu_count()} "
        f"duckdb={duckdb.__version__} load average={os.getloadavg()[0]:.1f}"
    )

    t = time.perf_counter()
    rows = generate(base, args.debtors, args.rows, args.seed)
    print(
        f"generate      {time.perf_counter() - t:7.2f} s   {rows:,} raw lines (incl. planted + duplicates) → raw.csv"
    )

    t, c = time.perf_counter(), cpu()
    stats = ingest(base)
    t_ingest, c_ingest = time.perf_counter() - t, cpu() - c
    print(
        f"ingest        {t_ingest:7.2f} s   ({c_ingest:.1f} CPU-s) {stats['rows']:,} lines, "
        f"{stats['duplicates']:,} duplicates flagged, {stats['rejected']} rejected"
    )

    t, c = time.perf_counter(), cpu()
    n, results = profile_all(base)
    t_profile, c_profile = time.perf_counter() - t, cpu() - c
    flagged = sum(1 for r in results.values() if r["score"] >= DEFAULT_CONFIG["thresholds"]["able"])
    print(
        f"profile all   {t_profile:7.2f} s   ({c_profile:.1f} CPU-s) {n} debtors, {flagged} scored ≥ able threshold"
    )
    cores = os.cpu_count() or 1
    print(
        f"ingest+profile {t_ingest + t_profile:6.2f} s wall, {c_ingest + c_profile:.1f} CPU-s "
        f"(≈ {(c_ingest + c_profile) / cores:.1f} s on {cores} idle cores; target < 60 s); "
        f"load average now {os.getloadavg()[0]:.1f}"
    )

    one = split_one(base, 0)
    runs = sorted(profile_one(base, 0, one)[:2] for _ in range(5))
    print(
        f"one debtor    {runs[0][0] * 1000:7.1f} ms  (best of 5, median {runs[2][0] * 1000:.1f} ms wall, "
        f"{runs[2][1] * 1000:.0f} CPU-ms; {args.rows} lines; target < 200 ms)"
    )
    print(f"peak RSS      {peak_mb():7.0f} MB  (ru_maxrss of this process incl. DuckDB; target < 4096 MB)")

    from bench_analytics_pandas import pandas_indicators

    sub = args.pandas_debtors
    con = connect()
    df = con.execute(f"SELECT * FROM '{base}/tx.parquet' WHERE debtor_id < {sub}").df()
    ctx = {
        name: con.execute(f"SELECT * FROM '{base}/{name}.parquet' WHERE debtor_id < {sub}").df()
        for name in CONTEXT
    }
    con.close()
    t = time.perf_counter()
    pandas_indicators(df, ctx, DEFAULT_CONFIG)
    t_pd = time.perf_counter() - t
    sub_dir = base / "subset"
    sub_dir.mkdir()
    con = connect()
    con.execute(
        f"COPY (SELECT * FROM '{base}/tx.parquet' WHERE debtor_id < {sub}) TO '{sub_dir}/tx.parquet' (FORMAT parquet)"
    )
    for name in CONTEXT:
        con.execute(
            f"COPY (SELECT * FROM '{base}/{name}.parquet' WHERE debtor_id < {sub}) TO '{sub_dir}/{name}.parquet' (FORMAT parquet)"
        )
    con.close()
    t = time.perf_counter()
    profile_all(sub_dir)
    t_dd = time.perf_counter() - t
    scale = args.debtors / sub
    print(
        f"pandas subset {t_pd:7.2f} s   {len(df):,} lines ({sub} debtors); DuckDB same subset {t_dd:.2f} s; "
        f"ratio pandas/DuckDB {t_pd / t_dd:.1f}x"
    )
    print(
        f"pandas full (extrapolated linearly ×{scale:.1f}) ≈ {t_pd * scale:.0f} s vs DuckDB measured {t_profile:.1f} s "
        f"→ {t_pd * scale / t_profile:.1f}x"
    )
    print(f"peak RSS      {peak_mb():7.0f} MB  (after the pandas baseline)")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
