"""The compact batch answer (text/csv): a header, then one row per hit or invalid line, by line number.

Pure module (no Django). Cells pass `core.spreadsheet.neutralise`, so no formula reaches a partner's
spreadsheet. The gateway builds rows from ends cached per subject (:func:`detail_tail`,
:func:`hits_csv_tails`); :func:`hits_csv` is the same format from a batch and its details.
"""

from __future__ import annotations

from zhixing.core.spreadsheet import neutralise

from .screening import LineBatch

CSV_HEADER = "position,mask,since,court,case_number"


def _cell(value: object) -> str:
    text = neutralise("" if value is None else str(value))  # no formula reaches a spreadsheet
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def detail_tail(details: tuple[object, object, object]) -> str:
    """The end of a hit's CSV row after its mask: ``,since,court,case_number`` (cells made safe)."""
    return "," + ",".join(map(_cell, details))


def hits_csv_tails(batch: LineBatch, tails: list[str]) -> str:
    """:func:`hits_csv` from each hit's precomputed row end (:func:`detail_tail`, or ``,,,``), in the
    order of ``batch.hits``: one format per hit, no cell made again for a subject seen before."""
    rows = list(map("{},{}{}".format, batch.hits, batch.hits.values(), tails))
    if batch.invalid:
        by_pos = dict(zip(batch.hits, rows, strict=True))
        by_pos.update((p, f"{p},invalid,{batch.reasons.get(p, 'format')},,") for p in batch.invalid)
        rows = [by_pos[p] for p in sorted(by_pos)]
    return "\n".join((CSV_HEADER, *rows)) + "\n"


def hits_csv(batch: LineBatch, details: dict[int, tuple[object, object, object]] | None = None) -> str:
    """The compact response: a header, then one row per hit or invalid line, by line number.

    Columns: the 1-based line number in the request; the visible restriction bits (``rules.CODE_BITS``,
    listed in docs/credit.md; no code names, to keep a batch with many hits small); and, when
    `details` has the line, since when, the court and the case number for the refusal message. An
    invalid line reads ``N,invalid,<reason>,,`` (reason ``format`` or ``check_digit``, in the ``since``
    column: the header stays as partners parse it). Misses are omitted. The rows are
    :func:`hits_csv_tails`' (the gateway's, from row ends cached per subject).
    """
    details = details or {}
    return hits_csv_tails(batch, [detail_tail(details[p]) if p in details else ",,," for p in batch.hits])
