#!/usr/bin/env python
"""Provincial centralised inquiry benchmark (集中查控): N debtors × 16 categories, end to end (not a test).

    .venv/bin/python benchmarks/bench_inquiry.py --debtors 100000 [--db sqlite|postgres] [--workers 2]

1. A fresh database (SQLite file in a temporary DATA_DIR, or a new PostgreSQL database on the server
   DATABASE_URL names), migrated and seeded with ``seed_demo --cases M`` (not timed).
2. The partner sandbox as its own uvicorn process on a free loopback port.
3. Timed end to end: each basic court's operator runs ``centralised_inquiry`` over its open cases until N
   debtors are covered (N × 16 request rows with notices and idempotency keys), then ``--workers`` worker
   processes run ``dispatch_due`` (claim in batches with SKIP LOCKED, batch per partner over HTTP, apply
   the answers into the asset register) until no request is open.
4. Reported: requests/second end to end, time to create and to dispatch, each worker's peak RSS and RSS
   samples over the run (flat = streaming), the sandbox's duplicate count (must be 0), and a naive
   baseline measured in the same run: one request at a time (one row, one HTTP message on a fresh
   connection, one apply) on a sample of ``--sample`` requests, extrapolated to N × 16.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_cases import cleanup, prepare  # noqa: E402 - the same fresh-database set-up

TARGET_S = 15 * 60
CATEGORIES = 16
WORKER = """
import django, json, resource, sys, time
django.setup()
from zhixing.inquiry.services import dispatch_due
t = time.perf_counter()
r = dispatch_due(max_rounds=10**9)
print(json.dumps({"claimed": r.claimed, "counts": dict(r.counts), "seconds": time.perf_counter() - t,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "zhixing.partners.sandbox", "--port", str(port)], env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_sandbox/stats", timeout=1).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("sandbox did not start")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def seed(cases: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    call_command("seed_demo", cases=cases, bulk=True, verbosity=0)
    print(f"种子数据：{cases:,} 件案件，用时 {time.perf_counter() - t:.1f} s（不计入）", flush=True)


def create_requests(debtors: int) -> tuple[int, int, float]:
    """Centralised inquiry per basic court until `debtors` debtors are covered: (cases, requests, s)."""
    from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Party
    from zhixing.courts.models import Court, Staff
    from zhixing.inquiry import services
    from zhixing.inquiry.models import PartnerCategory

    codes = list(PartnerCategory.objects.values_list("code", flat=True))
    t = time.perf_counter()
    covered = n_cases = n_requests = 0
    for court in Court.objects.filter(level="basic").order_by("code"):
        operator = Staff.objects.filter(court=court, role="operator").first()
        if operator is None or covered >= debtors:
            continue
        picked: list[Any] = []
        qs = EnforcementCase.objects.filter(court=court, status__in=OPEN_STATUSES).order_by("id")
        for case_id, n in _debtor_counts(qs, Party):
            if covered >= debtors:
                break
            picked.append(case_id)
            covered += n
        for start in range(0, len(picked), 20000):
            chunk = (
                EnforcementCase.objects.filter(pk__in=picked[start : start + 20000]).order_by("id").iterator()
            )
            result = services.centralised_inquiry(operator, chunk, codes, chunk=1000)
            n_cases += result.batch.case_count
            n_requests += result.batch.request_count
    return n_cases, n_requests, time.perf_counter() - t


def _debtor_counts(qs: Any, party_model: Any) -> Any:
    from django.db.models import Count

    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), 20000):
        part = ids[start : start + 20000]
        counts = dict(
            party_model.objects.filter(case_id__in=part, role="debtor")
            .values_list("case_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for pk in part:
            yield pk, counts.get(pk, 0)


def dispatch(workers: int, sandbox: str, total: int) -> tuple[float, list[dict[str, Any]], list[list[float]]]:
    from zhixing.inquiry.models import InquiryRequest

    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "src"),
        ZHIXING_SANDBOX_URL=sandbox,
        ZHIXING_PLATFORM_URL="http://127.0.0.1:9",
        HUEY_IMMEDIATE="1",
    )
    t = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE)
        for _ in range(workers)
    ]
    samples: list[list[float]] = [[] for _ in procs]
    open_statuses = ["pending", "sending", "waiting"]
    next_report = time.perf_counter()
    while any(p.poll() is None for p in procs):
        for i, p in enumerate(procs):
            if p.poll() is None:
                samples[i].append(rss_mb(p.pid))
        if time.perf_counter() >= next_report:
            left = InquiryRequest.objects.filter(status__in=open_statuses).count()
            print(
                f"  {time.perf_counter() - t:7.1f} s  未完成 {left:>10,} / {total:,}  "
                f"RSS {[round(s[-1]) for s in samples if s]} MB",
                flush=True,
            )
            next_report += 30
        time.sleep(1)
    results = [json.loads(p.stdout.read().decode().strip().splitlines()[-1]) for p in procs if p.stdout]
    return time.perf_counter() - t, results, samples


def naive(sample: int, sandbox: str) -> float:
    """One request at a time: create one row, send it alone on a fresh connection, apply it. Requests/s."""
    from django.conf import settings

    from zhixing.cases.models import Party
    from zhixing.inquiry.adapters import protocol as adapter
    from zhixing.inquiry.models import InquiryRequest, Partner
    from zhixing.inquiry.services import feedback, jobs
    from zhixing.inquiry.services.requests import new_key

    settings.ZHIXING_SANDBOX_URL = sandbox
    partners = list(Partner.objects.select_related("category"))
    used = InquiryRequest.objects.values("party_id")
    parties = list(
        Party.objects.filter(role="debtor")
        .exclude(pk__in=used)
        .select_related("case__court")[: sample // 16 + 1]
    )
    operator_court = parties[0].case.court
    from zhixing.courts.models import Staff

    actor = Staff.objects.filter(court=operator_court).first()
    t = time.perf_counter()
    done = 0
    for party in parties:
        for partner in partners:
            if done >= sample:
                break
            key = new_key()
            req = InquiryRequest.objects.create(
                case=party.case,
                court=party.case.court,
                party=party,
                partner=partner,
                action="query",
                status="sending",
                idempotency_key=key,
                notice_number=f"{party.case.number}查{key[:8]}",
                requested_by=actor,
                attempts=1,
            )
            adapter._local.conns = {}  # a fresh connection per message, as a naive client would
            job = jobs.load([req.pk])[0]
            answers = adapter.client_for(partner).send([job.item()], "")
            feedback.apply_answers([job], answers)
            done += 1
    return done / (time.perf_counter() - t)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--debtors", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=0, help="seed_demo cases (default: 2.2 × debtors)")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=1600, help="naive baseline sample (requests)")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.skip_seed = False
    os.environ.setdefault("ZHIXING_INQUIRY_CLAIM_BATCH", "4000")
    os.environ.setdefault("ZHIXING_INQUIRY_SEND_BATCH", "1000")
    env = prepare(args)
    import django

    django.setup()
    sandbox_proc, sandbox = start_sandbox()
    try:
        seed(args.cases or int(args.debtors * 2.2))
        n_cases, n_requests, t_create = create_requests(args.debtors)
        print(
            f"创建：{n_cases:,} 件案件、{n_requests:,} 项请求（含通知书文号、幂等键），{t_create:.1f} s",
            flush=True,
        )
        t_dispatch, results, samples = dispatch(args.workers, sandbox, n_requests)
        stats = json.loads(urllib.request.urlopen(sandbox + "/_sandbox/stats").read())
        from zhixing.inquiry.models import Asset, InquiryRequest

        done = InquiryRequest.objects.filter(status="done").count()
        total = t_create + t_dispatch
        rate = n_requests / total
        naive_rate = naive(args.sample, sandbox)
        print(
            "\n== 集中查控基准（"
            + ("PostgreSQL" if args.db == "postgres" else "SQLite")
            + f"，{args.workers} 个 worker）"
        )
        print(
            f"  请求总数           {n_requests:,}（{args.debtors:,} 名被执行人 × {CATEGORIES} 类的目标；"
            f"实际覆盖案件 {n_cases:,}）"
        )
        print(f"  已反馈             {done:,}；入册财产/信息 {Asset.objects.count():,} 条")
        print(f"  创建 / 发送+入册    {t_create:.1f} s / {t_dispatch:.1f} s；端到端 {total:.1f} s")
        print(
            f"  端到端吞吐          {rate:,.0f} 请求/秒；"
            f"全量 1,600,000 请求折算 {1_600_000 / rate / 60:.1f} 分钟（目标 < 15 分钟）"
        )
        for i, r in enumerate(results):
            s = samples[i]
            print(
                f"  worker{i + 1}              领取 {r['claimed']:,}，峰值RSS {r['maxrss_mb']:.0f} MB；"
                "RSS 采样 首/中/末 "
                f"{s[0]:.0f}/{s[len(s) // 2]:.0f}/{s[-1]:.0f} MB"
                if s
                else ""
            )
        print(
            f"  联动单位模拟         收到 {stats['received']:,} 项，执行 {stats['performed']:,} 项，"
            f"重复执行的幂等键 {stats['duplicated_keys']}"
        )
        print(
            f"  朴素逐条基线          {naive_rate:,.1f} 请求/秒（样本 {args.sample:,} 项，"
            f"外推本次 {n_requests:,} 项 {n_requests / naive_rate / 3600:.2f} 小时、"
            f"1.6 M 项 {1_600_000 / naive_rate / 3600:.1f} 小时）"
        )
        print(f"  比值               批量/朴素 = {rate / naive_rate:,.1f} 倍")
        verdict = "PASS" if 1_600_000 / rate < TARGET_S else "FAIL"
        print(f"  结论               {verdict}（按本次吞吐折算 1.6 M 请求）")
    finally:
        sandbox_proc.terminate()
        cleanup(env, args.keep)


if __name__ == "__main__":
    main()
