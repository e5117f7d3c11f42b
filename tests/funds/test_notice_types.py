"""Signed bank notices are read with exact JSON types (finding H3): a list as the txn id, a JSON
float or exponent as the amount, a key given twice — single and batch notices alike — are refused
with a 422 naming the field, and nothing is recorded, booked or audited."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from zhixing.core import partner_protocol as pp
from zhixing.core.models import AuditRecord
from zhixing.funds import queries, services
from zhixing.funds.models import BankNotice, Receipt, Transaction
from zhixing.funds.services import inbox

from .conftest import BATCH_PATH, NOTICE_PATH

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]


def raw_post(client: Any, body: bytes, key: str, path: str = NOTICE_PATH) -> Any:
    """Sign and post `body` as written (a test of the parser: no re-encoding)."""
    headers = pp.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, key)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    resp = client.post(path, data=body, content_type="application/json", **extra)
    inbox.drain_all()
    return resp


def snapshot() -> tuple[int, int, int, int]:
    return (
        BankNotice.objects.count(),
        Receipt.objects.count(),
        Transaction.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.fixture
def acc(case: Any) -> str:
    return str(services.case_account(case).number)


def _fields(acc: str) -> str:
    return f'"value_date": "2026-03-10", "to_account": "{acc}", "custody_account_no": "44001000106"'


SINGLE = [
    # (body template, field) — {rest} holds the valid fields other than txn_id and amount
    ('{{"txn_id": ["TY1"], "amount": "10.00", {rest}}}', "txn_id"),
    ('{{"txn_id": 123, "amount": "10.00", {rest}}}', "txn_id"),
    ('{{"txn_id": "TY1", "amount": 10.5, {rest}}}', "amount"),
    ('{{"txn_id": "TY1", "amount": 1e2, {rest}}}', "amount"),
    ('{{"txn_id": "TY1", "amount": 100, {rest}}}', "amount"),
    ('{{"txn_id": "TY1", "amount": ["1.00"], {rest}}}', "amount"),
    ('{{"txn_id": "TY1", "amount": "1.00", "amount": "99999.00", {rest}}}', "amount"),
    ('{{"txn_id": "TY1", "txn_id": "TY2", "amount": "1.00", {rest}}}', "txn_id"),
    ('{{"txn_id": "TY1", "amount": "1.00", "memo": {{"a": 1}}, {rest}}}', "memo"),
    ('{{"txn_id": "TY1", "amount": "1.00", "payer_name": true, {rest}}}', "payer_name"),
    ('{{"txn_id": "TY1", "amount": "1.00", "value_date": 20260310, "to_account": "{acc}"}}', "value_date"),
    ('{{"txn_id": "TY1", "amount": "1.00", "value_date": "20260310", "to_account": "{acc}"}}', "value_date"),
]


@pytest.mark.parametrize(("template", "field"), SINGLE)
def test_single_notice_with_a_wrongly_typed_or_repeated_field_is_refused(client, case, acc, template, field):
    body = template.format(rest=_fields(acc), acc=acc).encode()
    json.loads(body)  # well-formed JSON: only its types (or a repeated key) are wrong
    before = snapshot()
    r = raw_post(client, body, "TY1")
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert snapshot() == before == (0, 0, 0, before[3])
    assert queries.balance(case.pk) == Decimal("0.00")


def test_the_same_notice_with_string_fields_books(client, case, acc):
    body = f'{{"txn_id": "TY1", "amount": "10.50", {_fields(acc)}, "memo": null}}'.encode()
    r = raw_post(client, body, "TY1")
    assert r.status_code == 200, r.content
    rec = Receipt.objects.get(bank_txn_id="TY1")
    assert (rec.amount, rec.case_id, rec.memo) == (Decimal("10.50"), case.pk, "")
    assert queries.balance(rec.case_id) == Decimal("10.50")


BATCH = [
    ('{{"txn_id": "TB2", "amount": 1e2, {rest}}}', "notices[1].amount"),
    ('{{"txn_id": "TB2", "amount": 0.1, {rest}}}', "notices[1].amount"),
    ('{{"txn_id": ["TB2"], "amount": "1.00", {rest}}}', "notices[1].txn_id"),
    ('{{"txn_id": "TB2", "amount": "1.00", "amount": "99999.00", {rest}}}', "amount"),
    ('["TB2"]', "notices[1]"),
]


@pytest.mark.parametrize(("second", "field"), BATCH)
def test_batch_notice_with_a_wrongly_typed_or_repeated_field_books_nothing(client, acc, second, field):
    first = f'{{"txn_id": "TB1", "amount": "5.00", {_fields(acc)}}}'
    body = (
        f'{{"batch_id": "NB1", "custody_account_no": "44001000106", '
        f'"notices": [{first}, {second.format(rest=_fields(acc))}]}}'
    ).encode()
    before = snapshot()
    r = raw_post(client, body, "NB1", path=BATCH_PATH)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert snapshot() == before
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"batch_id": 7, "notices": []}', "batch_id"),
        ('{"batch_id": "NB2", "custody_account_no": 44001000106, "notices": []}', "custody_account_no"),
        ('{"batch_id": "NB2", "batch_id": "NB3", "notices": []}', "batch_id"),
        ('["NB2"]', "body"),
    ],
)
def test_batch_envelope_types(client, body, field):
    r = raw_post(client, body.encode(), "NB2", path=BATCH_PATH)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert snapshot()[:3] == (0, 0, 0)
