"""Template context: the missing-holiday-year warning, shown to the administrators who can load the year.

Everyone else sees the warning only where it matters: a short note beside each case deadline that spans
the missing year (the case page's nodes and term). Shown to every role on every page it was noise the
users could do nothing about (issue 13).
"""

from django.http import HttpRequest
from django.utils import timezone

from .holidays import may_load_holidays, missing_years_ahead


def calendar_warning(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not may_load_holidays(user):
        return {}
    missing = missing_years_ahead(timezone.localdate())
    return {"calendar_missing_years": missing}
