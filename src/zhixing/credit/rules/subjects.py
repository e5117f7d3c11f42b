"""Screening keys: resident IDs and unified social credit codes, their checks and integer keys."""

from __future__ import annotations

import re

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

# -- screening keys ----------------------------------------------------------------------
_RIC = re.compile(r"[0-9]{17}[0-9X]")
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")  # GB 32100-2015 alphabet (no I, O, S, V, Z)


def id_key(number: str) -> int | None:
    """A resident ID as one int64: the 18 characters read as a base-11 number (X = 10); None if malformed.

    11^18 − 1 ≈ 5.6 × 10^18 < 2^63, so every key fits a signed 64-bit integer, and the conversion is a
    single C call (``int(…, 11)``), which lets a batch be converted without a Python-level loop.
    """
    if len(number) != 18 or not _RIC.fullmatch(number):
        return None
    return int(number.replace("X", "A"), 11)


def ric_check_ok(number: str) -> bool:
    """The 18th character of a well-formed resident ID is its GB 11643 MOD 11-2 check character.

    Also true for the numbers built like it (港澳台 residence permits, the 2023 permanent-residence card).
    `number` must already match the 17-digits-then-digit-or-X form (:func:`id_key` is not None).
    """
    return _ric.calc_check_digit(number) == number[17]


def uscc_check_ok(code: str) -> bool:
    """The 18th character of a code in the GB 32100 alphabet is its check character (weights 3^i mod 31)."""
    return bool(CREDIT_CODE.fullmatch(code)) and _uscc.calc_check_digit(code[:17]) == code[17]


# A control character (C0, DEL, C1): no ID number or credit code holds one, not even a tab or a line break
# inside it; an item with one is refused, never cleaned up and answered (a silent miss or a guessed hit).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def control_char(text: str) -> str | None:
    """The first control character of `text` as ``U+XXXX`` (for the error message), or None.

    ASCII text without one is recognised by one byte deletion in C (a batch's 190,000 characters: the
    regular expression looks at them one by one, ≈ 20× slower)."""
    if text.isascii() and not text.encode("ascii").translate(None, _PRINTABLE_ASCII):
        return None
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def subject_invalid(number: str) -> str:
    """Why a screening item is not a valid resident ID or credit code ('' when it is valid).

    An 18-character all-digit item is valid when either check passes: a credit code of a unit registered
    by the market regulator (``91…``) can be all digits too. An item holding a control character is
    ``control``.
    """
    if _CONTROL.search(number):
        return "control"
    if id_key(number) is not None:
        if ric_check_ok(number) or uscc_check_ok(number):
            return ""
        return "check_digit"
    if CREDIT_CODE.fullmatch(number):
        return "" if uscc_check_ok(number) else "check_digit"
    return "format"


INVALID_REASONS = {
    "format": "格式错误：应为18位身份证号或统一社会信用代码",
    "check_digit": "校验码错误",
    "control": "含有控制字符（如制表符、空字符）",
}


def key_id(key: int) -> str:
    """Inverse of :func:`id_key`."""
    chars = []
    for _ in range(18):
        key, d = divmod(key, 11)
        chars.append("X" if d == 10 else str(d))
    return "".join(reversed(chars))
