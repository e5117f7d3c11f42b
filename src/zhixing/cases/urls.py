"""Staff work screens. Every pattern here has a row in tests/web/test_permissions.py's matrix."""

from django.urls import include, path

from . import (
    views,
    views_actions,
    views_asset_reports,
    views_costs,
    views_dormant,
    views_filing,
    views_leaders,
    views_lists,
    views_notice,
    views_schedule,
    views_settlement,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views_filing.case_file, name="case_file"),
    path("cases/batch-assign/", views_lists.batch_assign, name="case_batch_assign"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/interest/", views.case_interest, name="case_interest"),
    path("cases/<int:pk>/payment-order/", views_schedule.payment_order, name="case_payment_order"),
    path("cases/<int:pk>/judgment-terms/", views_schedule.judgment_terms, name="case_judgment_terms"),
    path("cases/<int:pk>/notice/", views_notice.notice_page, name="case_notice"),
    path("cases/<int:pk>/dormant/", views_dormant.dormant_page, name="case_dormant"),
    path("cases/<int:pk>/dormant/confirm/", views_dormant.dormant_confirm, name="case_dormant_confirm"),
    path(
        "cases/<int:pk>/dormant/resume-request/",
        views_dormant.dormant_resume_request,
        name="case_dormant_resume_request",
    ),
    path("cases/<int:pk>/settlement/", views_settlement.settlement_page, name="case_settlement"),
    path(
        "cases/<int:pk>/settlement/record/", views_settlement.settlement_record, name="case_settlement_record"
    ),
    path(
        "cases/<int:pk>/settlement/<int:settlement_id>/resume/",
        views_settlement.settlement_resume,
        name="case_settlement_resume",
    ),
    path(
        "cases/<int:pk>/settlement/<int:settlement_id>/close/",
        views_settlement.settlement_close,
        name="case_settlement_close",
    ),
    path(
        "cases/<int:pk>/settlement/<int:settlement_id>/requests/<int:resume_request_id>/decide/",
        views_settlement.settlement_request_decide,
        name="case_settlement_request_decide",
    ),
    path("cases/<int:pk>/notice/issue/", views_notice.notice_issue, name="case_notice_issue"),
    path("cases/<int:pk>/notice/service/", views_notice.notice_service, name="case_notice_service"),
    path("cases/<int:pk>/asset-reports/", views_asset_reports.asset_reports_panel, name="case_asset_reports"),
    path(
        "cases/<int:pk>/asset-reports/add/",
        views_asset_reports.asset_report_add,
        name="case_asset_report_add",
    ),
    path("cases/<int:pk>/costs/", views_costs.costs_panel, name="case_costs"),
    path("cases/<int:pk>/costs/add/", views_costs.cost_add, name="case_cost_add"),
    path("cases/<int:pk>/assign/", views_actions.case_assign, name="case_assign"),
    path("cases/<int:pk>/nodes/<int:node_id>/complete/", views_actions.node_complete, name="node_complete"),
    path("cases/<int:pk>/nodes/add/", views_actions.node_add, name="node_add"),
    path("cases/<int:pk>/suspend/", views_actions.case_suspend, name="case_suspend"),
    path(
        "cases/<int:pk>/resume-execution/", views_actions.case_resume_execution, name="case_resume_execution"
    ),
    path("cases/<int:pk>/excluded-periods/", views_actions.excluded_start, name="excluded_start"),
    path(
        "cases/<int:pk>/excluded-periods/<int:period_id>/end/",
        views_actions.excluded_end,
        name="excluded_end",
    ),
    path("cases/<int:pk>/extensions/", views_actions.extension_request, name="extension_request"),
    path(
        "cases/<int:pk>/extensions/<int:ext_id>/approve/",
        views_actions.extension_approve,
        name="extension_approve",
    ),
    path(
        "cases/<int:pk>/extensions/<int:ext_id>/reject/",
        views_actions.extension_reject,
        name="extension_reject",
    ),
    path("cases/<int:pk>/close/", views_actions.case_close, name="case_close"),
    path("cases/<int:pk>/resume/", views_actions.case_resume, name="case_resume"),
    path(
        "cases/<int:pk>/parties/<int:party_id>/identity/", views_actions.party_identity, name="party_identity"
    ),
    path("supervision/", views_leaders.supervision, name="supervision"),
    path("supervision/nodes/", views_leaders.supervision_nodes, name="supervision_nodes"),
    path("supervision/cases/", views_leaders.supervision_cases, name="supervision_cases"),
    path("supervision/charts/<str:name>/", views_leaders.chart_data, name="supervision_chart"),
    path("supervision/orders/", views_leaders.order_list, name="supervision_orders"),
    path("supervision/orders/panel/", views_leaders.orders_panel, name="supervision_orders_panel"),
    path(
        "supervision/orders/<int:order_id>/reply/", views_leaders.order_reply, name="supervision_order_reply"
    ),
    path("cases/<int:pk>/supervision-orders/", views_leaders.case_orders, name="case_supervision_orders"),
    # Issue 20: coercive measures and the refusal-crime referral (matrix in tests/cases/).
    path("", include("zhixing.cases.urls_coercion")),
]
