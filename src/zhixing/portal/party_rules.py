"""Pure rules of the party portal's sign-in codes (no Django): making, hashing, checking.

A code is 6 digits from `secrets`; only its HMAC-SHA256 under the platform's secret is stored, so a
database reader cannot sign in. A code is good once, until it expires, for at most `max_tries` checks.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

MOBILE = re.compile(r"^1[3-9]\d{9}$")
CODE = re.compile(r"^\d{6}$")


def normalise_phone(raw: str) -> str:
    """An 11-digit mainland mobile number from what a person typed (spaces, dashes, +86 allowed), or ""."""
    digits = re.sub(r"[\s\-]", "", raw or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits if MOBILE.match(digits) else ""


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_hash(secret: str, phone: str, code: str) -> str:
    return hmac.new(secret.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def code_problem(
    *, expires_at: datetime, used: bool, tries: int, max_tries: int, now: datetime
) -> str | None:
    """Why a stored code can no longer be used (Chinese, for the party), or None."""
    if used:
        return "验证码已使用，请重新获取"
    if now >= expires_at:
        return "验证码已过期，请重新获取"
    if tries >= max_tries:
        return "验证码错误次数过多，请重新获取"
    return None


def matches(secret: str, phone: str, code: str, stored: str) -> bool:
    return bool(CODE.match(code or "")) and hmac.compare_digest(code_hash(secret, phone, code), stored)
