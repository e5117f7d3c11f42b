from django.urls import path

from . import views, views_actions, views_portal, views_recon

urlpatterns = [
    path("funds/cases/<int:pk>/", views.case_money, name="funds_case_money"),
    path("funds/cases/<int:pk>/instructions/", views.instructions, name="funds_instructions"),
    path("funds/cases/<int:pk>/payouts/", views_actions.propose, name="funds_propose"),
    path("funds/cases/<int:pk>/portal-link/", views_actions.issue_token, name="funds_issue_token"),
    path("funds/cases/<int:pk>/costs/", views_actions.costs, name="funds_costs"),
    path("funds/cases/<int:pk>/plans/", views_actions.create_plan, name="funds_create_plan"),
    path("funds/payouts/<int:payout_id>/decide/", views_actions.decide, name="funds_decide"),
    path("funds/payouts/<int:payout_id>/send/", views_actions.send, name="funds_send"),
    path("funds/payouts/<int:payout_id>/cancel/", views_actions.cancel, name="funds_cancel"),
    path("funds/receipts/<int:receipt_id>/claim/", views_actions.claim, name="funds_claim"),
    path("funds/receipts/<int:receipt_id>/return/", views_actions.return_receipt, name="funds_return"),
    path("funds/finance/", views.finance, name="funds_finance"),
    path("funds/finance/statements/", views_actions.upload_statement, name="funds_upload_statement"),
    path(
        "funds/finance/statements/<int:pk>/reconciliation/", views.reconciliation, name="funds_reconciliation"
    ),
    path("funds/finance/reconciliations/<int:pk>/", views_recon.detail, name="funds_recon_detail"),
    path(
        "funds/finance/reconciliation-items/<int:item_id>/confirm/",
        views_recon.confirm,
        name="funds_recon_confirm",
    ),
    path("funds/finance/reconciliation-items/<int:item_id>/book/", views_recon.book, name="funds_recon_book"),
    path("funds/finance/layouts/", views_recon.layouts, name="funds_layouts"),
    path("funds/finance/layouts/<int:pk>/", views_recon.layouts, name="funds_layout_edit"),
    path("funds/finance/layouts/<int:pk>/delete/", views_recon.layout_delete, name="funds_layout_delete"),
    path("funds/finance/reconciliation-alerts/", views_recon.alerts_panel, name="funds_recon_alerts"),
    path("funds/approvals/", views.approvals, name="funds_approvals"),
    path("funds/director/", views.director, name="funds_director"),
    path("funds/plans/<int:pk>/", views.plan, name="funds_plan"),
    path("funds/plans/<int:plan_id>/step/", views_actions.plan_step, name="funds_plan_step"),
    path("portal/payout/<str:token>/", views_portal.portal, name="funds_portal"),
]
