"""Staff pages of the public portal's features under /disclosure/ (login required)."""

from django.urls import path

from . import views_disclosure as v

urlpatterns = [
    path("disclosure/tips/", v.tips, name="portal_tips"),
    path("disclosure/petitions/", v.petitions, name="portal_petitions"),
    path("disclosure/rulings/", v.rulings, name="portal_rulings"),
    path("disclosure/cases/<int:pk>/", v.case_page, name="portal_case"),
    path("disclosure/cases/<int:pk>/badge/", v.case_badge, name="portal_case_badge"),
    path("disclosure/cases/<int:pk>/<slug:action>/", v.case_action, name="portal_case_action"),
    path("disclosure/photos/<int:pk>/", v.tip_photo, name="portal_tip_photo"),
    path("disclosure/<slug:kind>/<int:pk>/<slug:action>/", v.row_action, name="portal_row_action"),
]
