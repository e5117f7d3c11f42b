"""Pure rules of the public portal: deadlines, the query code's form, what an uploaded photo may be.

No Django, no database: each function takes what it needs (a working-day adder, bytes, a limit).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

# Query codes avoid characters read alike (0/O, 1/I/L): a party reads it off paper or a phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")

AddWorkdays = Callable[[date, int], date]


def new_code() -> str:
    """A fresh query code: 8 characters of a 31-symbol alphabet (≈ 2^39.6), from the OS's CSPRNG."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str | None:
    """The code as typed (spaces, dashes and case forgiven), or None when it cannot be a code at all."""
    value = re.sub(r"[\s\-]", "", typed or "").upper()
    return value if _CODE_RE.match(value) else None


def codes_match(stored: str, typed: str) -> bool:
    """Constant-time comparison (no timing oracle on how many leading characters were right)."""
    return secrets.compare_digest(stored.encode(), typed.encode())


# rule
def petition_due(received: date, workdays: int, add_workdays: AddWorkdays) -> date:
    """The day a petition must be answered by: `workdays` working days after it was received.

    rules.md §10.2: 执行信访 is closed within 30 working days (SPC opinion at [P40], UNCONFIRMED);
    the day of receipt is not counted (the period starts the next day, 民事诉讼法 Art 85).
    """
    if workdays < 1:
        raise ValueError("答复期限须至少为1个工作日")
    return add_workdays(received, workdays)


def tip_due(received: date, days: int, add_workdays: AddWorkdays) -> date:
    """The day the handler must act on a tip by: `days` working days after it arrived (platform rule)."""
    if days < 1:
        raise ValueError("线索处理期限须至少为1个工作日")
    return add_workdays(received, days)


def answered_on_time(due: date, answered: date | None) -> bool:
    """A petition counts as answered on time when its answer is dated on or before its due day."""
    return answered is not None and answered <= due


@dataclass(frozen=True)
class PhotoProblem:
    """Why a photo is refused, in words the person uploading it understands."""

    message: str


_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_photo(head: bytes) -> str | None:
    """The photo's type from its first bytes (JPEG or PNG), None for anything else — whatever its name."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def check_photo(name: str, size: int, head: bytes, max_bytes: int) -> tuple[str, PhotoProblem | None]:
    """(content type, problem): a photo must be a JPEG or PNG by its bytes, not empty, at most `max_bytes`."""
    label = name or "照片"
    if size <= 0:
        return "", PhotoProblem(f"照片“{label}”是空文件")
    if size > max_bytes:
        return "", PhotoProblem(
            f"照片“{label}”大小为{size / 1048576:.1f}MB，超过每张{max_bytes / 1048576:.0f}MB的上限"
        )
    kind = sniff_photo(head)
    if kind is None:
        return "", PhotoProblem(f"照片“{label}”不是JPEG或PNG图片，请上传照片文件")
    return kind, None


def reference(prefix: str, year: int, seq: int) -> str:
    """A tip's or petition's reference told to the public: JB2026-000123 / XF2026-000045."""
    return f"{prefix}{year}-{seq:06d}"
