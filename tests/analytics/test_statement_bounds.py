"""A statement file is read within bounds (analytics/readers.py): what it declares about its size sizes
nothing, a file over the row limit (`ZHIXING_STATEMENT_MAX_ROWS`) is refused before its rows are built,
and a file no layout reads (broken CSV quoting, bytes behind a UTF-16 mark that are not UTF-16) is a
file error naming the row or the cause — on the preview and import API a 422, never a 500."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhixing.analytics import detection, preview, readers, tables
from zhixing.analytics.models import ImportJob
from zhixing.analytics.parsing import FileError, FileRefused, read_table
from zhixing.analytics.samples import LINES
from zhixing.analytics.services import create_import, previews
from zhixing.core.errors import ServiceError

from .layout_helpers import layout
from .xls_writer import xls_bytes

TODAY = date(2026, 12, 3)
HEADER = ["记账日期", "交易金额", "对方户名"]
RECORDS = [["2024-01-05", "8000.00", "深圳某某科技有限公司"], ["2024-01-08", "-120.50", "美团"]]
LAYOUT = {"date_column": "记账日期", "amount_column": "交易金额", "counterparty_column": "对方户名"}


def xlsx(rows: list[list[Any]], dimension: str = "") -> bytes:
    """An xlsx of `rows`; with `dimension`, its sheet declares that range instead of the real one."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    if not dimension:
        return out.getvalue()
    patched = io.BytesIO()
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert n == 1
            dst.writestr(item, data)
    return patched.getvalue()


def parquet(tmp_path: Path, records: int) -> bytes:
    path = tmp_path / "flow.parquet"
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT '2024-01-05' AS 记账日期, '8000.00' AS 交易金额, '某公司' AS 对方户名"
        f" FROM range({records})) TO '{path}' (FORMAT parquet)"
    )
    con.close()
    return path.read_bytes()


def csv_text(rows: list[list[Any]], encoding: str = "utf-8") -> bytes:
    return "".join(",".join(map(str, r)) + "\n" for r in rows).encode(encoding)


# -- what a file declares sizes nothing ---------------------------------------------------------------


@pytest.mark.parametrize("dimension", ["A1:CV3000", "A1:XFD1048576"])
def test_an_xlsx_declaring_a_huge_range_reads_its_real_rows(dimension: str) -> None:
    data = xlsx([HEADER, *RECORDS], dimension)
    assert (
        f'<dimension ref="{dimension}"'
        in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    )
    rows = tables.raw_rows(data, layout(file_format="xlsx"))
    assert rows == [HEADER, *RECORDS]  # 3 rows of 3 cells, not 3,000 × 100 (or 1,048,576 × 16,384)
    header, body, _ = read_table(data, layout(**LAYOUT))
    assert (header, [r for _, r in body]) == (HEADER, RECORDS)
    assert detection.FileRows(data).rows(",") == [HEADER, *RECORDS]


def test_an_xlsx_far_cell_leaves_empty_rows_not_wide_ones() -> None:
    """A header, one record and a cell at A3000 (the attack file had it at A14000 under A1:XFD14000)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADER)
    ws.append(RECORDS[0])
    ws["A3000"] = "x"
    out = io.BytesIO()
    wb.save(out)
    rows = tables.raw_rows(out.getvalue(), layout(file_format="xlsx"))
    assert len(rows) == 3000 and max(len(r) for r in rows) == 3
    assert rows[2:2999] == [[]] * 2997


def test_an_xls_far_cell_is_not_a_full_rectangle() -> None:
    rows = [HEADER, *RECORDS] + [[] for _ in range(200)] + [["", "", "", "", "", "x"]]
    got = tables.raw_rows(xls_bytes(rows), layout(file_format="xls"))
    assert [len(r) for r in got] == [3, 3, 3, *[0] * 200, 6]  # each row as long as its own cells


def test_a_value_past_the_column_limit_is_refused_naming_the_row() -> None:
    wide = [*RECORDS[0], *[""] * readers.MAX_COLUMNS, "备注"]
    for data, fmt in ((csv_text([HEADER, wide]), "csv"), (xlsx([HEADER, wide]), "xlsx")):
        with pytest.raises(FileRefused, match=f"第2行有{readers.MAX_COLUMNS + 4}列，超过200列的上限"):
            tables.raw_rows(data, layout(file_format=fmt))
    # empty cells past the last filled one are not columns
    ok = csv_text([HEADER, [*RECORDS[0], *[""] * readers.MAX_COLUMNS]])
    assert len(tables.raw_rows(ok, layout())) == 2


# -- the row limit --------------------------------------------------------------------------------------


def test_every_format_over_the_row_limit_is_refused_naming_it(tmp_path: Path) -> None:
    rows = [HEADER, *RECORDS * 3]  # 7 rows
    files = {
        "csv": csv_text(rows),
        "xlsx": xlsx(rows),
        "xls": xls_bytes(rows),
        "parquet": parquet(tmp_path, 6),
    }
    for fmt, data in files.items():
        p = layout(file_format=fmt if fmt != "parquet" else "csv", **LAYOUT)
        assert len(read_table(data, p, max_rows=7)[1]) == 6, fmt  # at the limit: read
        with pytest.raises(
            FileRefused, match="文件超过6行，超出单个流水文件的行数上限：请按时间段拆分后分别导入"
        ):
            read_table(data, p, max_rows=6)
        got = preview.build(data, p, today=TODAY, max_rows=6)
        assert got.refused and got.file_error.startswith("文件超过6行"), fmt


def test_a_parquet_file_is_counted_before_it_is_fetched(tmp_path: Path) -> None:
    data = parquet(tmp_path, 5_000_000)  # a few kilobytes: every row the same
    assert len(data) < 100_000
    with pytest.raises(FileRefused, match="文件超过300000行"):
        tables.raw_rows(data, layout())
    assert detection.FileRows(data).rows(",") == [HEADER]  # the header alone, without the rows


def test_a_csv_over_the_limit_stops_there() -> None:
    """Two million lines: refused after reading limit + 1 of them (the attack's file took 114 s and 2 GB)."""
    data = csv_text([HEADER]) + b"2024-01-05,1.00,x\n" * 2_000_000
    with pytest.raises(FileRefused, match="文件超过1000行"):
        tables.raw_rows(data, layout(), max_rows=1000)


# -- files no layout reads ------------------------------------------------------------------------------


def test_a_csv_field_over_the_csv_limit_names_its_row() -> None:
    data = csv_text([HEADER, RECORDS[0], ["2024-01-08", "-1.00", "w" * 140_000]])
    with pytest.raises(FileRefused, match="第3行的字段过长（超过131072个字符）或引号不匹配"):
        tables.raw_rows(data, layout())
    # detection sees the rows before it
    assert detection.FileRows(data).rows(",") == [HEADER, RECORDS[0]]


def test_quotes_that_never_close_name_the_row_they_open() -> None:
    data = csv_text([HEADER, RECORDS[0]]) + b'2024-01-08,"-1.00,' + b'x""' * 80_000 + b"\n"
    with pytest.raises(FileRefused, match="第3行的字段过长"):
        tables.raw_rows(data, layout())


def test_bytes_behind_a_utf16_mark_that_are_not_utf16_are_a_file_error() -> None:
    odd = b"\xff\xfea"
    assert detection.sniff_encoding(odd) == ""
    assert detection.FileRows(odd).rows(",") == []
    with pytest.raises(FileRefused, match="文件以 UTF-16 字节顺序标记开头，但内容不是有效的 UTF-16 文本"):
        tables.raw_rows(odd, layout())
    with pytest.raises(FileRefused):
        readers.check_utf16(odd)
    # a real UTF-16 export still reads
    good = ("\t".join(HEADER) + "\n" + "\t".join(RECORDS[0]) + "\n").encode("utf-16")
    readers.check_utf16(good)
    assert tables.raw_rows(good, layout(delimiter="\t")) == [HEADER, RECORDS[0]]


def test_text_in_another_encoding_is_still_a_layout_error_not_a_refusal() -> None:
    with pytest.raises(FileError) as got:
        tables.raw_rows("记账日期,交易金额\n".encode("gbk"), layout(encoding="utf-8"))
    assert not isinstance(got.value, FileRefused) and "文件不是 utf-8 编码" in str(got.value)


# -- through the product --------------------------------------------------------------------------------


@pytest.fixture
def low_limit(settings: Any) -> None:
    settings.ZHIXING_STATEMENT_MAX_ROWS = 6


def _post(people: dict[str, Any], debtor: Any, name: str, data: bytes) -> Any:
    c = Client()
    c.force_login(people["judge"])
    base = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    return c.post(base, {"file": SimpleUploadedFile(name, data)})


# the sample export's header (the CMB layout finds it) and one of its records
SAMPLE_HEADER = LINES[2].split(",")
SAMPLE_RECORD = ["2024-01-08", "CNY", "-120.50", "8879.50", "快捷支付", "美团", "外卖"]
OVER = [SAMPLE_HEADER, *[SAMPLE_RECORD] * 6]  # 7 rows


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "xls"])
def test_the_preview_api_refuses_a_file_over_the_setting(
    fmt: str, low_limit: None, people: dict[str, Any], debtor: Any, tmp_path: Path
) -> None:
    data = {"csv": csv_text(OVER), "xlsx": xlsx(OVER), "xls": xls_bytes(OVER)}[fmt]
    got = _post(people, debtor, f"flow.{fmt}", data)
    assert got.status_code == 422, got.content
    assert got.json()["field"] == "file"
    assert (
        got.json()["detail"]
        == "流水文件无法导入：文件超过6行，超出单个流水文件的行数上限：请按时间段拆分后分别导入"
    )
    assert not any(Path(tmp_path).glob("**/pending/*.bin"))  # the upload is not held


@pytest.mark.django_db
def test_the_preview_api_answers_broken_files_with_422(people: dict[str, Any], debtor: Any) -> None:
    long_field = csv_text([SAMPLE_HEADER, SAMPLE_RECORD, [*SAMPLE_RECORD[:5], "w" * 140_000, "x"]])
    got = _post(people, debtor, "flow.csv", long_field)
    assert got.status_code == 422, got.content
    assert got.json()["detail"].startswith("流水文件无法导入：第3行的字段过长")
    odd = _post(people, debtor, "flow.csv", b"\xff\xfea")
    assert odd.status_code == 422, odd.content
    assert "不是有效的 UTF-16 文本" in odd.json()["detail"]


@pytest.mark.django_db
def test_the_import_refuses_a_file_over_the_setting(
    low_limit: None, people: dict[str, Any], debtor: Any, presets: dict[str, Any]
) -> None:
    data = csv_text(OVER)
    cmb = presets["cmb"]
    cmb.counterparty_column = "对方户名"  # the sample's name for it (unsaved: the import reads with this one)
    with pytest.raises(ServiceError, match="文件超过6行"):
        create_import(people["judge"], debtor, kind="statement", file_name="f.csv", data=data, preset=cmb)
    assert ImportJob.objects.count() == 0
    with pytest.raises(ServiceError, match="文件超过6行"):
        previews.start(people["judge"], debtor, data=data, file_name="f.csv", today=TODAY)
    # at the limit the file reads
    job = create_import(
        people["judge"],
        debtor,
        kind="statement",
        file_name="f.csv",
        data=data[: data.rindex(b"2024")],
        preset=cmb,
    )
    assert job.total_rows == 5


@pytest.mark.django_db
def test_a_travel_file_with_a_field_over_the_csv_limit_is_refused(
    people: dict[str, Any], debtor: Any
) -> None:
    from zhixing.analytics.presets import TRAVEL_COLUMNS

    data = csv_text([TRAVEL_COLUMNS, ["航班", "w" * 140_000]])
    with pytest.raises(ServiceError, match="出行记录文件无法导入：第2行的字段过长"):
        create_import(people["judge"], debtor, kind="travel", file_name="t.csv", data=data)
    with pytest.raises(ServiceError, match="出行记录文件须为 UTF-8 编码"):
        create_import(people["judge"], debtor, kind="travel", file_name="t.csv", data="类型".encode("gbk"))
