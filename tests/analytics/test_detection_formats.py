"""Detection of layouts for Excel 97-2003 (.xls) files and for layouts without a header line."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import detection, preview
from zhixing.analytics.models import StatementPreset
from zhixing.analytics.presets import BUILTIN

from .layout_helpers import layout
from .xls_writer import xls_bytes

TODAY = date(2026, 12, 3)
XLS_ROWS = [
    ["某银行账户明细"],
    ["交易日期", "摘要", "金额", "对方户名"],
    [datetime(2024, 3, 5, 9, 30), "工资", 12000.5, "某公司"],
    ["2024-03-06", "消费", -35.0, ""],
]
COLUMNS = {"date_column": "交易日期", "amount_column": "金额", "summary_column": "摘要"}


@pytest.fixture
def layouts() -> list[Any]:
    items = enumerate(BUILTIN.items(), 1)
    return [StatementPreset(pk=i, code=code, builtin=True, **f) for i, (code, f) in items]


def test_xls_is_read_like_the_importer_reads_it(layouts: list[Any]) -> None:
    data = xls_bytes(XLS_ROWS)
    assert detection.file_kind(data) == "xls"
    assert detection.FileRows(data).rows(",")[1] == ["交易日期", "摘要", "金额", "对方户名"]
    mine = layout(pk=99, code="bank-xls", file_format="xls", header_row=0, header_marker="交易日期")
    mine.date_column, mine.amount_column, mine.summary_column = COLUMNS.values()
    top = detection.propose(data, [*layouts, mine])[0]
    assert (top.preset.code, top.score, top.usable, top.header_row, top.adjustments) == (
        "bank-xls",
        100,
        True,
        2,
        {},
    )
    pv = preview.build(data, mine, today=TODAY)
    assert [(r.occurred_at, r.amount) for r in pv.rows] == [
        (datetime(2024, 3, 5, 9, 30), Decimal("12000.50")),
        (datetime(2024, 3, 6), Decimal("-35.00")),
    ]


def test_an_xls_file_under_an_xlsx_or_csv_layout_keeps_its_format() -> None:
    data = xls_bytes(XLS_ROWS)
    for fmt in ("xlsx", "csv"):
        got = detection.score(layout(file_format=fmt, header_row=2, **COLUMNS), detection.FileRows(data))
        assert (got.usable, got.score, got.adjustments) == (True, 95, {"file_format": "xls"})
        assert f"文件格式为 xls，版式为 {fmt}" in got.reasons


def test_a_text_file_under_an_xls_layout_is_read_as_csv() -> None:
    data = "交易日期,摘要,金额\n2024-03-06,消费,-35\n".encode()
    got = detection.score(layout(file_format="xls", header_row=1, **COLUMNS), detection.FileRows(data))
    assert (got.usable, got.score, got.adjustments) == (True, 95, {"file_format": "csv"})
    pv = preview.build(data, preview.adapted(got.preset, got.adjustments), today=TODAY)
    assert (pv.valid, pv.file_error) == (1, "")


def test_a_damaged_xls_matches_nothing(layouts: list[Any]) -> None:
    ranked = detection.propose(xls_bytes(XLS_ROWS)[:1200], layouts)
    assert all(not p.usable and p.header_row == 0 for p in ranked)


# -- layouts without a header line -----------------------------------------------------------------------
HEADERLESS = "交易明细（无表头）\n2024-01-01,工资,+100.00,某公司\n2024-01-02,消费,-3.5,\n合计,,96.5,\n"


def numbered(**fields: Any) -> StatementPreset:
    base = {
        "headerless": True,
        "header_row": 1,
        "date_column": "1",
        "summary_column": "2",
        "amount_column": "3",
        "counterparty_column": "4",
        "footer_prefixes": "合计",
    }
    return layout(**{**base, **fields})


def test_a_headerless_layout_is_scored_by_its_columns_and_first_records(layouts: list[Any]) -> None:
    mine = numbered(pk=99, code="mine")
    ranked = detection.propose(HEADERLESS.encode(), [*layouts, mine])
    top = ranked[0]
    got = (top.preset.code, top.score, top.usable, top.header_row, top.adjustments)
    assert got == ("mine", 100, True, 2, {})
    assert top.header == ["1", "2", "3", "4"] and top.missing == []
    assert top.reasons == ["无表头，按列序号读取：文件有4列，前2条记录中2条可按该版式读取"]
    assert all(not p.usable for p in ranked[1:])


def test_a_headerless_layout_learns_how_many_lines_to_skip() -> None:
    got = detection.score(numbered(header_row=0), detection.FileRows(HEADERLESS.encode()))
    assert (got.usable, got.score, got.header_row, got.adjustments) == (True, 100, 2, {"header_row": 1})
    assert got.reasons[1] == "数据从第2行开始：数据前跳过1行（版式为0行）"
    pv = preview.build(HEADERLESS.encode(), preview.adapted(got.preset, got.adjustments), today=TODAY)
    assert [(r.row_no, r.amount) for r in pv.rows] == [(2, Decimal("100.00")), (3, Decimal("-3.50"))]


def test_a_headerless_layout_whose_columns_do_not_read_is_not_usable() -> None:
    rows = detection.FileRows(HEADERLESS.encode())
    wrong_date = detection.score(numbered(date_column="2", summary_column="1"), rows)
    assert (wrong_date.usable, wrong_date.score, wrong_date.header_row) == (False, 49, 2)
    assert wrong_date.reasons[1].startswith("第2行无法读取：“2”不是有效日期：'工资'")
    too_wide = detection.score(numbered(amount_column="7"), rows)
    assert (too_wide.usable, too_wide.score, too_wide.missing) == (False, 49, [])
    assert too_wide.reasons[1:] == ["第2行无法读取：“7”为空", "文件只有4列，没有第7列"]
    not_numbers = detection.score(numbered(date_column="日期"), rows)
    assert (not_numbers.usable, not_numbers.missing) == (False, ["日期"])
    assert not_numbers.reasons[-1] == "缺少必需列：日期（无表头的版式按列序号 1、2、3… 填写列名）"


def test_a_headerless_xls_is_scored_on_its_typed_cells() -> None:
    data = xls_bytes([[datetime(2024, 3, 5), "工资", 12000.5], [datetime(2024, 3, 6), "消费", -35.0]])
    got = detection.score(numbered(header_row=0, file_format="xls"), detection.FileRows(data))
    # The counterparty column (4) is past the file's 3 columns: read as empty, it costs points only.
    assert (got.usable, got.score, got.header_row, got.adjustments) == (True, 88, 1, {})
    assert (got.missing, got.reasons[-1]) == ([], "文件只有3列，没有第4列")


def test_a_headerless_column_number_past_the_width_limit_is_refused_before_padding() -> None:
    """The header of a headerless file is padded up to the highest column number the layout names: a
    number of 30,000,000 took 2.5 GB and 4.5 s; it is refused first, on the layout and on the file."""
    from zhixing.analytics import parsing
    from zhixing.analytics.readers import MAX_COLUMNS
    from zhixing.analytics.statement_errors import FileError

    from .layout_helpers import layout

    preset = layout(header_row=0, headerless=True, date_column="1", amount_column="30000000")
    with pytest.raises(FileError, match=f"超过{MAX_COLUMNS}列的上限"):
        parsing.read_statement(b"2024-01-01,5\n", preset)
    ok = layout(header_row=0, headerless=True, date_column="1", amount_column=str(MAX_COLUMNS))
    assert len(parsing.read_statement(b"2024-01-01,5\n", ok).table.header) == MAX_COLUMNS


@pytest.mark.django_db
def test_a_headerless_layout_naming_a_column_past_the_limit_is_not_saved(people: dict[str, Any]) -> None:
    from zhixing.analytics import services
    from zhixing.analytics.models import StatementPreset
    from zhixing.core.errors import ServiceError

    fields = {
        "name": "无表头",
        "code": "nohead",
        "header_row": 0,
        "headerless": True,
        "date_column": "1",
        "amount_column": "99999999",
    }
    with pytest.raises(ServiceError) as got:
        services.save_preset(people["judge"], fields)
    assert got.value.field == "amount_column"
    assert not StatementPreset.objects.filter(code="nohead").exists()
