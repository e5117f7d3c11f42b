"""Inquiry pages. Every pattern here has a row in tests/inquiry/test_permissions.py's matrix."""

from django.urls import path

from . import views, views_actions, views_dormant, views_expiry, views_triage

urlpatterns = [
    path("inquiry/cases/<int:pk>/", views.case_inquiry, name="inquiry_case"),
    path("inquiry/cases/<int:pk>/requests/", views.case_requests, name="inquiry_case_requests"),
    path("inquiry/cases/<int:pk>/start/", views_actions.start, name="inquiry_start"),
    path("inquiry/cases/<int:pk>/triage/", views_triage.case_triage, name="triage_case"),
    path("inquiry/cases/<int:pk>/triage/decide/", views_triage.decide, name="triage_decide"),
    path("inquiry/cases/<int:pk>/triage/flags/", views_triage.flag, name="triage_flag"),
    path("inquiry/triage/", views_triage.queue, name="triage_queue"),
    path("inquiry/dormant/", views_dormant.registry_page, name="inquiry_dormant_registry"),
    path("inquiry/assets/<int:asset_id>/control/", views_actions.control, name="inquiry_control"),
    path("inquiry/requests/<int:pk>/approve/", views_actions.approve, name="inquiry_approve"),
    path("inquiry/requests/<int:pk>/reject/", views_actions.reject, name="inquiry_reject"),
    path("inquiry/requests/<int:pk>/notice/", views.notice, name="inquiry_notice"),
    path("inquiry/approvals/", views.approvals, name="inquiry_approvals"),
    path("inquiry/log/", views.inquiry_log, name="inquiry_log"),
    path("inquiry/log.xlsx", views.inquiry_log_export, name="inquiry_log_export"),
    path("inquiry/centralised/", views.centralised, name="inquiry_centralised"),
    path("inquiry/controls/", views_expiry.controls, name="inquiry_controls"),
    path("inquiry/controls/renew/", views_expiry.controls_renew, name="inquiry_controls_renew"),
    path("inquiry/controls/alerts/", views_expiry.alerts_panel, name="inquiry_control_alerts"),
    path("inquiry/controls/alerts/badge/", views_expiry.alerts_badge, name="inquiry_control_alert_badge"),
    path("inquiry/centralised/start/", views_actions.centralised_start, name="inquiry_centralised_start"),
]
