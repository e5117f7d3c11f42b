from django.urls import path

from . import (
    views,
    views_actions,
    views_clocks,
    views_custody,
    views_distribution,
    views_interest,
    views_portal,
    views_recon,
    views_todo,
    views_withholding,
)

urlpatterns = [
    path("funds/cases/<int:pk>/", views.case_money, name="funds_case_money"),
    path("funds/cases/<int:pk>/instructions/", views.instructions, name="funds_instructions"),
    path("funds/cases/<int:pk>/payouts/", views_actions.propose, name="funds_propose"),
    path("funds/cases/<int:pk>/portal-link/", views_actions.issue_token, name="funds_issue_token"),
    path("funds/cases/<int:pk>/costs/", views_actions.costs, name="funds_costs"),
    path("funds/cases/<int:pk>/plans/", views_distribution.create_plan, name="funds_create_plan"),
    path("funds/payouts/<int:payout_id>/decide/", views_actions.decide, name="funds_decide"),
    path("funds/payouts/<int:payout_id>/send/", views_actions.send, name="funds_send"),
    path("funds/payouts/<int:payout_id>/cancel/", views_actions.cancel, name="funds_cancel"),
    path("funds/receipts/<int:receipt_id>/claim/", views_actions.claim, name="funds_claim"),
    path("funds/receipts/<int:receipt_id>/return/", views_actions.return_receipt, name="funds_return"),
    path("funds/cases/<int:pk>/holds/", views_clocks.place_hold, name="funds_place_hold"),
    path("funds/cases/<int:pk>/withholding/", views_withholding.case_withholding, name="funds_withholding"),
    path("funds/cases/<int:pk>/withholding/order/", views_withholding.order, name="funds_withholding_order"),
    path(
        "funds/withholding/<int:order_id>/notice/", views_withholding.notice, name="funds_withholding_notice"
    ),
    path("funds/withholding/<int:order_id>/lift/", views_withholding.lift, name="funds_withholding_lift"),
    path("funds/holds/<int:hold_id>/lift/", views_clocks.lift_hold, name="funds_lift_hold"),
    path("funds/finance/", views.finance, name="funds_finance"),
    path("funds/finance/interest/", views_interest.record_interest, name="funds_record_interest"),
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
    path("funds/custody/", views_custody.custody, name="funds_custody"),
    path("funds/todo/", views_todo.todo_panel, name="funds_todo_panel"),
    path("funds/director/", views.director, name="funds_director"),
    path("funds/plans/<int:pk>/", views_distribution.plan, name="funds_plan"),
    path("funds/plans/<int:plan_id>/step/", views_distribution.plan_step, name="funds_plan_step"),
    path("funds/plans/<int:pk>/claims/", views_distribution.add_claim, name="funds_plan_claim"),
    path(
        "funds/plans/<int:pk>/claims/<int:claim_id>/remove/",
        views_distribution.remove_claim,
        name="funds_plan_claim_remove",
    ),
    path("funds/plans/<int:pk>/claims/import/", views_distribution.import_claims, name="funds_plan_import"),
    path("funds/plans/claims-template/", views_distribution.claims_template, name="funds_plan_template"),
    path("portal/payout/<str:token>/", views_portal.portal, name="funds_portal"),
]
