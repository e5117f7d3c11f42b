from django.urls import path

from . import views_notify

urlpatterns = [
    path("notifications/", views_notify.notifications, name="notifications"),
    path("notifications/read/", views_notify.notifications_read, name="notifications_read"),
    path("worklist/panel/", views_notify.worklist_panel, name="worklist_panel"),
]
