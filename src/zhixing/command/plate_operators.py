"""Parking operators (停车场运营方) and their API keys: a key is shown once, only its SHA-256 digest is kept.

Operators send plate reads with the key (`X-Partner-Key`, `zxp_…`) to `plate_gateway`, which finds the
operator by the key's digest (`operator_for_key`); a revoked key finds none.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from .models import ParkingOperator

KEY_PREFIX = "zxp_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_operator(actor: Any, name: str) -> tuple[ParkingOperator, str]:
    """A parking operator and its API key (shown once; only the digest is stored)."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写单位名称", field="name")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        op = ParkingOperator.objects.create(name=name, key_digest=digest(key), key_prefix=key[:12])
        audit.record(
            actor,
            "command.operator.create",
            object_type="command.operator",
            object_id=op.pk,
            after={"name": name},
        )
    return op, key


def operator_for_key(key: str) -> ParkingOperator | None:
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return ParkingOperator.objects.filter(key_digest=digest(key), revoked_at__isnull=True).first()
