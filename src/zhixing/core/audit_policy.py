"""What models declare to the audit: which fields are secrets, which rows may never be deleted.

Two class attributes, read by `zhixing.core.audit` and `zhixing.core.admin` for every model:

* ``audit_secret_fields = ("hmac_key", ...)`` — concrete fields whose value must never reach the
  append-only audit chain (keys, key digests, password hashes, bearer tokens). Snapshots and every
  ``before``/``after`` payload show ``SECRET_MARK`` instead (``SECRET_CHANGED_MARK`` when an admin
  change replaced the value), never the value nor a hash of it.
* ``audit_protected = True`` — rows that are evidence (the audit chain, logs, ledger, legal
  measures, profiles): the admin offers no delete, and an ORM delete raises `ProtectedRowError`
  (`guard_protected_deletes`, connected when the core app is ready).

Models of third-party apps cannot carry the attributes; `EXTERNAL` declares them here by label.
Tests enumerate every model and fail when a field named like a secret is neither declared nor on
their explicit allow-list (tests/security/test_audit_secrets.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_delete

SECRET_MARK = "***"
SECRET_CHANGED_MARK = "***（已更改）"

# Third-party models, by label: secret fields, and rows the admin must not delete. Protection of
# these is admin-only (no ORM guard): their libraries prune their own rows (axes trims its logs).
EXTERNAL: dict[str, dict[str, Any]] = {
    "sessions.Session": {"secret_fields": ("session_key", "session_data")},
    "axes.AccessLog": {"protected": True},
    "axes.AccessFailureLog": {"protected": True},
}


class ProtectedRowError(RuntimeError):
    """A row declared ``audit_protected`` was about to be deleted (evidence is never deleted)."""


def secret_fields(model: type[models.Model] | models.Model) -> frozenset[str]:
    """The declared secret field names of `model` (a class or an instance), attnames included."""
    cls = model if isinstance(model, type) else type(model)
    names = set(getattr(cls, "audit_secret_fields", ()) or ())
    names |= set(EXTERNAL.get(cls._meta.label, {}).get("secret_fields", ()))
    out = set(names)
    for name in names:
        try:
            out.add(cls._meta.get_field(name).attname)  # type: ignore[union-attr]
        except Exception:  # noqa: S112 - an undeclared name is reported by the declaration test
            continue
    return frozenset(out)


def is_protected(model: type[models.Model] | models.Model) -> bool:
    """True when rows of `model` are evidence the admin (and the ORM, for our models) never deletes."""
    cls = model if isinstance(model, type) else type(model)
    if getattr(cls, "audit_protected", False):
        return True
    return bool(EXTERNAL.get(cls._meta.label, {}).get("protected", False))


@cache
def all_secret_names() -> frozenset[str]:
    """Every secret field name declared by any installed model (the audit's payload filter)."""
    out: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        out |= secret_fields(model)
    return frozenset(out)


def redact(value: Any, names: Iterable[str] | None = None) -> Any:
    """`value` with every dict entry whose key is a secret field name replaced by `SECRET_MARK`.

    Walks nested dicts and lists (bulk payloads). Markers already in place are kept, so a payload
    redacted by the admin (with `SECRET_CHANGED_MARK`) passes through unchanged.
    """
    secret = frozenset(names) if names is not None else all_secret_names()
    if isinstance(value, dict):
        return {k: (_mark(v) if k in secret else redact(v, secret)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, secret) for v in value]
    return value


def _mark(value: Any) -> Any:
    if value in (None, ""):
        return value  # "no secret set" is not a secret
    if value in (SECRET_MARK, SECRET_CHANGED_MARK):
        return value
    return SECRET_MARK


def raw_snapshot(obj: models.Model, *, m2m: bool = False) -> dict[str, Any]:
    """Every concrete field of a row, secrets included: only for comparing, never for storing."""
    data: dict[str, Any] = {
        f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }
    if m2m and obj.pk is not None:
        for f in obj._meta.many_to_many:
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return data


def snapshot(obj: models.Model, *, m2m: bool = False) -> dict[str, Any]:
    """The row's concrete fields (and, with `m2m`, its many-to-many ids) with secrets marked."""
    return redact(raw_snapshot(obj, m2m=m2m), secret_fields(obj))


def redacted_pair(
    model: type[models.Model], before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Raw before/after snapshots of one row, redacted; a replaced secret shows `SECRET_CHANGED_MARK`."""
    names = secret_fields(model)
    red_before = redact(before, names) if before is not None else None
    red_after = redact(after, names) if after is not None else None
    if before is not None and after is not None and red_after is not None:
        for name in names & after.keys():
            if name in before and before[name] != after[name] and after[name] not in (None, ""):
                red_after[name] = SECRET_CHANGED_MARK
    return red_before, red_after


def _refuse_delete(sender: type[models.Model], instance: models.Model, **_kwargs: Any) -> None:
    raise ProtectedRowError(
        f"{sender._meta.verbose_name}#{instance.pk}是留痕依据，不能删除（请以撤销、吊销或更正记录处理）"
    )


def guard_protected_deletes() -> None:
    """Connect the delete guard to every model of ours that declares ``audit_protected``.

    Per model (not one receiver for all): a receiver makes Django collect rows one by one instead of
    a fast DELETE, which only protected models, which are never deleted, should pay for.
    """
    for model in apps.get_models():
        if getattr(model, "audit_protected", False):
            pre_delete.connect(
                _refuse_delete, sender=model, dispatch_uid=f"audit-protected-{model._meta.label}"
            )
