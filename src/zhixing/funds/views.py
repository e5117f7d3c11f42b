"""Case-funds pages (reads): the case's money page, payment instructions, finance queues, director
totals, reconciliation. Writes are in `views_actions`; distribution plans in `views_distribution`; the
party portal in `views_portal`. A case the user cannot read is a 404; a page the role may not see is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhixing.cases import queries as case_queries
from zhixing.core import downloads, formerrors
from zhixing.core.export_tables import exportable
from zhixing.courts.access_views import refuses_roles
from zhixing.courts.queries import can_write_court, readable_or_404
from zhixing.courts.roles import Role

from . import conf, payable, queries, queries_holds, queries_interest, queries_recon, queries_work, services
from .distribution_rules import FORM_CHOICES
from .models import PortalToken, Reconciliation, StatementImport
from .services.distribution import available
from .services.payouts import CANCEL_ROLES, PROPOSER_ROLES
from .services.portal import link_problem
from .views_clock_context import clock_context, director_clock_context
from .views_custody import custody_editable

FINANCE_PAGE_ROLES = {Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT}
DIRECTOR_PAGE_ROLES = {Role.DIRECTOR, Role.PRESIDENT}


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _case_or_404(request: HttpRequest, pk: int) -> Any:
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return None
    return case


def _propose_error(request: HttpRequest) -> dict[str, Any] | None:
    """The refused payout proposal carried over its redirect: shown beside its field, values refilled."""
    got = formerrors.pop(request)
    return got if got and got["form"] == "propose" else None


@login_required
@require_GET
def case_money(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    user: Any = request.user
    writable = can_write_court(user, case.court)
    parties = case_queries.case_parties(case)
    tokens = {t.party_id: t for t in PortalToken.objects.filter(case=case).order_by("pk")}  # latest wins
    now = timezone.now()
    for t in tokens.values():
        t.problem = link_problem(t, now)  # type: ignore[attr-defined]
    ctx = {
        "case": case,
        "account": queries.account_view(case),  # read-only: opening happens on the first write
        "money": queries.case_money(case),
        "payable": payable.payable_breakdown(case),
        "refund": payable.payable_breakdown(case, payable.REFUND),
        "receipts": queries.case_receipts(case),
        "payouts": queries.case_payouts(case),
        "plans": queries.case_plans(case),
        "plan_available": available(case),
        "applicants": [p for p in parties if p.role == "applicant"],
        "debtors": [p for p in parties if p.role == "debtor"],
        "debtor_forms": FORM_CHOICES,
        "tokens": tokens,
        "can_propose": writable and user.role in PROPOSER_ROLES,
        "can_cancel_any": writable and user.role in CANCEL_ROLES,
        "can_costs": writable and user.role in (Role.JUDGE, Role.DIRECTOR, Role.FINANCE),
        "can_plan": writable and user.role in (Role.JUDGE, Role.DIRECTOR),
        "user_role": user.role,
        "writable": writable,
        "errors": request.session.pop("funds_errors", []),
        "propose_error": _propose_error(request),
        **clock_context(case, user, timezone.localdate()),
        "surplus": queries_interest.refundable(case, timezone.localdate()),
        "interest_allocations": queries_interest.case_allocations(case),
    }
    return render(request, "funds/case_money.html", ctx)


@login_required
@require_GET
def instructions(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    account = queries.account_view(case)
    if account is None:
        # Not a permission matter: the court has no custody account yet. Say so, and who can set it up.
        return render(
            request,
            "funds/instructions_unavailable.html",
            {"case": case, "can_setup": custody_editable(request.user, case.court)},
        )
    return render(
        request,
        "funds/instructions.html",
        {"case": case, "account": account, "parties": case_queries.case_parties(case)},
    )


@login_required
@require_GET
@exportable
def finance(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role not in FINANCE_PAGE_ROLES or user.court is None:
        return forbidden(request, "只有财务人员和院局领导可以查看财务工作台")
    today = timezone.localdate()
    ctx = {
        "unidentified": queries.unidentified_queue(user, today),
        "returning": queries.returns_in_flight(user),
        "to_send": queries.payouts_to_send(user),
        "returned_refunds": queries_work.returned_refunds(user),
        "overdue": queries.overdue_payouts(user, today),
        "overdue_clocks": queries_holds.overdue_clocks(user, today),
        "imports": list(StatementImport.objects.filter(court=user.court).order_by("-pk")[:20]),
        "reconciliations": list(queries_recon.reconciliations(user)),
        "recon_alerts": queries_recon.open_alerts(user),
        "recon_alert_count": queries_recon.alert_count(user),
        "layout_choices": queries_recon.layout_choices(user.court),
        "is_finance": user.role == Role.FINANCE,
        "errors": request.session.pop("funds_errors", []),
        "interest_credits": queries_interest.court_credits(user),
        "interest_policy": conf.interest_policy(),
    }
    return render(request, "funds/finance.html", ctx)


@login_required
@require_GET
@refuses_roles(
    lambda u: u.role in {*conf.approval_chain(True), Role.FINANCE}, "您的岗位不审批发款"
)  # finance: deposit refunds
@exportable
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "funds/approvals.html",
        {
            "rows": queries_work.approval_queue(request.user),
            "errors": request.session.pop("funds_errors", []),
        },
    )


@login_required
@require_GET
@exportable
def director(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role not in DIRECTOR_PAGE_ROLES or user.court is None:
        return forbidden(request, "只有执行局局长和院长可以查看案款总览")
    today = timezone.localdate()
    return render(
        request,
        "funds/director.html",
        {
            "totals": queries.director_totals(user, today),
            "overdue_payouts": queries.overdue_payouts(user, today),
            "overdue_cases": queries.overdue_cases(user, today),
            **director_clock_context(user, today),
        },
    )


@login_required
@require_GET
def reconciliation(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    if user.role not in FINANCE_PAGE_ROLES:
        return forbidden(request, "无权查看对账结果")
    imp = readable_or_404(user, StatementImport.objects.select_related("court"), pk)
    rec = Reconciliation.objects.filter(statement=imp).values_list("pk", flat=True).first()
    if rec is not None and request.GET.get("format") != "xlsx":  # the statement's reconciliation page
        return redirect(reverse("funds_recon_detail", args=[rec]))
    report = services.reconcile_import(imp)
    if request.GET.get("format") == "xlsx":
        resp = HttpResponse(
            services.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        downloads.attach(resp, f"对账结果-{imp.statement_date}.xlsx")
        return resp
    return render(request, "funds/reconciliation_legacy.html", {"imp": imp, "report": report})
