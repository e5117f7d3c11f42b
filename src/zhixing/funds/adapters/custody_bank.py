"""HTTP adapter to the custody bank: signed payment orders, status polls, statements, face verification.

Speaks the partner protocol (`zhixing.core.partner_protocol`): every order carries the payout's
idempotency key, so re-sending after a crash or timeout returns the same payment instead of paying twice.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from zhixing.core import partner_protocol as pp

from .. import conf


class BankUnavailable(RuntimeError):
    """The bank did not answer (network, timeout, 5xx): the order stays pending and is retried."""


@dataclass(frozen=True)
class PaymentResult:
    payment_id: str
    status: str  # "paid" | "failed" | "pending"
    reason: str = ""


def _request(method: str, path: str, payload: Any, key: str) -> dict[str, Any]:
    url = conf.bank_url() + path
    body = pp.encode_body(payload) if payload is not None else b""
    signed_path = urllib.parse.urlsplit(url).path
    headers = pp.sign_headers(
        str(conf.get("FUNDS_PLATFORM_PARTNER")), conf.bank_secret(), method, signed_path, body, key
    )
    if not url.startswith(("http://", "https://")):
        raise BankUnavailable(f"托管银行地址不是HTTP(S)：{url}")
    req = urllib.request.Request(url, data=body if method != "GET" else None, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=float(str(conf.get("FUNDS_BANK_TIMEOUT_SECONDS")))) as resp:  # noqa: S310
            return dict(json.loads(resp.read() or b"{}"))
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise BankUnavailable(f"银行返回{exc.code}") from exc
        detail = exc.read().decode("utf-8", "replace")
        return {"status": "failed", "reason": detail[:200] or f"HTTP {exc.code}"}
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise BankUnavailable(f"无法连接托管银行：{exc}") from exc


def send_payment(
    order_key: str,
    *,
    amount: str,
    account_name: str,
    account_no: str,
    bank_name: str,
    memo: str,
    from_account: str = "",
) -> PaymentResult:
    """`from_account`: the court's custody account the money leaves (its statement shows the payment)."""
    data = _request(
        "POST",
        "/payments",
        {
            "amount": amount,
            "account_name": account_name,
            "account_no": account_no,
            "bank_name": bank_name,
            "memo": memo,
            "from_account": from_account,
        },
        order_key,
    )
    return PaymentResult(
        str(data.get("payment_id", "")), str(data.get("status", "pending")), str(data.get("reason", ""))
    )


def payment_status(order_key: str) -> PaymentResult:
    data = _request("GET", f"/payments/{urllib.parse.quote(order_key)}", None, f"poll-{order_key}")
    return PaymentResult(
        str(data.get("payment_id", "")), str(data.get("status", "pending")), str(data.get("reason", ""))
    )


def verify_face(key: str, *, name: str, id_number: str, photo: str) -> bool:
    data = _request("POST", "/face-verify", {"name": name, "id_number": id_number, "photo": photo}, key)
    return data.get("result") == "pass"


class StatementUnavailable(RuntimeError):
    """The bank answered but gave no usable statement (unknown account, malformed answer)."""


@dataclass(frozen=True)
class BankStatement:
    """A day's statement of one custody account as the bank exports it (the file and its balances)."""

    account_no: str
    on: date
    opening_balance: Decimal
    closing_balance: Decimal
    filename: str
    content: bytes


def fetch_statement(account_no: str, sub_prefix: str, on: date, fmt: str = "standard") -> BankStatement:
    """The signed statement request for `account_no` (its virtual sub-accounts start `sub_prefix`) on
    `on`. Raises `BankUnavailable` (no answer, 5xx) or `StatementUnavailable` (refused, malformed)."""
    query = urllib.parse.urlencode(
        {"account": account_no, "sub_prefix": sub_prefix, "date": on.isoformat(), "format": fmt}
    )
    data = _request("GET", f"/statements?{query}", None, f"stmt-{account_no}-{on.isoformat()}")
    if data.get("status") == "failed":
        raise StatementUnavailable(f"银行未提供对账单：{data.get('reason', '')}"[:200])
    try:
        return BankStatement(
            account_no=str(data["account_no"]),
            on=date.fromisoformat(str(data["date"])),
            opening_balance=Decimal(str(data["opening_balance"])),
            closing_balance=Decimal(str(data["closing_balance"])),
            filename=str(data.get("filename") or "statement.csv"),
            content=base64.b64decode(str(data["content_base64"]), validate=True),
        )
    except (KeyError, ValueError, InvalidOperation, binascii.Error) as exc:
        raise StatementUnavailable(f"银行对账单格式错误：{exc}"[:200]) from exc
