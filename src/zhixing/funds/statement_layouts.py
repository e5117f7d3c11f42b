"""Statement layouts (对账单版式): how one bank's statement export is read — pure, no ORM.

A layout names, for each field the platform needs, the column header the bank uses; where the table's
header row is (banks put a title and the account above it); the file's encoding; the date format;
and how the sign of an amount is given — a signed amount column, an amount with a direction column
(收/付, 贷/借), or separate in/out columns. Courts save their own layouts (`models.StatementLayout`, the
form on the finance page); the built-in ones below read the sandbox bank's export and need no setup.
The analytics domain has a similar concept for debtors' flows (流水版式预设); funds keeps its own
because a custody account's statement needs the bank's transaction id, the sub-account and the
closing balance, and funds may not import analytics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Field → default column header (the sandbox bank's export and the platform's default mapping).
DEFAULT_COLUMNS: dict[str, str] = {
    "txn_id": "交易流水号",
    "date": "交易日期",
    "amount": "金额",
    "payer_name": "对方户名",
    "payer_account": "对方账号",
    "to_account": "收款子账号",
    "memo": "摘要",
    "balance": "余额",
}

# Every field a layout may name, with its Chinese label (the form and the error messages use these).
FIELD_LABELS: dict[str, str] = {
    "txn_id": "银行流水号",
    "date": "交易日期",
    "amount": "金额",
    "direction": "收支方向",
    "in_amount": "收入金额",
    "out_amount": "支出金额",
    "payer_name": "对方户名",
    "payer_account": "对方账号",
    "to_account": "收款子账号",
    "memo": "摘要",
    "balance": "余额",
}

SIGNED, DIRECTION, SPLIT = "signed", "direction", "split"
AMOUNT_MODES = {
    SIGNED: "金额带正负号（收入为正、支出为负）",
    DIRECTION: "金额为正数，另有收支方向列",
    SPLIT: "收入金额、支出金额分两列",
}
# The columns each amount mode needs, besides the transaction id and the date.
MODE_FIELDS = {SIGNED: ("amount",), DIRECTION: ("amount", "direction"), SPLIT: ("in_amount", "out_amount")}

ENCODINGS = {"": "自动识别（UTF-8 或 GBK）", "utf-8": "UTF-8", "gbk": "GBK（GB18030）"}
DATE_FORMATS = {
    "": "自动识别（YYYY-MM-DD、YYYY/MM/DD、YYYYMMDD、YYYY.MM.DD）",
    "%Y-%m-%d": "YYYY-MM-DD",
    "%Y/%m/%d": "YYYY/MM/DD",
    "%Y%m%d": "YYYYMMDD",
    "%Y.%m.%d": "YYYY.MM.DD",
    "%Y年%m月%d日": "YYYY年MM月DD日",
    "%Y-%m-%d %H:%M:%S": "YYYY-MM-DD hh:mm:ss",
}
HEADER_ROW_MAX = 50


@dataclass(frozen=True)
class LayoutSpec:
    """How to read one statement file; `columns` maps field → column header (blank fields omitted)."""

    columns: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_COLUMNS))
    amount_mode: str = SIGNED
    direction_in: tuple[str, ...] = ("收", "收入", "贷", "入")
    direction_out: tuple[str, ...] = ("付", "支出", "借", "出")
    header_row: int = 1
    encoding: str = ""
    date_format: str = ""

    def required(self) -> tuple[str, ...]:
        return ("txn_id", "date", *MODE_FIELDS.get(self.amount_mode, ("amount",)))


def split_values(text: str) -> tuple[str, ...]:
    """“收|收入|贷” → ("收", "收入", "贷") (blank parts dropped)."""
    return tuple(p.strip() for p in (text or "").split("|") if p.strip())


@dataclass(frozen=True)
class BuiltinLayout:
    code: str
    name: str
    bank_name: str
    spec: LayoutSpec


SANDBOX = "builtin:sandbox"
SANDBOX_DIRECTION = "builtin:sandbox-direction"

BUILTIN: dict[str, BuiltinLayout] = {
    SANDBOX: BuiltinLayout(SANDBOX, "沙箱托管银行 · 对账单CSV（标准）", "沙箱托管银行", LayoutSpec()),
    SANDBOX_DIRECTION: BuiltinLayout(
        SANDBOX_DIRECTION,
        "沙箱托管银行 · 网银导出（收支方向列，GBK）",
        "沙箱托管银行",
        LayoutSpec(
            columns={
                "txn_id": "流水号",
                "date": "记账日期",
                "amount": "发生额",
                "direction": "借贷标志",
                "payer_name": "对方户名",
                "payer_account": "对方账号",
                "to_account": "子账号",
                "memo": "用途",
                "balance": "账户余额",
            },
            amount_mode=DIRECTION,
            header_row=3,
            encoding="gbk",
            date_format="%Y%m%d",
        ),
    ),
}
