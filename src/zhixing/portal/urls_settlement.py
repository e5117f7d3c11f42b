"""The party portal's settlement page (执行和解履行情况, 申请恢复执行)."""

from django.urls import path

from . import views_settlement

urlpatterns = [
    path("party/cases/<int:pk>/settlement/", views_settlement.party_settlement, name="party_settlement"),
]
