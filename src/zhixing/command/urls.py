"""URL routes, one include per feature module."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns.append(path("", include("zhixing.command.urls_screens")))
# Alerts, vehicle watch, dispatch and the field app (issue 21 items 3-6).
urlpatterns.append(path("", include("zhixing.command.urls_field")))
