"""What a statement import checks about the lines it read, before storing them: the file's own totals
(where the layout says how to find them) and the preview's shape warnings (one direction only, words
contradicting the sign, future dates, …). Each from the read lines or, for a file read column-wise,
from the aggregates over its staged lines (`columnar_checks`): the same notes either way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .. import columnar_checks, preview
from ..columnar_import import Staged
from ..models import ImportJob, StatementPreset, Transaction
from ..parsing import Line, Statement
from ..totals import compare, find_totals


class Read:
    """A statement job's read: the valid lines (per line) or the staged lines (column-wise)."""

    def __init__(self) -> None:
        self.good: list[tuple[int, Any]] = []
        self.bad: list[tuple[int, list[Any], str]] = []
        self.staged: Staged | None = None
        self.statement: Statement | None = None
        self.convert: Callable[[Line], Line] | None = None

    @property
    def valid(self) -> int:
        return self.staged.good if self.staged is not None else len(self.good)


def totals_check(
    preset: StatementPreset, file_notes: list[dict[str, Any]], read: Read, rows: int
) -> list[dict[str, Any]]:
    """Warnings where the file's own totals (by the layout's rules) differ from the lines read."""
    # the preamble and footer lines only: an amount's own note is no statement total
    found = find_totals(
        [n["text"] for n in file_notes if n.get("text") and n.get("kind") != "amount"], preset
    )
    if not found:
        return []
    if read.staged is not None:
        total_in, total_out = columnar_checks.totals(read.staged)
    else:
        total_in, total_out = _sums(read.good)
    warnings = compare(found, total_in, total_out, rows)
    if not warnings:
        return [{"row": 0, "kind": "totals", "level": "info", "text": "文件自身的合计与导入结果一致"}]
    return [{"row": 0, "kind": "totals", "level": "warning", "text": w} for w in warnings]


def _sums(good: list[tuple[int, Line]]) -> tuple[Decimal, Decimal]:
    total_in, total_out = Decimal("0.00"), Decimal("0.00")
    for _, line in good:
        if line.kind == Transaction.Kind.IGNORED:
            continue
        amount = line.original_amount if line.original_amount is not None else line.amount
        if line.direction == Transaction.Direction.IN:
            total_in += abs(amount)
        elif line.direction == Transaction.Direction.OUT:
            total_out += abs(amount)
    return total_in, total_out


def shape_check(
    job: ImportJob,
    data: bytes,
    period: tuple[date, date] | None,
    read: Read,
    total: int,
    errors: int,
) -> list[dict[str, Any]]:
    """The preview's warnings on what was read (one direction only, words contradicting the sign,
    spending above income every month, future dates, dates outside the period): an import that skipped
    the preview, or confirmed despite them, still says so on the job."""
    staged, today = read.staged, timezone.localdate()
    first = staged.first_row() if staged is not None else (read.good[0][0] if read.good else None)
    if period is None and first is not None:  # the period a preamble line states, as the preview reads it
        assert job.preset is not None
        period = preview.statement_period(data, job.preset.delimiter, first - 2)
    if staged is not None:
        shape = columnar_checks.shape(staged, today=today, period=period)
    else:
        shape = preview.shape_of([line for _, line in read.good], today=today, period=period)
    texts = preview.warnings_of(shape, total=total, errors=errors, period=period)
    texts += _currency(job, read)
    return [{"row": 0, "kind": "shape", "level": "warning", "text": t} for t in texts]


def _currency(job: ImportJob, read: Read) -> list[str]:
    """The preview's warning on an English export read in yuan, from the file's own rows (every cell's
    text: the staged lines keep no words) and the currencies read."""
    table = read.statement.table if read.statement is not None else None
    if table is None:
        return []
    if not preview.currency_warning_possible(table.header, job.preset):
        return []  # Chinese names or a currency column: the lines (a join each) decide nothing
    if read.staged is not None:
        currencies = {
            str(c) for (c,) in read.staged.con.execute("SELECT DISTINCT currency FROM staged").fetchall()
        }
    else:
        currencies = {line.currency for _, line in read.good}
    texts = [" ".join(str(c) for c in row if c is not None) for _, row in table.body]
    return preview.currency_warning_of(table.header, texts, currencies, job.preset)
