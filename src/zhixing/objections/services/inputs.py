"""What an objector gives, and the checks every filing path shares (text, identity number, date, parties)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.core.identity import IdentityError, check_credit_code, check_resident_id


@dataclass
class ObjectorData:
    """What a third party gives when objecting (at the counter or on the public form)."""

    name: str
    id_number: str
    claim: str
    grounds: str
    phone: str = ""


def _text(value: Any, field: str, label: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ServiceError(f"请填写{label}", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过{limit}字", field=field)
    return text


def _identity(number: str, today: date) -> str:
    """A resident ID number or a unified social credit code, normalised; else the field's error."""
    raw = str(number or "").strip()
    if not raw:
        raise ServiceError("请填写异议人的身份证号码或统一社会信用代码", field="objector_id_number")
    try:
        return check_resident_id(raw, today).number
    except IdentityError as person_error:
        try:
            return check_credit_code(raw)
        except IdentityError:
            raise ServiceError(str(person_error), field="objector_id_number") from None


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ServiceError(f"{label}须为日期（如 2026-12-03）", field=field) from None


def _party_ids(case: EnforcementCase) -> set[str]:
    return {p.id_number or p.credit_code for p in case.parties.all()} - {""}
