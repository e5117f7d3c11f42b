"""A statement's common lines read column-wise: the layout compiled to one DuckDB query per file.

`compiled_layout` reads a line in ~11 µs of Python; this module hands the file's body to DuckDB once
and computes, for every line at once, what `compiled_layout` computes per line — each cell cleaned
(`amounts.clean`), the date and time checked against the layout's pattern and joined into an ISO
time, the amount's shape checked and its digits extracted, the balance likewise, the kind from the
status and the markers, and the line hash (SHA-256 of the cleaned cells) — plus a `sure` flag. Python
then only turns the typed texts into `Decimal`/`datetime` and builds the `Line`.

The SQL is deliberately *stricter* than the Python readers: ASCII digits only, no decimal comma,
no full-width forms, rows of exactly the header's width with text cells only, nothing but the
shapes listed in the query. Every line it is not sure of is None, and the caller reads it with
`compiled_layout` and then `parsing.normalise_row` as before, so every line gets exactly the
`Line` or the row error the per-line reader gives (`tests/analytics/conftest.py` checks every
statement the tests read three ways; `test_columnar_layout.py` compares fixtures, the real samples
and edge rows, and imports a fixture through both paths).

What it expresses: a CSV layout with one signed amount column (either sign convention), any of
`compiled_layout`'s date and time patterns, currency words, balances, ignored statuses and
reversal/refund markers. Anything else (direction columns or keywords, in/out columns, an account
split from the counterparty, amounts with a decimal comma, Excel or Parquet) gets None from
`read_columns` and the file is read by `compiled_layout` line by line.
"""

# ruff: noqa: S608  (the SQL holds only the layout's own words as escaped literals and a temp path)

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from itertools import chain
from typing import Any

import duckdb

from .amounts import EMPTY, LIMIT, STRIP, currency_code
from .compiled_layout import _CURRENCY, _position
from .directions import options

CENT = Decimal("0.01")
PAD = " \t\r\n\ufeff"  # what `parse_amount` strips around an amount cell (compiled_layout._PAD)
MIN_ROWS = 200  # below this the per-line compiled reader is cheaper than starting DuckDB
D = "[0-9]"
AMOUNT = rf"[-+]?[¥￥]?({D}+(\.{D}+)?|{D}{{1,3}}(,{D}{{3}})+(\.{D}+)?)"  # compiled_layout._AMOUNT
HMS = rf"{D}{{2}}:{D}{{2}}:{D}{{2}}"
# date pattern → (SQL regex, how the ISO date is cut from it); the time part is optional unless named
DATES: dict[str, list[tuple[str, str]]] = {
    "": [
        (rf"{D}{{4}}-{D}{{2}}-{D}{{2}}( {HMS})?", "dash"),
        (rf"{D}{{4}}/{D}{{2}}/{D}{{2}}( {HMS})?", "dash"),
        (rf"{D}{{8}}", "compact"),
    ],
    "YYYY-MM-DD": [(rf"{D}{{4}}-{D}{{2}}-{D}{{2}}( {HMS})?", "dash")],
    "YYYY/MM/DD": [(rf"{D}{{4}}/{D}{{2}}/{D}{{2}}( {HMS})?", "dash")],
    "YYYY-MM-DD HH:mm:ss": [(rf"{D}{{4}}-{D}{{2}}-{D}{{2}} {HMS}", "dash")],
    "YYYY/MM/DD HH:mm:ss": [(rf"{D}{{4}}/{D}{{2}}/{D}{{2}} {HMS}", "dash")],
    "YYYYMMDD": [(rf"{D}{{8}}( {HMS})?", "compact")],
}
TIMES: dict[str, list[tuple[str, str]]] = {
    "": [(HMS, "colon"), (rf"{D}{{6}}", "packed")],
    "HH:mm:ss": [(HMS, "colon")],
    "HHmmss": [(rf"{D}{{6}}", "packed")],
}
TEXT_FIELDS = (
    "counterparty_column",
    "counterparty_account_column",
    "merchant_column",
    "summary_column",
    "category_column",
    "txn_id_column",
    "status_column",
)

TEXT_NAMES = {
    "counterparty_column": "cp",
    "counterparty_account_column": "account",
    "merchant_column": "merchant",
    "summary_column": "summary",
    "category_column": "category",
    "txn_id_column": "txn",
    "status_column": "status",
}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def expressible(preset: Any) -> bool:
    """Whether this module reads the layout at all (else `compiled_layout` reads every line)."""
    return (
        getattr(preset, "file_format", "csv") in ("csv", "", None)
        and (getattr(preset, "date_format", "") or "").strip() in DATES
        and (getattr(preset, "time_format", "") or "").strip() in TIMES
        and bool(preset.amount_column)
        and not preset.direction_column
        and not options(preset.direction_keywords_in)
        and not options(preset.direction_keywords_out)
        and not getattr(preset, "split_account", False)
        and not getattr(preset, "decimal_comma", False)
    )


def _cleaned(i: int) -> str:
    """`amounts.clean` of cell i in SQL, from its stripped text `t{i}` (the pad characters stripped):
    the empty words and any run of dashes are ''."""
    t = f"t{i}"
    empty = " OR ".join(f"{t} = {_lit(e)}" for e in sorted(EMPTY))  # (`IN` plans a join per cell)
    return f"CASE WHEN {empty} OR ltrim({t}, '-') = '' THEN '' ELSE {t} END"


# how the body is handed to DuckDB's CSV reader: cells joined by U+001F, one row a line, nothing quoted
# (`_plain`, when no cell holds U+001F or a line break), else every cell quoted
PLAIN = "delim = '\x1f', quote = '', escape = ''"
QUOTED = """delim = ',', quote = '"', escape = '"'"""
EDGE = f"^[{STRIP}]|[{STRIP}]$"  # a pad character at either end (trimming the rest changes nothing)


def _stripped(i: int) -> str:
    # DuckDB's `trim` with a character set costs ≈ 0.27 µs a cell, the test ≈ 0.1: most cells have none
    c = f"coalesce(c{i}, '')"
    return f"CASE WHEN regexp_matches({c}, {_lit(EDGE)}) THEN trim({c}, {_lit(STRIP)}) ELSE {c} END"


def _query(header: list[str], preset: Any, width: int, path: str, *, plain: bool = False) -> str:
    at = {f: _position(header, getattr(preset, f, "") or "") for f in (
        "date_column", "time_column", "amount_column", "currency_column", "balance_column", *TEXT_FIELDS
    )}  # fmt: skip

    def x(field: str) -> str:
        i = at[field]
        return f"x{i}" if i is not None and i < width else "''"

    day = x("date_column")
    date_re = DATES[(preset.date_format or "").strip()]
    # the ISO date and the date's own time ('' when it has none)
    parts = []
    for regex, cut in date_re:
        if cut == "dash":
            iso = f"substr({day}, 1, 4) || '-' || substr({day}, 6, 2) || '-' || substr({day}, 9, 2)"
            own = f"substr({day}, 12, 8)"
        else:
            iso = f"substr({day}, 1, 4) || '-' || substr({day}, 5, 2) || '-' || substr({day}, 7, 2)"
            own = f"substr({day}, 10, 8)"
        parts.append((f"regexp_full_match({day}, {_lit(regex)})", iso, own))
    # which of the patterns the date matches (the first; 0: none), computed once a row
    date_kind = (
        "CASE " + " ".join(f"WHEN {c} THEN {n}" for n, (c, _, _) in enumerate(parts, 1)) + " ELSE 0 END"
    )
    date_ok = "dk > 0"
    date_iso = "CASE dk " + " ".join(f"WHEN {n} THEN {i}" for n, (_, i, _) in enumerate(parts, 1)) + " END"
    date_own = "CASE dk " + " ".join(f"WHEN {n} THEN {o}" for n, (_, _, o) in enumerate(parts, 1)) + " END"
    clock = f"coalesce(nullif({date_own}, ''), '00:00:00')"
    time_ok, time_kind = "TRUE", "0"
    if preset.time_column:
        tm = x("time_column")
        forms = TIMES[(preset.time_format or "").strip()]
        conds = [(f"regexp_full_match({tm}, {_lit(r)})", cut) for r, cut in forms]
        time_kind = (
            f"CASE WHEN {tm} = '' THEN -1 "
            + " ".join(f"WHEN {c} THEN {n}" for n, (c, _) in enumerate(conds, 1))
            + " ELSE 0 END"
        )
        time_ok = "tk <> 0"
        given = (
            "CASE tk "
            + " ".join(
                f"WHEN {n} THEN "
                + (
                    tm
                    if cut == "colon"
                    else f"substr({tm}, 1, 2) || ':' || substr({tm}, 3, 2) || ':' || substr({tm}, 5, 2)"
                )
                for n, (_, cut) in enumerate(conds, 1)
            )
            + " END"
        )
        clock = f"CASE WHEN {tm} <> '' THEN {given} ELSE {clock} END"
    i = at["amount_column"]
    raw_amount = f"trim(coalesce(c{i}, ''), {_lit(PAD)})" if i is not None and i < width else "''"
    amount_ok = f"({x('amount_column')} <> '' AND regexp_full_match({raw_amount}, {_lit(AMOUNT)}))"
    amount = f"regexp_replace({raw_amount}, '[¥￥,+]', '', 'g')"
    bal = x("balance_column")
    masked = f"regexp_matches({bal}, '[xXyY*]')"
    balance_ok = f"({bal} = '' OR bm OR regexp_full_match({bal}, {_lit(AMOUNT)}))"
    balance = f"CASE WHEN {bal} = '' OR bm THEN NULL ELSE regexp_replace({bal}, '[¥￥,+]', '', 'g') END"
    status, marked = x("status_column"), f"({x('summary_column')} || ' ' || {x('category_column')})"
    ignored = options(preset.ignored_statuses)
    kind = "CASE"
    if ignored:
        kind += f" WHEN {status} <> '' AND {status} IN ({', '.join(_lit(s) for s in ignored)}) THEN 'ignored'"
    reversal, refund = options(preset.reversal_markers), options(preset.refund_markers)
    if reversal:
        said = " OR ".join(f"contains({marked}, {_lit(m)})" for m in reversal)
        kind += f" WHEN {said} THEN 'reversal'"
    if refund:
        said = " OR ".join(f"contains({marked}, {_lit(m)})" for m in refund)
        kind += f" WHEN {said} THEN 'refund'"
    kind += " ELSE 'normal' END"
    stripped = ", ".join(f"{_stripped(k)} AS t{k}" for k in range(width))
    cleaned = ", ".join(f"{_cleaned(k)} AS x{k}" for k in range(width))
    types = (
        "{" + ", ".join(f"'c{k}': 'VARCHAR'" for k in range(width)) + ", 'k': 'BIGINT', 'row_no': 'BIGINT'}"
    )
    texts = ", ".join(f"{x(f)} AS {TEXT_NAMES[f]}" for f in TEXT_FIELDS)
    return f"""
        WITH raw AS (
            SELECT * FROM read_csv({_lit(path)}, header = false, {PLAIN if plain else QUOTED},
                auto_detect = false, columns = {types}, strict_mode = true)
        ), stripped AS (SELECT *, {stripped} FROM raw
        ), cells AS MATERIALIZED (SELECT *, {cleaned} FROM stripped
        ), shaped AS MATERIALIZED (
            SELECT *, {date_kind} AS dk, {time_kind} AS tk, {masked} AS bm FROM cells
        )
        SELECT
            ({date_ok}) AND {time_ok} AND {amount_ok} AND {balance_ok} AS sure,
            {date_iso} || ' ' || {clock} AS at_text,
            {amount} AS amount_text,
            {x("currency_column")} AS raw_currency,
            {balance} AS balance_text,
            {kind} AS kind,
            {texts},
            sha256(concat_ws(chr(31), {", ".join(f"x{k}" for k in range(width))})) AS digest,
            k, row_no
        FROM shaped
    """


def _decimal(text: str) -> Decimal | None:
    """`compiled_layout._amount` of a matched cell given as sign + digits ('-1234.5')."""
    d = Decimal(text.lstrip("-"))
    if text[:1] == "-":
        d = -d
    if abs(d) >= LIMIT:
        return None
    return d.quantize(CENT)


def full_rows(header: list[str], body: list[tuple[int, list[Any]]], *, text_only: bool = False) -> list[int]:
    """Indexes of the rows of the header's width whose cells are all text (an Excel file recognised
    by its content has typed cells, which the compiled reader also leaves to the per-line reader);
    `text_only`: the caller knows every cell is a str (a CSV's)."""
    width = len(header)
    if text_only or set(map(type, chain.from_iterable(row for _, row in body))) <= {str}:  # text only
        return [k for k, (_, row) in enumerate(body) if len(row) == width]
    return [k for k, (_, row) in enumerate(body) if len(row) == width and all(type(c) is str for c in row)]


def _plain(body: list[tuple[int, list[Any]]], full: list[int], width: int) -> str | None:
    """The `full` rows (cells, then k and the row number) as lines of cells joined by U+001F, unquoted
    (≈ 4× cheaper to write than `csv.writer`'s quoted form); None when a cell holds U+001F or a line
    break (counted over the whole text: exactly one line break and `width + 1` separators a row)."""
    text = "".join(["\x1f".join(body[k][1]) + f"\x1f{k}\x1f{body[k][0]}\n" for k in full])
    if text.count("\n") != len(full) or text.count("\x1f") != len(full) * (width + 1):
        return None
    return text


def load(
    con: duckdb.DuckDBPyConnection,
    header: list[str],
    body: list[tuple[int, list[Any]]],
    preset: Any,
    full: list[int],
) -> bool:
    """Run the layout's query over the `full` rows of the body into the TEMP table `cols` of `con`
    (its columns those `read_columns` fetches, plus `k`, the row's index in `body`, and `row_no`);
    False when the rows cannot go through DuckDB's CSV reader verbatim. DuckDB errors propagate."""
    text, plain = _plain(body, full, len(header)), True
    if text is None:
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
            [*body[k][1], k, body[k][0]] for k in full
        )
        text, plain = buf.getvalue(), False
    if "\r" in text or "\x00" in text:  # cells DuckDB's CSV reader might not hand back verbatim
        return False
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    fd, path = tempfile.mkstemp(suffix=".csv")
    try:
        os.write(fd, data)
        os.close(fd)
        con.execute(f"CREATE TEMP TABLE cols AS {_query(header, preset, len(header), path, plain=plain)}")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    n = con.execute("SELECT count(*) FROM cols").fetchone()
    return n is not None and n[0] == len(full)


def read_columns(
    header: list[str], body: list[tuple[int, list[Any]]], preset: Any, *, min_rows: int | None = None
) -> list[Any] | None:
    """For each body row, the `Line` `compiled_layout` would give, or None where this reader is not
    sure (the caller reads that row line by line); None for a layout or file it does not read."""
    from .parsing import Line

    if len(body) < (MIN_ROWS if min_rows is None else min_rows) or not expressible(preset):
        return None
    full = full_rows(header, body)
    if not full:
        return None
    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        made = load(con, header, body, preset, full)
        rows = con.execute("SELECT * EXCLUDE (k, row_no) FROM cols ORDER BY k").fetchall() if made else None
    except duckdb.Error:
        rows = None
    finally:
        con.close()
    if rows is None:
        return None
    if len(rows) != len(full):
        return None
    out: list[Any] = [None] * len(body)
    default = preset.default_currency
    currencies: dict[str, str] = {}
    out_positive = getattr(preset, "amount_sign", "in_positive") == "out_positive"
    make: Callable[..., Any] = Line
    for k, r in zip(full, rows, strict=True):
        (
            sure,
            when,
            amount_text,
            raw_currency,
            balance_text,
            kind,
            cp,
            account,
            merchant,
            summary,
            category,
            txn,
            status,
            digest,
        ) = r
        if not sure:
            continue
        try:
            occurred = datetime.fromisoformat(when)
        except ValueError:
            continue
        amount = _decimal(amount_text)
        if amount is None:
            continue
        if out_positive:
            amount = -amount
        direction = "in" if amount > 0 else ("out" if amount < 0 else "neutral")
        currency = default
        if raw_currency:
            if raw_currency not in currencies:
                currencies[raw_currency] = currency_code(raw_currency)
            currency = currencies[raw_currency]
        if not _CURRENCY.fullmatch(currency or ""):
            continue
        balance = None
        if balance_text is not None:
            balance = _decimal(balance_text)
            if balance is None:
                continue
        if kind == "refund":
            if direction == "neutral":
                kind = "normal"
            else:
                direction, amount = "in", abs(amount)
        out[k] = make(
            row_no=body[k][0],
            occurred_at=occurred,
            amount=amount,
            currency=currency,
            direction=direction,
            kind=kind,
            counterparty=cp[:200],
            counterparty_account=account[:64],
            merchant=merchant[:200],
            summary=summary[:200],
            category=category[:64],
            balance=balance,
            txn_id=txn[:80],
            status=status[:32],
            line_hash=digest,
        )
    return out
