"""The column-wise import (`services/columnar_rows.py`: the lines staged in DuckDB, the duplicate
decisions, shape warnings and totals as SQL, the rows written from DuckDB's tuples) stores, decides,
notes and refuses exactly what the per-line import does.

Each test imports the same file for two debtors — once column-wise (on every file, however short),
once with the column-wise path switched off — and compares the stored transactions field by field,
the job's counts, errors, notes (shape and totals checks, id-reuse notes) and duplicate decisions.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pytest
from django.db import connection
from django.test import TestCase

from zhixing.analytics import columnar_layout, services, store
from zhixing.analytics.models import QuarantinedRow, Transaction
from zhixing.analytics.services import columnar_rows, statement_rows

from .conftest import FIXTURES, REAL, load
from .test_columnar_layout import _decisions
from .test_compiled_layout import REAL_SAMPLES, SAMPLES, _other_debtor, _stored


def _staged_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the lines the query staged by itself (the rest went through the per-line readers)."""
    seen: list[int] = []
    real = columnar_rows.columnar_import.stage

    def spy(*args: Any, **kw: Any) -> Any:
        got = real(*args, **kw)
        if got is not None:
            seen.append(got.by_sql)
        return got

    monkeypatch.setattr(columnar_rows.columnar_import, "stage", spy)
    return seen


def _both(
    debtor: Any,
    people: dict[str, Any],
    preset: Any,
    files: list[bytes],
    monkeypatch: pytest.MonkeyPatch,
    mode: str = "quarantine",
) -> tuple[list[Any], list[Any], list[int]]:
    monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
    seen = _staged_lines(monkeypatch)
    placed = _placed(monkeypatch)
    monkeypatch.setattr(columnar_rows, "ENABLED", True)
    wide, snapshots = [], []
    for data in files:
        wide.append(_committed(debtor, people["judge"], preset, data, mode))
        snapshots.append(_snapshot(debtor.party.pk))
    monkeypatch.setattr(columnar_rows, "ENABLED", False)
    other = _other_debtor(people)
    narrow = []
    for data, wide_snapshot in zip(files, snapshots, strict=True):
        narrow.append(_committed(other, people["judge"], preset, data, mode))
        # the debtor's Parquet snapshot (written from DuckDB's staged lines on a first column-wise
        # import, rebuilt from the stored rows on the next) holds what the per-line import's holds
        assert wide_snapshot == _snapshot(other.party.pk)
    if seen and wide[0].status == "done":
        assert placed[:1] == [True] and snapshots[0]
    return wide, narrow, seen


def _committed(ref: Any, user: Any, preset: Any, data: bytes, mode: str) -> Any:
    """`load`, its commit callbacks (the snapshot) run as a real commit would run them."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return load(ref, user, preset, data, mode=mode)


def _placed(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record whether each column-wise import's own snapshot was put in place."""
    seen: list[bool] = []
    real = columnar_rows.place_snapshot

    def spy(*args: Any) -> bool:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(columnar_rows, "place_snapshot", spy)
    return seen


def _snapshot(party_id: int) -> list[tuple[Any, ...]]:
    path = store.tx_path(party_id)
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        return con.execute(
            f"SELECT * EXCLUDE (row_id, debtor_id) FROM read_parquet('{path}') ORDER BY row_id"
        ).fetchall()
    finally:
        con.close()


def _assert_same(wide: list[Any], narrow: list[Any]) -> None:
    for a, b in zip(wide, narrow, strict=True):
        assert a.status == b.status
        assert (a.imported, a.duplicates, a.quarantined, a.ignored, a.total_rows, a.processed_rows) == (
            b.imported,
            b.duplicates,
            b.quarantined,
            b.ignored,
            b.total_rows,
            b.processed_rows,
        )
        assert a.errors == b.errors
        assert a.notes == b.notes
        assert _decisions(a.dedup_decisions, wide[0].pk) == _decisions(b.dedup_decisions, narrow[0].pk)
        assert _stored(a) == _stored(b)
        assert _quarantined(a) == _quarantined(b)
        links = [_links(a, wide[0]), _links(b, narrow[0])]
        assert links[0] == links[1]


def _quarantined(job: Any) -> list[tuple[Any, ...]]:
    return list(
        QuarantinedRow.objects.filter(job=job).order_by("row_no").values_list("row_no", "raw", "reason")
    )


def _links(job: Any, first: Any) -> list[tuple[int, Any]]:
    """Each duplicate's row and the (job, row) it points at, the first import named."""
    out = []
    for row_no, of_job, of_row in Transaction.objects.filter(job=job, duplicate_of__isnull=False).values_list(
        "row_no", "duplicate_of__job_id", "duplicate_of__row_no"
    ):
        out.append(
            (row_no, ("first" if of_job == first.pk else "this" if of_job == job.pk else of_job), of_row)
        )
    return sorted(out)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_fixture_imports_store_the_same(
    code: str, debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (FIXTURES / SAMPLES[code]).read_bytes()
    wide, narrow, seen = _both(debtor, people, presets[code], [data, data], monkeypatch)
    _assert_same(wide, narrow)
    assert wide[0].status == "done" and wide[1].duplicates == wide[0].imported + wide[0].duplicates
    if columnar_layout.expressible(presets[code]):
        assert seen and seen[0] > 0


@pytest.mark.skipif(
    not REAL.is_dir(), reason="shared/data/statements (real sample exports) not on this machine"
)
@pytest.mark.parametrize("code", sorted(REAL_SAMPLES))
def test_real_samples_store_the_same(
    code: str, debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = (REAL / REAL_SAMPLES[code]).read_bytes()
    wide, narrow, _ = _both(debtor, people, presets[code], [data, data], monkeypatch)
    _assert_same(wide, narrow)


# A layout the column-wise query expresses, with its own totals in the footer.
MESSY_LAYOUT = {
    "name": "列式核对版式",
    "code": "colw",
    "header_row": 1,
    "date_column": "日期",
    "time_column": "时间",
    "amount_column": "金额",
    "currency_column": "币种",
    "balance_column": "余额",
    "counterparty_column": "对方",
    "summary_column": "摘要",
    "txn_id_column": "流水号",
    "status_column": "状态",
    "ignored_statuses": "交易关闭",
    "refund_markers": "退款",
    "footer_prefixes": "合计",
    "total_in_pattern": r"收入合计\s*([\d,.]+)",
    "total_out_pattern": r"支出合计\s*([\d,.]+)",
    "total_count_pattern": r"共\s*(\d+)\s*笔",
}
LONG = "甲" * 199 + " " + "乙" * 50  # cut at 200 characters: the cut ends in a space
MESSY_ROWS = [
    "2024-01-05,10:00:00,人民币,100.00,1000.00,张三,工资,T1,成功",
    "2024-01-05,10:00:00,人民币,100.00,1000.00,张三,工资,T1,成功",  # same id and time: listed twice
    "2024-01-05,10:00:00,人民币,-50.00,950.00,李四,消费,,成功",
    "2024-01-05,10:00:00,人民币,-50.00,950.00,李四,消费,,成功",  # no id: a second real purchase
    "2024-01-06,11:00:00,人民币,-20.00,930.00,王五,消费,T2,成功",
    "2024-01-07,11:00:00,人民币,-21.00,909.00,赵六,消费,T2,成功",  # id reused on other content
    "2024-01-08,09:30:00,USD,-10.00,,海外商户,消费,,成功",  # converted per line at the USD rate
    "2024-01-08,09:31:00,EUR,-10.00,,海外商户,消费,,成功",  # no EUR rate: a row error
    "2024-01-09,08:00:00,人民币,0.00,909.00,零元,消费,,成功",  # zero amount: per line
    "2024-01-09,08:01:00,人民币,-1.00,-0.00,负零余额,消费,,成功",
    "2024-01-09,08:02:00,人民币,12.345,,三位小数,消费,,成功",
    "2024-01-09,08:03:00,人民币,-3.00,***,\u3000全角空格\u3000,消费,\u3000T3\u3000,成功",
    f"2024-01-09,08:04:00,人民币,-4.00,,{LONG},消费,,成功",
    "2024-02-30,08:05:00,人民币,-5.00,,二月三十,消费,,成功",  # no such day: a row error
    "2024-01-10,24:00:00,人民币,-6.00,,二十四点,消费,,成功",
    "2099-01-01,08:00:00,人民币,-7.00,,未来,消费,,成功",  # after today: a shape warning
    "1988-04-10,12:00:00,人民币,-8.00,,夏令时,消费,,成功",  # a day Shanghai's offset changed
    "2024-01-11,08:00:00,人民币,30.00,,商户,退款,,成功",  # refund marker
    "2024-01-11,08:01:00,人民币,-40.00,,商户,消费,,交易关闭",  # ignored status
    '2024-01-12,08:00:00,人民币,"1,234.50",,大额,转入,,成功',
    "2024-01-12,08:01:00,人民币,+¥9.90,,符号,转入,,成功",
    "20240113,080000,人民币,-1,,紧凑,消费,,成功",
]
MESSY_FOOTER = "合计 收入合计 1,000.00 支出合计 10.00 共 3 笔"


def _messy(rows: list[str]) -> bytes:
    head = "日期,时间,币种,金额,余额,对方,摘要,流水号,状态"
    return "\n".join([head, *rows, MESSY_FOOTER, ""]).encode("utf-8")


@pytest.mark.parametrize("mode", ["quarantine", "strict"])
def test_messy_lines_store_decide_and_note_the_same(
    mode: str, debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines at every edge the query leaves to the per-line readers, duplicates of both kinds, an id
    reused, a foreign currency, errors, a future date, a day with a time-zone change, totals that do
    not match; imported twice (the second time everything repeats a stored line)."""
    preset = services.save_preset(people["judge"], MESSY_LAYOUT)
    data = _messy(MESSY_ROWS)
    wide, narrow, seen = _both(debtor, people, preset, [data, data], monkeypatch, mode=mode)
    _assert_same(wide, narrow)
    if mode == "strict":
        assert wide[0].status == "rejected" and wide[0].notes
    else:
        assert wide[0].status == "done" and wide[1].duplicates == wide[0].imported + wide[0].duplicates
        kinds = {d["decision"] for d in wide[0].dedup_decisions}
        assert kinds == {"duplicate", "distinct"}
        assert any(n.get("level") == "info" and "T2" in n["reason"] for n in wide[0].errors)
        texts = [n["text"] for n in wide[0].notes if n.get("level") == "warning"]
        assert any("晚于今天" in t for t in texts) and any("合计与文件不符" in t for t in texts)
    # most lines were typed by the query itself, the edge ones by the per-line readers
    assert seen and 0 < seen[0] < len(MESSY_ROWS)


def test_a_clean_file_stays_in_sql_and_a_re_import_with_an_extra_line(
    debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every line of a clean file is typed by the query; a longer export repeating the first (with a
    third identical purchase) adds just the new lines, the same both ways."""
    preset = services.save_preset(people["judge"], MESSY_LAYOUT)
    clean = MESSY_ROWS[:6]
    longer = [*clean, MESSY_ROWS[3], "2024-01-14,08:00:00,人民币,-2.00,,新的,消费,,成功"]
    wide, narrow, seen = _both(debtor, people, preset, [_messy(clean), _messy(longer)], monkeypatch)
    _assert_same(wide, narrow)
    assert seen[0] == len(clean) and seen[1] == len(longer)
    assert (wide[1].imported, wide[1].duplicates) == (2, len(clean))


def test_fields_every_line_shares_are_written_once_and_store_the_same(
    debtor: Any, people: dict[str, Any], presets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field every new line shares (the job, no link, the currency, an empty column, a status with a
    quote and a '%s') goes into the insert statement as a literal, and the rows stored are those the
    per-line import stores."""
    preset = services.save_preset(people["judge"], MESSY_LAYOUT)
    status = "成功's 100%s %%"
    rows = [
        f"2024-03-{d:02d},08:00:00,人民币,-{d}.00,{1000 - d}.00,商户{d},消费,,{status}" for d in range(1, 29)
    ]
    shared: list[dict[str, Any]] = []
    real = statement_rows.write_chunks

    def spy(chunks: Any, same: dict[str, Any] | None = None) -> int:
        shared.append(dict(same or {}))
        return real(chunks, same)

    monkeypatch.setattr(statement_rows, "write_chunks", spy)
    wide, narrow, seen = _both(debtor, people, preset, [_messy(rows)], monkeypatch)
    _assert_same(wide, narrow)
    assert seen == [len(rows)]
    if connection.vendor == "sqlite":
        same = shared[0]
        assert same["job"] == wide[0].pk and same["duplicate_of"] is None and same["occurrence"] == 1
        assert (same["currency"], same["status"], same["txn_id"], same["original_amount"]) == (
            "CNY",
            status,
            "",
            None,
        )
        assert not {"row_no", "occurred_at", "amount", "balance", "counterparty"} & set(same)
    assert set(Transaction.objects.filter(job=wide[0]).values_list("status", flat=True)) == {status}
