"""The column-wise import (`services/columnar_rows.py`: the lines staged in DuckDB, the duplicate
decisions, shape warnings and totals as SQL, the rows written from DuckDB's tuples) stores, decides,
notes and refuses exactly what the per-line import does.

Each test imports the same file for two debtors — once column-wise (on every file, however short),
once with the column-wise path switched off — and compares the stored transactions field by field,
the job's counts, errors, notes (shape and totals checks, id-reuse notes) and duplicate decisions.
"""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.analytics import columnar_layout, parsing
from zhixing.analytics.models import QuarantinedRow, Transaction
from zhixing.analytics.services import columnar_rows

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
    debtor: Any, people: dict[str, Any], preset: Any, files: list[bytes], monkeypatch: pytest.MonkeyPatch,
    mode: str = "quarantine",
) -> tuple[list[Any], list[Any], list[int]]:
    monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
    seen = _staged_lines(monkeypatch)
    monkeypatch.setattr(columnar_rows, "ENABLED", True)
    wide = [load(debtor, people["judge"], preset, data, mode=mode) for data in files]
    monkeypatch.setattr(columnar_rows, "ENABLED", False)
    other = _other_debtor(people)
    narrow = [load(other, people["judge"], preset, data, mode=mode) for data in files]
    return wide, narrow, seen


def _assert_same(wide: list[Any], narrow: list[Any]) -> None:
    for a, b in zip(wide, narrow, strict=True):
        assert a.status == b.status
        assert (a.imported, a.duplicates, a.quarantined, a.ignored, a.total_rows, a.processed_rows) == (
            b.imported, b.duplicates, b.quarantined, b.ignored, b.total_rows, b.processed_rows
        )
        assert a.errors == b.errors
        assert a.notes == b.notes
        assert _decisions(a.dedup_decisions, wide[0].pk) == _decisions(b.dedup_decisions, narrow[0].pk)
        assert _stored(a) == _stored(b)
        assert _quarantined(a) == _quarantined(b)
        links = [_links(a, wide[0]), _links(b, narrow[0])]
        assert links[0] == links[1]


def _quarantined(job: Any) -> list[tuple[Any, ...]]:
    return list(QuarantinedRow.objects.filter(job=job).order_by("row_no").values_list("row_no", "raw", "reason"))


def _links(job: Any, first: Any) -> list[tuple[int, Any]]:
    """Each duplicate's row and the (job, row) it points at, the first import named."""
    out = []
    for row_no, of_job, of_row in Transaction.objects.filter(job=job, duplicate_of__isnull=False).values_list(
        "row_no", "duplicate_of__job_id", "duplicate_of__row_no"
    ):
        out.append((row_no, ("first" if of_job == first.pk else "this" if of_job == job.pk else of_job), of_row))
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
