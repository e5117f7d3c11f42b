"""Comparing the words of a file with the words of a layout: column names and direction values.

Exports of the same bank differ in width and spacing ('记账金额（收入）' and '记账金额(收入)', '日 志 号' and
'日志号', a full-width space after a name), so both sides are compared after NFKC width normalisation,
case folding and removal of every space.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def column_key(name: str) -> str:
    """The form in which a header name and a layout's column name are compared."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name or "").strip("\ufeff")).casefold()


def same_word(a: str, b: str) -> bool:
    return column_key(a) == column_key(b)
