"""The base of every back-office admin: each write it makes appends an audit record in its transaction.

`AuditedModelAdmin` audits, with old and new snapshots (secrets marked, `audit_policy`):

* the change form and the change list's editable columns (`admin.add`, `admin.change`, m2m included),
* inline rows saved with their parent (`admin.add` / `admin.change` / `admin.delete` of the inline),
* deletes, one or in bulk (`admin.delete`, with the count of rows deleted in cascade),
* every other admin action (`admin.action.<name>`: one record per row it changed or deleted, else one
  record naming the selection — actions that call a service are audited by the service as well),
* anything else the admin logs as a change or addition without passing through the above (the
  user-password form): `admin.change` with Django's change message, never the value.

Rows of a model declaring ``audit_protected`` cannot be deleted here (no delete permission, and a
delete that would cascade into them is refused). `ReadOnlyAdmin` adds no add/change/delete at all.
Admins registered by third-party apps are re-registered on this base in `zhixing.core.admin`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.http import HttpRequest

from . import audit
from .audit_policy import SECRET_MARK, is_protected, raw_snapshot, redacted_pair, secret_fields

_PENDING = "_zhixing_admin_before"
_AUDITED = "_zhixing_admin_audited"


def _state(request: HttpRequest, name: str, factory: Callable[[], Any]) -> Any:
    if not hasattr(request, name):
        setattr(request, name, factory())
    return getattr(request, name)


def _where(obj: models.Model) -> dict[str, Any]:
    """The chain of a row: the court it belongs to or its case's court (else the actor's court)."""
    court = getattr(obj, "court", None) if any(f.name == "court" for f in obj._meta.concrete_fields) else None
    case_id = getattr(obj, "case_id", None)
    return {
        "court": court if getattr(court, "code", "") else None,
        "case_id": case_id if isinstance(case_id, int) else None,
    }


def write_record(
    request: HttpRequest,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    pk: Any = None,
) -> None:
    """Append one admin audit record for `obj` from raw snapshots (redacted here)."""
    model = type(obj)
    red_before, red_after = redacted_pair(model, before, after)
    object_id = obj.pk if pk is None else pk
    if model._meta.pk is not None and model._meta.pk.name in secret_fields(model):
        object_id = SECRET_MARK  # a secret primary key (a session key) names nothing in the trail
    audit.record(
        request.user,
        action[:64],
        object_type=model._meta.label,
        object_id=object_id,
        before=red_before,
        after=red_after,
        **_where(obj),
    )
    _state(request, _AUDITED, set).add((model._meta.label, str(object_id)))


def _cascade(objs: list[models.Model]) -> tuple[dict[str, int], list[str]]:
    """Rows a delete of `objs` would also remove, counted per model, and the protected ones among them."""
    if not objs:
        return {}, []
    collector = NestedObjects(using=router.db_for_write(type(objs[0])))
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError):
        return {}, []  # the delete itself will refuse, naming the protected rows
    top = {(type(o), o.pk) for o in objs}
    counts: dict[str, int] = {}
    protected: list[str] = []
    for model, instances in collector.data.items():
        for inst in instances:
            if (model, inst.pk) in top:
                continue
            counts[model._meta.label] = counts.get(model._meta.label, 0) + 1
            if is_protected(model):
                protected.append(f"{model._meta.verbose_name}：{inst}")
    return counts, protected


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every write is audited in its transaction, and evidence rows are not deletable."""

    # -- add and change (form, change list, inlines) -------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = raw_snapshot(old, m2m=True) if old is not None else None
        _state(request, _PENDING, dict)[id(obj)] = before
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = _state(request, _PENDING, dict).pop(id(obj), None)
        after = raw_snapshot(obj, m2m=True)
        if change and before == after:
            # Saved without a change: nothing the trail lacks (and the change-log net stays quiet).
            _state(request, _AUDITED, set).add((obj._meta.label, str(obj.pk)))
            return
        write_record(request, "admin.change" if change else "admin.add", obj, before, after)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        model = formset.model
        pks = [f.instance.pk for f in formset.initial_forms if f.instance.pk is not None]
        before = {o.pk: raw_snapshot(o) for o in model._default_manager.filter(pk__in=pks)}
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for obj in deleted:
            if is_protected(obj):
                raise PermissionDenied(f"{model._meta.verbose_name}是留痕依据，不能删除")
        deleted_pks = [obj.pk for obj in deleted]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            write_record(request, "admin.add", obj, None, raw_snapshot(obj))
        for obj, _fields in formset.changed_objects:
            write_record(request, "admin.change", obj, before.get(obj.pk), raw_snapshot(obj))
        for obj, pk in zip(deleted, deleted_pks, strict=True):
            write_record(request, "admin.delete", obj, before.get(pk), None, pk=pk)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if is_protected(inline.model):
                inline.can_delete = False
        return inlines

    # -- the safety net: anything the admin logs that the paths above did not audit ------------------

    def _audit_logged(self, request: HttpRequest, obj: Any, action: str, message: Any) -> None:
        if (obj._meta.label, str(obj.pk)) in _state(request, _AUDITED, set):
            return
        snap = raw_snapshot(obj, m2m=True)
        snap["admin_message"] = message
        if transaction.get_connection().in_atomic_block:
            write_record(request, action, obj, None, snap)
        else:  # a third-party view that saved outside a transaction: record right after it
            with transaction.atomic():
                write_record(request, action, obj, None, snap)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit_logged(request, obj, "admin.add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        self._audit_logged(request, obj, "admin.change", message)
        return super().log_change(request, obj, message)

    # -- deletes ---------------------------------------------------------------------------------------

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_protected(self.model):
            return False
        return bool(super().has_delete_permission(request, obj))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, Any, Any]:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        _counts, evidence = _cascade(list(objs))
        return deleted, counts, perms_needed, [*protected, *evidence]

    def _audit_deletes(self, request: HttpRequest, objs: list[models.Model]) -> None:
        for obj in objs:
            if is_protected(obj):
                raise PermissionDenied(f"{obj._meta.verbose_name}是留痕依据，不能删除")
        cascade, evidence = _cascade(objs)
        if evidence:
            raise PermissionDenied(f"删除会连带删除留痕依据：{'；'.join(evidence[:5])}")
        for obj in objs:
            after = {"cascade": cascade} if cascade and len(objs) == 1 else None
            write_record(request, "admin.delete", obj, raw_snapshot(obj, m2m=True), after)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._audit_deletes(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            self._audit_deletes(request, list(queryset))
            super().delete_queryset(request, queryset)

    # -- other actions ---------------------------------------------------------------------------------

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)
        return {
            name: (func if name == "delete_selected" else _audited_action(func, name), name, desc)
            for name, (func, _name, desc) in actions.items()
        }


def _audited_action(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Wrap an admin action: in one transaction, audit every selected row it changed or deleted."""

    @functools.wraps(func)
    def run(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        model = queryset.model
        action = f"admin.action.{name}"
        with transaction.atomic():
            rows = {o.pk: o for o in queryset.all()}
            before = {pk: raw_snapshot(o, m2m=True) for pk, o in rows.items()}
            result = func(modeladmin, request, queryset)
            now = {o.pk: o for o in model._default_manager.filter(pk__in=list(rows))}
            changed = 0
            for pk, old in before.items():
                obj = now.get(pk)
                after = raw_snapshot(obj, m2m=True) if obj is not None else None
                if after != old:
                    changed += 1
                    write_record(request, action, obj or rows[pk], old, after, pk=pk)
            if not changed and result is None:
                # The action changed none of its rows itself (it called a service, or nothing): still
                # say who ran what on which rows.
                audit.record(
                    request.user,
                    action[:64],
                    object_type=model._meta.label,
                    after={"selected": [str(pk) for pk in rows][:1000]},
                )
        return result

    return run


class ReadOnlyAdmin(AuditedModelAdmin):
    """Rows that are written only by services: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
