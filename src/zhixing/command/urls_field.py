"""Alerts, vehicle watch, dispatch and field-app routes (issue 21 items 3-6); every pattern has a row in
tests/command/field/test_field_permissions.py's matrix."""

from django.urls import path

from . import views_alerts, views_field, views_watch

urlpatterns = [
    path("command/alerts/", views_alerts.alert_list, name="command_alerts"),
    path("command/alerts/mine/", views_alerts.my_alerts, name="command_my_alerts"),
    path("command/alerts/<int:pk>/", views_alerts.alert_detail, name="command_alert"),
    path("command/alerts/<int:pk>/step/", views_alerts.alert_step, name="command_alert_step"),
    path(
        "command/alerts/<int:pk>/dispatch/",
        views_alerts.alert_dispatch_nearest,
        name="command_alert_dispatch",
    ),
    path("command/watch/", views_watch.watchlist, name="command_watch"),
    path("command/watch/sync/", views_watch.watch_sync, name="command_watch_sync"),
    path("command/watch/promote/", views_watch.watch_promote, name="command_watch_promote"),
    path("command/tasks/", views_field.task_board, name="command_tasks"),
    path("command/tasks/<int:pk>/", views_field.task_detail, name="command_task"),
    path("command/tasks/<int:pk>/instruct/", views_field.task_instruct, name="command_task_instruct"),
    path("command/tasks/<int:pk>/status/", views_field.task_status, name="command_task_status"),
    path("command/field/", views_field.field_home, name="command_field"),
    path("command/field/tasks/<int:pk>/", views_field.field_task, name="command_field_task"),
    path("command/field/tasks/<int:pk>/uploads/", views_field.upload_start, name="command_upload_start"),
    path("command/field/uploads/<str:token>/", views_field.upload_chunk, name="command_upload_chunk"),
    path("command/evidence/<int:pk>/file/", views_field.evidence_file, name="command_evidence_file"),
    path("command/cases/<int:pk>/field/", views_field.case_field, name="command_case_field"),
]
