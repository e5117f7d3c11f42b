"""Sandbox custody bank (托管银行): a raw ASGI app speaking the partner protocol.

Standalone:  python -m zhixing.partners.sandbox.custody_bank --port 8001 --notify-url URL
Mounted:     another server mounts `app` under ``/custody`` (``scope["root_path"]`` or a path that still
             carries the prefix — both work).

Endpoints (relative to the mount):

    GET  /health
    POST /config            {"notify_url", "custody_account_no", "batch_min", "batch_max"} (unsigned)
    POST /transfers         a debtor's transfer: {"to_account", "amount", "payer_name", ...} → notice
    GET  /notices           notices and whether the platform acknowledged them
    POST /notices/redeliver retry every unacknowledged notice now
    POST /payments          signed payment order; same Idempotency-Key → the same single payment
    GET  /payments/{key}    signed status poll
    GET  /statement?date=   the day's statement as CSV (columns as the platform's default mapping)
    GET  /statements?account=&sub_prefix=&date=&format=   signed: one custody account's statement of a
                            day, JSON with the opening and closing balances and the export file
                            (base64): format ``standard`` (UTF-8 CSV) or ``netbank`` (GBK, title rows,
                            amount + 借贷标志 columns)
    POST /face-verify       signed {"name", "id_number", "photo"} → {"result": "pass" | "fail"}

Notices are POSTed, signed, to the platform's ``/api/v1/funds/bank/notices`` and retried with backoff
until the platform answers 2xx (so a platform crash before booking loses nothing). When many are
pending at once (``batch_min``, default 20, env ``CUSTODY_BATCH_MIN``), they go as batch notices of
up to ``batch_max`` (500, ``CUSTODY_BATCH_MAX``) transfers to ``<notify_url>/batch``; a batch that is
not acknowledged falls back to single notices with their retries. Deterministic
rules: a payment to an account number starting ``0000`` fails (closed account); face verification
fails when the photo is empty, ``"spoof"`` or starts with ``"fail"``. State lives in memory.

Several courts' custody accounts share the sandbox: a statement line belongs to the account a transfer
named (``custody_account_no``) or a payment left (``from_account``); a transfer naming none belongs to
the account whose virtual sub-accounts start with its sub-account's prefix (the statement request
names that prefix, as a real bank knows its own virtual accounts).
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from zhixing.core import partner_protocol as pp

from .custody_accounts import (
    BANK_PARTNER,
    NOTICE_PATH,
    PLATFORM_PARTNERS,
    RETRY_DELAYS,
    SECRET,
    Bank,
    default_notify_url,
)
from .custody_notices import _deliver_with_retries, chunks, deliver, deliver_batch


class CustodyBankApp:
    def __init__(self) -> None:
        self.bank = Bank()
        self._tasks: set[asyncio.Task[None]] = set()
        self._flusher: asyncio.Task[None] | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        root = scope.get("root_path", "") or ""
        full = scope["path"] if root and scope["path"].startswith(root) else root + scope["path"]
        rel = full[len(root) :] if root else full
        if rel.startswith("/custody/"):
            rel = rel[len("/custody") :]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = urllib.parse.parse_qs(scope.get("query_string", b"").decode())
        try:
            status, payload, ctype = await self.route(scope["method"], rel, full, body, headers, query)
        except ValueError as exc:
            status, payload, ctype = 400, {"detail": str(exc)}, "application/json"
        data = (
            payload.encode() if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False).encode()
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", f"{ctype}; charset=utf-8".encode())],
            }
        )
        await send({"type": "http.response.body", "body": data})

    def _verify(self, method: str, full: str, rel: str, body: bytes, headers: dict[str, str]) -> str:
        if pp.partner_of(headers) not in PLATFORM_PARTNERS:
            raise PermissionError("未知的合作方")
        last: Exception | None = None
        for path in dict.fromkeys((full, rel, "/custody" + rel)):
            try:
                return pp.verify(SECRET, method, path, body, headers)
            except pp.ProtocolError as exc:
                last = exc
        raise PermissionError(str(last))

    def _spawn(self, notice: dict[str, Any], delays: tuple[float, ...] = (0.0, *RETRY_DELAYS)) -> None:
        task = asyncio.get_running_loop().create_task(_deliver_with_retries(self.bank, notice, delays))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _enqueue(self, notice: dict[str, Any]) -> None:
        self.bank.queue.append(notice)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        """Deliver what is queued, then look again: transfers arriving meanwhile queue up, and when
        `batch_min` or more are waiting they go as batch notices; a few go singly. Whatever is not
        acknowledged is retried singly with backoff."""
        bank = self.bank
        while True:
            await asyncio.sleep(0)  # let transfers arriving in the same tick join the queue
            pending = [n for n in bank.queue if not n["delivered"]]
            bank.queue.clear()
            if not pending:
                return
            batches = chunks(bank, pending)
            for part in batches:
                if not await asyncio.to_thread(deliver_batch, bank, part):
                    for n in part:
                        self._spawn(n)
            if not batches:
                sent = await asyncio.gather(*(asyncio.to_thread(deliver, bank, n) for n in pending))
                for n, ok in zip(pending, sent, strict=True):
                    if not ok:
                        self._spawn(n, RETRY_DELAYS)

    async def route(
        self,
        method: str,
        rel: str,
        full: str,
        body: bytes,
        headers: dict[str, str],
        query: dict[str, list[str]],
    ) -> tuple[int, Any, str]:
        bank = self.bank
        js = "application/json"
        if rel in ("/health", "/"):
            return 200, {"ok": True, "balance": f"{bank.balance:.2f}"}, js
        if method == "POST" and rel == "/config":
            cfg = json.loads(body or b"{}")
            bank.notify_url = cfg.get("notify_url", bank.notify_url)
            bank.custody_account_no = cfg.get("custody_account_no", bank.custody_account_no)
            bank.batch_min = int(cfg.get("batch_min", bank.batch_min))
            bank.batch_max = int(cfg.get("batch_max", bank.batch_max))
            return 200, {"ok": True}, js
        if method == "POST" and rel == "/transfers":
            notice = bank.add_transfer(json.loads(body or b"{}"))
            if not notice["delivered"]:
                self._enqueue(notice)
            return 201, {"txn_id": notice["txn_id"]}, js
        if method == "GET" and rel == "/notices":
            return 200, list(bank.transfers.values()), js
        if method == "POST" and rel == "/notices/redeliver":
            pending = [n for n in bank.transfers.values() if not n["delivered"]]
            for part in chunks(bank, pending):
                await asyncio.to_thread(deliver_batch, bank, part)
            done = [n["delivered"] or await asyncio.to_thread(deliver, bank, n) for n in pending]
            return 200, {"pending": len(pending), "delivered": sum(done)}, js
        if method == "GET" and rel == "/statement":
            return 200, bank.statement((query.get("date") or [""])[0]), "text/csv"
        if rel.startswith("/payments") or rel in ("/face-verify", "/statements"):
            try:
                key = self._verify(method, full, rel, body, headers)
            except PermissionError as exc:
                return 401, {"detail": str(exc)}, js
            if method == "POST" and rel == "/payments":
                return 200, bank.pay(key, json.loads(body or b"{}")), js
            if method == "GET" and rel.startswith("/payments/"):
                pay = bank.payments.get(urllib.parse.unquote(rel[len("/payments/") :]))
                return (200, pay, js) if pay else (404, {"status": "unknown"}, js)
            if method == "GET" and rel == "/statements":
                one = {k: (v or [""])[0] for k, v in query.items()}
                if not one.get("account"):
                    return 400, {"detail": "缺少账号"}, js
                stmt = bank.account_statement(
                    one["account"],
                    one.get("sub_prefix", ""),
                    one.get("date", ""),
                    one.get("format") or "standard",
                )
                return 200, stmt, js
            if method == "POST" and rel == "/face-verify":
                req = json.loads(body or b"{}")
                photo = str(req.get("photo", ""))
                bad = photo in ("", "spoof") or photo.startswith("fail") or not req.get("id_number")
                return 200, {"result": "fail" if bad else "pass"}, js
        return 404, {"detail": "not found"}, js


app = CustodyBankApp()


def main() -> None:  # pragma: no cover - manual entry point
    import argparse

    import uvicorn

    ap = argparse.ArgumentParser(description="沙箱托管银行")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--notify-url", default="")
    ap.add_argument("--custody-account-no", default="")
    ap.add_argument("--root-path", default="")
    args = ap.parse_args()
    if args.notify_url:
        app.bank.notify_url = args.notify_url
    if args.custody_account_no:
        app.bank.custody_account_no = args.custody_account_no
    uvicorn.run(app, host=args.host, port=args.port, root_path=args.root_path, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = [
    "BANK_PARTNER",
    "NOTICE_PATH",
    "PLATFORM_PARTNERS",
    "RETRY_DELAYS",
    "SECRET",
    "Bank",
    "CustodyBankApp",
    "app",
    "chunks",
    "default_notify_url",
    "deliver",
    "deliver_batch",
    "main",
]
