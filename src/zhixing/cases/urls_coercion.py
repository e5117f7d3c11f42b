"""Coercive measures and the refusal-crime referral (issue 20). Every pattern has a row in
tests/cases/test_coercion_permissions.py."""

from django.urls import path

from . import views_bankruptcy, views_coercion

urlpatterns = [
    path("cases/<int:pk>/coercion/", views_coercion.coercion_page, name="case_coercion"),
    path("cases/<int:pk>/coercion/propose/", views_coercion.coercion_propose, name="case_coercion_propose"),
    path("coercion/<int:pk>/<str:op>/", views_coercion.coercion_act, name="coercion_act"),
    path("coercion/approvals/", views_coercion.approvals, name="coercion_approvals"),
    path("cases/<int:pk>/refusal/evidence/", views_coercion.evidence_zip, name="case_refusal_evidence"),
    path("cases/<int:pk>/refusal/refer/", views_coercion.refusal_refer, name="case_refusal_refer"),
    path("bankruptcy/", views_bankruptcy.screening, name="bankruptcy_screening"),
    path("bankruptcy/transfer/", views_bankruptcy.transfer, name="bankruptcy_transfer"),
]
