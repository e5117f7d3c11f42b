"""Measures pages. Every pattern here has a row in tests/measures/test_permissions.py's matrix."""

from django.urls import path

from . import views

urlpatterns = [
    path("measures/cases/<int:pk>/", views.case_measures, name="measures_case"),
    path("measures/cases/<int:pk>/badge/", views.badge, name="measures_badge"),
    path("measures/proposals/<int:pk>/accept/", views.accept, name="measures_accept"),
    path("measures/proposals/<int:pk>/decline/", views.decline, name="measures_decline"),
    path("measures/consequences/<int:pk>/retry/", views.retry, name="measures_retry"),
    path("measures/", views.queue, name="measures_queue"),
    path("measures/table/", views.table, name="measures_table"),
]
