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
import base64
import csv
import hashlib
import io
import itertools
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from zhixing.core import partner_protocol as pp

# Embedded in `make run`, the sandbox shares the platform's environment: without CUSTODY_* of its own
# it speaks with the platform's custody-bank identity and secret and notifies the platform the
# launcher started (ZHIXING_PLATFORM_URL), so nothing has to be configured twice.
BANK_PARTNER = os.environ.get("CUSTODY_PARTNER") or os.environ.get("FUNDS_BANK_PARTNER") or "custody-bank"
SECRET = os.environ.get("CUSTODY_SECRET") or os.environ.get("FUNDS_BANK_SECRET") or "dev-custody-secret"
PLATFORM_PARTNERS = {
    os.environ.get("CUSTODY_PLATFORM_PARTNER") or os.environ.get("FUNDS_PLATFORM_PARTNER") or "zhixing"
}
NOTICE_PATH = "/api/v1/funds/bank/notices"
RETRY_DELAYS = (0.1, 0.3, 1.0, 2.0, 5.0, 10.0, 30.0)


def default_notify_url() -> str:
    """CUSTODY_NOTIFY_URL, else the notice endpoint of the platform at ZHIXING_PLATFORM_URL, else ""."""
    explicit = os.environ.get("CUSTODY_NOTIFY_URL", "").strip()
    if explicit:
        return explicit
    platform = os.environ.get("ZHIXING_PLATFORM_URL", "").strip().rstrip("/")
    return platform + NOTICE_PATH if platform else ""


class Bank:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.notify_url = default_notify_url()
        self.custody_account_no = os.environ.get("CUSTODY_ACCOUNT_NO", "")
        self.batch_min = int(os.environ.get("CUSTODY_BATCH_MIN", "20"))
        self.batch_max = int(os.environ.get("CUSTODY_BATCH_MAX", "500"))
        self.batches_sent = 0
        self.queue: list[dict[str, Any]] = []  # notices waiting for the delivery loop
        self.seq = itertools.count(1)
        self.balance = Decimal("0.00")
        self.transfers: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}  # by idempotency key
        self.ledger: list[dict[str, Any]] = []  # statement lines in order

    def add_transfer(self, data: dict[str, Any]) -> dict[str, Any]:
        amount = _amount(data.get("amount"))
        with self.lock:
            txn = str(data.get("txn_id") or f"CB{datetime.now():%Y%m%d}{next(self.seq):08d}")
            if txn in self.transfers:
                return self.transfers[txn]
            self.balance += amount
            notice = {
                "txn_id": txn,
                "amount": f"{amount:.2f}",
                "value_date": str(data.get("value_date") or date.today().isoformat()),
                "to_account": str(data.get("to_account", "")),
                "payer_name": str(data.get("payer_name", "")),
                "payer_account": str(data.get("payer_account", "")),
                "memo": str(data.get("memo", "")),
                "custody_account_no": self.custody_account_no,
                "delivered": False,
                "attempts": 0,
            }
            self.transfers[txn] = notice
            self.ledger.append(
                {
                    **notice,
                    "account": str(data.get("custody_account_no") or ""),
                    "signed_amount": amount,
                    "balance": self.balance,
                }
            )
            return notice

    def pay(self, key: str, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if key in self.payments:
                return self.payments[key]
            amount = _amount(data.get("amount"))
            account_no = str(data.get("account_no", ""))
            pid = f"PAY{datetime.now():%Y%m%d}{next(self.seq):08d}"
            if account_no.startswith("0000") or not account_no:
                pay = {
                    "payment_id": pid,
                    "status": "failed",
                    "reason": "收款账户已销户或不存在",
                    "amount": str(amount),
                }
            elif amount > self.balance:
                pay = {"payment_id": pid, "status": "failed", "reason": "专户余额不足", "amount": str(amount)}
            else:
                self.balance -= amount
                pay = {
                    "payment_id": pid,
                    "status": "paid",
                    "reason": "",
                    "amount": f"{amount:.2f}",
                    "account_no": account_no,
                    "account_name": str(data.get("account_name", "")),
                }
                self.ledger.append(
                    {
                        "txn_id": pid,
                        "account": str(data.get("from_account") or ""),
                        "value_date": date.today().isoformat(),
                        "signed_amount": -amount,
                        "payer_name": pay["account_name"],
                        "payer_account": account_no,
                        "to_account": "",
                        "memo": str(data.get("memo", "")),
                        "balance": self.balance,
                    }
                )
            self.payments[key] = pay
            return pay

    def statement(self, on: str) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["交易流水号", "交易日期", "金额", "对方户名", "对方账号", "收款子账号", "摘要", "余额"])
        with self.lock:
            for ln in self.ledger:
                if not on or ln["value_date"] == on:
                    w.writerow(
                        [
                            ln["txn_id"],
                            ln["value_date"],
                            f"{ln['signed_amount']:.2f}",
                            ln["payer_name"],
                            ln["payer_account"],
                            ln["to_account"],
                            ln["memo"],
                            f"{ln['balance']:.2f}",
                        ]
                    )
        return buf.getvalue()

    def belongs(self, line: dict[str, Any], account: str, sub_prefix: str) -> bool:
        """Whether a statement line is `account`'s (see the module docstring)."""
        if line.get("account"):
            return bool(line["account"] == account)
        if line.get("to_account"):
            return bool(sub_prefix) and str(line["to_account"]).startswith(sub_prefix)
        return bool(account) and account == self.custody_account_no

    def account_statement(
        self, account: str, sub_prefix: str, on: str, fmt: str = "standard"
    ) -> dict[str, Any]:
        """One account's statement of day `on` (ISO date): balances and the export file."""
        day = date.fromisoformat(on)  # ValueError → 400
        with self.lock:
            mine = [ln for ln in self.ledger if self.belongs(ln, account, sub_prefix)]
        opening = sum((ln["signed_amount"] for ln in mine if ln["value_date"] < on), Decimal("0.00"))
        rows, running = [], opening
        for ln in mine:
            if ln["value_date"] == on:
                running += ln["signed_amount"]
                rows.append((ln, running))
        buf = io.StringIO()
        w = csv.writer(buf)
        if fmt == "netbank":
            w.writerow(["沙箱托管银行 账户交易明细"])
            w.writerow([f"账号：{account}", f"日期：{day:%Y%m%d}"])
            w.writerow(
                [
                    "流水号",
                    "记账日期",
                    "借贷标志",
                    "发生额",
                    "对方户名",
                    "对方账号",
                    "子账号",
                    "用途",
                    "账户余额",
                ]
            )
            for ln, bal in rows:
                amt = ln["signed_amount"]
                w.writerow(
                    [
                        ln["txn_id"],
                        day.strftime("%Y%m%d"),
                        "贷" if amt > 0 else "借",
                        f"{abs(amt):.2f}",
                        ln["payer_name"],
                        ln["payer_account"],
                        ln["to_account"],
                        ln["memo"],
                        f"{bal:.2f}",
                    ]
                )
            content, name = buf.getvalue().encode("gb18030"), f"netbank-{account}-{on}.csv"
        else:
            w.writerow(
                ["交易流水号", "交易日期", "金额", "对方户名", "对方账号", "收款子账号", "摘要", "余额"]
            )
            for ln, bal in rows:
                w.writerow(
                    [
                        ln["txn_id"],
                        on,
                        f"{ln['signed_amount']:.2f}",
                        ln["payer_name"],
                        ln["payer_account"],
                        ln["to_account"],
                        ln["memo"],
                        f"{bal:.2f}",
                    ]
                )
            content, name = buf.getvalue().encode("utf-8"), f"statement-{account}-{on}.csv"
        return {
            "account_no": account,
            "date": on,
            "opening_balance": f"{opening:.2f}",
            "closing_balance": f"{running:.2f}",
            "filename": name,
            "content_base64": base64.b64encode(content).decode(),
        }


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError("金额不是数字") from exc
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError("金额必须为正数且最多两位小数")
    return amount.quantize(Decimal("0.01"))


def _payload(notice: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in notice.items() if k not in ("delivered", "attempts")}


def _post(bank: Bank, url: str, payload: Any, key: str) -> bool:
    body = pp.encode_body(payload)
    path = urllib.parse.urlsplit(url).path
    headers = pp.sign_headers(BANK_PARTNER, SECRET, "POST", path, body, key)
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
            return bool(200 <= resp.status < 300)
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def deliver(bank: Bank, notice: dict[str, Any]) -> bool:
    """POST one signed notice; True when the platform acknowledged it (2xx)."""
    if not bank.notify_url:
        return False
    notice["attempts"] += 1
    ok = _post(bank, bank.notify_url, _payload(notice), notice["txn_id"])
    if ok:
        notice["delivered"] = True
    return ok


def deliver_batch(bank: Bank, notices: list[dict[str, Any]]) -> bool:
    """POST one signed batch notice; True (and every notice delivered) when the platform acknowledged it.

    The batch id — its Idempotency-Key — is derived from the transfer ids, so re-sending the same
    batch reuses it; the platform books each transfer once by its id anyway.
    """
    if not bank.notify_url or not notices:
        return False
    ids = [n["txn_id"] for n in notices]
    batch_id = "NB" + hashlib.sha256("\n".join(ids).encode()).hexdigest()[:24]
    payload = {
        "batch_id": batch_id,
        "custody_account_no": bank.custody_account_no,
        "notices": [_payload(n) for n in notices],
    }
    for n in notices:
        n["attempts"] += 1
    ok = _post(bank, bank.notify_url.rstrip("/") + "/batch", payload, batch_id)
    if ok:
        bank.batches_sent += 1
        for n in notices:
            n["delivered"] = True
    return ok


def chunks(bank: Bank, notices: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Batches to send now: empty when fewer than `batch_min` are pending (they go singly)."""
    if len(notices) < max(2, bank.batch_min):
        return []
    size = max(1, bank.batch_max)
    return [notices[i : i + size] for i in range(0, len(notices), size)]


async def _deliver_with_retries(
    bank: Bank, notice: dict[str, Any], delays: tuple[float, ...] = (0.0, *RETRY_DELAYS)
) -> None:
    for delay in delays:
        if delay:
            await asyncio.sleep(delay)
        if notice["delivered"] or await asyncio.to_thread(deliver, bank, notice):
            return


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
