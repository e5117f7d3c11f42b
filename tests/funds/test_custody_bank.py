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


# --- batch notices ---------------------------------------------------------------------------------


class FakePlatform:
    """A loopback HTTP server that checks the bank's signature and records what it received."""

    def __init__(self, batch_status: int = 200) -> None:
        import http.server

        self.received: list[tuple[str, dict[str, Any]]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                pp.verify("dev-custody-secret", "POST", self.path, body, dict(self.headers.items()))
                outer.received.append((self.path, json.loads(body)))
                status = outer.batch_status if self.path.endswith("/batch") else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.batch_status = batch_status
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1/funds/bank/notices"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform() -> Any:
    srv = FakePlatform()
    yield srv
    srv.close()


def pending_bank(url: str, n: int, batch_min: int = 5, batch_max: int = 10) -> CustodyBankApp:
    app = CustodyBankApp()
    app.bank.custody_account_no = "44001000106"
    for i in range(n):
        app.bank.add_transfer({"txn_id": f"T{i}", "amount": "1.00", "to_account": "880106"})
    app.bank.notify_url, app.bank.batch_min, app.bank.batch_max = url, batch_min, batch_max
    return app


def test_many_pending_notices_go_as_signed_batches(platform):
    app = pending_bank(platform.url, 23)
    status, out = call(app, "POST", "/notices/redeliver")
    assert status == 200 and out == {"pending": 23, "delivered": 23}
    assert [(p.rsplit("/", 1)[-1], len(b["notices"])) for p, b in platform.received] == [
        ("batch", 10),
        ("batch", 10),
        ("batch", 3),
    ]
    first = platform.received[0][1]
    assert first["custody_account_no"] == "44001000106" and first["batch_id"].startswith("NB")
    assert first["notices"][0] == {
        "txn_id": "T0",
        "amount": "1.00",
        "value_date": first["notices"][0]["value_date"],
        "to_account": "880106",
        "payer_name": "",
        "payer_account": "",
        "memo": "",
        "custody_account_no": "44001000106",
    }
    assert app.bank.batches_sent == 3 and all(n["delivered"] for n in app.bank.transfers.values())


def test_few_pending_notices_go_singly(platform):
    app = pending_bank(platform.url, 4)
    call(app, "POST", "/notices/redeliver")
    assert [p for p, _ in platform.received] == ["/api/v1/funds/bank/notices"] * 4


def test_refused_batch_falls_back_to_single_notices(platform):
    platform.batch_status = 409  # e.g. one transfer conflicts: the others must still arrive
    app = pending_bank(platform.url, 6)
    status, out = call(app, "POST", "/notices/redeliver")
    assert status == 200 and out == {"pending": 6, "delivered": 6}
    paths = [p.rsplit("/", 1)[-1] for p, _ in platform.received]
    assert paths == ["batch"] + ["notices"] * 6 and app.bank.batches_sent == 0


def test_queued_transfers_are_flushed_as_one_batch(platform):
    app = pending_bank(platform.url, 0)
    for i in range(7):
        app.bank.queue.append(app.bank.add_transfer({"txn_id": f"Q{i}", "amount": "2.00"}))
    threading_run(app._flush())
    assert [(p.rsplit("/", 1)[-1], len(b["notices"])) for p, b in platform.received] == [("batch", 7)]
    assert app.bank.queue == []


def threading_run(coro: Any) -> None:
    t = threading.Thread(target=lambda: asyncio.run(coro))
    t.start()
    t.join()
