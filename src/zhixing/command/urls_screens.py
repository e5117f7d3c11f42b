"""Routes of the situation screens, quality metrics and supervision (issue 21 items 1, 2, 7)."""

from django.urls import path

from . import views_entrust, views_screens, views_supervision

urlpatterns = [
    path("command/situation/", views_screens.situation_page, name="command_situation"),
    path("command/situation/wall/", views_screens.situation_wall, name="command_situation_wall"),
    path("command/situation/snapshot/", views_screens.situation_snapshot, name="command_situation_snapshot"),
    path("command/metrics/", views_screens.metrics_page, name="command_metrics"),
    path("command/entrust/", views_entrust.entrust_page, name="command_entrust"),
    path("command/supervision/", views_supervision.supervision_page, name="command_supervision"),
]
