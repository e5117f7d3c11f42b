"""The sandbox custody bank as a raw ASGI app: standalone and under a /custody prefix."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest

from zhixing.core import partner_protocol as pp
from zhixing.partners.sandbox.custody_bank import CustodyBankApp


def call(
    app: Any,
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    root_path: str = "",
    query: str = "",
) -> tuple[int, Any]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": root_path,
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(msg: dict[str, Any]) -> None:
        sent.append(msg)

    # In a thread of its own: Playwright's sync API may already run an event loop in this one.
    t = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    t.start()
    t.join()
    raw = sent[1]["body"]
    ctype = dict(sent[0]["headers"])[b"content-type"].decode()
    return sent[0]["status"], json.loads(raw) if "json" in ctype else raw.decode()


def signed(path: str, payload: dict[str, Any], key: str) -> tuple[bytes, dict[str, str]]:
    body = pp.encode_body(payload)
    return body, pp.sign_headers("zhixing", "dev-custody-secret", "POST", path, body, key)


@pytest.mark.parametrize(
    ("root", "path"),
    [
        ("", "/payments"),
        ("/custody", "/custody/payments"),
        ("/custody", "/payments"),
        ("", "/custody/payments"),
    ],
)
def test_payment_idempotent_standalone_and_prefixed(root, path):
    app = CustodyBankApp()
    app.bank.add_transfer({"amount": "1000.00", "txn_id": "T0"})
    signed_path = "/custody/payments" if "custody" in root + path else "/payments"
    body, h = signed(signed_path, {"amount": "10.00", "account_no": "6222", "account_name": "甲"}, "K1")
    s1, r1 = call(app, "POST", path, body, h, root_path=root)
    s2, r2 = call(app, "POST", path, body, h, root_path=root)
    assert s1 == s2 == 200 and r1 == r2 and r1["status"] == "paid"
    assert len(app.bank.payments) == 1 and app.bank.balance == 990
    s, poll = call(
        app,
        "GET",
        path + "/K1",
        b"",
        pp.sign_headers("zhixing", "dev-custody-secret", "GET", signed_path + "/K1", b"", "poll"),
        root_path=root,
    )
    assert s == 200 and poll["payment_id"] == r1["payment_id"]


def test_unsigned_or_bad_signature_refused():
    app = CustodyBankApp()
    body, h = signed("/payments", {"amount": "1.00", "account_no": "1"}, "K")
    h["X-ZX-Signature"] = "0" * 64
    assert call(app, "POST", "/payments", body, h)[0] == 401
    assert call(app, "POST", "/payments", body, {})[0] == 401


def test_closed_account_and_insufficient_funds_fail():
    app = CustodyBankApp()
    body, h = signed("/payments", {"amount": "1.00", "account_no": "0000999"}, "K2")
    assert call(app, "POST", "/payments", body, h)[1]["status"] == "failed"
    body, h = signed("/payments", {"amount": "1.00", "account_no": "6222"}, "K3")
    assert call(app, "POST", "/payments", body, h)[1]["reason"] == "专户余额不足"


def test_face_verification_is_deterministic():
    app = CustodyBankApp()
    for photo, result in [("live", "pass"), ("spoof", "fail"), ("fail-1", "fail"), ("", "fail")]:
        body, h = signed("/face-verify", {"name": "甲", "id_number": "1", "photo": photo}, f"F{photo}")
        assert call(app, "POST", "/face-verify", body, h)[1]["result"] == result


def test_transfer_and_daily_statement_under_prefix():
    app = CustodyBankApp()
    s, r = call(
        app,
        "POST",
        "/custody/transfers",
        json.dumps({"to_account": "88", "amount": "5.00", "value_date": "2026-03-10"}).encode(),
        root_path="/custody",
    )
    assert s == 201
    s, csv_text = call(app, "GET", "/statement", root_path="", query="date=2026-03-10")
    assert r["txn_id"] in csv_text and csv_text.startswith("交易流水号,交易日期,金额")
    assert call(app, "POST", "/transfers", b'{"amount": "1.001"}')[0] == 400
