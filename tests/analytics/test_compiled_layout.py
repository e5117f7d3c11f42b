"""The compiled layout (what imports use) gives exactly what the per-line reader gives.

Besides the autouse check in conftest (every statement any analytics test reads is read both ways),
these tests import the built-in layouts' fixtures and the real sample exports through `run_import`
twice — once as it runs, once with the compiled reader switched off — and compare the stored
transactions field by field, and read rows at the edges of what the compiled reader handles.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from tests import factories
from zhixing.analytics import parsing, queries
from zhixing.analytics.models import StatementPreset, Transaction
from zhixing.analytics.presets import BUILTIN

from .conftest import FIXTURES, REAL, load
from .layout_helpers import errors, layout

SAMPLES = {
    "boc": "boc_sample.csv",
    "abc": "abc_sample.csv",
    "alipay": "alipay_sample.csv",
    "cmb": "cmb_sample.csv",
    "icbc": "icbc_sample.csv",
    "wechat": "wechat_sample.csv",
}
REAL_SAMPLES = {
    "boc": "boc-debit.csv",
    "abc": "abc-debit.csv",
    "alipay": "alipay.csv",
    "cmb": "cmb-debit.csv",
    "icbc": "icbc-debit.csv",
    "wechat": "wechat.csv",
}
FIELDS = [f.name for f in Transaction._meta.fields if f.name not in ("id", "job", "party", "duplicate_of")]


def _other_debtor(people: dict[str, Any]) -> queries.DebtorRef:
    case = factories.case(people["clerk"])
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(people["judge"], case.pk, party.pk)
    assert ref is not None
    return ref


def _stored(job: Any) -> list[tuple[Any, ...]]:
    return [
        (*values, dup is not None)
        for *values, dup in Transaction.objects.filter(job=job)
        .order_by("row_no")
        .values_list(*FIELDS, "duplicate_of")
    ]


def _both_ways(
    debtor: Any, people: dict[str, Any], preset: Any, data: bytes, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    fast = load(debtor, people["judge"], preset, data, mode="quarantine")
    with monkeypatch.context() as m:
        m.setattr(parsing, "compile_layout", lambda header, preset: None)
        slow = load(_other_debtor(people), people["judge"], preset, data, mode="quarantine")
    return fast, slow


def _assert_same(fast: Any, slow: Any) -> None:
    assert fast.status == slow.status == "done"
    assert (fast.imported, fast.duplicates, fast.quarantined, fast.ignored) == (
        slow.imported,
        slow.duplicates,
        slow.quarantined,
        slow.ignored,
    )
    assert fast.errors == slow.errors and fast.notes == slow.notes
    assert fast.dedup_decisions == slow.dedup_decisions
    assert _stored(fast) == _stored(slow) and _stored(fast)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_fixture_imports_store_the_same_transactions(
    code: str, debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (FIXTURES / SAMPLES[code]).read_bytes()
    _assert_same(*_both_ways(debtor, people, presets[code], data, monkeypatch))


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared/data/statements (real sample exports) not on this machine"
)
@pytest.mark.parametrize("code", sorted(REAL_SAMPLES))
def test_real_samples_store_the_same_transactions(
    code: str, debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (REAL / REAL_SAMPLES[code]).read_bytes()
    _assert_same(*_both_ways(debtor, people, presets[code], data, monkeypatch))


def test_a_file_repeating_itself_is_stored_the_same_way(
    debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines listed twice (with and without a transaction id) and a second overlapping import: the
    bulk writer links each duplicate to the line it repeats, as before."""
    data = (FIXTURES / "wechat_sample.csv").read_bytes()
    body = data.decode("utf-8").rstrip("\n").split("\n")
    doubled = "\n".join([*body, body[-1], body[-2]]).encode("utf-8")
    fast, slow = _both_ways(debtor, people, presets["wechat"], doubled, monkeypatch)
    _assert_same(fast, slow)
    assert fast.duplicates == 2
    in_file = Transaction.objects.filter(job=fast, duplicate_of__isnull=False)
    firsts = set(Transaction.objects.filter(job=fast, duplicate_of__isnull=True).values_list("pk", flat=True))
    assert set(in_file.values_list("duplicate_of", flat=True)) <= firsts
    again = load(debtor, people["judge"], presets["wechat"], doubled, mode="quarantine")
    assert (again.imported, again.duplicates) == (0, fast.imported + fast.duplicates)
    assert set(Transaction.objects.filter(job=again).values_list("duplicate_of", flat=True)) <= firsts


def test_common_shapes_never_reach_the_per_line_reader() -> None:
    """Every line of the built-in layouts' fixtures is read by the compiled layout itself."""
    for code, name in SAMPLES.items():
        preset = StatementPreset(code=code, **BUILTIN[code])
        statement = parsing.read_statement((FIXTURES / name).read_bytes(), preset)
        fast = parsing.compile_layout(statement.table.header, preset)
        assert fast is not None, code
        assert all(fast(row_no, row) is not None for row_no, row in statement.table.body), code


EDGES = """日期,时间,金额,余额,币种,摘要
2024-01-05,10:00:00,"1,234.56",1.00,CNY,工资
2024-01-05,,+3,-,人民币,转入
2024/01/06,093000,¥-5.00,xx,CNY,消费
20240107 10:00:00,,1.00,1.00,CNY,消费
2024-02-30,,1.00,1.00,CNY,消费
2024-01-08,24:00:00,1.00,1.00,CNY,消费
2024-01-09,,"1234,56",1.00,CNY,消费
2024-01-10,,(12.00),1.00,CNY,消费
2024-01-11,,１２３．４５,1.00,CNY,消费
2024-01-12,,12.00 CR,1.00,CNY,消费
2024-01-13,,,1.00,CNY,消费
2024-01-14,,-,1.00,CNY,消费
2024-01-15,,1e5,1.00,CNY,消费
2024-01-16,,10000000000000.00,1.00,CNY,消费
2024-01-17,,-0.00,1.00,ABCD,消费
2024-01-18,,  7.5  ,"2,000.10",USD,消费
2024-01-19,10:00:61,7.5,1.00,CNY,消费
"""


def test_edge_rows_read_the_same_and_errors_name_row_and_field() -> None:
    preset = layout(time_column="时间", amount_column="金额", balance_column="余额", currency_column="币种")
    preset.summary_column = "摘要"
    bad = dict(errors(EDGES, preset))  # both readers agree on every row (autouse check in conftest)
    assert sorted(bad) == [5, 6, 7, 8, 12, 13, 14, 15, 16, 18]
    assert "“日期”不是有效日期：'20240107 10:00:00'" in bad[5]
    assert "“日期”不是有效日期" in bad[6] and "交易时间无效：'24:00:00'" in bad[7]
    assert "“金额”的千位分隔不是每三位一组" in bad[8] and "“金额”为空" in bad[12]
    assert "“金额”不是有效金额：'1e5'" in bad[14] and "“金额”金额超出范围" in bad[15]
    assert "“币种”币种无法识别：'ABCD'" in bad[16]
    good = [line for _, _, line, _ in parsing.iter_lines(EDGES.encode("utf-8"), preset) if line]
    assert [(ln.row_no, str(ln.amount), ln.direction) for ln in good] == [
        (2, "1234.56", "in"),
        (3, "3.00", "in"),
        (4, "-5.00", "out"),
        (9, "-12.00", "out"),
        (10, "123.45", "in"),
        (11, "12.00", "in"),
        (17, "7.50", "in"),
    ]
    assert (good[1].currency, good[2].balance, good[2].occurred_at.hour, good[6].balance) == (
        "CNY",
        None,
        9,
        Decimal("2000.10"),
    )


def test_layouts_the_compiled_reader_does_not_express_are_read_per_line() -> None:
    header = ["日期", "金额"]
    assert parsing.compile_layout(header, layout(file_format="xlsx", amount_column="金额")) is None
    assert parsing.compile_layout(header, layout(amount_column="金额", date_format="MM/DD")) is None
    assert parsing.compile_layout(header, layout(amount_column="金额", time_format="HH:mm")) is None
    assert parsing.compile_layout(header, layout(amount_column="金额")) is not None


def test_strict_import_with_a_bad_row_stores_nothing(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    rows = list(csv.reader(io.StringIO((FIXTURES / "boc_sample.csv").read_text(encoding="utf-8"))))
    rows[-1][3] = "12,5"  # a decimal comma: the compiled reader leaves it to the per-line reader
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    job = load(debtor, people["judge"], presets["boc"], out.getvalue().encode("utf-8"))
    assert job.status == "rejected" and Transaction.objects.count() == 0
    assert [e["row"] for e in job.errors] == [len(rows)]
    assert job.errors[0]["reason"].startswith("“金额”的千位分隔不是每三位一组：'12,5'")
