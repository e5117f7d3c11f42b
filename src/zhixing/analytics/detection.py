"""Proposing the layout of an uploaded statement from its header (pure: bytes and layouts in, ranking out).

`propose(data, layouts)` scores every layout the user may use against the file and returns them best
first, each with a 0–100 score, the reasons in Chinese, the required columns the file lacks and the
`adjustments` (field → value) the layout needs to read this file exactly: the encoding the file really
has, the header row found after a preamble, and the file's own spelling of a column name that differs
only in width or spacing ("日 志 号" / "日志号", "金额（元）" / "金额(元)"). A layout that lacks a
required column is never proposed as usable (score below 50).

Files are read like the importer reads them (`tables`): Excel 97-2003 (`.xls`) and 2007+ (`.xlsx`) by
their content. A layout for files without a header line (`headerless`, columns named 1, 2, 3…) cannot
be matched by names: it is scored by whether the file's first records have the columns it numbers and
whether those records read under it (`normalise_row`: the date and amount columns parse), with the
number of lines to skip adjusted when the records start elsewhere.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from . import column_meanings, decimal_marks, headerless_fit, layout_fit, tables
from .columns import column_key
from .dates import ANY_YEAR, is_yearless
from .file_rows import SCAN_ROWS, FileRows, file_kind, sniff_encoding
from .header_search import (
    DELIMITERS,
    format_points,
    header_by_delimiter,
    locate_header,
    normalise_name,
)
from .parsing import RowError, clean, normalise_row, required_columns
from .statement_errors import FileError

# Read by callers and tests as `detection.<name>` (the file reading lives in `file_rows`).
__all__ = [
    "ANY_YEAR",
    "SCAN_ROWS",
    "FileRows",
    "Proposal",
    "file_kind",
    "normalise_name",
    "propose",
    "score",
    "sniff_encoding",
]

COLUMN_FIELDS = (
    "date_column",
    "time_column",
    "amount_column",
    "in_column",
    "out_column",
    "direction_column",
    "counterparty_column",
    "counterparty_account_column",
    "merchant_column",
    "summary_column",
    "category_column",
    "currency_column",
    "balance_column",
    "txn_id_column",
    "status_column",
)
USABLE = 50  # proposals scoring at least this read every required column
MEANT_HEADER = 3  # names meaning a layout's columns that make a row the header when none of its own do
# points off a usable layout whose sign convention the file's own words contradict
SIGN_PENALTY = 20
SAMPLE_RECORDS = 5  # a headerless layout must read this many first records (or all there are)


@dataclass
class Proposal:
    """One layout scored against the file."""

    preset: Any
    score: int
    usable: bool
    # 1-based row of the header in the file (0 when none was found); for a headerless layout, the row
    # of the first record it reads
    header_row: int
    header: list[str]
    reasons: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    adjustments: dict[str, Any] = field(default_factory=dict)
    # field → value the layout probably needs for the columns (and direction words) the file lacks,
    # by what the file's names usually mean (`column_meanings`): offered to the user, never applied alone
    suggestions: dict[str, Any] = field(default_factory=dict)
    # usable, or every required column it lacks has a suggestion: ranked before layouts that stay unusable
    covered: bool = False
    # share of the file's first records the layout reads (with its suggestions when it is not usable)
    reading: float = 0.0


def _columns(preset: Any) -> dict[str, str]:
    """Column field → column name, for the columns the layout names."""
    return {f: getattr(preset, f, "") for f in COLUMN_FIELDS if getattr(preset, f, "")}


def score(preset: Any, rows: FileRows) -> Proposal:
    """Score one layout against the file; see the module docstring for what is checked."""
    if getattr(preset, "headerless", False) and rows.kind != "parquet":
        return _score_headerless(preset, rows)
    cols = _columns(preset)
    required = {normalise_name(c) for c in required_columns(preset)}
    wanted = {normalise_name(c) for c in cols.values()}
    reasons: list[str] = []
    adjustments: dict[str, Any] = {}
    table, idx, spelled = header_by_delimiter(preset, rows, wanted, reasons, adjustments)
    if idx < 0:
        # None of the layout's names: look for a header by what its columns are usually called
        # (`column_meanings`), so that the preview can suggest the file's columns for the layout's.
        meant = {normalise_name(n) for f in cols for n in column_meanings.MEANINGS.get(f, ())}
        said: list[str] = []
        delimiter: dict[str, Any] = {}
        found = header_by_delimiter(preset, rows, meant, said, delimiter)
        if len(meant & found[2].keys()) >= MEANT_HEADER:
            table, idx, spelled = found
            # the delimiter those names were found with (a semicolon file under a comma layout)
            reasons += said
            adjustments.update(delimiter)
    if idx < 0 and rows.kind != "parquet":
        fitted = headerless_fit.fit_file(rows, getattr(preset, "delimiter", ",") or ",", DELIMITERS)
        if fitted is not None:
            return _score_fitted(preset, rows, *fitted)
    header = [clean(c) for c in table[idx]] if idx >= 0 else []
    found_req = required & spelled.keys()
    optional = wanted - required
    found_opt = optional & spelled.keys()
    missing = [c for c in required_columns(preset) if normalise_name(c) not in spelled]
    points = 70.0 * (len(found_req) / len(required) if required else 0.0)
    points += 20.0 * (len(found_opt) / len(optional) if optional else 1.0)
    if idx < 0:
        reasons.append("文件前80行中找不到与该版式相符的表头")
    else:
        where = f"表头位于第{idx + 1}行" + (f"（之前有{idx}行前言）" if idx else "")
        reasons.append(
            f"{where}；必需列 {len(found_req)}/{len(required)}，其他列 {len(found_opt)}/{len(optional)}"
        )
    if missing:
        reasons.append("缺少必需列：" + "、".join(missing))
    # The file's own spelling for a column that differs only in width or spacing.
    for fname, name in cols.items():
        actual = spelled.get(normalise_name(name))
        if actual is not None and actual != clean(name):
            adjustments[fname] = actual
            reasons.append(f"列名“{name}”在文件中写作“{actual}”，按文件列名读取")
    points += format_points(preset, rows, reasons, adjustments)
    if idx >= 0 and rows.kind != "parquet":
        locate_header(preset, table, idx, adjustments, reasons)
    usable = idx >= 0 and not missing
    suggested: dict[str, Any] = {}
    mark: dict[str, Any] = {}
    body = table[idx + 1 :] if idx >= 0 else []
    if usable:
        suggested = column_meanings.for_layout(preset, cols, body, header)
        # Amounts written with the other decimal mark ('-1.234,56' under a layout reading '1,234.56'):
        # the lines read (and are ranked) with the mark suggested, after a layout that has it.
        mark = decimal_marks.suggest(preset, {**cols, **adjustments, **suggested}, body, header)
        if mark:
            suggested.update(mark)
            reasons.append(decimal_marks.reason(mark["decimal_comma"]))
            points -= SIGN_PENALTY
        turned = _turned_round(preset, cols, body, header, {**adjustments, **suggested}, reasons)
        if turned:
            # Every column is there, but the file marks the direction in a column the layout does not
            # read, or its lines' words say the money goes the other way: the layout ranks after one
            # that reads them right, and the suggestion turns it round.
            suggested.update(turned)
            points -= SIGN_PENALTY
    elif idx >= 0:
        suggested = layout_fit.fit(preset, cols, body, header, table[:idx])
    final = round(points) if usable else min(round(points), USABLE - 1)
    covered = usable or (idx >= 0 and all(f in suggested for f, n in cols.items() if n in missing))
    fitted = copy.copy(preset)
    for name, value in {**adjustments, **suggested}.items():
        setattr(fitted, name, value)
    ignored = column_meanings.unread_direction(fitted, body, header) if covered and not usable else ""
    if ignored:
        covered = False
        reasons.append(f"文件的“{ignored}”列标明收支，该版式按金额正负判断，不读取该列")
    reading = 1.0
    if covered:
        # How much of the file's start the layout reads as proposed (a usable one without its
        # suggestions, the others with them): the better reader ranks first, whatever the names say.
        trial = fitted
        if usable:
            trial = copy.copy(preset)
            for name, value in {**adjustments, **mark}.items():
                setattr(trial, name, value)
        sample = _sample(trial, table, idx)
        reading = layout_fit.reads(trial, header, sample) / len(sample) if sample else 0.0
        if usable and sample and not reading:
            # Every column is named, but not one line reads (the wrong column for the date, another
            # delimiter): not a layout to offer as it is.
            usable = covered = False
            final = min(final, USABLE - 1)
            reasons.append(f"文件前{len(sample)}条记录均无法按该版式读取")
    return Proposal(
        preset=preset,
        score=max(0, min(100, final)),
        usable=usable,
        header_row=idx + 1 if idx >= 0 else 0,
        header=header,
        reasons=reasons,
        missing=missing,
        adjustments=adjustments,
        suggestions=suggested,
        covered=covered,
        reading=reading,
    )


def _sample(layout: Any, table: list[list[Any]], idx: int) -> list[tuple[int, list[Any]]]:
    """The first data records (row number, cells) as the importer takes them under `layout`: footers
    and summary lines left out (`tables.from_rows`); the raw lines under the header if it cannot."""
    try:
        records = tables.from_rows(table, layout).body
    except FileError:
        records = [(idx + 2 + i, r) for i, r in enumerate(table[idx + 1 :])]
    return [(n, r) for n, r in records if any(clean(c) for c in r)][: layout_fit.SAMPLE]


def _turned_round(
    preset: Any,
    cols: dict[str, str],
    body: list[list[Any]],
    header: list[str],
    found: dict[str, Any],
    reasons: list[str],
) -> dict[str, Any]:
    """For a usable layout that takes the direction from the amount's sign: the file's direction column
    with its words when the file has one (`column_meanings.unread_direction`), else the sign convention
    its lines' words call for (`layout_fit.sign_against_words`); {} when the layout reads them right."""
    trial = copy.copy(preset)
    for name, value in found.items():
        setattr(trial, name, value)
    column = column_meanings.unread_direction(trial, body, header)
    if column:
        reasons.append(f"文件的“{column}”列标明收支，该版式按金额正负判断，不读取该列：建议读取该列")
        at = next(i for i, h in enumerate(header) if h == column)
        words = column_meanings.direction_words(
            clean(r[at]) for r in body[: layout_fit.SAMPLE] if len(r) > at
        )
        if words is None:
            return {"direction_column": column}
        fields = ("direction_in", "direction_out", "direction_neutral")
        return {"direction_column": column, **dict(zip(fields, words, strict=True))}
    against = layout_fit.sign_against_words(preset, cols, body, header, found)
    if against:
        reasons.append("文件各行的交易用语与该版式的收支方向约定不符，建议调整收支方向的判断方式")
    return against


def _number(name: str) -> int:
    """The column number a headerless layout names (1, 2, 3…), 0 when the name is not one."""
    key = column_key(name)
    return int(key) if key.isascii() and key.isdigit() else 0


def _first_records(preset: Any, table: list[list[Any]], skip: int) -> list[tuple[int, list[Any]]]:
    """The first records as the importer reads them when `skip` lines precede the data."""
    layout = copy.copy(preset)
    layout.header_row = skip
    return tables.from_rows(table, layout).body[:SAMPLE_RECORDS]


def _read_records(preset: Any, records: list[tuple[int, list[Any]]]) -> list[tuple[int, str]]:
    """(row, reason) for each record the layout cannot read (`normalise_row`, as the import does)."""
    # Columns named past the widest record are empty (as `parsing._check_columns` reads them).
    needed = max((_number(c) for c in required_columns(preset)), default=0)
    width = max([needed, *(len(r) for _, r in records)])
    header = [str(i) for i in range(1, width + 1)]
    period = ANY_YEAR if is_yearless(getattr(preset, "date_format", "")) else None
    failed: list[tuple[int, str]] = []
    for row_no, row in records:
        try:
            normalise_row(row_no, header, row, preset, period)
        except RowError as exc:
            failed.append((row_no, str(exc)))
    return failed


def _score_headerless(preset: Any, rows: FileRows) -> Proposal:
    """Score a layout whose columns are numbers: by the file's column count and whether its first
    records read under the layout, skipping a different number of lines if that makes them read."""
    table = rows.rows(getattr(preset, "delimiter", ","))
    required = required_columns(preset)
    optional = [c for c in _columns(preset).values() if c not in required]
    reasons: list[str] = []
    adjustments: dict[str, Any] = {}
    skip = getattr(preset, "header_row", 0) or 0
    records = _first_records(preset, table, skip)
    failed = _read_records(preset, records)
    if failed or not records:
        # Records that read when another number of lines is skipped (a preamble of another length).
        for other in range(len(table)):
            if other == skip:
                continue
            moved = _first_records(preset, table, other)
            if moved and not _read_records(preset, moved):
                records, failed = moved, []
                adjustments["header_row"] = other
                reasons.append(f"数据从第{other + 1}行开始：数据前跳过{other}行（版式为{skip}行）")
                break
    # The widest record says how many columns the file has. A numbered column past it reads as empty
    # (Excel leaves trailing empty cells out): it costs points, and fails the records if it is the
    # date or amount; a name that is not a number is a file error for the importer, so it is missing.
    file_width = max((len(r) for _, r in records), default=0)
    missing = [c for c in required if not _number(c)]
    beyond = [c for c in required if _number(c) > file_width]
    found_opt = [c for c in optional if 0 < _number(c) <= file_width]
    read_ok = len(records) - len(failed)
    points = 35.0 * ((len(required) - len(missing) - len(beyond)) / len(required) if required else 0.0)
    points += 35.0 * (read_ok / len(records) if records else 0.0)
    points += 20.0 * (len(found_opt) / len(optional) if optional else 1.0)
    points += format_points(preset, rows, reasons, adjustments)
    if records:
        reasons.insert(
            0,
            f"无表头，按列序号读取：文件有{file_width}列，前{len(records)}条记录中{read_ok}条可按该版式读取",
        )
    else:
        reasons.insert(0, "文件中找不到可按该版式读取的记录")
    if failed:
        row_no, why = failed[0]
        reasons.append(f"第{row_no}行无法读取：{why}")
    if beyond:
        reasons.append(f"文件只有{file_width}列，没有第{'、'.join(beyond)}列")
    if missing:
        reasons.append("缺少必需列：" + "、".join(missing) + "（无表头的版式按列序号 1、2、3… 填写列名）")
    usable = bool(records) and not failed and not missing
    final = round(points) if usable else min(round(points), USABLE - 1)
    return Proposal(
        preset=preset,
        score=max(0, min(100, final)),
        usable=usable,
        header_row=records[0][0] if records else 0,
        header=[str(i) for i in range(1, file_width + 1)],
        reasons=reasons,
        missing=missing,
        adjustments=adjustments,
        covered=usable,
        reading=1.0 if usable else 0.0,
    )


def _score_fitted(
    preset: Any, rows: FileRows, table: list[list[Any]], fitted: headerless_fit.Fitted
) -> Proposal:
    """A layout that names columns, for a file without a header: unusable as it is, covered by the
    headerless description as a suggestion, ranked by how much of the file that description reads."""
    reasons = ["文件前80行中找不到表头", *fitted.reasons]
    adjustments: dict[str, Any] = {}
    points = 30.0 + format_points(preset, rows, reasons, adjustments)
    trial = copy.copy(preset)
    for name, value in {**adjustments, **fitted.changes}.items():
        setattr(trial, name, value)
    header = [str(i) for i in range(1, fitted.width + 1)]
    body = table[fitted.skip :][: layout_fit.SAMPLE]
    sample = [(fitted.skip + 1 + i, r) for i, r in enumerate(body) if any(clean(c) for c in r)]
    reading = layout_fit.reads(trial, header, sample) / len(sample) if sample else 0.0
    return Proposal(
        preset=preset,
        score=min(round(points), USABLE - 1),
        usable=False,
        header_row=fitted.skip + 1,
        header=header,
        reasons=reasons,
        missing=[],
        adjustments=adjustments,
        suggestions={k: v for k, v in fitted.changes.items() if getattr(preset, k, None) != v},
        covered=reading > 0,
        reading=reading,
    )


def propose(data: bytes, presets: list[Any]) -> list[Proposal]:
    """Every layout scored against the file, best first (usable ones before the others)."""
    rows = FileRows(data)
    scored = [score(p, rows) for p in presets]
    return sorted(
        scored,
        # A layout that found the header before one that did not, whatever their scores: only the first
        # can be previewed (a preamble costs an adjustment, which must not count against it).
        key=lambda p: (
            not p.usable,
            not p.covered,
            p.header_row == 0,
            # a header found by its names before a description of the columns by their content
            bool(p.suggestions.get("headerless")) and not getattr(p.preset, "headerless", False),
            -p.reading,
            -p.score,
            len(p.adjustments),
            str(p.preset.name),
        ),
    )
