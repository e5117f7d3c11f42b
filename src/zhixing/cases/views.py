"""Staff work screens, reads: home, case list, case page, delay-interest partial (supervision: views_leaders).

Views are thin: reads go through `zhixing.cases.queries` (and `queries_audit`), writes through
`zhixing.cases.services` in `views_filing` (立案) and `views_actions` (case actions). Court scoping: a case
the user cannot read is a 404; an action the user may not take is hidden here and refused there (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhixing.core.exports import wants_xlsx
from zhixing.core.holidays import current_calendar
from zhixing.core.workdays import WorkCalendar
from zhixing.courts.queries import handlers_of_court, readable_courts
from zhixing.courts.roles import Cap

from . import next_actor, queries, queries_audit, queries_preservation, queries_term, views_lists, worklist
from .forms import (
    AddNodeForm,
    AssignForm,
    CaseFilterForm,
    CloseForm,
    CompleteNodeForm,
    DecisionForm,
    EndExcludedPeriodForm,
    ExcludedPeriodForm,
    ExtensionForm,
    InterestForm,
    ResumeCaseForm,
    ResumeExecutionForm,
    SuspendForm,
)
from .forms_schedule import JudgmentTermsForm, PaymentOrderForm
from .models import CaseStatus, EnforcementCase, Node, NodeType, Suspension
from .queries_caseload import case_totals
from .queries_schedule import CaseSchedule, case_schedule
from .rules import node_color
from .views_access import available_actions, current_staff, not_found

# Colour window for a case's next deadline in lists (the node behind it is not loaded there).
LIST_YELLOW_WORKDAYS = 2


# -- colours and interest ---------------------------------------------------------------------------


def colour_nodes(nodes: list[Node], today: date, cal: WorkCalendar) -> None:
    for n in nodes:
        if n.status == Node.Status.CANCELLED:
            n.color = "cancelled"  # type: ignore[attr-defined]
        else:
            n.color = node_color(  # type: ignore[attr-defined]
                n.due_on, today, n.status == Node.Status.DONE, cal, n.node_type.yellow_workdays
            )


def case_colour(case: EnforcementCase, today: date, cal: WorkCalendar) -> str:
    return node_color(case.next_due_on, today, not case.is_open, cal, LIST_YELLOW_WORKDAYS)


@dataclass(frozen=True)
class Interest:
    until: date
    days: int
    amount: Decimal
    plan: CaseSchedule


def interest_to(case: EnforcementCase, suspensions: list[Suspension], until: date) -> Interest:
    """迟延履行期间的债务利息 to `until` with the schedule of dated payments (解释 Arts 1–4).

    Only the periods Art 3(3) names stop it; payments are applied in the legal (or agreed) order; a
    resumed case carries its original's payments (`queries_schedule.case_schedule`).
    """
    plan = case_schedule(case, until)
    return Interest(until=until, days=plan.schedule.delay_days, amount=plan.schedule.doubled_total, plan=plan)


def _terms_form(root: EnforcementCase) -> JudgmentTermsForm:
    """The instrument-terms form filled with what the root case records."""

    def text(v: Any) -> str:
        return "" if v is None else str(v)

    return JudgmentTermsForm(
        auto_id="id_terms_%s",
        initial={
            "acceleration": root.instalment_acceleration,
            "currency": root.currency,
            "fx_rate": text(root.fx_rate),
            "fx_in_rmb": root.fx_in_rmb,
            "late_fee_loss": text(root.late_fee_loss),
            "late_fee_decided": text(root.late_fee_decided),
        },
    )


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


# -- pages ------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """工作台: what waits for this person (core.worklist), then their role's panels: the handler's own
    nodes and cases; the clerk's court notices; court-wide counts for those who supervise."""
    user = current_staff(request)
    today = timezone.localdate()
    cal = current_calendar()
    mine = worklist.is_handler(user)
    my_cases = None
    due_nodes: list[Any] = []
    if mine:
        my_cases = queries.case_page(user, queries.CaseFilters(mine=True), size=10)
        for row in my_cases.rows:
            row.due_color = case_colour(row, today, cal)  # type: ignore[attr-defined]
        due_nodes = queries.my_due_nodes(user, limit=20)
        colour_nodes(due_nodes, today, cal)
    notices: list[Any] = []
    if worklist.is_clerk(user):
        notices = worklist.court_notice_nodes(user)
        colour_nodes(notices, today, cal)
    counts = None
    if user.can(Cap.SUPERVISE):
        raw = queries.status_counts(user)
        counts = [(code, label, raw.get(code, 0)) for code, label in CaseStatus.choices]
    show_alerts = mine or user.can(Cap.SUPERVISE)
    return render(
        request,
        "cases/home.html",
        {
            "mine": mine,
            "my_cases": my_cases,
            "due_nodes": due_nodes,
            "notices": notices,
            "show_alerts": show_alerts,
            "alerts": queries.recent_alerts(user, limit=20) if show_alerts else [],
            "counts": counts,
            "extension_queue": queries.extension_queue(user),
            "today": today,
        },
    )


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponseBase:
    user = current_staff(request)
    form = CaseFilterForm(
        request.GET, courts=list(readable_courts(user)), handlers=queries_audit.handlers_in_scope(user)
    )
    filters = form.to_filters()
    filters.mine = request.GET.get("mine") == "1"
    if wants_xlsx(request):
        return views_lists.case_list_export(request, filters)
    filtered = queries.filtered_cases(user, filters)
    page = queries.case_page(user, filters, cursor=request.GET.get("cursor") or None, base=filtered)
    today = timezone.localdate()
    cal = current_calendar()
    for row in page.rows:
        row.due_color = case_colour(row, today, cal)  # type: ignore[attr-defined]
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "cursor": request.GET.get("cursor") or "",
            "today": today,
            "totals": case_totals(filtered),
            **views_lists.batch_context(user),
        },
    )


def detail_context(
    request: HttpRequest,
    case: EnforcementCase,
    *,
    bound: dict[str, Any] | None = None,
    until: date | None = None,
    revealed: int | None = None,
) -> dict[str, Any]:
    """Everything the case page shows; `bound` carries a failed action's form (with the user's input)."""
    user = current_staff(request)
    bound = bound or {}
    today = timezone.localdate()
    cal = current_calendar()
    nodes = queries.case_nodes(case)
    colour_nodes(nodes, today, cal)
    term_node = next((n for n in nodes if n.node_type.completion == NodeType.Completion.ON_CLOSING), None)
    suspensions = queries_audit.case_suspensions(case)
    extensions = queries.pending_extensions(case)
    actions = available_actions(user, case, extensions)

    failed_node, failed_form = bound.get("complete", (None, None))
    for n in nodes:
        manual = n.status == Node.Status.PENDING and n.node_type.completion == NodeType.Completion.MANUAL
        # Years without loaded holidays that this pending deadline spans: a short note beside the date.
        n.missing_years = (  # type: ignore[attr-defined]
            cal.missing_years(n.started_on, n.due_on) if n.status == Node.Status.PENDING and n.due_on else []
        )
        n.can_complete = actions["complete"] and manual  # type: ignore[attr-defined]
        if n.can_complete:  # type: ignore[attr-defined]
            n.form = (  # type: ignore[attr-defined]
                failed_form
                if n.pk == failed_node
                else CompleteNodeForm(auto_id=f"id_n{n.pk}_%s", initial={"completed_on": today})
            )

    forms: dict[str, Any] = {}
    if actions["assign"]:
        forms["assign"] = bound.get("assign") or AssignForm(
            auto_id="id_assign_%s",
            handlers=handlers_of_court(case.court),
            teams=queries_audit.teams_of_court(case.court_id),
            initial={"handler": case.handler_id, "team": case.team_id, "assigned_on": today},
        )
    if actions["add_node"]:
        node_types = list(queries_audit.addable_node_types())
        if node_types:
            forms["add_node"] = bound.get("add_node") or AddNodeForm(
                auto_id="id_add_node_%s", node_types=node_types, initial={"started_on": today}
            )
    if actions["suspend"]:
        forms["suspend"] = bound.get("suspend") or SuspendForm(
            auto_id="id_suspend_%s", initial={"start": today}
        )
    if actions["resume_execution"]:
        forms["resume_execution"] = bound.get("resume_execution") or ResumeExecutionForm(
            auto_id="id_resume_execution_%s", initial={"on": today}
        )
    if actions["extension"]:
        forms["extension"] = bound.get("extension") or ExtensionForm(auto_id="id_extension_%s")
    excluded = queries_term.excluded_periods(case)
    if actions["exclude"]:
        forms["exclude"] = bound.get("exclude") or ExcludedPeriodForm(
            auto_id="id_exclude_%s", initial={"start": today}
        )
        failed_period, failed_end = bound.get("exclude_end", (None, None))
        for period in excluded:
            if period.end is None:
                period.end_form = (  # type: ignore[attr-defined]
                    failed_end
                    if period.pk == failed_period
                    else EndExcludedPeriodForm(auto_id=f"id_exend{period.pk}_%s", initial={"end": today})
                )
    if actions["close"]:
        forms["close"] = bound.get("close") or CloseForm(auto_id="id_close_%s", initial={"closed_on": today})
    if actions["resume"]:
        forms["resume"] = bound.get("resume") or ResumeCaseForm(
            auto_id="id_resume_%s", initial={"applied_on": today}
        )
    decide_form = bound.get("decide") or DecisionForm()

    failed = next(iter(bound.values()), None)
    if isinstance(failed, tuple):  # node completion and period end carry (row id, form)
        failed = failed[1]
    failed_messages = (
        [str(m) for errors in failed.errors.values() for m in errors] if failed is not None else []
    )

    interest = interest_to(case, suspensions, until or today)
    owed = interest.plan.schedule.total_owed
    return {
        "case": case,
        "today": today,
        "parties": queries.case_parties(case),
        "nodes": nodes,
        "term_node": term_node,
        "suspensions": suspensions,
        "excluded_periods": excluded,
        "excluded_running": any(p.end is None for p in excluded),
        "limitation": queries_term.limitation_of(case),
        "higher_court": queries_term.higher_court_of(case, suspensions, excluded),
        "claim_kind": queries_term.claim_kind(case),
        "payments": queries.payment_rows(case),
        "extensions": extensions,
        "next_steps": next_actor.next_steps(case, nodes, extensions),
        "actions": actions,
        "forms": forms,
        "decide_form": decide_form,
        "interest": interest,
        "interest_form": InterestForm(initial={"until": interest.until}, auto_id="id_interest_%s"),
        "payment_order_form": PaymentOrderForm(auto_id="id_porder_%s", initial={"agreed_on": today}),
        "judgment_terms_form": _terms_form(interest.plan.root),
        "owed": max(owed, Decimal("0.00")),
        "resumed_cases": queries_audit.resumed_cases(case),
        # 诉执衔接: a 执保 case's lawsuit (and where it went), or the preservation cases this case took over.
        "preservation": queries_preservation.preservation_of(case),
        "preservations_carried": queries_preservation.carried_into(case),
        "audit_trail": queries_audit.case_audit_trail(case),
        "revealed": revealed,
        "open_action": next(iter(bound), None),
        "failed_messages": failed_messages,
        # The related pages the user may open (a link that answers 无权访问 is not shown): the asset
        # register and the triage speak of a person's property, so only the roles whose work needs it.
        "sees_register": user.can(Cap.ASSET_REGISTER_VIEW),
        "sees_triage": any(
            user.can(c) for c in (Cap.ASSET_REGISTER_VIEW, Cap.TRIAGE_DECIDE, Cap.TRIAGE_DESIGNATE)
        ),
    }


def render_detail(
    request: HttpRequest, case: EnforcementCase, *, status: int = 200, **kw: Any
) -> HttpResponse:
    return render(request, "cases/detail.html", detail_context(request, case, **kw), status=status)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    until = _parse_date(request.GET.get("until"))
    if until is not None and not InterestForm({"until": until.isoformat()}, case=case).is_valid():
        until = None  # out of range: the page computes to today; the interest partial names the error
    return render_detail(request, case, until=until)


@login_required
@require_GET
def case_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX partial: delay interest to the date the user picks."""
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    form = InterestForm(request.GET, case=case, auto_id="id_interest_%s")
    interest = None
    if form.is_valid():
        interest = interest_to(case, queries_audit.case_suspensions(case), form.cleaned_data["until"])
    return render(
        request, "cases/_interest.html", {"case": case, "interest": interest, "interest_form": form}
    )
