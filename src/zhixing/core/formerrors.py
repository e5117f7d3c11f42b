"""An error on one inline form of a long page, carried across the redirect that follows a failed POST.

Pages whose many small forms post and redirect back (the asset register's freeze forms, a case's action
forms) cannot re-render the form with Django's bound errors. The view `remember`s which form and field
failed, with the message and what the user typed, and redirects to the form's anchor; the page `pop`s it
and renders the message beside that field with aria-invalid, and `formerrors.js` focuses it (ADR 0012).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

KEY = "zhixing.form_error"


def remember(
    request: HttpRequest,
    form: str,
    field: str | None,
    message: str,
    value: str = "",
    values: dict[str, str] | None = None,
) -> None:
    """`value`: what was typed in the failed field; `values`: every field of the form, to refill it."""
    request.session[KEY] = {
        "form": form,
        "field": field or "",
        "message": message,
        "value": value[:200],
        "values": {k: str(v)[:200] for k, v in (values or {}).items()},
    }


def pop(request: HttpRequest) -> dict[str, Any] | None:
    """The remembered error, once (a reload shows the page without it)."""
    got = request.session.pop(KEY, None)
    return got if isinstance(got, dict) else None
