from django.urls import path

from . import views_icon, views_notify

urlpatterns = [
    path("favicon.ico", views_icon.favicon, name="favicon"),
    path("notifications/", views_notify.notifications, name="notifications"),
    path("notifications/read/", views_notify.notifications_read, name="notifications_read"),
    path("worklist/panel/", views_notify.worklist_panel, name="worklist_panel"),
]
