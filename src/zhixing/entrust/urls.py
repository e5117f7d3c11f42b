"""Entrustment pages. Every pattern has a row in tests/web/test_entrust.py's permission matrix."""

from django.urls import path

from . import views

urlpatterns = [
    path("entrust/", views.boxes, name="entrust_boxes"),
    path("cases/<int:pk>/entrust/", views.case_entrust, name="case_entrust"),
    path("cases/<int:pk>/entrust/send/", views.send, name="entrust_send"),
    path("entrust/<int:pk>/<str:op>/", views.act, name="entrust_act"),
]
