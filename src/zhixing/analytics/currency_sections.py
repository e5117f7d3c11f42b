"""A statement line that names only a currency (币种行): the lines after it are in that currency (pure).

Some exports of accounts held in several currencies (华夏银行's, for one) have no currency column: they
list the yuan lines, then a line such as "币种：美元" or "币种:USD 账号:6230…" on its own, then the lines
in that currency. Under a layout without a currency column such a line — before the header or among the
records — sets the currency of the lines after it, up to the next one (`normalise_row(currency=…)`); a
currency the amount cell names itself ('USD 12.00') still decides its own line. The line itself is no
transaction: `tables` keeps it as a note (kind `section`) shown with the import.

What such a line is (`section_currency`): a label for a currency — the names a currency column goes by
(`column_names.MEANINGS`: 币种, 币别, 货币, 交易币种, Currency, CCY…), optionally after a few Chinese
characters (账户币种) — followed by a currency word the platform knows (`amounts.CURRENCIES`: 人民币,
美元, 港币, 欧元…, or a three-letter code written in capitals, USD), optionally with its code in
brackets or 现汇/现钞 after it; and nothing else on the line but other `label：value` pairs (账号：…,
户名：…). A line with a cell of its own (a date, an amount) is not one; nor is a total (`tables` decides
a summary line first).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Any

from .amounts import CURRENCIES, currency_code
from .column_names import MEANINGS

_LABELS = sorted(MEANINGS["currency_column"], key=len, reverse=True)
_CJK = "\u4e00-\u9fff"
_WORDS = sorted((w for w in CURRENCIES if w), key=len, reverse=True)


def _alternatives(names: list[str]) -> str:
    return "|".join(re.escape(n) for n in names)


# a label (a Chinese one after up to four characters, 账户币种; a Latin one as a whole word), its value a
# currency word, and the end of that value (a space, a separator or the end of the line)
_CURRENCY = re.compile(
    rf"(?:[{_CJK}]{{0,4}}(?:{_alternatives([n for n in _LABELS if not n.isascii()])})"
    rf"|\b(?:{_alternatives([n for n in _LABELS if n.isascii()])}))"
    r"\s*[:：]?\s*"
    r"(?P<word>" + "|".join(re.escape(w) for w in _WORDS) + r"|(?-i:[A-Z]{3}))"
    rf"(?:\s*[(（][A-Za-z{_CJK}]{{1,8}}[)）])?(?:现汇|现钞)?"
    r"(?=$|[\s,;，；|])",
    re.IGNORECASE,
)
# what else the line may say: `label：value` pairs (the value without spaces, possibly empty)
_PAIRS = re.compile(r"(?:[^\s:：]{1,20}\s*[:：]\s*[^\s:：]*\s*)*")
# where a currency line may start: a label ("币种：…", "账号：…") or a currency label on its own cell
_START = re.compile(rf"[:：]|^(?:{_alternatives(_LABELS)})$", re.IGNORECASE)


def may_start(first_cell: str) -> bool:
    """Whether a line whose first filled cell is this text may be a currency line (a cheap test before
    `section_currency`: a statement's records start with a date or an amount)."""
    return bool(_START.search(unicodedata.normalize("NFKC", first_cell)))


def section_currency(text: str) -> str:
    """The currency code a line names on its own ('币种：美元' → 'USD'), '' when the line is not one.
    `text` is the line's filled cells joined by a space (`tables.line_text`)."""
    line = unicodedata.normalize("NFKC", text).strip()
    found = _CURRENCY.search(line)
    if found is None:
        return ""
    rest = f"{line[: found.start()]} {line[found.end() :]}".strip()
    if rest and not _PAIRS.fullmatch(rest):
        return ""
    return currency_code(found.group("word"))


def starts(notes: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """(row of the currency line, its currency) for each such note, in file order."""
    return sorted((int(n["row"]), str(n["currency"])) for n in notes if n.get("kind") == "section")


def currency_at(sections: list[tuple[int, str]], row_no: int) -> str:
    """The currency of the section row `row_no` is in: the last currency line before it ('' for none)."""
    at = bisect.bisect_left(sections, (row_no, "")) - 1
    return sections[at][1] if at >= 0 else ""
