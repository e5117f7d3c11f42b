"""What a statement's column means by its name, and what a direction column's words mean (pure, data).

A court meets exports from hundreds of institutions: the same column is "交易金额" at one bank, "发生额"
at another and "金额（元）" at a third. When the nearest layout names a column the file does not have,
detection looks the layout's field up here and suggests the file's column that usually means the same
(`suggest`); for a direction column it suggests which of the file's words mean income and spending
(`direction_words`: 贷/借, 转入/转出, C/D…).

Suggestions are never applied by themselves. The preview lists them and the user applies them with
one click, then sees the rows read with them before anything is imported: a wrong guess is seen, not
stored. The names are compared with width, case, spaces and traditional characters ignored
(`names.word_key`: "對方戶名" is "对方户名", "Transaction Date" is "transactiondate"), and a currency
the name carries at its end is set aside ("Withdrawals (SGD)" is "Withdrawals", and says the currency).
The lists are data, in `column_names`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from .amounts import clean, currency_code
from .column_names import DIRECTION_PAIRS, MEANINGS, NEUTRAL_WORDS, NOT_DONE_STATUSES
from .columns import column_key, same_word
from .dates import parse_clock
from .directions import options
from .names import word_key


def suggest(columns: dict[str, str], header: Iterable[str], fill: Iterable[str] = ()) -> dict[str, str]:
    """Layout field → the file's column that probably means it, for each of the layout's `columns`
    (field → column name) that the `header` lacks as detection compares names (`columns.column_key`);
    the layout's own name in traditional characters counts first. A file column the layout already
    reads, or one suggested for an earlier field, is not suggested again. Fields in `fill` that the
    layout does not name at all get the file's column by its usual names too."""
    header = list(header)
    exact = {column_key(name) for name in header}
    # a name the header has twice (ING's two "Währung") is not read by name: `parsing` refuses it
    single = [name for name in header if name not in twice(header)]
    present: dict[str, str] = {}
    for name in single:
        key = word_key(name)
        if key and key not in present:
            present[key] = name
    for name in single:  # "Withdrawals (SGD)", "金额（元）": also by the name without its currency
        bare = word_key(unit_of(name)[0])
        if bare and bare not in present:
            present[bare] = name
    # file columns the layout reads already, or suggested for an earlier field
    claimed = {
        present[word_key(n)] for n in columns.values() if column_key(n) in exact and word_key(n) in present
    }
    out: dict[str, str] = {}
    fill = set(fill)
    for field, names in MEANINGS.items():
        wanted = columns.get(field, "")
        if not wanted and field not in fill:
            continue
        if wanted and column_key(wanted) in exact:
            continue
        for name in (wanted, *names) if wanted else names:
            found = present.get(word_key(name))
            if found is not None and found not in claimed:
                out[field] = found
                claimed.add(found)
                break
    return out


def twice(header: Iterable[str]) -> set[str]:
    """The header's names that it has more than once (compared as `parsing` compares them)."""
    counts = Counter(column_key(h) for h in header if h)
    return {h for h in header if h and counts[column_key(h)] > 1}


def position(header: list[str], column: str) -> int:
    """Where the file's `header` has `column` (compared as `columns.same_word`); -1 when it has not."""
    return next((i for i, h in enumerate(header) if column and same_word(h, column)), -1)


_UNIT = re.compile(r"^(.*?)\s*[(（]\s*([^()（）]+?)\s*[)）]\s*$")


def unit_of(name: str) -> tuple[str, str]:
    """(the name without a currency at its end, that currency's code or '' for yuan or none):
    "Withdrawals (SGD)" → ("Withdrawals", "SGD"), "金额（元）" → ("金额", ""), "摘要" → ("摘要", "")."""
    m = _UNIT.match(name.strip())
    if m and m.group(1):
        unit = m.group(2)
        if unit in ("元", "人民币元"):
            return m.group(1), ""
        code = currency_code(unit)
        if code:
            return m.group(1), "" if code == "CNY" else code
    return name, ""


def direction_words(values: Iterable[str]) -> tuple[str, str, str] | None:
    """(income, spending, neutral) words as the file writes them, when every non-empty value of a
    direction column is one word of a known pair or a neutral word and both words of the pair occur;
    None otherwise (a column with other words is left to the user). Neutral words are joined by '|'."""
    seen: dict[str, str] = {}
    for value in values:
        key = word_key(value)
        if key and key not in seen:
            seen[key] = value.strip()
    neutral = {word_key(w) for w in NEUTRAL_WORDS}
    for word_in, word_out in DIRECTION_PAIRS:
        k_in, k_out = word_key(word_in), word_key(word_out)
        if k_in in seen and k_out in seen and set(seen) <= {k_in, k_out} | neutral:
            rest = "|".join(seen[k] for k in seen if k in neutral)
            return seen[k_in], seen[k_out], rest
    return None


def for_layout(
    preset: Any, cols: dict[str, str], records: list[list[Any]], header: list[str]
) -> dict[str, Any]:
    """The file's columns for the layout's columns it lacks (`column_meanings.suggest`) and, when the
    direction column's words are not the layout's, the file's words for income, spending and neither.
    The `FILLED` columns the layout leaves out are offered when the file has one whose sample values read
    as that field (a clock time, a currency)."""
    found: dict[str, Any] = suggest(cols, header, FILLED)
    for name in FILLED:
        if name in found and not cols.get(name) and not _values_read(name, found[name], records, header):
            del found[name]
    currency = _named_currency(preset, cols, found, header) or _repeated_currency(
        preset, cols, records, header
    )
    if currency:
        found["default_currency"] = currency
    ignored = _ignored_statuses(
        preset, found.get("status_column") or cols.get("status_column", ""), records, header
    )
    if ignored:
        found["ignored_statuses"] = ignored
    column = found.get("direction_column") or cols.get("direction_column", "")
    at = position(header, column)
    if at < 0:
        return found
    values = [clean(r[at]) for r in records if len(r) > at and clean(r[at])]
    words = (preset.direction_in, preset.direction_out, preset.direction_neutral)
    if all(any(same_word(v, w) for part in words for w in options(part)) for v in values):
        return found  # the layout's own words read every line
    guessed = direction_words(values)
    if guessed is not None:
        for name, word in zip(("direction_in", "direction_out", "direction_neutral"), guessed, strict=True):
            if word and word != getattr(preset, name):
                found[name] = word
    return found


def _named_currency(preset: Any, cols: dict[str, str], found: dict[str, Any], header: list[str]) -> str:
    """The currency the file's amount columns name ("Deposits (SGD)") when the layout reads no currency
    column and assumes another; '' otherwise."""
    read = found.get("currency_column") or cols.get("currency_column", "")
    if read and any(same_word(h, read) for h in header):
        return ""
    names = [found.get(f) or cols.get(f, "") for f in ("amount_column", "in_column", "out_column")]
    codes = {unit_of(h)[1] for h in header for n in names if n and same_word(h, n)}
    if (
        len(codes) == 1
        and (code := codes.pop())
        and code != (getattr(preset, "default_currency", "") or "CNY")
    ):
        return code
    return ""


def _repeated_currency(preset: Any, cols: dict[str, str], records: list[list[Any]], header: list[str]) -> str:
    """The one currency a currency column the header names twice holds on every sample line (ING's
    "Währung" after the balance and after the amount, both "EUR") when the layout reads no currency
    column and assumes another; '' otherwise."""
    if cols.get("currency_column") and any(same_word(h, cols["currency_column"]) for h in header):
        return ""
    meant = {word_key(n) for n in MEANINGS["currency_column"]}
    at = [i for i, h in enumerate(header) if h in twice(header) and word_key(h) in meant]
    values = {clean(r[i]) for r in records[:40] for i in at if i < len(r) and clean(r[i])}
    codes = {currency_code(v) for v in values}
    if (
        len(codes) == 1
        and (code := codes.pop())
        and code != (getattr(preset, "default_currency", "") or "CNY")
    ):
        return code
    return ""


def _ignored_statuses(preset: Any, column: str, records: list[list[Any]], header: list[str]) -> str:
    """The layout's ignored statuses with the file's own words for a transaction that did not go through
    (`NOT_DONE_STATUSES`: 交易关闭, 已撤销, 交易失败…) added, when the status column has some the layout
    does not ignore; '' when it has none. Such a line moved no money: counted, it would be spending."""
    at = position(header, column)
    if at < 0:
        return ""
    kept = options(getattr(preset, "ignored_statuses", ""))
    not_done = {word_key(w) for w in NOT_DONE_STATUSES}
    added = []
    for r in records:
        value = clean(r[at]) if len(r) > at else ""
        if value and word_key(value) in not_done and value not in kept and value not in added:
            added.append(value)
    return "|".join([*kept, *added]) if added else ""


def _values_read(field: str, column: str, records: list[list[Any]], header: list[str]) -> bool:
    """Whether the column has a value on some sample line and its values read as the field does
    (`FILLED_CHECKS`): an empty column is not worth a suggestion."""
    check = FILLED_CHECKS.get(field, bool)
    at = position(header, column)
    values = [clean(r[at]) for r in records[:40] if 0 <= at < len(r) and clean(r[at])]
    return bool(values) and all(check(v) for v in values)


# Optional columns a layout may not name that the file's own column fills when it has one: without the
# time every line reads 00:00 and a day's lines cannot be ordered or told apart (duplicates, night
# spending); without the currency a foreign line reads as yuan; the counterparty, its account and the
# summary serve related-party matching and the spending categories, the transaction id the duplicate
# decision.
FILLED = (
    "time_column",
    "currency_column",
    "counterparty_column",
    "counterparty_account_column",
    "summary_column",
    "txn_id_column",
    "status_column",
)
FILLED_CHECKS: dict[str, Callable[[str], bool]] = {
    "time_column": lambda v: parse_clock(v) is not None,
    "currency_column": lambda v: bool(currency_code(v)),
}


def unread_direction(preset: Any, records: list[list[Any]], header: list[str]) -> str:
    """The file's direction column (a column named as one, e.g. "借贷标志", with a value on some line)
    when the layout reads the direction from the amount's sign alone: such a layout would take every
    line the sign says, whatever the file marks (借 with a positive amount read as income, or a code
    like 1/2 it cannot know). '' when there is none."""
    if not preset.amount_column or preset.direction_column:
        return ""
    if options(preset.direction_keywords_in) or options(preset.direction_keywords_out):
        return ""
    meant = {word_key(n) for n in MEANINGS["direction_column"]}
    for at, name in enumerate(header):
        if word_key(name) in meant and any(len(r) > at and clean(r[at]) for r in records):
            return name
    return ""
