"""What a payee's bank account and any text the bank sends us may look like — pure checks, no ORM.

Each check returns the cleaned value or raises `ServiceError` (422) on `field` with a Chinese message
that names the field by its label, before anything is written.

* Bank account numbers (收款账号): digits only once spaces are removed, 8 to 30 of them. Personal
  cards are 16–19 digits; corporate settlement accounts run from about 9 to 25 digits depending on
  the bank, so 8–30 admits every real one and refuses letters, signs and absurd lengths.
* Account names (收款户名): 1–60 characters (CNAPS carries at most 60 characters of payee name), no
  control characters, no line breaks.
* Other single-line text from outside (bank notices, bank names): bounded length and no control
  character at all (not even a tab or line break): PostgreSQL rejects NUL, and the others would
  corrupt pages, exports and the bank's own files.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from zhixing.core.errors import ServiceError
from zhixing.core.inputguard import ServiceChecksText

ACCOUNT_NO_MIN = 8
ACCOUNT_NO_MAX = 30
ACCOUNT_NAME_MAX = 60
BANK_NAME_MAX = 64

# An API schema field the funds service checks with these functions: the platform's control-character
# guard leaves it to them, so the answer names the field by its label (“收款账号”, a batch's row).
CheckedText = Annotated[str, ServiceChecksText()]


def control_char(value: str) -> str | None:
    """The first control character (or unpaired surrogate) in `value`, as ``U+XXXX``; None if clean."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def clean_text(value: object, field: str, label: str, max_length: int, *, required: bool = False) -> str:
    """A single-line text field: stripped, at most `max_length` characters, no control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError(f"“{label}”应为文本", field=field)
    bad = control_char(value)
    if bad:
        raise ServiceError(f"“{label}”含有不允许的控制字符（{bad}）", field=field)
    text = value.strip()
    if required and not text:
        raise ServiceError(f"请填写“{label}”", field=field)
    if len(text) > max_length:
        raise ServiceError(f"“{label}”不能超过{max_length}个字符（现为{len(text)}个）", field=field)
    return text


def account_number(value: object, field: str = "account_no", label: str = "收款账号") -> str:
    """A bank account number without its spaces: 8–30 digits."""
    text = clean_text(value, field, label, 200, required=True)
    digits = "".join(text.split())
    if not digits.isascii() or not digits.isdigit():
        raise ServiceError(f"“{label}”只能由数字组成", field=field)
    if not ACCOUNT_NO_MIN <= len(digits) <= ACCOUNT_NO_MAX:
        raise ServiceError(
            f"“{label}”应为{ACCOUNT_NO_MIN}至{ACCOUNT_NO_MAX}位数字（现为{len(digits)}位）", field=field
        )
    return digits


def account_name(value: object, field: str = "account_name", label: str = "收款户名") -> str:
    """A payee name as the bank holds it: 1–60 characters, no control characters."""
    return clean_text(value, field, label, ACCOUNT_NAME_MAX, required=True)


def bank_name(value: object, field: str = "bank_name", label: str = "开户行") -> str:
    return clean_text(value, field, label, BANK_NAME_MAX)
