#!/usr/bin/env python
"""Node-notification benchmark (定向推送): N node pushes through the product's dispatch path with retries.

    .venv/bin/python benchmarks/bench_notifications.py --notifications 100000 [--fail-every 10]

1. A fresh SQLite database (temporary DATA_DIR), migrated and seeded with ``seed_demo --cases M``; every
   party gets a confirmed service address with a mobile phone, and push rules send every node kind by SMS
   and to the portal (not timed). The partner sandbox runs as its own process on --sandbox-port (SMS
   gateway SMS-GW) with injected failures: every --fail-every-th text is refused as "网关繁忙" (retryable).
2. Timed, enqueue: `portal.party_services.push_nodes` — the receiver of `cases.events.nodes_completed` —
   over the demo's nodes, repeated with shifted node ids until N messages are queued (each repeat is a
   distinct node completion; the idempotency key names the node, the party and the channel).
3. Timed, dispatch: `documents.dispatch.run_once` rounds until nothing is due (backoff 0 so the retries
   fall inside the run): claim in batches, SMS in signed batches of 500, portal rows delivered on creation,
   outcomes applied in bulk, one audit summary per round.
4. The naive baseline in the same run: `run_once(limit=1)` — one message per claim, HTTP request and
   transaction — on --sample messages, extrapolated.

Prints messages/s for enqueue, dispatch and end to end, the retries seen, the ratio against the naive
path, and PASS/FAIL against the target (≥ 1,000 notifications/s dispatched with retries).
Word documents (≥ 50/s) are measured by benchmarks/bench_documents.py.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_cases import cleanup, prepare  # noqa: E402 - the same fresh-database set-up

TARGET = 1000.0


def _sandbox(port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), ZHIXING_SANDBOX_MEDIA_PERIOD="0")
    proc = subprocess.Popen([sys.executable, "-m", "zhixing.partners.sandbox", "--port", str(port)], env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sandbox/stats", timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("the partner sandbox did not start")


def _call(port: int, path: str, body: object = None) -> object:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data else "GET"
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--notifications", type=int, default=100000)
    ap.add_argument("--cases", type=int, default=200, help="demo cases to seed (the nodes and parties)")
    ap.add_argument(
        "--fail-every", type=int, default=10, help="the SMS gateway refuses every nth text (busy)"
    )
    ap.add_argument("--sample", type=int, default=500, help="messages sent one at a time for the baseline")
    ap.add_argument("--sandbox-port", type=int, default=8873)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--data-dir")
    ap.add_argument("--skip-seed", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    env = prepare(args)
    os.environ["ZHIXING_SMS_URL"] = f"http://127.0.0.1:{args.sandbox_port}"
    os.environ["ZHIXING_ESERVICE_BACKOFF_BASE"] = "0"
    os.environ["ZHIXING_ESERVICE_MAX_ATTEMPTS"] = "4"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    sandbox = _sandbox(args.sandbox_port)
    try:
        if not args.skip_seed:
            call_command("migrate", verbosity=0)
            t = time.perf_counter()
            call_command("seed_demo", cases=args.cases, verbosity=0)
            print(f"seed_demo --cases {args.cases}: {time.perf_counter() - t:.1f} s (not timed below)")
        run(args)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        cleanup(env, args.keep)


def _setup() -> list[object]:
    """Every party a confirmed phone; push every node kind by SMS and portal; the demo's done nodes."""
    from django.utils import timezone

    from zhixing.cases.models import Node, NodeType, Party
    from zhixing.documents.models import Delivery, ServiceAddress
    from zhixing.portal.models import NodePushRule

    Delivery.objects.all().delete()
    ServiceAddress.objects.all().delete()
    today = timezone.localdate()
    ServiceAddress.objects.bulk_create(
        [
            ServiceAddress(
                case_id=p.case_id,
                party_id=p.pk,
                phone=f"137{p.pk:08d}",
                portal=True,
                electronic_consent=True,
                confirmed_on=today,
            )
            for p in Party.objects.only("pk", "case_id")
        ],
        batch_size=2000,
    )
    NodePushRule.objects.all().delete()
    NodePushRule.objects.bulk_create(
        [
            NodePushRule(node_code=nt.code, channel=c)
            for nt in NodeType.objects.all()
            for c in ("sms", "portal")
        ]
    )
    nodes = list(Node.objects.select_related("node_type").order_by("pk"))
    for n in nodes:
        n.completed_on = n.completed_on or today
    return nodes


def run(args: argparse.Namespace) -> None:
    from django.db import transaction

    from zhixing.documents import dispatch
    from zhixing.documents.models import Delivery
    from zhixing.portal.party_services import push_nodes

    nodes = _setup()
    port = args.sandbox_port
    _call(port, "/_sandbox/reset", {})
    _call(port, "/_sandbox/sms/config", {"fail_every": args.fail_every})
    print(f"{len(nodes)} demo nodes; pushes per node pass: SMS and portal to every party")

    # 1. enqueue through the node-completion receiver, passes with shifted node ids until N.
    t = time.perf_counter()
    queued, shift = 0, 0
    while queued < args.notifications:
        shift += 1
        batch = []
        for n in nodes:
            c = copy.copy(n)
            c.pk = c.id = n.pk + shift * 10_000_000
            batch.append(c)
        for i in range(0, len(batch), 500):
            with transaction.atomic():
                queued += push_nodes(None, nodes=batch[i : i + 500])
            if queued >= args.notifications:
                break
    enqueue_s = time.perf_counter() - t
    total = Delivery.objects.count()
    sms = Delivery.objects.filter(channel="sms").count()
    print(
        f"enqueue (push_nodes): {total} messages ({sms} SMS) in {enqueue_s:.1f} s = {total / enqueue_s:.0f}/s"
    )

    # 2. naive baseline first, on a sample of the due SMS rows: one message per round.
    t = time.perf_counter()
    naive = 0
    for _ in range(args.sample):
        r = dispatch.run_once(limit=1)
        naive += r.claimed
    naive_s = time.perf_counter() - t
    naive_rate = naive / naive_s

    # 3. the product's path for everything left.
    t, cpu = time.perf_counter(), time.process_time()
    rounds = claimed = retries = 0
    while True:
        r = dispatch.run_once()
        if not r.claimed:
            break
        rounds += 1
        claimed += r.claimed
        retries += r.counts["retry"]
    fast_s, fast_cpu = time.perf_counter() - t, time.process_time() - cpu
    delivered = Delivery.objects.filter(status="delivered").count()
    failed = Delivery.objects.filter(status="failed").count()
    left = sms - naive  # the SMS rows the batch path sent (portal rows are delivered when queued)
    fast_rate = left / fast_s
    stats = _call(port, "/_sandbox/sms")
    print()
    head = "dispatch path (SMS through the gateway, with retries)"
    print(f"{head:<56}{'messages':>10}{'seconds':>9}{'msg/s':>8}")
    print(
        f"{'batch: run_once (claim 2000, SMS batches of 500)':<56}{left:>10}{fast_s:>9.1f}{fast_rate:>8.0f}"
    )
    print(
        f"{'naive: run_once(limit=1), one message at a time':<56}{naive:>10}{naive_s:>9.1f}{naive_rate:>8.0f}"
    )
    ratio = fast_rate / naive_rate
    print(f"ratio batch/naive: {ratio:.1f}x; naive extrapolated to {left}: {left / naive_rate:.0f} s")
    every = args.fail_every
    print(f"rounds {rounds}, claims {claimed} (retries {retries}; the gateway refused every {every}th text)")
    sent = stats["sent"]  # type: ignore[index]
    print(f"delivered {delivered}, failed {failed} of {total}; texts the gateway sent: {sent}")
    print(f"batch CPU {fast_cpu:.1f} s in this process ({left / fast_cpu:.0f} msg per CPU s)")
    e2e = (total - naive) / (enqueue_s * (total - naive) / total + fast_s)
    print(f"end to end (queue {total - naive} SMS + portal notifications, then dispatch): {e2e:.0f}/s")
    verdict = "PASS" if fast_rate >= TARGET else "FAIL"
    print(f"target ≥ {TARGET:.0f} notifications/s dispatched with retries: {verdict} ({fast_rate:.0f}/s)")
    print(f"load average {os.getloadavg()[0]:.1f} (shared machine)")


if __name__ == "__main__":
    main()
