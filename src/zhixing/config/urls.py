"""URL map: staff pages, the admin, and the versioned JSON API."""

from django.contrib import admin
from django.urls import include, path

from zhixing.config.api import api

admin.site.site_header = "智执 · 智慧执行平台 管理后台"
admin.site.site_title = "智执管理后台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("zhixing.courts.urls")),
    path("", include("zhixing.cases.urls")),
]
