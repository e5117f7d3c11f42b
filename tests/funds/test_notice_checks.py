"""Signed bank notices are checked before anything is booked (finding 18): value dates against the
bank's business day, and no control characters in any text (PostgreSQL rejects NUL). Runs on both
databases: on PostgreSQL a NUL that slipped through would be a 500."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.core.errors import ServiceError
from zhixing.funds import services
from zhixing.funds.models import Receipt, Transaction

from .conftest import BATCH_PATH, signed_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank_day")]  # bank day: Tue 2026-03-10
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def acc(case: Any) -> str:
    return str(services.case_account(case).number)


def notice(acc: str, txn: str, value_date: str = "2026-03-10", **kw: Any) -> dict[str, Any]:
    return {
        "txn_id": txn,
        "amount": "100.00",
        "value_date": value_date,
        "to_account": acc,
        "payer_name": "张三",
        "payer_account": "6222020200001234",
        "memo": "还款",
        **kw,
    }


def refused(r: Any, field: str) -> str:
    assert r.status_code == 422, r.content
    assert r.json()["field"] == field
    assert Receipt.objects.count() == 0 and Transaction.objects.count() == 0
    return str(r.json()["detail"])


@pytest.mark.parametrize("value_date", ["2026-03-10", "2026-03-11", "2025-12-10"])
def test_value_dates_inside_the_window_book(client, acc, value_date):
    r = signed_post(client, notice(acc, "D1", value_date), "D1")
    assert r.status_code == 200, r.content
    assert Receipt.objects.get(bank_txn_id="D1").value_date.isoformat() == value_date


@pytest.mark.parametrize("value_date", ["2026-03-12", "2099-12-31", "2025-12-09", "1900-01-01"])
def test_value_dates_outside_the_window_are_refused(client, acc, value_date):
    detail = refused(signed_post(client, notice(acc, "D2", value_date), "D2"), "value_date")
    assert f"到账日期{value_date}不在银行营业日2026-03-10允许的范围内（2025-12-10至2026-03-11）" == detail


def test_after_the_friday_cut_off_the_value_date_is_the_next_working_day(client, acc):
    with time_machine.travel(datetime(2026, 3, 13, 17, 30, tzinfo=SH), tick=True):  # Friday
        assert signed_post(client, notice(acc, "F1", "2026-03-16"), "F1").status_code == 200  # Monday
        refused_r = signed_post(client, notice(acc, "F2", "2026-03-17"), "F2")
    assert refused_r.status_code == 422 and refused_r.json()["field"] == "value_date"


def test_window_is_configurable(client, acc, settings):
    settings.FUNDS_NOTICE_AHEAD_WORKDAYS = 0
    settings.FUNDS_NOTICE_MAX_AGE_DAYS = 5
    refused(signed_post(client, notice(acc, "C1", "2026-03-11"), "C1"), "value_date")
    refused(signed_post(client, notice(acc, "C2", "2026-03-04"), "C2"), "value_date")
    assert signed_post(client, notice(acc, "C3", "2026-03-05"), "C3").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("payer_name", "张\x00三"),
        ("memo", "还款\x07"),
        ("payer_account", "6222\x00"),
        ("txn_id", "N\x00UL"),
        ("to_account", "8801\n06"),
    ],
)
def test_control_characters_in_any_text_are_refused(client, acc, field, value):
    payload = {**notice(acc, "T1"), field: value}
    detail = refused(signed_post(client, payload, "T1"), field)
    assert "含有不允许的控制字符" in detail


def test_over_long_text_is_refused(client, acc):
    detail = refused(signed_post(client, notice(acc, "L1", memo="还" * 201), "L1"), "memo")
    assert detail == "“附言”不能超过200个字符（现为201个）"


def test_batch_names_the_transfer_and_books_nothing(client, acc):
    good = notice(acc, "B1")
    for bad, field in (
        (notice(acc, "B2", payer_name="李\x00四"), "notices[1].payer_name"),
        (notice(acc, "B3", "2027-01-01"), "notices[1].value_date"),
    ):
        r = signed_post(
            client,
            {"batch_id": f"NB-{field}", "custody_account_no": "44001000106", "notices": [good, bad]},
            f"NB-{field}",
            path=BATCH_PATH,
        )
        assert refused(r, field).startswith("第2笔来款：")


def test_statement_rows_with_control_characters_are_rejected_with_the_row(case, people, acc):
    header = "交易流水号,交易日期,金额,对方户名,对方账号,收款子账号,摘要,余额\n"
    content = (
        header
        + f"S1,2026-03-10,100.00,张三,6222,{acc},还款,100.00\nS2,2026-03-10,1.00,李\x07四,6222,{acc},x,1\n"
    )
    with pytest.raises(ServiceError) as err:
        services.import_statement(people["finance"], case.court, content.encode(), "s.csv")
    assert "第3行：“对方户名”含有不允许的控制字符（U+0007）" in str(err.value)
    assert Receipt.objects.count() == 0


def test_deductions_and_other_callers_are_checked_too(people, custody):
    case = factories.case(people["clerk"])
    with pytest.raises(ServiceError) as err:
        services.book_receipt(
            idempotency_key="DD1", amount="1.00", value_date=case.filed_on, case=case, payer_name="银\x00行"
        )
    assert err.value.field == "payer_name"
    assert Receipt.objects.count() == 0
