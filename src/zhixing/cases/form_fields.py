"""The field helpers every staff form of cases uses: a date input, a date field and an optional text
field with Chinese messages, and putting a service's error on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms

from zhixing.core.date_picker import DateInput as DateInput
from zhixing.core.errors import ServiceError


def date_field(label: str, *, required: bool = True, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": f"请填写{label}", "invalid": f"{label}应为有效日期（YYYY-MM-DD）"},
        **kw,
    )


def text_field(label: str, max_length: int = 128, **kw: Any) -> forms.CharField:
    kw.setdefault("required", False)
    return forms.CharField(label=label, max_length=max_length, **kw)


def apply_service_error(
    form: forms.BaseForm, exc: ServiceError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's message on the form field it names, or on the form itself."""
    name = (aliases or {}).get(exc.field or "", exc.field)
    if name and name in form.fields:
        form.add_error(name, exc.message)
    else:
        form.add_error(None, exc.message)
