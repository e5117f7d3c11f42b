"""Objection pages. Every pattern here has a row in tests/objections/test_permissions.py's matrix."""

from django.urls import path

from . import views, views_online, views_public

urlpatterns = [
    path("objections/", views.supervision, name="objections_supervision"),
    path("objections/reviews/", views.reviews, name="objections_reviews"),
    path("objections/cases/<int:pk>/", views.case_objections, name="objections_case"),
    path("objections/<int:pk>/", views.detail, name="objection_detail"),
    path("objections/<int:pk>/<slug:action>/", views.act, name="objection_act"),
    path("party/cases/<int:pk>/objections/", views_online.party_objection, name="party_objection"),
    path("public/objections/", views_public.public_form, name="objections_public"),
    path("public/objections/act/", views_public.public_act_form, name="objections_public_act"),
]
