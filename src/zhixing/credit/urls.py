"""Credit pages (staff) and the public blacklist query and exposure board (no login)."""

from django.urls import path

from . import views, views_correction, views_proposals, views_repair

urlpatterns = [
    path("cases/<int:pk>/credit/", views.case_credit, name="credit_case"),
    path("cases/<int:pk>/credit/<slug:action>/", views.case_credit_action, name="credit_action"),
    path(
        "cases/<int:pk>/credit/repair/<slug:action>/", views_repair.repair_action, name="credit_repair_action"
    ),
    path(
        "credit/repairs/<int:repair_id>/certificate/",
        views_repair.certificate,
        name="credit_repair_certificate",
    ),
    path("credit/decisions/<int:listing_id>/", views.decision, name="credit_decision"),
    path("credit/corrections/", views_correction.corrections, name="credit_corrections"),
    path(
        "credit/corrections/<int:pk>/<slug:action>/",
        views_correction.correction_action,
        name="credit_correction_action",
    ),
    path("credit/approvals/", views_proposals.proposals, name="credit_proposals"),
    path("credit/approvals/<int:pk>/", views_proposals.proposal, name="credit_proposal"),
    path(
        "credit/approvals/<int:pk>/<slug:action>/",
        views_proposals.proposal_action,
        name="credit_proposal_action",
    ),
    path("credit/consumption-orders/<int:pk>/", views_proposals.order_document, name="credit_order"),
    path("credit/exit-decisions/<int:pk>/", views_proposals.exit_document, name="credit_exit_decision"),
    path("credit/supervision/", views.supervision, name="credit_supervision"),
    path("credit/statistics/", views.statistics, name="credit_statistics"),
    path("public/blacklist/", views.public_blacklist, name="public_blacklist"),
    path("public/exposure/", views.public_exposure, name="public_exposure"),
]
