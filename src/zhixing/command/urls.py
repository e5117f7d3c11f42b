"""URL routes, one include per feature module."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# Alerts, vehicle watch, dispatch and the field app (issue 21 items 3-6).
from django.urls import include, path  # noqa: E402

urlpatterns.append(path("", include("zhixing.command.urls_field")))
