"""The column-wise reader (`columnar_layout`: the layout compiled to one DuckDB query per file) gives
exactly the `Line` the compiled and per-line readers give, for every line it is sure of.

Besides the autouse check in conftest (every statement any analytics test reads is read three ways),
these tests read the built-in layouts' fixtures, the real sample exports and edge rows column-wise and
compare every line with the compiled reader's, check which lines it leaves to the per-line readers,
and import the fixtures through `run_import` with the column-wise reader in front and without it,
comparing the stored transactions, job counts, notes and duplicate decisions.
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

import pytest

from zhixing.analytics import columnar_layout, parsing
from zhixing.analytics.models import ImportJob, StatementPreset
from zhixing.analytics.presets import BUILTIN

from .conftest import FIXTURES, REAL, load
from .layout_helpers import layout
from .test_compiled_layout import EDGES, REAL_SAMPLES, SAMPLES, _other_debtor, _stored


def _both(preset: Any, data: bytes) -> tuple[list[Any], list[Any]]:
    """(column-wise result per body row, compiled reader's Line per body row)."""
    statement = parsing.read_statement(data, preset)
    wide = columnar_layout.read_columns(statement.table.header, statement.table.body, preset, min_rows=0)
    assert wide is not None
    fast = parsing.compile_layout(statement.table.header, preset)
    assert fast is not None
    narrow = []
    for row_no, row in statement.table.body:
        try:
            narrow.append(fast(row_no, row))
        except Exception:  # what `Statement.lines` does: the per-line reader decides
            narrow.append(None)
    return wide, narrow


def _assert_sure_lines_equal(wide: list[Any], narrow: list[Any]) -> None:
    for a, b in zip(wide, narrow, strict=True):
        if a is not None:
            assert b is not None and a == b, (a, b)
            assert (str(a.amount), str(a.balance)) == (str(b.amount), str(b.balance))  # -0.00 too


@pytest.mark.parametrize("code", ["boc", "abc", "alipay", "cmb", "icbc", "wechat"])
def test_built_in_fixtures_read_the_same(code: str) -> None:
    preset = StatementPreset(code=code, **BUILTIN[code])
    if not columnar_layout.expressible(preset):
        assert columnar_layout.read_columns(["x"], [(2, ["x"])], preset, min_rows=0) is None
        pytest.skip(f"{code}: a layout the column-wise reader does not express (read by compiled_layout)")
    wide, narrow = _both(preset, (FIXTURES / SAMPLES[code]).read_bytes())
    _assert_sure_lines_equal(wide, narrow)
    assert all(a is not None for a in wide), code  # the common shapes never leave the SQL path


@pytest.mark.parametrize("code", sorted(REAL_SAMPLES))
def test_real_samples_read_the_same(code: str) -> None:
    path = REAL / REAL_SAMPLES[code]
    if not path.exists():
        pytest.skip(f"real sample {path} is absent on this machine")
    preset = StatementPreset(code=code, **BUILTIN[code])
    if not columnar_layout.expressible(preset):
        pytest.skip(f"{code}: a layout the column-wise reader does not express")
    wide, narrow = _both(preset, path.read_bytes())
    _assert_sure_lines_equal(wide, narrow)


def test_edge_rows_are_left_to_the_per_line_readers_or_read_the_same() -> None:
    preset = layout(time_column="时间", amount_column="金额", balance_column="余额", currency_column="币种")
    preset.summary_column = "摘要"
    wide, narrow = _both(preset, EDGES.encode("utf-8"))
    _assert_sure_lines_equal(wide, narrow)
    rows = [n + 2 for n, a in enumerate(wide) if a is not None]
    # grouped and signed amounts with a time, a '+' sign with a currency word, a padded amount in USD
    assert rows == [2, 3, 17]
    # brackets, full-width digits, 'CR' marks: the compiled or per-line reader reads them
    assert wide[7] is None and wide[8] is None and wide[9] is None


def test_markers_statuses_and_out_positive_read_the_same() -> None:
    text = (
        "日期,金额,余额,状态,摘要,对方\n"
        "2024-01-05 10:00:00,12.00,1.00,成功,退款 某店,某店\n"
        "2024-01-05 10:00:01,-12.00,1.00,成功,冲正,某店\n"
        "2024-01-05 10:00:02,0.00,1.00,成功,退款,某店\n"
        "2024-01-05 10:00:03,5,1.00,已关闭,消费,'某店'\n"
        "2024-01-05 10:00:04,-0.00,,成功,消费,\n"
        '2024-01-05 10:00:05,"1,000",-,成功,消费,"张,三"\n'
    )
    preset = layout(
        amount_column="金额", balance_column="余额", status_column="状态", amount_sign="out_positive"
    )
    preset.summary_column, preset.counterparty_column = "摘要", "对方"
    preset.refund_markers, preset.reversal_markers, preset.ignored_statuses = "退款", "冲正", "已关闭"
    wide, narrow = _both(preset, text.encode("utf-8"))
    _assert_sure_lines_equal(wide, narrow)
    assert [a.kind if a else None for a in wide] == [
        "refund", "reversal", "normal", "ignored", "normal", "normal"
    ]  # fmt: skip


def test_layouts_it_does_not_express_are_left_to_the_compiled_reader() -> None:
    body = [(2, ["2024-01-05", "1.00"])]
    header = ["日期", "金额"]
    assert columnar_layout.read_columns(header, body, layout(amount_column="金额"), min_rows=0)
    for changed in (
        {"direction_column": "收支"},
        {"direction_keywords_in": "工资"},
        {"split_account": True},
        {"date_format": "MM/DD"},
        {"file_format": "xlsx"},
    ):
        preset = layout(amount_column="金额", **changed)
        assert columnar_layout.read_columns(header, body, preset, min_rows=0) is None, changed
    # a file shorter than MIN_ROWS is read by the compiled reader (starting DuckDB costs more)
    assert columnar_layout.read_columns(header, body, layout(amount_column="金额")) is None


def test_imports_store_the_same_with_the_column_wise_reader(
    debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same file through `run_import` with the column-wise reader in front and without: the same
    stored transactions, counts, notes and duplicate decisions (a second import gives duplicates)."""
    data = (FIXTURES / SAMPLES["boc"]).read_bytes()
    plain = [load(debtor, people["judge"], presets["boc"], data) for _ in range(2)]
    monkeypatch.setattr(parsing.Statement, "lines", partialmethod(parsing.Statement.lines, columnar=True))
    other = _other_debtor(people)
    wide = [load(other, people["judge"], presets["boc"], data) for _ in range(2)]
    for a, b in zip(plain, wide, strict=True):
        assert a.status == b.status == ImportJob.Status.DONE
        assert _stored(a) == _stored(b)
        assert (a.imported, a.duplicates, a.ignored, a.quarantined, a.notes, a.errors) == (
            b.imported,
            b.duplicates,
            b.ignored,
            b.quarantined,
            b.notes,
            b.errors,
        )
        assert _decisions(a.dedup_decisions, plain[0].pk) == _decisions(b.dedup_decisions, wide[0].pk)
    assert wide[1].duplicates > 0


def _decisions(decisions: list[dict[str, Any]], first_job: int) -> list[dict[str, Any]]:
    """The decisions with the first import's id (which differs between the two debtors) named."""
    return [
        {
            **d,
            "of_job": "first" if d["of_job"] == first_job else d["of_job"],
            "reason": d["reason"].replace(f"导入#{first_job}第", "导入#first第"),
        }
        for d in decisions
    ]


def test_quoted_cells_survive_the_round_trip_through_duckdb() -> None:
    """Cells with a newline, quotes, commas, padding or nothing come back from DuckDB verbatim."""
    text = (
        "日期,金额,摘要,对方\n"
        '2024-01-05,12.00,"多行\n摘要","张""三"""\n'
        '2024-01-05,-1,"a,b", x \n'
        '2024-01-06,1,"",""\n'
    )
    preset = layout(amount_column="金额")
    preset.summary_column, preset.counterparty_column = "摘要", "对方"
    wide, narrow = _both(preset, text.encode("utf-8"))
    _assert_sure_lines_equal(wide, narrow)
    assert [(a.summary, a.counterparty) for a in wide] == [("多行\n摘要", '张"三"'), ("a,b", "x"), ("", "")]


def test_typed_cells_are_left_to_the_per_line_reader() -> None:
    """An Excel file recognised by its content has typed cells (a float amount): not read column-wise."""
    preset = layout(amount_column="金额")
    body: list[tuple[int, list[Any]]] = [(2, ["2024-03-06", -35.0]), (3, ["2024-03-07", "-35.00"])]
    wide = columnar_layout.read_columns(["日期", "金额"], body, preset, min_rows=0)
    assert wide is not None and wide[0] is None and wide[1] is not None


def test_cells_go_to_duckdb_unquoted_unless_one_holds_a_separator() -> None:
    """The body goes to DuckDB as unquoted U+001F-separated lines (quotes, commas and padding as they
    are); a cell holding U+001F or a line break sends the whole body quoted instead. Either way every
    cell comes back verbatim."""
    preset = layout(amount_column="金额")
    preset.summary_column, preset.counterparty_column = "摘要", "对方"
    plain = '日期,金额,摘要,对方\n2024-01-05,12.00,"say ""hi""","a,b"\n2024-01-05,-1, x ,\'q\'\n'
    odd = "日期,金额,摘要,对方\n2024-01-05,12.00,a\x1fb,c\n2024-01-06,1,,\n"
    for text, unquoted in ((plain, True), (odd, False)):
        table = parsing.read_statement(text.encode("utf-8"), preset).table
        full = list(range(len(table.body)))
        assert (columnar_layout._plain(table.body, full, len(table.header)) is not None) is unquoted
        wide, narrow = _both(preset, text.encode("utf-8"))
        _assert_sure_lines_equal(wide, narrow)
        assert all(a is not None for a in wide)
    assert [(a.summary, a.counterparty) for a in _both(preset, plain.encode("utf-8"))[0]] == [
        ('say "hi"', "a,b"),
        ("x", "'q'"),
    ]
    assert [(a.summary, a.counterparty) for a in _both(preset, odd.encode("utf-8"))[0]] == [
        ("a\x1fb", "c"),
        ("", ""),
    ]
