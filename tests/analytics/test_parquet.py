"""Parquet statements (how mobile-payment corpora are delivered): same validation, quarantine, progress.

The file is generated with DuckDB; its column names are those of the court-defined preset `generic`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import services
from zhixing.analytics.models import ImportJob, QuarantinedRow, Transaction
from zhixing.core.errors import ServiceError

from .test_indicators import GENERIC

ROWS = """
    (TIMESTAMP '2026-01-10 09:00:00', 8000.00, '张某华', '', '转账', 'CNY', 12000.00, 'P01'),
    (TIMESTAMP '2026-01-11 10:30:00', -260.50, '某直播平台', '', '直播打赏', 'CNY', NULL, 'P02'),
    (NULL, -10.00, '某超市', '', '消费', 'CNY', NULL, 'P03'),
    (TIMESTAMP '2026-01-12 08:00:00', -100.00, 'DFS', '', '境外消费', 'USD', NULL, 'P04'),
    (TIMESTAMP '2026-01-12 08:00:00', -100.00, 'DFS', '', '境外消费', 'USD', NULL, 'P04')
"""


def parquet_bytes(tmp_path: Path, rows: str = ROWS) -> bytes:
    target = tmp_path / "wx.parquet"
    con = duckdb.connect()
    cols = '"时间", "金额", "对方", "对方账号", "摘要", "币种", "余额", "流水号"'
    con.execute(f"COPY (SELECT * FROM (VALUES {rows}) AS t({cols})) TO '{target}' (FORMAT parquet)")
    con.close()
    return target.read_bytes()


@pytest.fixture
def generic(people: dict[str, Any], presets: dict[str, Any]) -> Any:
    return services.save_preset(people["judge"], dict(GENERIC))


@pytest.fixture
def huey_immediate() -> Iterator[None]:
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


def test_strict_parquet_import_is_rejected_with_the_row(
    debtor: Any, people: dict[str, Any], generic: Any, tmp_path: Path
) -> None:
    data = parquet_bytes(tmp_path)
    job = services.create_import(
        people["judge"], debtor, kind="statement", file_name="wx.parquet", data=data, preset=generic
    )
    assert job.total_rows == 5
    job = services.run_import(job.pk)
    assert job.status == ImportJob.Status.REJECTED
    assert job.errors == [{"row": 4, "reason": "“时间”为空"}]
    assert not Transaction.objects.filter(party_id=debtor.party.pk).exists()


def test_quarantine_parquet_import_with_progress_duplicates_and_conversion(
    debtor: Any, people: dict[str, Any], generic: Any, tmp_path: Path
) -> None:
    job = services.create_import(
        people["judge"],
        debtor,
        kind="statement",
        file_name="wx.parquet",
        data=parquet_bytes(tmp_path),
        preset=generic,
        mode="quarantine",
    )
    ticks: list[int] = []
    job = services.run_import(job.pk, progress=ticks.append)
    assert (job.status, job.imported, job.duplicates, job.quarantined) == ("done", 3, 1, 1)
    assert (len(ticks), job.processed_rows, job.total_rows, job.percent) == (5, 5, 5, 100)
    assert [(q.row_no, q.reason) for q in QuarantinedRow.objects.filter(job=job)] == [(4, "“时间”为空")]
    got = {
        t.txn_id: (t.row_no, t.amount, t.currency, t.balance, t.duplicate_of_id is not None)
        for t in Transaction.objects.filter(job=job).order_by("row_no")
    }
    assert got == {
        "P01": (2, Decimal("8000.00"), "CNY", Decimal("12000.00"), False),
        "P02": (3, Decimal("-260.50"), "CNY", None, False),
        "P04": (6, Decimal("-712.34"), "USD", None, True),  # row 6 repeats row 5 (kept, not counted)
    }
    assert Transaction.objects.filter(job=job, txn_id="P04").count() == 2


def test_parquet_missing_a_preset_column_is_refused_at_upload(
    debtor: Any, people: dict[str, Any], generic: Any, tmp_path: Path
) -> None:
    target = tmp_path / "bad.parquet"
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT DATE '2026-01-01' AS "日期", 1.5 AS "金额") TO '{target}' (FORMAT parquet)"""
    )
    con.close()
    with pytest.raises(ServiceError) as e:
        services.create_import(
            people["judge"],
            debtor,
            kind="statement",
            file_name="bad.parquet",
            data=target.read_bytes(),
            preset=generic,
        )
    assert e.value.field == "file" and "表头缺少列“时间”" in e.value.message
    assert not ImportJob.objects.exists()


def test_api_accepts_a_parquet_upload_and_reports_progress(
    debtor: Any,
    people: dict[str, Any],
    generic: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    huey_immediate: None,
) -> None:
    c = Client()
    c.force_login(people["clerk"])
    url = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/imports"
    path = tmp_path / "upload.parquet"
    path.write_bytes(parquet_bytes(tmp_path))
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as fh:
        r = c.post(url, {"file": fh, "preset": "generic", "mode": "quarantine"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["total_rows"]) == ("pending", 5)
    polled = c.get(f"/api/v1/analytics/jobs/{body['id']}").json()
    assert (polled["status"], polled["processed_rows"], polled["imported"], polled["quarantined"]) == (
        "done",
        5,
        3,
        1,
    )
    with path.open("rb") as fh:
        bad = c.post(url, {"file": fh, "preset": "nope"})
    assert (bad.status_code, bad.json()["field"]) == (422, "preset")


def test_upload_page_accepts_parquet(
    debtor: Any, people: dict[str, Any], generic: Any, tmp_path: Path
) -> None:
    c = Client()
    c.force_login(people["judge"])
    path = tmp_path / "page.parquet"
    path.write_bytes(parquet_bytes(tmp_path))
    with path.open("rb") as fh:
        r = c.post(
            reverse("analytics:upload", args=[debtor.case.pk, debtor.party.pk]),
            {"kind": "statement", "preset": generic.pk, "mode": "quarantine", "file": fh},
        )
    assert r.status_code == 302
    job = ImportJob.objects.get(party_id=debtor.party.pk)
    assert (job.file_name, job.total_rows, job.status) == ("page.parquet", 5, "pending")
