"""The sandbox custody bank's books: transfers in, payments out, statements; its identity and where it
sends its notices."""

from __future__ import annotations

import base64
import csv
import io
import itertools
import os
import threading
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

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
