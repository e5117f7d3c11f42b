"""Returning an unidentified receipt sends a real payment order: reserve, send with a key, book on answer."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from zhixing.core.audit import verify_chain
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.funds import services
from zhixing.funds.models import AccountKind, LedgerAccount, Receipt, Transaction
from zhixing.funds.services import faults

from .conftest import free_port

pytestmark = pytest.mark.django_db


def unidentified(case: Any, txn: str = "R1", payer_account: str = "6222020200001234") -> Receipt:
    return services.book_receipt(
        idempotency_key=txn,
        amount="300.00",
        value_date=date(2026, 3, 10),
        court=case.court,
        source="manual",
        payer_name="李四",
        payer_account=payer_account,
    )


def balances(court: Any) -> tuple[Decimal, Decimal]:
    bank = LedgerAccount.objects.get(kind=AccountKind.BANK, court=court)
    unid = LedgerAccount.objects.get(kind=AccountKind.UNIDENTIFIED, court=court)
    return bank.natural_balance, unid.natural_balance


def return_payments(bank: Any) -> list[str]:
    return [k for k in bank.app.bank.payments if k.startswith("return-")]


def test_paid_return_books_money_out_once(case, people, bank):
    rec = services.return_receipt(people["finance"], unidentified(case).pk, "付款人汇错")
    assert (rec.status, rec.return_reason) == ("returned", "付款人汇错")
    assert balances(case.court) == (Decimal("0.00"), Decimal("0.00"))
    assert Transaction.objects.filter(idempotency_key=f"return:{rec.pk}").count() == 1
    assert list(
        AuditRecord.objects.filter(object_type="funds.Receipt", object_id=str(rec.pk))
        .order_by("id")
        .values_list("action", "chain")
    ) == [("funds.receipt", "粤0106"), ("funds.return_send", "粤0106"), ("funds.return", "粤0106")]
    with pytest.raises(Conflict):
        services.return_receipt(people["finance"], rec.pk, "再退一次")
    assert len(return_payments(bank)) == 1
    assert verify_chain().ok


def test_without_payer_account_nothing_changes(case, people, bank):
    rec = unidentified(case, payer_account="")
    with pytest.raises(ServiceError, match="没有付款账号") as exc:
        services.return_receipt(people["finance"], rec.pk, "退回")
    assert exc.value.field == "receipt"
    rec.refresh_from_db()
    assert rec.status == "unidentified" and rec.return_order_key is None and return_payments(bank) == []


def test_only_finance_may_return(case, people, bank):
    rec = unidentified(case)
    with pytest.raises(ServiceError):
        services.return_receipt(people["judge"], rec.pk, "退回")
    rec.refresh_from_db()
    assert rec.status == "unidentified"


def test_bank_unreachable_stays_returning_then_resumes_once(case, people, bank, settings):
    settings.FUNDS_BANK_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens
    rec = services.return_receipt(people["finance"], unidentified(case).pk, "付款人汇错")
    assert rec.status == "returning"
    assert balances(case.court) == (Decimal("300.00"), Decimal("300.00"))  # money not out yet
    with pytest.raises(Conflict):  # reserved: can no longer be claimed
        services.claim_receipt(people["finance"], rec.pk, case)
    assert (rec.return_attempts, rec.return_last_error) == (1, "银行暂时无法连接，将自动重试")
    assert services.resume_returns() == 0  # not due before its backoff
    settings.FUNDS_BANK_URL = bank.url
    with time_machine.travel(rec.return_next_attempt_at + timedelta(seconds=1)):
        assert services.resume_returns() == 1
    rec.refresh_from_db()
    assert rec.status == "returned" and len(return_payments(bank)) == 1
    assert balances(case.court) == (Decimal("0.00"), Decimal("0.00"))


def test_crash_after_order_resends_same_key_and_pays_once(case, people, bank):
    rec = unidentified(case)
    faults.arm("return.after_order")
    with pytest.raises(faults.Crash):
        services.return_receipt(people["finance"], rec.pk, "付款人汇错")
    rec.refresh_from_db()
    assert rec.status == "returning" and len(return_payments(bank)) == 1
    assert services.resume_returns() == 1
    rec.refresh_from_db()
    assert rec.status == "returned" and return_payments(bank) == [rec.return_order_key]
    assert balances(case.court) == (Decimal("0.00"), Decimal("0.00"))


def test_refused_return_is_unidentified_again_with_the_reason(case, people, bank):
    rec = unidentified(case, payer_account="0000123")  # the sandbox refuses closed accounts
    rec = services.return_receipt(people["finance"], rec.pk, "付款人汇错")
    assert (rec.status, rec.return_fail_reason) == ("unidentified", "收款账户已销户或不存在")
    assert balances(case.court) == (Decimal("300.00"), Decimal("300.00"))
    claimed = services.claim_receipt(people["finance"], rec.pk, case)  # still claimable
    assert claimed.status == "claimed"


def test_finance_page_shows_returns_in_flight_and_refusals(client, case, people, bank, settings):
    from django.urls import reverse

    settings.FUNDS_BANK_URL = f"http://127.0.0.1:{free_port()}"  # the bank does not answer yet
    pending = services.return_receipt(people["finance"], unidentified(case, "R7").pk, "付款人汇错")
    settings.FUNDS_BANK_URL = bank.url
    refused = services.return_receipt(
        people["finance"], unidentified(case, "R8", payer_account="0000123").pk, "付款人汇错"
    )
    client.force_login(people["finance"])
    html = client.get(reverse("funds_finance")).content.decode()
    assert "不明款退回中（1）" in html
    assert f'data-returning="{pending.pk}"' in html and pending.return_order_key in html
    assert f'data-returning="{refused.pk}"' not in html
    assert f'data-receipt="{refused.pk}"' in html  # back in the claim queue …
    assert "上次退回被银行拒绝：收款账户已销户或不存在" in html  # … with the bank's reason
