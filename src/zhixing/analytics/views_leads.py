"""Pages for following analysis leads: the judge's click (targeted query or field verification) and the
field result. Thin: reads via `queries`, writes via `services`; a lead the user cannot read is a 404, a
write the user may not make a 403, a refused write a message on the profile page.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhixing.core.errors import NotPermitted, ServiceError

from . import queries, services
from .models import PropertyLead


def _lead(request: HttpRequest, lead_id: int) -> PropertyLead:
    lead = queries.lead(request.user, lead_id)
    if lead is None:
        raise Http404
    return lead


def _back(lead: PropertyLead) -> HttpResponse:
    return redirect(f"/analytics/profiles/{lead.profile_id}/#lead-{lead.pk}")


@login_required
@require_POST
def follow(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead(request, lead_id)
    try:
        lead = services.follow_lead(request.user, lead, urgent=request.POST.get("urgent") == "1")
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(lead)
    if lead.state == PropertyLead.State.FIELD:
        messages.success(request, f"线索“{lead.counterparty}”已转实地核查，核查期限 {lead.due_on}")
    else:
        messages.success(request, f"线索“{lead.counterparty}”已发起定向查询，结果将显示在查控页面")
    return _back(lead)


@login_required
@require_POST
def field_result(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead(request, lead_id)
    completed_on = None
    if request.POST.get("completed_on"):
        try:
            completed_on = date.fromisoformat(request.POST["completed_on"])
        except ValueError:
            messages.error(request, "核查日期格式应为 YYYY-MM-DD")
            return _back(lead)
    try:
        services.record_field_result(
            request.user,
            lead,
            found=request.POST.get("found") == "1",
            document_ref=request.POST.get("document_ref", ""),
            note=request.POST.get("note", ""),
            completed_on=completed_on,
        )
    except NotPermitted as exc:
        return render(request, "core/403.html", {"message": exc.message}, status=403)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(lead)
    messages.success(request, f"已登记线索“{lead.counterparty}”的实地核查结果")
    return _back(lead)
