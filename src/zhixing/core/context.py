"""Template context: the missing-holiday-year warning, shown to the administrators who can load the year.

Everyone else sees the warning only where it matters: on a case whose deadlines fall in the missing year
(the case page's own `calendar_uncertain` banner). Shown to every role on every page it was noise the
users could do nothing about (issue 13).
"""

from django.http import HttpRequest
from django.utils import timezone

from .holidays import missing_years_ahead


def calendar_warning(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    # Only an active superuser may upload a holiday year (core.admin.HolidayYearAdmin.may_upload).
    if user is None or not user.is_authenticated or not (user.is_active and user.is_superuser):
        return {}
    missing = missing_years_ahead(timezone.localdate())
    return {"calendar_missing_years": missing}
