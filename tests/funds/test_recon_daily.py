"""The daily reconciliation end to end: the sandbox custody bank over HTTP, the platform's ledger, the
statement of the previous business day, the balance as of that date (returns and payouts included)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from decimal import Decimal as D
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from zhixing.funds import services
from zhixing.funds.models import Reconciliation, ReconciliationAlert, ReconciliationItem
from zhixing.funds.services.reconcile import ledger_balance_on

from .conftest import BankServer, receive
from .test_payouts import approve_all, propose

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TUE = datetime(2026, 3, 10, 10, 0, tzinfo=SH)
WED = datetime(2026, 3, 11, 8, 0, tzinfo=SH)
D10 = date(2026, 3, 10)


@pytest.fixture
def sandbox(settings: Any) -> Any:
    srv = BankServer().start()
    settings.FUNDS_BANK_URL = srv.url
    yield srv
    srv.stop()


def transfer(srv: Any, txn: str, amount: str, to_account: str, on: date = D10, payer: str = "张三") -> None:
    srv.app.bank.add_transfer(
        {
            "txn_id": txn,
            "amount": amount,
            "to_account": to_account,
            "value_date": on.isoformat(),
            "payer_name": payer,
            "payer_account": "6222020200001234",
        }
    )


def a_busy_tuesday(case: Any, people: dict[str, Any], srv: Any) -> None:
    """Money in (to the case and unidentified), an unidentified receipt returned, a payout paid."""
    acc = services.case_account(case).number
    with time_machine.travel(TUE, tick=True):
        transfer(srv, "T1", "120000.00", acc)
        receive(case, "120000.00", "T1")
        transfer(srv, "U1", "300.00", "880106999999", payer="李四")
        services.book_incoming(
            services.Incoming(
                txn_id="U1",
                amount="300.00",
                value_date=D10,
                to_account="880106999999",
                payer_name="李四",
                payer_account="6222020200001234",
                custody_account_no=case.court.custody_account.account_no,
            ),
            source="notice",
        )
        from zhixing.funds.models import Receipt

        u1 = Receipt.objects.get(bank_txn_id="U1")
        assert services.return_receipt(people["finance"], u1.pk, "付款人要求退回").status == "returned"
        p = approve_all(propose(case, people), people)
        assert services.send(people["finance"], p.pk).status == "paid"


def test_previous_business_day_reconciles_to_zero_with_returns_and_payouts(case, people, sandbox):
    a_busy_tuesday(case, people, sandbox)
    with time_machine.travel(WED, tick=True):
        # Money arriving today must not disturb yesterday's balance.
        transfer(sandbox, "T2", "999.99", services.case_account(case).number, on=date(2026, 3, 11))
        receive(case, "999.99", "T2", on=date(2026, 3, 11))
        result = services.reconcile_all(date(2026, 3, 11))
    assert result.days == [D10]
    rec = Reconciliation.objects.get(court=case.court, statement_date=D10)
    assert rec.source == "bank" and rec.status == "balanced"
    # 120,000.00 + 300.00 in; 300.00 returned; 50,000.00 paid out.
    assert rec.ledger_balance == Decimal("70000.00") == rec.bank_balance
    assert rec.balance_difference == Decimal("0.00") and rec.difference_count == 0 and rec.matched == 4
    assert not ReconciliationAlert.objects.filter(court=case.court, resolved_at__isnull=True).exists()
    # 越秀 has a custody account too and no movement: an empty statement, balanced at 0.00.
    yx = Reconciliation.objects.get(court=people["yx_director"].court, statement_date=D10)
    assert (yx.status, yx.ledger_balance, yx.bank_balance) == ("balanced", Decimal("0.00"), Decimal("0.00"))
    # Running again the same day fetches nothing twice.
    with time_machine.travel(WED, tick=True):
        services.reconcile_all(date(2026, 3, 11))
    assert Reconciliation.objects.filter(court=case.court, statement_date=D10).count() == 1


def test_balance_is_by_value_date_not_posting_date(case, people):
    with time_machine.travel(WED, tick=True):
        # A notice for Tuesday's money arrives on Wednesday: it counts on Tuesday.
        receive(case, "100.00", "LATE", on=D10)
        receive(case, "7.00", "TODAY", on=date(2026, 3, 11))
    assert ledger_balance_on(case.court_id, date(2026, 3, 9)) == Decimal("0.00")
    assert ledger_balance_on(case.court_id, D10) == Decimal("100.00")
    assert ledger_balance_on(case.court_id, date(2026, 3, 11)) == Decimal("107.00")


def test_differences_raise_an_alert_then_finance_books_and_matches(case, people, sandbox):
    acc = services.case_account(case).number
    with time_machine.travel(TUE, tick=True):
        transfer(sandbox, "LOST", "800.00", acc, payer="王五")  # its notice never reached us
        transfer(sandbox, "CB77", "450.00", acc, payer="广州某公司")  # a deduction, at the bank
        services.book_receipt(  # … booked under the inquiry's key
            idempotency_key="DED-1",
            amount="450.00",
            value_date=D10,
            case=case,
            payer_name="广州某公司",
            source="deduction",
        )
    with time_machine.travel(WED, tick=True):
        services.reconcile_all(date(2026, 3, 11))
        rec = Reconciliation.objects.get(court=case.court, statement_date=D10)
        assert rec.status == "differences" and rec.open_count == 3
        assert rec.ledger_balance == Decimal("450.00") and rec.bank_balance == Decimal("1250.00")
        alert = ReconciliationAlert.objects.get(court=case.court, resolved_at__isnull=True)
        assert alert.kind == "differences" and alert.reconciliation == rec
        items = {(i.side, i.ref): i for i in rec.items.all()}
        assert set(items) == {("bank_only", "LOST"), ("bank_only", "CB77"), ("ledger_only", "DED-1")}
        assert [c["ref"] for c in items["bank_only", "CB77"].candidates] == ["DED-1"]
        assert [c["ref"] for c in items["ledger_only", "DED-1"].candidates] == ["CB77"]
        assert items["bank_only", "LOST"].candidates == []
        rec = services.book_line(people["finance"], items["bank_only", "LOST"].pk)
        assert rec.status == "differences" and rec.ledger_balance == Decimal("1250.00")
        rec = services.confirm_match(people["finance"], items["bank_only", "CB77"].pk, "DED-1")
    assert rec.status == "confirmed" and rec.open_count == 0 and rec.unexplained == Decimal("0.00")
    assert rec.confirmed_by == people["finance"].username
    assert ReconciliationItem.objects.get(pk=items["ledger_only", "DED-1"].pk).status == "matched"
    assert ReconciliationAlert.objects.get(pk=alert.pk).resolved_at is not None
    assert services.case_account(case) and receive  # the booked line went to the case's sub-account
    from zhixing.funds import queries

    assert queries.balance(case.pk) == Decimal("1250.00")


def test_bank_down_raises_an_unavailable_alert(case, settings):
    settings.FUNDS_BANK_URL = "http://127.0.0.1:9"  # nothing listens
    settings.FUNDS_BANK_TIMEOUT_SECONDS = 1
    with time_machine.travel(WED, tick=True):
        result = services.reconcile_all(date(2026, 3, 11))
        again = services.reconcile_all(date(2026, 3, 11))
    assert result.unavailable == 2 and again.unavailable == 2  # 天河 and 越秀
    alerts = ReconciliationAlert.objects.filter(court=case.court, kind="unavailable")
    assert alerts.count() == 1 and "未能从托管银行取得对账单" in alerts.get().message


def test_rest_day_reconciles_nothing_and_monday_covers_the_weekend(case, sandbox):
    with time_machine.travel(datetime(2026, 3, 14, 8, 0, tzinfo=SH), tick=True):  # Saturday
        assert services.reconcile_all(date(2026, 3, 14)).days == []
    with time_machine.travel(datetime(2026, 3, 16, 8, 0, tzinfo=SH), tick=True):  # Monday
        result = services.reconcile_all(date(2026, 3, 16))
    assert result.days == [date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15)]
    assert result.reconciled == 6


def test_command_with_progress(case, sandbox):
    out, err = StringIO(), StringIO()
    with time_machine.travel(WED, tick=True):
        call_command("funds_reconcile", "--date", "2026-03-10", stdout=out, stderr=err)
    assert out.getvalue().startswith("已对账 2 户日，其中有差异 0 户日，未能取得对账单 0 户日")
    with pytest.raises(Exception, match="日期格式错误"):
        call_command("funds_reconcile", "--date", "10/03/2026", stdout=out, stderr=err)


def test_huey_task_is_thin_and_periodic(case, sandbox):
    from zhixing.funds import tasks

    with time_machine.travel(WED, tick=True):
        assert tasks.reconcile_custody_accounts.call_local() == 2


def test_sandbox_netbank_export_reads_with_its_builtin_layout(case, people, sandbox):
    from zhixing.funds import statement as st
    from zhixing.funds import statement_layouts as sl
    from zhixing.funds.adapters import custody_bank

    a_busy_tuesday(case, people, sandbox)
    custody = case.court.custody_account
    with time_machine.travel(WED, tick=True):
        got = custody_bank.fetch_statement(custody.account_no, custody.sub_prefix, D10, fmt="netbank")
        other = custody_bank.fetch_statement("44001000104", "880104", D10)
    spec = sl.BUILTIN[sl.SANDBOX_DIRECTION].spec
    lines = st.parse(st.rows_from_file(got.content, got.filename, spec.encoding), None, spec)
    assert [ln.amount for ln in lines] == [D("120000.00"), D("300.00"), D("-300.00"), D("-50000.00")]
    assert (got.opening_balance, got.closing_balance) == (D("0.00"), D("70000.00"))
    assert other.closing_balance == D("0.00") and other.content.count(b"\n") == 1  # 越秀: header only


def test_unsigned_statement_request_is_refused(sandbox):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(f"{sandbox.url}/statements?account=44001000106&date=2026-03-10")
    assert exc.value.code == 401
