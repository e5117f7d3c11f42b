"""Which statement lines are the same transaction (pure: no Django, no ORM).

Two real refunds of the same amount on the same day are two transactions; the same line exported twice
(two imports of overlapping files) is one. The decision rests on an *occurrence key*:

- the line's content: local time to the second, the amount as on the statement (the original currency,
  so a changed rate table does not make a re-imported line new), the currency, the direction, the
  counterparty and the transaction id where the file gives one;
- within one file, lines with the same content are *distinct* transactions (a statement lists what
  happened; two identical rows are two events), numbered 1, 2, … in file order — unless the file gives
  them a transaction id: the same id at the same time is one transaction listed twice;
- across imports of the same debtor, a line whose content *and* ordinal match a line already stored is
  that line again (the second file overlaps the first), so a re-import yields only duplicates while a
  third identical refund in a longer file is still new.

Every decision that is not "a new line" — a duplicate, or identical lines kept apart — carries its reason
in Chinese for the import page and API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

DUPLICATE = "duplicate"
DISTINCT = "distinct"


class LineLike(Protocol):
    row_no: int
    occurred_at: datetime
    amount: Decimal
    original_amount: Decimal | None
    currency: str
    direction: str
    counterparty: str
    txn_id: str


def content_key(
    occurred_at: datetime,
    amount: Decimal,
    original_amount: Decimal | None,
    currency: str,
    direction: str,
    counterparty: str,
    txn_id: str,
) -> str:
    """What makes two lines look the same: time to the second, statement amount, currency, direction,
    counterparty and transaction id (empty when the file gives none)."""
    shown = original_amount if original_amount is not None else amount
    return "|".join(
        (
            f"{occurred_at:%Y%m%d%H%M%S}",
            str(Decimal(shown).quantize(Decimal("0.01"))),
            currency or "CNY",
            direction,
            (counterparty or "").strip(),
            (txn_id or "").strip(),
        )
    )


def line_content(line: LineLike) -> str:
    return content_key(
        line.occurred_at,
        line.amount,
        line.original_amount,
        line.currency,
        line.direction,
        line.counterparty,
        line.txn_id,
    )


def occurrence_key(content: str, ordinal: int) -> str:
    """The content with the line's ordinal among identical lines of its file."""
    return f"{content}#{ordinal}"


@dataclass(frozen=True)
class Stored:
    """A line already stored for the debtor (not itself a duplicate)."""

    pk: int
    job_id: int
    row_no: int


@dataclass(frozen=True)
class Decision:
    """What the import does with one line of the file.

    `decision` is "" for a new line, DUPLICATE (stored, linked to `of_*`, left out of every indicator)
    or DISTINCT (a new line that is identical to an earlier one of the same file and counted too).
    `of_row`/`of_job` name the line it repeats or resembles; `of_pk` is set when that line is already
    stored (a duplicate across imports); a duplicate inside the file points at `of_row` of this import.
    """

    row_no: int
    content: str
    ordinal: int
    decision: str
    reason: str
    of_row: int | None = None
    of_job: int | None = None
    of_pk: int | None = None

    @property
    def key(self) -> str:
        return occurrence_key(self.content, self.ordinal)

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row_no,
            "decision": self.decision,
            "reason": self.reason,
            "of_row": self.of_row,
            "of_job": self.of_job,
        }


def listed_twice(earlier: int) -> str:
    """The reason of a line the file lists twice under one transaction id and time."""
    return (
        f"与本文件第{earlier}行的交易流水号、交易时间、金额、收支和交易对方均相同，"
        "系同一笔交易重复列示，保存但不计入指标"
    )


def overlapping(job_id: int, row_no: int, ordinal: int) -> str:
    """The reason of a line an earlier import of the debtor already stored."""
    nth = f"（本文件同样内容的第{ordinal}笔）" if ordinal > 1 else ""
    return f"与已导入的导入#{job_id}第{row_no}行相同{nth}，系重叠文件中的同一笔交易，保存但不计入指标"


def identical(earlier: int, ordinal: int) -> str:
    """The reason of a line identical to an earlier one of its file, counted as another transaction."""
    return (
        f"与本文件第{earlier}行内容相同但文件未给出相同的交易流水号，"
        f"按另一笔真实交易计入（同样内容的第{ordinal}笔）"
    )


def id_reused(tid: str) -> str:
    """The info note on a transaction id the file gives to lines of different content."""
    return f"交易流水号 {tid} 与其他行相同但时间或内容不同，按不同交易处理"


def decide(lines: list[LineLike], stored: dict[str, Stored]) -> list[Decision]:
    """One decision per line, in file order.

    `stored` maps occurrence keys of the debtor's lines from earlier imports to the stored line.
    """
    first_row: dict[str, int] = {}  # content → first row of this file with it
    count: dict[str, int] = {}  # content → identical lines of this file counted as distinct so far
    out: list[Decision] = []
    for line in lines:
        content = line_content(line)
        earlier = first_row.get(content)
        if earlier is not None and (line.txn_id or "").strip():
            out.append(
                Decision(
                    line.row_no,
                    content,
                    1,
                    DUPLICATE,
                    listed_twice(earlier),
                    of_row=earlier,
                )
            )
            continue
        ordinal = count.get(content, 0) + 1
        count[content] = ordinal
        first_row.setdefault(content, line.row_no)
        hit = stored.get(occurrence_key(content, ordinal))
        if hit is not None:
            out.append(
                Decision(
                    line.row_no,
                    content,
                    ordinal,
                    DUPLICATE,
                    overlapping(hit.job_id, hit.row_no, ordinal),
                    of_row=hit.row_no,
                    of_job=hit.job_id,
                    of_pk=hit.pk,
                )
            )
            continue
        if earlier is not None:
            out.append(
                Decision(
                    line.row_no,
                    content,
                    ordinal,
                    DISTINCT,
                    identical(earlier, ordinal),
                    of_row=earlier,
                )
            )
            continue
        out.append(Decision(line.row_no, content, ordinal, "", ""))
    return out


def id_reuse_notes(lines: list[LineLike], decisions: list[Decision]) -> list[dict[str, object]]:
    """Info notes for a transaction id the file gives to lines of different content (WeChat reuses
    ids across unrelated lines): each is its own transaction, and the note says so."""
    first: dict[str, str] = {}
    notes: list[dict[str, object]] = []
    for line, d in zip(lines, decisions, strict=True):
        tid = (line.txn_id or "").strip()
        if not tid or d.decision == DUPLICATE:
            continue
        seen = first.setdefault(tid, d.content)
        if seen != d.content:
            notes.append(
                {
                    "row": line.row_no,
                    "reason": id_reused(tid),
                    "level": "info",
                }
            )
    return notes
