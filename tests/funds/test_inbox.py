"""The durable inbox of single bank notices: ack after one INSERT, booked once in batches behind it."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhixing.core import partner_protocol as pp
from zhixing.core.audit import verify_chain
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import BankNotice, Receipt, Transaction
from zhixing.funds.services import inbox

from .conftest import BATCH_PATH, NOTICE_PATH, signed_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]
DAY = date(2026, 3, 10)


def notice(to: str, txn: str, amount: str = "100.00", **kw: Any) -> dict[str, Any]:
    return {
        "txn_id": txn,
        "amount": amount,
        "value_date": "2026-03-10",
        "to_account": to,
        "payer_name": "张三",
        "custody_account_no": "44001000106",
        **kw,
    }


def test_ack_means_recorded_and_a_repeat_answers_the_same_notice(client, case):
    acc = services.case_account(case).number
    r = signed_post(client, notice(acc, "I1"), "I1", book=False)
    assert r.status_code == 200
    body = r.json()
    row = BankNotice.objects.get(txn_id="I1")
    assert body == {
        "notice_id": row.pk,
        "txn_id": "I1",
        "status": "received",
        "receipt_id": None,
        "case_id": None,
    }
    assert (row.court_id, row.amount, row.idempotency_key) == (case.court_id, Decimal("100.00"), "I1")
    assert Receipt.objects.count() == 0  # not booked yet: the ack only says it is recorded
    again = signed_post(client, notice(acc, "I1"), "I1-retry", book=False)
    assert again.json() == body and BankNotice.objects.count() == 1
    assert inbox.drain() == 1
    rec = Receipt.objects.get(bank_txn_id="I1")
    third = signed_post(client, notice(acc, "I1"), "I1", book=False).json()
    assert third == {**body, "status": "booked", "receipt_id": rec.pk, "case_id": case.pk}
    assert queries.balance(case.pk) == Decimal("100.00")


def test_bad_notices_are_refused_at_once_and_record_nothing(client, case):
    acc = services.case_account(case).number
    assert signed_post(client, notice(acc, "B1"), "B1", secret="wrong", book=False).status_code == 401
    r = signed_post(client, notice(acc, "B2", amount="0.001"), "B2", book=False)
    assert (r.status_code, r.json()["field"]) == (422, "amount")
    r = signed_post(client, notice("", "B3", custody_account_no=""), "B3", book=False)
    assert (r.status_code, r.json()["field"]) == (422, "to_account")
    r = signed_post(client, notice("99990000", "B4", custody_account_no="4400999"), "B4", book=False)
    assert (r.status_code, r.json()["field"]) == (422, "to_account")
    assert "无法识别的收款账号" in r.json()["detail"]
    r = signed_post(client, notice(acc, "B5", value_date="2025-11-01"), "B5", book=False)
    assert (r.status_code, r.json()["field"]) == (422, "value_date")
    assert BankNotice.objects.count() == 0
    signed_post(client, notice(acc, "B6"), "B6", book=False)
    r = signed_post(client, notice(acc, "B6", amount="200.00"), "B6", book=False)
    assert r.status_code == 409 and r.json()["field"] == "amount"
    assert BankNotice.objects.get().amount == Decimal("100.00")


def test_the_court_comes_from_the_sub_account_prefix_without_a_custody_number(client, case):
    acc = services.case_account(case).number
    assert signed_post(client, notice(acc, "P1", custody_account_no=""), "P1").status_code == 200
    assert BankNotice.objects.get().custody_account_no == "44001000106"
    assert Receipt.objects.get(bank_txn_id="P1").case_id == case.pk


def test_unknown_sub_account_becomes_unidentified_at_booking(client, case):
    acc = services.case_account(case).number
    wrong = acc[:-2] + ("00" if acc[-2:] != "00" else "01")
    assert signed_post(client, notice(wrong, "U1"), "U1").json()["status"] == "received"
    assert BankNotice.objects.get().status == "unidentified"
    assert Receipt.objects.get(bank_txn_id="U1").status == "unidentified"


def test_a_batch_books_many_in_one_go_and_each_once(client, case, django_assert_max_num_queries):
    acc = services.case_account(case).number
    for i in range(30):
        signed_post(client, notice(acc, f"M{i}", amount="1.50"), f"M{i}", book=False)
    with django_assert_max_num_queries(40):  # constant in the number of notices
        assert inbox.drain() == 30
    assert inbox.drain_all() == 0
    assert BankNotice.objects.filter(status="booked").count() == 30
    assert Transaction.objects.filter(kind="receipt").count() == 30
    assert queries.balance(case.pk) == Decimal("45.00")
    # Audited when booked, in the booking transaction: one funds.receipt record per notice.
    assert AuditRecord.objects.filter(action="funds.receipt").count() == 30
    assert verify_chain().ok


def test_a_conflicting_notice_is_set_aside_and_the_rest_book(client, case):
    acc = services.case_account(case).number
    for txn in ("C1", "C2", "C3"):
        signed_post(client, notice(acc, txn), txn, book=False)
    # Booked by another path with another amount after C2 was acknowledged (a deduction, a statement).
    services.book_receipt(idempotency_key="C2", amount="9.00", value_date=DAY, case=case, source="deduction")
    assert inbox.drain() == 3
    rows = {n.txn_id: n for n in BankNotice.objects.all()}
    assert [rows[t].status for t in ("C1", "C2", "C3")] == ["booked", "conflict", "booked"]
    assert "已按9.00元入账" in rows["C2"].error
    assert queries.balance(case.pk) == Decimal("209.00")
    assert AuditRecord.objects.filter(action="funds.notice_conflict", object_id=str(rows["C2"].pk)).exists()


def test_a_notice_after_a_batch_with_another_amount_is_refused_at_once(client, case):
    acc = services.case_account(case).number
    batch = {
        "batch_id": "X",
        "custody_account_no": "44001000106",
        "notices": [notice(acc, "C2", amount="9.00")],
    }
    assert signed_post(client, batch, "X", path=BATCH_PATH).status_code == 200
    r = signed_post(client, notice(acc, "C2"), "C2", book=False)
    assert r.status_code == 409 and "已按9.00元受理" in r.json()["detail"]
    assert BankNotice.objects.get(txn_id="C2").amount == Decimal("9.00")
    assert queries.balance(case.pk) == Decimal("9.00")


def test_a_refused_batch_is_split_until_the_refused_notice_is_alone(client, case, monkeypatch):
    from zhixing.core.errors import ServiceError

    acc = services.case_account(case).number
    for i in range(8):
        signed_post(client, notice(acc, f"S{i}"), f"S{i}", book=False)
    real = inbox.book_incoming_batch

    def refuse_s5(items: Any, **kw: Any) -> Any:
        if any(x.txn_id == "S5" for x in items):
            raise ServiceError("模拟：该笔无法入账", field="notices[0]")
        return real(items, **kw)

    monkeypatch.setattr(inbox, "book_incoming_batch", refuse_s5)
    assert inbox.drain() == 8
    assert BankNotice.objects.filter(status="booked").count() == 7
    assert BankNotice.objects.get(txn_id="S5").error == "模拟：该笔无法入账"
    assert queries.balance(case.pk) == Decimal("700.00")


def test_the_bank_asks_for_the_status(client, case):
    acc = services.case_account(case).number
    signed_post(client, notice(acc, "Q1"), "Q1", book=False)

    def ask(txn: str, secret: str = "dev-custody-secret") -> Any:
        path = f"{NOTICE_PATH}/{txn}/status"
        h = pp.sign_headers("custody-bank", secret, "GET", path, b"", f"poll-{txn}")
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in h.items() if k != "Content-Type"}
        return client.get(path, **extra)

    assert ask("Q1").json()["status"] == "received"
    inbox.drain()
    got = ask("Q1").json()
    assert got["status"] == "booked" and got["case_id"] == case.pk
    assert ask("Q1", secret="wrong").status_code == 401
    assert ask("NOPE").status_code == 404


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("finance", 200),
        ("judge", 200),
        ("clerk", 200),
        ("gz_director", 200),  # the higher court reads its subordinate courts
        ("gd_president", 200),
        ("yx_director", 404),  # a sibling court sees nothing
        ("yx_judge", 404),
        (None, 401),
    ],
)
def test_staff_status_is_court_scoped(client, case, people, who, code):
    acc = services.case_account(case).number
    signed_post(Client(), notice(acc, "V1"), "V1")
    if who:
        client.force_login(people[who])
    r = client.get("/api/v1/funds/notices/V1")
    assert r.status_code == code
    if code == 200:
        assert r.json()["status"] == "booked" and r.json()["amount"] == "100.00"


# -- the ASGI fast path answers as the django-ninja endpoint does --------------------------------------
def asgi_post(body: bytes, headers: dict[str, str], host: str = "testserver", path: str = NOTICE_PATH) -> Any:
    from zhixing.config.asgi import application

    async def go() -> tuple[int, dict[str, Any]]:
        sent = [{"type": "http.request", "body": body, "more_body": False}]
        out: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            if sent:
                return sent.pop(0)
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            out.append(message)

        raw = [(b"host", host.encode())] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 5000),
            "server": ("127.0.0.1", 80),
        }
        await application(scope, receive, send)
        return out[0]["status"], json.loads(out[1]["body"] or b"{}")

    return asyncio.run(go())


def signed(
    payload: dict[str, Any], key: str, secret: str = "dev-custody-secret"
) -> tuple[bytes, dict[str, str]]:
    body = pp.encode_body(payload)
    return body, pp.sign_headers("custody-bank", secret, "POST", NOTICE_PATH, body, key)


@pytest.mark.django_db(transaction=True)
def test_fast_path_records_and_refuses_like_the_endpoint(case, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    acc = services.case_account(case).number
    status, body = asgi_post(*signed(notice(acc, "G1"), "G1"))
    assert status == 200 and body["txn_id"] == "G1" and body["status"] in ("received", "booked")
    # Huey runs immediately in tests: the kick after the INSERT booked it.
    assert BankNotice.objects.get(txn_id="G1").status == "booked"
    assert asgi_post(*signed(notice(acc, "G1"), "G1"))[1]["notice_id"] == body["notice_id"]
    status, err = asgi_post(*signed(notice(acc, "G2"), "G2", secret="wrong"))
    assert status == 401 and err["detail"] == "签名不符"
    status, err = asgi_post(*signed(notice(acc, "G1", amount="1.00"), "G1"))
    assert (status, err["field"], err["code"]) == (409, "amount", "conflict")
    status, err = asgi_post(*signed(notice(acc, "G3", amount="abc"), "G3"))
    assert (status, err["field"]) == (422, "amount")
    b, h = signed(notice(acc, "G4"), "G4")
    assert asgi_post(b, {**h, "Content-Type": "text/plain"})[0] == 415
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    assert asgi_post(*signed(notice(acc, "G5", memo="还" * 40), "G5"))[0] == 413
    assert not BankNotice.objects.filter(txn_id__in=["G2", "G3", "G4", "G5"]).exists()
    assert Receipt.objects.filter(bank_txn_id="G1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_fast_path_leaves_other_requests_to_django(case, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    acc = services.case_account(case).number
    # A Host Django refuses: Django answers (400), nothing is recorded.
    assert asgi_post(*signed(notice(acc, "H1"), "H1"), host="evil.example")[0] == 400
    assert not BankNotice.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_fast_path_takes_only_what_django_would_serve_alike(settings):
    from zhixing.funds.notice_gateway import NoticeGateway

    settings.ALLOWED_HOSTS = ["zx.example"]
    settings.TRUSTED_PROXIES = ("127.0.0.1/32",)
    gw = NoticeGateway(app=None, threads=1)
    scope = {"path": NOTICE_PATH, "method": "POST", "scheme": "http", "client": ("127.0.0.1", 1)}
    host = {"host": "zx.example"}
    assert gw._mine(scope, host)
    assert not gw._mine({**scope, "method": "GET"}, host)
    assert not gw._mine({**scope, "path": NOTICE_PATH + "/batch"}, host)
    assert not gw._mine(scope, {"host": "evil.example"})
    # Production redirects plain HTTP to HTTPS: the fast path leaves that to Django.
    settings.SECURE_SSL_REDIRECT = True
    assert not gw._mine(scope, host)
    assert gw._mine({**scope, "scheme": "https"}, host)
    forwarded = {**host, "x-forwarded-proto": "https"}
    assert gw._mine(scope, forwarded)  # from the trusted proxy
    assert not gw._mine({**scope, "client": ("10.9.9.9", 1)}, forwarded)  # anyone else: no
