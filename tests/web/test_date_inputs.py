"""Every browser date picker of every form renders its value as ISO (YYYY-MM-DD).

`<input type="date">` accepts only ISO; under the zh-hans locale Django formats a date as 2026/12/07,
which the browser drops: an initial date showed empty and a required one blocked the submit (the 约定日期
of a payment-order agreement, the 回复期限 of a 督办).
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from typing import Any

from django import forms

import zhixing


def _all_forms() -> list[type[forms.BaseForm]]:
    for mod in pkgutil.walk_packages(zhixing.__path__, "zhixing."):
        if ".migrations" in mod.name or mod.name.endswith(
            ("__main__", "asgi", "wsgi", "server", "launcher", "cluster")
        ):
            continue
        try:
            importlib.import_module(mod.name)
        except Exception:  # a module that cannot load here declares no form this test needs
            continue
    seen: list[type[forms.BaseForm]] = []
    todo: list[Any] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("zhixing.")]


def test_every_date_picker_renders_iso() -> None:
    day = date(2026, 12, 7)
    checked, wrong = 0, []
    for form in _all_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            widget = field.widget
            if getattr(widget, "input_type", "") != "date":
                continue
            checked += 1
            if widget.format_value(day) != "2026-12-07":
                wrong.append(f"{form.__module__}.{form.__name__}.{name}: {widget.format_value(day)!r}")
    assert checked >= 10
    assert not wrong, wrong
