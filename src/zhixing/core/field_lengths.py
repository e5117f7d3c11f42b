"""Text longer than its column: a clear refusal naming the field, the same on every database.

PostgreSQL refuses a value longer than a `varchar(n)` column with a database error (an answer 500 and
a lost request), and SQLite stores it whole. Both are wrong for a court's records: a 3,000-character
creditor name must be refused, naming the field, before anything is written, never cut short in
silence or kept on one database and refused on the other.

`refuse_overlong_text` runs before every ORM save of the platform's models (a `pre_save` receiver
connected by `CoreConfig.ready`) and raises `ServiceError` on the first character field whose text is
longer than its `max_length`. The service's transaction then rolls back, so nothing is changed.
Services that put a user's text into a field check it first with `text_within` so the error names
the form's own field (and a file's row); the receiver is the net for every other write.

Bulk writes (`bulk_create`, `update()`) send no signal: their callers build the values themselves.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from django.db.models.signals import pre_save

from .errors import ServiceError

PLATFORM_PACKAGE = "zhixing."


@cache
def _text_fields(model: type[models.Model]) -> tuple[tuple[str, str, int], ...]:
    """(attribute, label, max_length) of each length-limited character field of `model`."""
    return tuple(
        (f.attname, str(f.verbose_name), int(f.max_length))
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.max_length
    )


def overlong_message(label: str, limit: int, length: int) -> str:
    return f"“{label}”不能超过{limit}个字符（现为{length}个字符）"


def text_within(value: str, model: type[models.Model], name: str, *, field: str = "", row: str = "") -> str:
    """`value` unchanged when it fits `model.name`'s column; else `ServiceError` on `field` (default
    `name`), prefixed by `row` (e.g. "第3行：") where the text came from a file."""
    f = model._meta.get_field(name)
    limit = getattr(f, "max_length", None)
    if limit and len(value) > limit:
        label = str(getattr(f, "verbose_name", name))
        raise ServiceError(f"{row}{overlong_message(label, int(limit), len(value))}", field=field or name)
    return value


def refuse_overlong_text(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """`pre_save` receiver: refuse the save when a character field's text is longer than its column."""
    if not sender.__module__.startswith(PLATFORM_PACKAGE):
        return
    for attname, label, limit in _text_fields(sender):
        value = getattr(instance, attname, None)
        if isinstance(value, str) and len(value) > limit:
            raise ServiceError(overlong_message(label, limit, len(value)), field=attname)


def guard_text_lengths() -> None:
    """Connect the receiver for every model (called once, when the apps are ready)."""
    pre_save.connect(refuse_overlong_text, dispatch_uid="zhixing.core.field_lengths")
