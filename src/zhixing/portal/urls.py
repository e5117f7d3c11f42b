"""URL routes, one include per feature module."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []

# Public portal, tip-offs, rewards, petitions (issue 17 items 4-6).
from django.urls import include, path  # noqa: E402

# The party portal (当事人门户), e-service links and node pushes: views_party.py. It goes before the
# disclosure staff pages: their catch-all `disclosure/cases/<pk>/<action>/` (POST only) would otherwise take
# the party portal's staff page `disclosure/cases/<pk>/party-messages/`.
urlpatterns += [
    path("", include("zhixing.portal.urls_public")),
    path("", include("zhixing.portal.urls_party")),
    path("", include("zhixing.portal.urls_disclosure")),
]

# The party's settlement page and online resume request (执行和解, issue 19 item 4).
urlpatterns += [path("", include("zhixing.portal.urls_settlement"))]
