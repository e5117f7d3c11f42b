"""Coercive measures (强制措施) and the refusal-crime referral on a case, and the president's approvals.

GET pages need a readable case (else 404). Each POST calls one service; the service checks role and court
(a refused action is 403 and writes nothing; bad input shows the reason and writes nothing).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court, object_id
from zhixing.courts.roles import Cap

from . import evidence, queries, queries_coercion
from .coercion import MEASURE_LABELS
from .models import CoerciveMeasure, Party
from .services import coercion as services
from .views_access import forbidden, not_found

ZIP = "application/zip"


def _may(user: Any, case: Any, cap: str) -> bool:
    return can_write_court(user, case.court) and user.can(cap)


@login_required
@require_GET
def coercion_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    rows = [(m, queries_coercion.clocks(m)) for m in queries_coercion.measures_of(case.pk)]
    return render(
        request,
        "cases/coercion.html",
        {
            "case": case,
            "rows": rows,
            "referrals": queries_coercion.referrals_of(case.pk),
            "debtors": queries_coercion.debtors_of(case.pk),
            "kinds": list(MEASURE_LABELS.items()),
            "situations": queries_coercion.situations(),
            "may_propose": case.is_open and _may(request.user, case, Cap.COERCION_PROPOSE),
            "may_work": _may(request.user, case, Cap.COERCION_PROPOSE),
            "may_approve": _may(request.user, case, Cap.COERCION_APPROVE),
            "today": timezone.localdate(),
            "now": timezone.localtime(),
        },
    )


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("case_coercion", args=[case_id]))


@login_required
@require_POST
def coercion_propose(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    p = request.POST
    try:
        m = services.propose_measure(
            request.user,
            case,
            kind=p.get("kind", ""),
            party_id=_int(p.get("party", "")),
            act=p.get("act", ""),
            amount=p.get("amount", ""),
            days=p.get("days", ""),
            hours=p.get("hours", ""),
            complex_case=p.get("complex_case") == "on",
            custody=p.get("custody", ""),
            place=p.get("place", ""),
            person_name=p.get("person_name", ""),
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"强制措施未提请，未作任何更改：{exc.message}")
    else:
        messages.success(request, f"已提请{m.get_kind_display()}，待院长审批")
    return _back(case.pk)


def _int(v: str) -> int | None:
    return object_id(v)


def _date(v: str, field: str) -> date:
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise ServiceError("日期应为YYYY-MM-DD格式", field=field) from None


def _moment(v: str, field: str) -> datetime:
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        raise ServiceError("时间应为YYYY-MM-DDTHH:MM格式", field=field) from None
    return timezone.make_aware(dt) if timezone.is_naive(dt) else dt


@login_required
@require_POST
def coercion_act(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """One step on a measure: approve, refuse, serve, review, start, family (notice)."""
    m = queries_coercion.measure(request.user, pk)
    if m is None:
        return not_found(request)
    p = request.POST
    try:
        if op in ("approve", "refuse"):
            services.decide_measure(request.user, m, approve=op == "approve", note=p.get("note", ""))
        elif op == "serve":
            services.record_service(request.user, m, served_on=_date(p.get("served_on", ""), "served_on"))
        elif op == "review":
            services.record_review_application(
                request.user, m, applied_on=_date(p.get("applied_on", ""), "applied_on")
            )
        elif op == "start":
            services.record_start(request.user, m, started_at=_moment(p.get("started_at", ""), "started_at"))
        elif op == "family":
            services.record_family_notice(
                request.user, m, notified_at=_moment(p.get("notified_at", ""), "notified_at")
            )
        else:
            return not_found(request)
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"未作任何更改：{exc.message}")
    else:
        messages.success(request, "已登记")
    if op in ("approve", "refuse") and p.get("next") == "approvals":
        return redirect(reverse("coercion_approvals"))
    return _back(m.case_id)


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """The court president's queue of measures to approve (own court)."""
    if not request.user.can(Cap.COERCION_APPROVE):  # type: ignore[union-attr]
        return forbidden(request, "只有院长审批强制措施")
    return render(
        request,
        "cases/coercion_approvals.html",
        {"rows": list(queries_coercion.pending_approvals(request.user))},
    )


def _debtor(case_id: int, v: str) -> Party | None:
    return Party.objects.filter(case_id=case_id, role=Party.Role.DEBTOR, pk=_int(v) or 0).first()


@login_required
@require_GET
def evidence_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence bundle for a debtor (download; the team's own court)."""
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    if not _may(request.user, case, Cap.COERCION_PROPOSE):
        return forbidden(request, "您的岗位或法院无权导出拒执证据包")
    party = _debtor(case.pk, request.GET.get("party", ""))
    if party is None:
        return not_found(request)
    b = evidence.bundle(case, party, request.GET.getlist("situation"))
    response = HttpResponse(b.data, content_type=ZIP)
    response["Content-Disposition"] = f"attachment; filename=evidence-{case.pk}-{party.pk}.zip"
    response["X-Evidence-SHA256"] = b.sha256
    return response


@login_required
@require_POST
def refusal_refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    p = request.POST
    try:
        party = _debtor(case.pk, p.get("party", ""))
        situations = p.getlist("situation")
        b = evidence.bundle(case, party, situations) if party else None
        services.refer_refusal(
            request.user,
            case,
            party_id=party.pk if party else None,
            situations=situations,
            facts=p.get("facts", ""),
            receiver=p.get("receiver", ""),
            referred_on=_date(p.get("referred_on", ""), "referred_on"),
            evidence_sha256=b.sha256 if b else "",
            evidence_files=b.files if b else [],
        )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"移送未登记，未作任何更改：{exc.message}")
    else:
        messages.success(request, "已登记拒执罪移送")
    return _back(case.pk)


__all__ = ["CoerciveMeasure"]
