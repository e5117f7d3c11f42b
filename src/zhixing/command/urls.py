"""URL routes, one include per feature module."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns.append(path("", include("zhixing.command.urls_screens")))
