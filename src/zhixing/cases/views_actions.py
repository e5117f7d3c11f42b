"""Case actions (POST only): each parses its form and calls one service function.

Order of checks: the case must be readable (else 404), the action permitted for the user's role and
court (else 403, before anything else is looked at), the form valid; a `ServiceError` from the service
becomes an error on the form and the case page re-renders with the user's input, nothing written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.nexturl import safe_next
from zhixing.courts.queries import handlers_of_court
from zhixing.courts.roles import Cap

from . import queries, queries_audit, queries_term, services
from .forms import (
    AddNodeForm,
    AssignForm,
    CloseForm,
    CompleteNodeForm,
    DecisionForm,
    EndExcludedPeriodForm,
    ExcludedPeriodForm,
    ExtensionForm,
    ResumeCaseForm,
    ResumeExecutionForm,
    SuspendForm,
    apply_service_error,
)
from .models import EnforcementCase, Party
from .views import render_detail
from .views_access import current_staff, forbidden, not_found, permitted


def _case(request: HttpRequest, pk: int) -> EnforcementCase | None:
    return queries.get_case(request.user, pk)


def _run(
    request: HttpRequest,
    case: EnforcementCase,
    action: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    success: Callable[[Any], str],
    *,
    aliases: Callable[[], dict[str, str]] | None = None,
    bound_key: Any = None,
    to: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """Validate, call the service, then redirect (PRG) or re-render the case page with the form's errors."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except NotPermitted as exc:
            return forbidden(request, exc.message)
        except ServiceError as exc:
            apply_service_error(form, exc, aliases() if aliases else None)
        else:
            messages.success(request, success(result))
            return to(result) if to else redirect("case_detail", pk=case.pk)
    return render_detail(request, case, bound={action: bound_key if bound_key is not None else form})


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "assign"):
        return forbidden(request, "分案须由本院执行局局长办理")
    form = AssignForm(
        request.POST,
        auto_id="id_assign_%s",
        handlers=handlers_of_court(case.court),
        teams=queries_audit.teams_of_court(case.court_id),
    )
    return _run(
        request,
        case,
        "assign",
        form,
        lambda d: services.assign_case(request.user, case, d["handler"], d["team"], on=d["assigned_on"]),
        lambda c: f"已分案，承办人：{c.handler.full_name}",
    )


@login_required
@require_POST
def node_complete(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "complete"):
        return forbidden(request, "您的岗位或法院无权办理该案节点")
    node = next((n for n in queries.case_nodes(case) if n.pk == node_id), None)
    if node is None:
        return not_found(request)
    form = CompleteNodeForm(request.POST, auto_id=f"id_n{node.pk}_%s")
    return _run(
        request,
        case,
        "complete",
        form,
        lambda d: services.complete_node(
            request.user, node, document_ref=d["document_ref"], completed_on=d["completed_on"], note=d["note"]
        ),
        lambda n: f"已办理节点“{n.node_type.name}”",
        bound_key=(node.pk, form),
    )


@login_required
@require_POST
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "add_node"):
        return forbidden(request, "您的岗位或法院无权为该案添加节点")
    node_types = {nt.code: nt for nt in queries_audit.addable_node_types()}
    form = AddNodeForm(request.POST, auto_id="id_add_node_%s", node_types=list(node_types.values()))
    return _run(
        request,
        case,
        "add_node",
        form,
        lambda d: services.add_node(
            request.user, case, node_types[d["node_type"]], started_on=d["started_on"], note=d["note"]
        ),
        lambda n: f"已添加节点“{n.node_type.name}”",
    )


@login_required
@require_POST
def case_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "suspend"):
        return forbidden(request, "您的岗位或法院无权中止执行")
    form = SuspendForm(request.POST, auto_id="id_suspend_%s")
    return _run(
        request,
        case,
        "suspend",
        form,
        lambda d: services.suspend_case(
            request.user,
            case,
            ground=d["ground"],
            start=d["start"],
            document_ref=d["document_ref"],
            debtor_requested=d.get("debtor_requested", False),
            instrument_review=d.get("instrument_review", False),
        ),
        lambda s: f"已中止执行（自{s.start}起），执行期限停止计算",
    )


@login_required
@require_POST
def case_resume_execution(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "resume_execution"):
        return forbidden(request, "您的岗位或法院无权恢复执行")
    form = ResumeExecutionForm(request.POST, auto_id="id_resume_execution_%s")
    return _run(
        request,
        case,
        "resume_execution",
        form,
        lambda d: services.resume_execution(request.user, case, on=d["on"], document_ref=d["document_ref"]),
        lambda s: f"已恢复执行（{s.end}），期限重新计算",
    )


@login_required
@require_POST
def excluded_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a period the term does not count (暂缓执行, appraisal, auction, public notice…)."""
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "exclude"):
        return forbidden(request, "您的岗位或法院无权登记不计入执行期限的期间")
    form = ExcludedPeriodForm(request.POST, auto_id="id_exclude_%s")
    return _run(
        request,
        case,
        "exclude",
        form,
        lambda d: services.start_excluded_period(
            request.user,
            case,
            kind=d["kind"],
            start=d["start"],
            document_ref=d["document_ref"],
            note=d["note"],
            debtor_requested=d.get("debtor_requested", False),
        ),
        lambda p: f"已登记“{p.get_kind_display()}”（自{p.start}起），执行期限暂停计算",
    )


@login_required
@require_POST
def excluded_end(request: HttpRequest, pk: int, period_id: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "exclude"):
        return forbidden(request, "您的岗位或法院无权登记不计入执行期限的期间")
    period = next((p for p in queries_term.excluded_periods(case) if p.pk == period_id), None)
    if period is None:
        return not_found(request)
    form = EndExcludedPeriodForm(request.POST, auto_id=f"id_exend{period.pk}_%s")
    return _run(
        request,
        case,
        "exclude_end",
        form,
        lambda d: services.end_excluded_period(
            request.user, period, end=d["end"], document_ref=d["document_ref"]
        ),
        lambda p: f"“{p.get_kind_display()}”已于{p.end}结束，执行期限顺延{(p.end - p.start).days}日",
        bound_key=(period.pk, form),
    )


@login_required
@require_POST
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "extension"):
        return forbidden(request, "您的岗位或法院无权申请延长执行期限")
    form = ExtensionForm(request.POST, auto_id="id_extension_%s")
    return _run(
        request,
        case,
        "extension",
        form,
        lambda d: services.request_extension(request.user, case, reason=d["reason"]),
        lambda e: "已提交延长执行期限申请，待院长审批",
    )


def _decide(request: HttpRequest, pk: int, ext_id: int, approve: bool) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "decide"):
        return forbidden(request, "延长执行期限须由本院院长批准")
    ext = next((e for e in queries.pending_extensions(case) if e.pk == ext_id), None)
    if ext is None:
        return not_found(request)
    target = safe_next(request, reverse("case_detail", args=[case.pk]))

    def to(_: Any) -> HttpResponse:
        return redirect(target)

    service = services.approve_extension if approve else services.reject_extension
    return _run(
        request,
        case,
        "decide",
        DecisionForm(request.POST),
        lambda d: service(request.user, ext),
        lambda e: f"{case.number}：{'已批准延长执行期限3个月' if approve else '已不予批准延长执行期限'}",
        to=to,
    )


@login_required
@require_POST
def extension_approve(request: HttpRequest, pk: int, ext_id: int) -> HttpResponse:
    return _decide(request, pk, ext_id, True)


@login_required
@require_POST
def extension_reject(request: HttpRequest, pk: int, ext_id: int) -> HttpResponse:
    return _decide(request, pk, ext_id, False)


@login_required
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "close"):
        return forbidden(request, "您的岗位或法院无权结案")
    form = CloseForm(request.POST, auto_id="id_close_%s")
    return _run(
        request,
        case,
        "close",
        form,
        lambda d: services.close_case(
            request.user, case, mode=d["mode"], closed_on=d["closed_on"], details=form.details()
        ),
        lambda c: f"已结案：{c.get_closing_mode_display()}",
        aliases=form.aliases,
    )


@login_required
@require_POST
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """恢复执行（执恢立案）: file the linked resumed case and go to it."""
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not permitted(request.user, case, "resume"):
        return forbidden(request, "您的岗位或法院无权恢复执行立案")
    form = ResumeCaseForm(request.POST, auto_id="id_resume_%s")
    return _run(
        request,
        case,
        "resume",
        form,
        lambda d: services.resume_case(request.user, case, applied_on=d["applied_on"], reason=d["reason"]),
        lambda c: f"已恢复执行立案，新案号：{c.number}",
        to=lambda c: redirect("case_detail", pk=c.pk),
    )


@login_required
@require_POST
def party_identity(request: HttpRequest, pk: int, party_id: int) -> HttpResponse:
    """Reveal one party's full ID number (audited). HTMX swaps the fragment into the party row."""
    case = _case(request, pk)
    if case is None:
        return not_found(request)
    if not current_staff(request).can(Cap.IDENTITY_VIEW):
        return forbidden(request, "您的岗位无权查看当事人完整身份信息")
    party: Party | None = next((p for p in queries.case_parties(case) if p.pk == party_id), None)
    if party is None:
        return not_found(request)
    try:
        services.view_party_identity(request.user, party)
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    if request.headers.get("HX-Request"):
        return render(request, "cases/_identity.html", {"party": party})
    return render_detail(request, case, revealed=party.pk)
