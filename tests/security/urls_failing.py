"""The project's URLconf (and its error handlers) plus a page that fails as if the database were down."""

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhixing.config import urls as project


def database_down(request: HttpRequest) -> HttpResponse:
    raise OperationalError("could not connect to server: Connection refused")


handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500

urlpatterns = [path("failing/", database_down), *project.urlpatterns]
