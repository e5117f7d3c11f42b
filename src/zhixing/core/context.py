"""Template context: the missing-holiday-year warning shown on every staff page."""

from django.http import HttpRequest
from django.utils import timezone

from .holidays import missing_years_ahead


def calendar_warning(request: HttpRequest) -> dict[str, object]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    missing = missing_years_ahead(timezone.localdate())
    return {"calendar_missing_years": missing}
