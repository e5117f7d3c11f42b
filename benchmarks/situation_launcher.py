"""`bench_situation_screens.py --entry launcher`: the same screens on `make run`'s path.

`make run` starts `python -m zhixing.config.launcher`: one uvicorn process (SQLite, the in-memory Channels
layer, the database as shared cache) and the Huey consumer as a child process (SQLite queue). With the
in-memory layer a push reaches only the screens of the process that made it, so the events must enter
where users' events enter: through the platform's HTTP interface. Money performed this month moves by
bank notices, signed as the custody bank signs them (partner protocol, `dev-custody-secret`), each
transfer 1.00 to an open case sub-account of the court the screens watch:

* ``--notices batch`` (default): the batch endpoint (``/api/v1/funds/bank/notices/batch``), ``--batch``
  transfers per notice — booked in the request, so in the web process that holds the screens;
* ``--notices single``: the single-notice endpoint — recorded in the request, booked by the Huey
  consumer (the durable inbox, funds/services/inbox.py) in its own process.

Latency is taken from each request's send time (the k-th sent, sorted) to a screen showing at least k
events (conservative: it includes the HTTP request and the booking). The product's cost per event is the
CPU of the launcher's process tree (web + consumer: HTTP, signature, booking, audit, refresh, push to
every screen) per event, from /proc; the naive baseline is the same as the deployment mode's: every
screen re-running the court's figure queries per event (`situation.compute`, timed in this process on the
same database file).
"""

from __future__ import annotations

import asyncio
import time
from datetime import date
from decimal import Decimal
from typing import Any

from benchmarks.bench_funds_inbox import cpu_of_tree  # the same /proc reading

NOTICES = "/api/v1/funds/bank/notices"


def open_accounts(court: Any, case_ids: list[int]) -> tuple[str, list[str]]:
    """The court's custody account (number) and the open sub-account numbers of `case_ids`."""
    from zhixing.cases.models import EnforcementCase
    from zhixing.funds import services

    number = "440020990001"
    services.set_custody_account(
        None, court, bank_name="沙箱托管银行", account_name=court.name, account_no=number, sub_prefix="779901"
    )
    cases = EnforcementCase.objects.filter(pk__in=case_ids).order_by("pk")
    return number, [services.case_account(c).number for c in cases]


def requests_for(kind: str, custody: str, accounts: list[str], n: int, batch: int) -> list[bytes]:
    """`n` transfers of 1.00 as raw signed HTTP requests: single notices, or batch notices of `batch`."""
    from zhixing.core import partner_protocol as pp

    day = date.today().isoformat()

    def raw(path: str, body: bytes, key: str) -> bytes:
        h = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, key)
        head = "".join(f"{k}: {v}\r\n" for k, v in h.items())
        return (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )

    out = []
    if kind == "single":
        for i in range(n):
            txn = f"SCR{i:07d}"
            body = pp.encode_body(
                {
                    "txn_id": txn,
                    "amount": "1.00",
                    "value_date": day,
                    "to_account": accounts[i % len(accounts)],
                    "custody_account_no": custody,
                    "payer_name": "张三",
                    "memo": "还款",
                }
            )
            out.append(raw(NOTICES, body, txn))
        return out
    for b in range(0, n, batch):
        items = [
            {
                "txn_id": f"SCB{i:07d}",
                "amount": "1.00",
                "value_date": day,
                "to_account": accounts[i % len(accounts)],
            }
            for i in range(b, min(b + batch, n))
        ]
        key = f"SCB-{b}"
        body = pp.encode_body({"batch_id": key, "custody_account_no": custody, "notices": items})
        out.append(raw(NOTICES + "/batch", body, key))
    return out


def send(
    port: int, reqs: list[bytes], per_second: float, conns: int, began: float
) -> list[tuple[float, int]]:
    """Send `reqs` paced at `per_second` from `began` (time.monotonic) over `conns` keep-alive
    connections; each request's (send time, status)."""

    async def conn(part: list[tuple[int, bytes]], out: list[tuple[float, int]]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for k, raw in part:
            delay = began + k / per_second - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sent = time.monotonic()
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            out.append((sent, int(head[9:12])))
        writer.close()

    async def main() -> list[tuple[float, int]]:
        out: list[tuple[float, int]] = []
        indexed = list(enumerate(reqs))
        await asyncio.gather(*(conn(indexed[c::conns], out) for c in range(conns)))
        return out

    return asyncio.run(main())


def events(args: Any, server: Any, custody: str, accounts: list[str]) -> dict[str, Any]:
    """Drive the events through the launcher; returns each event's send time, the statuses and the
    launcher tree's CPU seconds over the run."""
    n = int(args.rate * args.seconds)
    per_request = 1 if args.notices == "single" else args.batch
    reqs = requests_for(args.notices, custody, accounts, n, per_request)
    began = time.monotonic() + 1.0
    cpu0 = cpu_of_tree(server.proc.pid)
    done = send(server.port, reqs, args.rate / per_request, 8 if args.notices == "single" else 2, began)
    statuses: dict[int, int] = {}
    for _, status in done:
        statuses[status] = statuses.get(status, 0) + 1
    # Single notices are booked by the consumer behind the acknowledgment: wait until they are.
    deadline = time.monotonic() + 120
    if args.notices == "single":
        from zhixing.funds.models import BankNotice

        while BankNotice.objects.filter(status="received").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    time.sleep(3)  # the last push
    cpu = cpu_of_tree(server.proc.pid) - cpu0
    sent = sorted(t for t, _ in done for _ in range(per_request))
    return {"sent": sent, "statuses": statuses, "cpu": cpu, "n": n, "elapsed": sent[-1] - began}


def report(
    args: Any, wrote: dict[str, Any], received: list[list[list[float]]], naive: dict[str, float]
) -> None:
    """Print the launcher run's figures (same lines as the deployment mode where they apply)."""
    import statistics

    from django.db.models import Sum

    from zhixing.cases.models import Payment

    n = wrote["n"]
    sent = dict(enumerate(wrote["sent"], start=1))
    latencies: list[float] = []
    for per in received:
        per = sorted(per, key=lambda kt: kt[1])
        j = 0
        for k in range(1, n + 1):
            while j < len(per) and per[j][0] < k:
                j += 1
            if j < len(per):
                latencies.append(per[j][1] - sent[k])
    latencies.sort()

    def pct(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
        )

    booked = Payment.objects.filter(reference__startswith="funds.receipt:SC").aggregate(s=Sum("amount"))["s"]
    final_ok = sum(1 for per in received if per and max(k for k, _ in per) == n)
    per_event_cpu = wrote["cpu"] / n
    print(
        f"entry: make run's launcher (SQLite, in-memory Channels layer, Huey consumer child); "
        f"events: {args.notices} bank notices"
        + (f" of {args.batch} transfers" if args.notices == "batch" else "")
    )
    print(
        f"events: {n} at {n / wrote['elapsed']:.1f}/s achieved (asked {args.rate}/s) over "
        f"{wrote['elapsed']:.1f} s; HTTP statuses {wrote['statuses']}; "
        f"booked {Decimal(booked or 0):.2f} of {n:.2f}"
    )
    print(
        f"(event, screen) pairs shown: {len(latencies)} of {n * args.screens}; "
        f"screens ending on the last figure: {final_ok}/{args.screens}"
    )
    print(
        f"push latency ms (from the request's send): p50 {pct(0.5):.1f}  p95 {pct(0.95):.1f}  "
        f"p99 {pct(0.99):.1f}  max {pct(1.0):.1f}"
    )
    print(
        f"launcher CPU (web + consumer: HTTP, booking, audit, refresh, push): {wrote['cpu']:.1f} s, "
        f"{per_event_cpu * 1000:.1f} ms per event"
    )
    print(
        f"naive baseline (each screen re-queries per event): {naive['queries']:.0f} queries × {args.screens} "
        f"screens = {naive['queries'] * args.screens:.0f} queries/event, "
        f"{naive['seconds'] * args.screens * 1000:.0f} ms of query time/event"
    )
    print(
        "ratio naive query time ÷ the launcher's whole CPU per event: "
        f"{naive['seconds'] * args.screens / max(per_event_cpu, 1e-6):.0f}×"
    )
    if received:
        print(f"mean updates per screen: {statistics.mean(len(r) for r in received):.1f}")
