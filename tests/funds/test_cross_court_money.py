"""Money in one court's custody account never books into another court's case (findings C1, H2).

C1: a statement is uploaded for the uploading court's custody account; a line naming another court's
sub-account (opened, not opened yet, or a bad check digit under its prefix) is not booked — by the
import (`book_missing`), nor by 补记 (`book_line`) — and stays a reconciliation difference whose memo
gives the reason; nothing is written into the other court's ledger, case or audit chain.
H2: a bank notice (single or batch) naming court A's custody account and court B's sub-account is
refused with a 422 on `to_account`; nothing is recorded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests import factories
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.courts.roles import Role
from zhixing.funds import queries, services
from zhixing.funds.models import (
    BankNotice,
    CaseAccount,
    Entry,
    Receipt,
    ReconciliationItem,
    StatementImport,
    Transaction,
)
from zhixing.funds.rules import sub_account_number

from .conftest import BATCH_PATH, signed_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]

HEADER = "交易流水号,交易日期,金额,对方户名,对方账号,收款子账号,摘要,余额\n"
CUSTODY = {"th": "44001000106", "yx": "44001000104"}
CHAIN = {"th": "粤0106", "yx": "粤0104"}


def csv(lines: list[str]) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode()


@pytest.fixture
def world(people: dict[str, Any], courts: dict[str, Any], custody: Any) -> dict[str, Any]:
    yx_clerk = factories.staff(courts["yx"], Role.CLERK)
    return {
        "case": {"th": factories.case(people["clerk"]), "yx": factories.case(yx_clerk)},
        "finance": {"th": people["finance"], "yx": factories.staff(courts["yx"], Role.FINANCE)},
        "court": {"th": courts["th"], "yx": courts["yx"]},
    }


def state(world: dict[str, Any], name: str) -> tuple[Decimal, int, int, int]:
    """A court's case balance, ledger entries, receipts and audit records."""
    court = world["court"][name]
    return (
        queries.balance(world["case"][name].pk),
        Entry.objects.filter(account__court_id=court.pk).count(),
        Receipt.objects.filter(court_id=court.pk).count(),
        AuditRecord.objects.filter(chain=CHAIN[name]).count(),
    )


OTHER = {"th": "yx", "yx": "th"}


@pytest.mark.parametrize("uploader", ["th", "yx"])
@pytest.mark.parametrize("target", ["own", "other"])
def test_statement_books_only_into_the_uploading_courts_cases(world, uploader, target):
    owner = uploader if target == "own" else OTHER[uploader]
    number = services.case_account(world["case"][owner]).number
    other_before = state(world, OTHER[uploader])
    content = csv([f"X1,2026-03-10,888.00,伪造付款人,6222000000000001,{number},来款,888.00"])
    imp = services.import_statement(
        world["finance"][uploader], world["court"][uploader], content, "s.csv", book_missing=True
    )
    if target == "own":
        assert imp.booked == 1
        assert queries.balance(world["case"][uploader].pk) == Decimal("888.00")
        assert Receipt.objects.get(bank_txn_id="X1").court_id == world["court"][uploader].pk
        assert state(world, OTHER[uploader]) == other_before
        return
    assert imp.booked == 0
    assert not Receipt.objects.filter(bank_txn_id="X1").exists()
    assert not Transaction.objects.filter(idempotency_key="receipt:X1").exists()
    assert state(world, OTHER[uploader]) == other_before  # balance, ledger, receipts, audit chain
    assert queries.balance(world["case"][owner].pk) == Decimal("0.00")
    item = ReconciliationItem.objects.get(ref="X1")
    assert (item.side, item.status, item.amount, item.to_account) == (
        "bank_only",
        "open",
        Decimal("888.00"),
        number,
    )
    assert item.memo == (
        f"收款子账号{number}不是本院执行款专户{CUSTODY[uploader]}的子账号（属于其他法院的专户），"
        "不能记入本院账簿；摘要：来款"
    )
    assert item.reconciliation.court_id == world["court"][uploader].pk


def test_other_courts_numbers_not_opened_or_with_a_bad_check_digit_are_not_booked(world):
    yx_case = factories.case(factories.staff(world["court"]["yx"], Role.CLERK))
    unopened = sub_account_number("880104", yx_case.pk)
    bad_digit = unopened[:-2] + ("00" if unopened[-2:] != "00" else "11")
    before = state(world, "yx")
    content = csv(
        [
            f"U1,2026-03-10,10.00,甲,6222,{unopened},还款,10.00",
            f"U2,2026-03-10,20.00,乙,6222,{bad_digit},还款,30.00",
            "U3,2026-03-10,30.00,丙,6222,12345,不明,60.00",  # nobody's number: 天河's 不明款, as before
        ]
    )
    imp = services.import_statement(
        world["finance"]["th"], world["court"]["th"], content, "s.csv", book_missing=True
    )
    assert imp.booked == 1
    assert list(Receipt.objects.values_list("bank_txn_id", "court_id", "status")) == [
        ("U3", world["court"]["th"].pk, "unidentified")
    ]
    assert not CaseAccount.objects.filter(case=yx_case).exists()  # not opened in passing either
    assert state(world, "yx") == before
    assert set(ReconciliationItem.objects.filter(status="open").values_list("ref", flat=True)) >= {"U1", "U2"}


def test_book_line_refuses_another_courts_sub_account(client, world):
    number = services.case_account(world["case"]["yx"]).number
    services.import_statement(
        world["finance"]["th"],
        world["court"]["th"],
        csv([f"B1,2026-03-10,500.00,伪造,6222,{number},来款,500.00"]),
        "s.csv",
    )
    item = ReconciliationItem.objects.get(ref="B1")
    before = (state(world, "th"), state(world, "yx"))
    with pytest.raises(ServiceError) as exc:
        services.book_line(world["finance"]["th"], item.pk)
    assert exc.value.field == "to_account" and "不是本院执行款专户44001000106的子账号" in exc.value.message
    client.force_login(world["finance"]["th"])
    r = client.post(f"/api/v1/funds/reconciliation-items/{item.pk}/book", content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "to_account", r.content
    assert (state(world, "th"), state(world, "yx")) == before
    item.refresh_from_db()
    assert item.status == "open"
    assert not Receipt.objects.filter(bank_txn_id="B1").exists()


def test_statement_api_upload_into_another_court_is_not_booked(client, world):
    number = services.case_account(world["case"]["yx"]).number
    before = state(world, "yx")
    client.force_login(world["finance"]["th"])
    r = client.post(
        "/api/v1/funds/statements",
        {
            "book_missing": "true",
            "file": _upload(csv([f"A1,2026-03-10,88888.00,伪造,6222,{number},来款,1.00"])),
        },
    )
    assert r.status_code == 201, r.content
    assert state(world, "yx") == before and not Receipt.objects.exists()
    assert StatementImport.objects.get().booked == 0


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("s.csv", content, content_type="text/csv")


def notice(custody: str, to: str, txn: str) -> dict[str, Any]:
    return {
        "txn_id": txn,
        "amount": "10.00",
        "value_date": "2026-03-10",
        "to_account": to,
        "payer_name": "张三",
        "custody_account_no": custody,
    }


@pytest.mark.parametrize("named", ["th", "yx"])
@pytest.mark.parametrize("sub", ["th", "yx"])
def test_notice_naming_one_courts_custody_and_anothers_sub_account_is_refused(client, world, named, sub):
    number = services.case_account(world["case"][sub]).number
    before = (state(world, "th"), state(world, "yx"))
    r = signed_post(client, notice(CUSTODY[named], number, "N1"), "N1")
    if named == sub:
        assert r.status_code == 200, r.content
        assert queries.balance(world["case"][sub].pk) == Decimal("10.00")
        assert BankNotice.objects.get().court_id == world["court"][sub].pk
        return
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "to_account"
    assert r.json()["detail"] == (
        f"专户账号{CUSTODY[named]}与收款子账号{number}不属于同一法院，通知不予受理，请银行核对后重发"
    )
    assert BankNotice.objects.count() == 0 and Receipt.objects.count() == 0
    assert (state(world, "th"), state(world, "yx")) == before


def test_batch_transfer_naming_another_courts_sub_account_books_nothing(client, world):
    th_no = services.case_account(world["case"]["th"]).number
    yx_no = services.case_account(world["case"]["yx"]).number
    before = (state(world, "th"), state(world, "yx"))
    body = {
        "batch_id": "NB1",
        "custody_account_no": CUSTODY["th"],
        "notices": [notice("", th_no, "M1"), notice("", yx_no, "M2")],
    }
    r = signed_post(client, body, "NB1", path=BATCH_PATH)
    assert r.status_code == 422, r.content
    assert r.json()["field"] == "notices[1].to_account"
    assert "专户账号44001000106与收款子账号" in r.json()["detail"]
    assert (state(world, "th"), state(world, "yx")) == before
    assert Receipt.objects.count() == 0 and BankNotice.objects.count() == 0
