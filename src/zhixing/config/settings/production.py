"""Production (`ZHIXING_PRODUCTION=1`) refuses to start on development defaults or weak secrets.

Every secret the platform holds in the environment is listed in `SECRETS` (docs/deploy.md lists the
same). In production each must be set, at least `min_length` characters with some variety, not a value
published in this repository, and different from every other secret (one leaked key must not open two
doors). Addresses that default to the embedded setup's loopback sandbox must be set explicitly.

The simulated partners that the inquiry migration seeds carry secrets derived from the sandbox's public
master secret, and the sandbox custody bank signs with a public default: in production their digests
are in `ZHIXING_REFUSED_SECRET_DIGESTS`, and `zhixing.core.partner_protocol.verify` refuses any message
checked against one of them, whatever table or setting the secret came from.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass

from zhixing.core.checkpoint_key import checkpoint_key_errors
from zhixing.partners.sandbox.holdings import (
    DEFAULT_MASTER_SECRET,
    MASTER_SECRET_ENV,
    PARTNERS,
    partner_secret,
)
from zhixing.partners.sandbox.media import MEDIA_PARTNERS

from .env import SettingsError, env_bool
from .funds import _DEV_BANK_SECRET, _DEV_BANK_URL
from .security import _DEMO_SECRET_KEY

__all__ = ["ZHIXING_REFUSED_SECRET_DIGESTS"]


@dataclass(frozen=True)
class Secret:
    """A secret read from the environment variable `name`."""

    name: str
    min_length: int
    public: tuple[str, ...]  # values published in this repository (development defaults)
    required: bool = True  # False: only checked when set (a feature the deployment may not use)


SECRETS: tuple[Secret, ...] = (
    Secret("SECRET_KEY", 50, (_DEMO_SECRET_KEY,)),
    Secret("FUNDS_BANK_SECRET", 32, (_DEV_BANK_SECRET,)),
    # Master secret of the simulated partners; only a staging deployment that runs the sandbox sets it.
    Secret(MASTER_SECRET_ENV, 32, (DEFAULT_MASTER_SECRET,), required=False),
)
# Addresses whose development default points at the embedded loopback sandbox or platform.
REQUIRED_ADDRESSES: dict[str, tuple[str, ...]] = {
    "FUNDS_BANK_URL": (_DEV_BANK_URL,),
    "ZHIXING_PLATFORM_URL": (),
}
MIN_DISTINCT_CHARACTERS = 8


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def check_secret(secret: Secret, value: str) -> None:
    """Raise SettingsError naming the variable when `value` is not fit for production."""
    if not value:
        raise SettingsError(f"{secret.name} must be set when ZHIXING_PRODUCTION=1")
    if value in secret.public or value.startswith("django-insecure-"):
        raise SettingsError(f"{secret.name} is a published development default; set a secret of your own")
    if len(value) < secret.min_length:
        raise SettingsError(
            f"{secret.name} is too short ({len(value)} characters); use at least {secret.min_length}"
        )
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        raise SettingsError(
            f"{secret.name} is too uniform; use a random value "
            f"(at least {MIN_DISTINCT_CHARACTERS} different characters)"
        )


def check_production(env: Mapping[str, str]) -> None:
    """Refuse a production start on a default, weak or shared secret or a development address."""
    seen: dict[str, str] = {}
    for secret in SECRETS:
        value = env.get(secret.name, "")
        if not value and not secret.required:
            continue
        check_secret(secret, value)
        other = seen.get(value)
        if other is not None:
            raise SettingsError(f"{secret.name} must differ from {other}: every secret has its own value")
        seen[value] = secret.name
    # The audit checkpoint key signs what an outside auditor checks the database against (docs/audit.md).
    for problem in checkpoint_key_errors(env, others=list(seen)):
        raise SettingsError(problem)
    for name, defaults in REQUIRED_ADDRESSES.items():
        value = env.get(name, "").strip()
        if not value:
            raise SettingsError(f"{name} must be set when ZHIXING_PRODUCTION=1")
        if value.rstrip("/") in {d.rstrip("/") for d in defaults}:
            raise SettingsError(f"{name} is the development sandbox's address; set the real one")
    if env.get("ZHIXING_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise SettingsError("ZHIXING_DEBUG must be off when ZHIXING_PRODUCTION=1")


def refused_secret_digests() -> frozenset[str]:
    """SHA-256 digests of every secret published in this repository (demo partners included)."""
    public = {v for s in SECRETS for v in s.public}
    public.update(partner_secret(code, DEFAULT_MASTER_SECRET) for code in (*PARTNERS, *MEDIA_PARTNERS))
    return frozenset(_digest(v) for v in public)


ZHIXING_REFUSED_SECRET_DIGESTS: frozenset[str] = frozenset()
if env_bool("ZHIXING_PRODUCTION", False):
    check_production(os.environ)
    ZHIXING_REFUSED_SECRET_DIGESTS = refused_secret_digests()
