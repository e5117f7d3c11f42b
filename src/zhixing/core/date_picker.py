"""The browser date picker every staff form uses.

`<input type="date">` takes only ISO dates (YYYY-MM-DD): under the zh-hans locale Django would format a
date as 2026/12/07, which the browser drops, so an initial date showed empty and a required one blocked
the submit (`tests/web/test_date_inputs.py` checks every form's pickers).
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
