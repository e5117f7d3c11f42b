"""URL map: staff pages, the admin, and the versioned JSON API."""

from django.contrib import admin
from django.urls import include, path

from zhixing.config.api import api

admin.site.site_header = "智执 · 智慧执行平台 管理后台"
admin.site.site_title = "智执管理后台"
admin.site.index_title = "后台数据管理"

handler400 = "zhixing.core.views.bad_request"
handler403 = "zhixing.core.views.forbidden"
handler404 = "zhixing.core.views.not_found"
handler500 = "zhixing.core.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("zhixing.core.urls")),
    path("", include("zhixing.courts.urls")),
    path("", include("zhixing.cases.urls")),
    path("", include("zhixing.documents.urls")),
    path("", include("zhixing.credit.urls")),
    path("", include("zhixing.analytics.urls")),
    path("", include("zhixing.inquiry.urls")),
    path("", include("zhixing.funds.urls")),
    path("", include("zhixing.measures.urls")),
    path("", include("zhixing.command.urls")),
    path("", include("zhixing.portal.urls")),
    path("", include("zhixing.objections.urls")),
    path("", include("zhixing.auctions.urls")),
    path("", include("zhixing.entrust.urls")),
]
