"""Each built-in preset reads its layout: own fixtures with exact values, and the real samples in place."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from zhixing.analytics.models import StatementPreset
from zhixing.analytics.parsing import FileError, Line, iter_lines
from zhixing.analytics.presets import BUILTIN

from .conftest import FIXTURES, REAL


def preset(code: str) -> StatementPreset:
    return StatementPreset(code=code, **BUILTIN[code])


def lines(code: str, path: Path) -> list[Line]:
    out = []
    for row_no, _, line, error in iter_lines(path.read_bytes(), preset(code)):
        assert line is not None, f"row {row_no}: {error}"
        out.append(line)
    return out


def test_alipay_gbk_preamble_padding_refund_and_closed() -> None:
    got = lines("alipay", FIXTURES / "alipay_sample.csv")
    assert [x.row_no for x in got] == [17, 18, 19, 20, 21]
    salary, flight, refund, tip, closed = got
    assert (salary.occurred_at, salary.amount, salary.direction) == (
        datetime(2024, 1, 5, 10),
        Decimal("8000.00"),
        "in",
    )
    assert (salary.counterparty, salary.counterparty_account, salary.txn_id) == (
        "张某华",
        "zh***@qq.com",
        "A0001",
    )
    assert (flight.amount, flight.direction, flight.category) == (Decimal("-1800.00"), "out", "交通出行")
    # The file books this refund as 不计收支 (neither): it stays neither, never counted as income.
    assert (refund.kind, refund.direction, refund.amount) == ("normal", "neutral", Decimal("300.00"))
    assert tip.summary == "抖币充值"
    assert closed.kind == "ignored" and closed.status == "交易关闭"


@pytest.mark.parametrize(
    ("code", "name"), [("wechat", "wechat_sample.csv"), ("wechat-xlsx", "wechat_sample.xlsx")]
)
def test_wechat_csv_and_xlsx_read_the_same(code: str, name: str) -> None:
    got = {x.txn_id: x for x in lines(code, FIXTURES / name)}
    assert got["W001"].amount == Decimal("-1000.00") and got["W001"].counterparty == "希尔顿酒店"
    assert got["W002"].amount == Decimal("100.00") and got["W002"].direction == "in"
    assert got["W004"].direction == "neutral" and got["W004"].amount == Decimal("200.00")
    assert got["W001"].occurred_at == datetime(2024, 2, 1, 12)


def test_icbc_tab_padding_in_out_columns_masked_balance_footer() -> None:
    header_and_notes = iter_lines((FIXTURES / "icbc_sample.csv").read_bytes(), preset("icbc"))
    got = [x[2] for x in header_and_notes]
    assert len(got) == 3  # the blank line and the 人民币合计 footer are not data rows
    salary, hk, meal = got
    assert salary is not None and hk is not None and meal is not None
    assert (salary.amount, salary.direction, salary.balance) == (Decimal("1234.56"), "in", None)
    assert (hk.amount, hk.currency, hk.merchant) == (Decimal("-500.00"), "HKD", "香港免税店")
    assert (meal.amount, meal.counterparty) == (Decimal("-35.50"), "深圳市财付通支付科技有限公司")


def test_cmb_signed_amounts_and_account_in_counterparty() -> None:
    got = lines("cmb", FIXTURES / "cmb_sample.csv")
    assert [x.amount for x in got] == [
        Decimal("12000.00"),
        Decimal("-2000.00"),
        Decimal("-3.00"),
        Decimal("-1000.00"),
    ]
    assert (got[1].counterparty, got[1].counterparty_account) == ("王某", "6222000011112222")
    assert got[0].balance == Decimal("49800.00")
    assert got[3].counterparty == ""


def test_abc_compact_dates_plus_sign_and_dashes() -> None:
    got = lines("abc", FIXTURES / "abc_sample.csv")
    assert got[0].occurred_at == datetime(2024, 1, 1, 12, 34, 56)
    assert got[0].amount == Decimal("10000.00")
    assert got[2].occurred_at == datetime(2024, 1, 3) and got[2].counterparty_account == "12341234123412341"
    assert got[3].counterparty == "" and got[3].amount == Decimal("0.01")


def test_boc_title_line_dashes_masked_accounts_and_foreign_currency() -> None:
    got = lines("boc", FIXTURES / "boc_sample.csv")
    assert got[0].counterparty_account == "6226******5669" and got[0].merchant == ""
    assert got[1].kind == "refund" and got[1].amount == Decimal("50.00")
    assert got[3].currency == "USD"


def test_wrong_encoding_is_a_file_error() -> None:
    p = preset("alipay")
    p.encoding = "utf-8"
    with pytest.raises(FileError, match="编码"):
        list(iter_lines((FIXTURES / "alipay_sample.csv").read_bytes(), p))


def test_missing_column_is_a_file_error() -> None:
    with pytest.raises(FileError, match="表头缺少列"):
        list(iter_lines((FIXTURES / "cmb_sample.csv").read_bytes(), preset("abc")))


REAL_FILES = {
    "alipay": ("alipay.csv", 10),
    "wechat": ("wechat.csv", 27),
    "wechat-xlsx": ("wechat.xlsx", 27),
    "icbc": ("icbc-debit.csv", 11),
    "cmb": ("cmb-debit.csv", 5),
    "abc": ("abc-debit.csv", 5),
    "boc": ("boc-debit.csv", 17),
}


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared/data/statements (real sample exports) not on this machine"
)
@pytest.mark.parametrize("code", sorted(REAL_FILES))
def test_real_sample_exports_read_without_errors(code: str) -> None:
    name, rows = REAL_FILES[code]
    got = lines(code, REAL / name)
    assert len(got) == rows
    assert all(x.currency == "CNY" for x in got)


EXPECTED = json.loads((FIXTURES / "real_samples_expected.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared/data/statements (real sample exports) not on this machine"
)
@pytest.mark.parametrize("code", sorted(REAL_FILES))
def test_real_sample_exports_import_exactly(code: str) -> None:
    """Every line of every real sample: row, time, amount, direction, kind, currency, parties, id, balance.

    The expected values are those the importer produced before the layout options of issue 16, except
    the two Alipay lines the file books as 不计收支 (refunds of spending that was never counted): they
    stay neither instead of becoming income.
    """
    got = [
        [
            x.row_no,
            x.occurred_at.isoformat(),
            str(x.amount),
            x.direction,
            x.kind,
            x.currency,
            x.counterparty,
            x.counterparty_account,
            x.txn_id,
            None if x.balance is None else str(x.balance),
        ]
        for x in lines(code, REAL / REAL_FILES[code][0])
    ]
    assert got == EXPECTED[code]
