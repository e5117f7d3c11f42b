"""What a statement's column means by its name, and what a direction column's words mean (pure, data).

A court meets exports from hundreds of institutions: the same column is "交易金额" at one bank, "发生额"
at another and "金额（元）" at a third. When the nearest layout names a column the file does not have,
detection looks the layout's field up here and suggests the file's column that usually means the same
(`suggest`); for a direction column it suggests which of the file's words mean income and spending
(`direction_words`: 贷/借, 转入/转出, C/D…).

Suggestions are never applied by themselves. The preview lists them and the user applies them with
one click, then sees the rows read with them before anything is imported: a wrong guess is seen, not
stored. The names are compared with width, case, spaces and traditional characters ignored
(`names.word_key`: "對方戶名" is "对方户名", "Transaction Date" is "transactiondate"). The lists are data:
add a bank's spelling here, in the order of preference (the first present wins).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from .amounts import clean, currency_code
from .columns import column_key, same_word
from .dates import TIME_FORMATS
from .directions import options
from .names import word_key

# Layout field → the names institutions give that column, most specific first. A name serves at most
# one field: fields are matched in this order (the date before the time, so "交易时间" is the time
# column when a "交易日期" is there and the date column when it stands alone).
MEANINGS: dict[str, tuple[str, ...]] = {
    "date_column": (
        "交易日期",
        "记账日期",
        "入账日期",
        "交易日",
        "记账日",
        "发生日期",
        "账务日期",
        "会计日期",
        "日期",
        "交易日期时间",
        "交易时间",
        "记账时间",
        "时间",
        "Transaction Date",
        "Trans Date",
        "Posting Date",
        "Value Date",
        "Date Posted",
        "交易创建时间",
        "交易成功时间",
        "付款时间",
        "Date",
    ),
    "time_column": (
        "交易时间",
        "记账时间",
        "入账时间",
        "发生时间",
        "交易时刻",
        "时间",
        "Transaction Time",
        "Time",
    ),
    "amount_column": (
        "交易金额",
        "金额",
        "发生额",
        "交易发生额",
        "金额(元)",
        "交易金额(元)",
        "人民币金额",
        "交易金额(人民币)",
        "金额(人民币)",
        "收支金额",
        "变动金额",
        "记账金额",
        "交易额",
        "入账币种/金额",
        "交易币种/金额",
        "实付金额",
        "Billing Amount",
        "Transaction Amount",
        "Amount",
    ),
    "in_column": (
        "收入金额",
        "收入",
        "贷方发生额",
        "贷方金额",
        "贷方",
        "存入金额",
        "存入",
        "转入金额",
        "收入(元)",
        "入账金额",
        "记账金额(收入)",
        "Credit Amount",
        "Credit",
        "Deposits",
        "Deposit",
        "Money In",
        "Paid In",
    ),
    "out_column": (
        "支出金额",
        "支出",
        "借方发生额",
        "借方金额",
        "借方",
        "支取金额",
        "支取",
        "提取金额",
        "提取",
        "转出金额",
        "支出(元)",
        "出账金额",
        "记账金额(支出)",
        "Debit Amount",
        "Debit",
        "Withdrawals",
        "Withdrawal",
        "Money Out",
        "Paid Out",
    ),
    "direction_column": (
        "收/支",
        "收支",
        "收支类型",
        "收支方向",
        "借贷标志",
        "借贷方向",
        "借/贷",
        "借贷",
        "交易方向",
        "资金方向",
        "资金流向",
        "收付标志",
        "收付方向",
        "方向",
        "DR/CR",
        "Debit/Credit",
        "Credit/Debit",
    ),
    "counterparty_column": (
        "对方户名",
        "对方账户名",
        "对方账户名称",
        "对方名称",
        "对方姓名",
        "对方户名称",
        "对手户名",
        "对手方名称",
        "对手信息",
        "交易对方",
        "对方单位",
        "收/付款方",
        "收(付)款人",
        "收付款人",
        "对方信息",
        "对方账号与户名",
        "对方账户及户名",
        "Counterparty",
        "Payee",
        "Payer/Payee",
        "Beneficiary",
    ),
    "counterparty_account_column": (
        "对方账号",
        "对方帐号",
        "对方卡号/账号",
        "对方账号/卡号",
        "对方账户",
        "对方卡号",
        "对手账号",
        "对手卡号",
        "对方账户号",
        "Counterparty Account",
        "Beneficiary Account",
    ),
    "txn_id_column": (
        "交易流水号",
        "流水号",
        "交易单号",
        "交易订单号",
        "交易号",
        "订单号",
        "日志号",
        "交易序号",
        "交易参考号",
        "凭证号",
        "柜员流水号",
        "Transaction ID",
        "Reference No",
        "Reference",
    ),
    "summary_column": (
        "摘要",
        "交易摘要",
        "交易名称",
        "交易描述",
        "交易说明",
        "业务摘要",
        "商品说明",
        "商品",
        "订单标题",
        "用途",
        "Description",
        "Transaction Details",
        "Details",
        "Narrative",
        "Particulars",
    ),
    "category_column": (
        "交易类型",
        "交易分类",
        "业务类型",
        "交易方式",
        "交易种类",
        "交易渠道",
        "渠道",
        "Transaction Type",
        "Category",
        "Channel",
    ),
    "merchant_column": (
        "商户名称",
        "商户",
        "交易地点",
        "交易场所",
        "交易地点/附言",
        "附言",
        "交易附言",
        "客户摘要",
        "备注",
        "Merchant Name",
        "Merchant",
        "Memo",
    ),
    "currency_column": (
        "币种",
        "币别",
        "货币",
        "入账货币",
        "交易币种",
        "记账币种",
        "交易货币",
        "币种名称",
        "Billing Currency",
        "Currency",
        "CCY",
    ),
    "balance_column": (
        "余额",
        "账户余额",
        "交易后余额",
        "本次余额",
        "联机余额",
        "账面余额",
        "当前余额",
        "可用余额",
        "结余",
        "Running Balance",
        "Balance",
    ),
    "status_column": ("交易状态", "当前状态", "状态", "Status"),
}

# (income word, spending word) pairs a direction column uses, most specific first; the account holder's
# view: on a deposit account's statement 贷 (credit) is money in and 借 (debit) money out.
DIRECTION_PAIRS: tuple[tuple[str, str], ...] = (
    ("收入", "支出"),
    ("转入", "转出"),
    ("存入", "支取"),
    ("入账", "出账"),
    ("来账", "往账"),
    ("贷", "借"),
    ("贷 Cr", "借 Dr"),
    ("收", "支"),
    ("进", "出"),
    ("入", "出"),
    ("CR", "DR"),
    ("Credit", "Debit"),
    ("C", "D"),
    ("+", "-"),
)
# Words that keep a line neither income nor spending.
NEUTRAL_WORDS = ("不计收支", "/", "其他")


def suggest(columns: dict[str, str], header: Iterable[str], fill: Iterable[str] = ()) -> dict[str, str]:
    """Layout field → the file's column that probably means it, for each of the layout's `columns`
    (field → column name) that the `header` lacks as detection compares names (`columns.column_key`);
    the layout's own name in traditional characters counts first. A file column the layout already
    reads, or one suggested for an earlier field, is not suggested again. Fields in `fill` that the
    layout does not name at all get the file's column by its usual names too."""
    header = list(header)
    exact = {column_key(name) for name in header}
    present: dict[str, str] = {}
    for name in header:
        key = word_key(name)
        if key and key not in present:
            present[key] = name
    claimed = {word_key(n) for n in columns.values() if column_key(n) in exact}
    out: dict[str, str] = {}
    fill = set(fill)
    for field, names in MEANINGS.items():
        wanted = columns.get(field, "")
        if not wanted and field not in fill:
            continue
        if wanted and column_key(wanted) in exact:
            continue
        for name in (wanted, *names) if wanted else names:
            key = word_key(name)
            if key in present and key not in claimed:
                out[field] = present[key]
                claimed.add(key)
                break
    return out


def direction_words(values: Iterable[str]) -> tuple[str, str, str] | None:
    """(income, spending, neutral) words as the file writes them, when every non-empty value of a
    direction column is one word of a known pair or a neutral word and both words of the pair occur;
    None otherwise (a column with other words is left to the user). Neutral words are joined by '|'."""
    seen: dict[str, str] = {}
    for value in values:
        key = word_key(value)
        if key and key not in seen:
            seen[key] = value.strip()
    neutral = {word_key(w) for w in NEUTRAL_WORDS}
    for word_in, word_out in DIRECTION_PAIRS:
        k_in, k_out = word_key(word_in), word_key(word_out)
        if k_in in seen and k_out in seen and set(seen) <= {k_in, k_out} | neutral:
            rest = "|".join(seen[k] for k in seen if k in neutral)
            return seen[k_in], seen[k_out], rest
    return None


def for_layout(
    preset: Any, cols: dict[str, str], records: list[list[Any]], header: list[str]
) -> dict[str, Any]:
    """The file's columns for the layout's columns it lacks (`column_meanings.suggest`) and, when the
    direction column's words are not the layout's, the file's words for income, spending and neither.
    The `FILLED` columns the layout leaves out are offered when the file has one whose sample values read
    as that field (a clock time, a currency)."""
    found: dict[str, Any] = suggest(cols, header, FILLED)
    for name in FILLED:
        if name in found and not cols.get(name) and not _values_read(name, found[name], records, header):
            del found[name]
    column = found.get("direction_column") or cols.get("direction_column", "")
    at = next((i for i, h in enumerate(header) if column and same_word(h, column)), -1)
    if at < 0:
        return found
    values = [clean(r[at]) for r in records if len(r) > at and clean(r[at])]
    words = (preset.direction_in, preset.direction_out, preset.direction_neutral)
    if all(any(same_word(v, w) for part in words for w in options(part)) for v in values):
        return found  # the layout's own words read every line
    guessed = direction_words(values)
    if guessed is not None:
        for name, word in zip(("direction_in", "direction_out", "direction_neutral"), guessed, strict=True):
            if word and word != getattr(preset, name):
                found[name] = word
    return found


def _values_read(field: str, column: str, records: list[list[Any]], header: list[str]) -> bool:
    """Whether the column has a value on some sample line and its values read as the field does
    (`FILLED_CHECKS`): an empty column is not worth a suggestion."""
    check = FILLED_CHECKS.get(field, bool)
    at = next((i for i, h in enumerate(header) if same_word(h, column)), -1)
    values = [clean(r[at]) for r in records[:40] if 0 <= at < len(r) and clean(r[at])]
    return bool(values) and all(check(v) for v in values)


def _is_time(text: str) -> bool:
    for fmt in TIME_FORMATS:
        try:
            datetime.strptime(text, fmt)
            return True
        except ValueError:
            continue
    return False


# Optional columns a layout may not name that the file's own column fills when it has one: without the
# time every line reads 00:00 and a day's lines cannot be ordered or told apart (duplicates, night
# spending); without the currency a foreign line reads as yuan; the counterparty, its account and the
# summary serve related-party matching and the spending categories, the transaction id the duplicate
# decision.
FILLED = (
    "time_column",
    "currency_column",
    "counterparty_column",
    "counterparty_account_column",
    "summary_column",
    "txn_id_column",
)
FILLED_CHECKS: dict[str, Callable[[str], bool]] = {
    "time_column": _is_time,
    "currency_column": lambda v: bool(currency_code(v)),
}


def unread_direction(preset: Any, records: list[list[Any]], header: list[str]) -> str:
    """The file's direction column (a column named as one, e.g. "借贷标志", with a value on some line)
    when the layout reads the direction from the amount's sign alone: such a layout would take every
    line the sign says, whatever the file marks (借 with a positive amount read as income, or a code
    like 1/2 it cannot know). '' when there is none."""
    if not preset.amount_column or preset.direction_column:
        return ""
    if options(preset.direction_keywords_in) or options(preset.direction_keywords_out):
        return ""
    meant = {word_key(n) for n in MEANINGS["direction_column"]}
    for at, name in enumerate(header):
        if word_key(name) in meant and any(len(r) > at and clean(r[at]) for r in records):
            return name
    return ""
