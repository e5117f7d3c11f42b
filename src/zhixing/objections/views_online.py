"""Online filing of an objection to an enforcement act through the party portal (当事人门户).

The portal's sign-in (phone + code) is the credential: `portal.party_queries.identity_for` gives the
(case, party) pair of the signed-in phone, so a party can object only in its own case and only as itself.
Another case, or no such case: the portal's 404 page, nothing shown.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.portal import party_queries

from . import acts, distribution, queries
from .models import Objection

SESSION_KEY = "party_portal_phone"  # the portal's session key (portal.views_party.SESSION_KEY)


@require_http_methods(["GET", "POST"])
def party_objection(request: HttpRequest, pk: int) -> HttpResponse:
    phone = str(request.session.get(SESSION_KEY, ""))
    if not phone:
        return HttpResponseRedirect(f"{reverse('party_login')}?next={request.path}")
    who = party_queries.identity_for(phone, pk)
    if who is None:
        return render(
            request, "portal/party/error.html", {"message": "页面不存在，或您无权查看。"}, status=404
        )
    case = EnforcementCase.objects.select_related("court").get(pk=who.case_id)
    choices = [
        a for a in queries.objectable_acts(case) if a.party_id in (None, who.party_id) or _is_applicant(who)
    ]
    ctx = {
        "case": case,
        "acts": choices,
        "plan_claims": distribution.claim_choices(case, timezone.localdate()),
        "error": "",
        "error_field": "",
        "grounds": "",
    }
    if request.method == "POST":
        act_type, _, act_id = request.POST.get("act", "").partition(":")
        try:
            if act_type == distribution.ACT_TYPE:  # the plan's own procedure (funds), no 执异 case
                plan_objection = distribution.file(
                    None,
                    case,
                    plan_id=act_id,
                    party_id=who.party_id,
                    claim_id=request.POST.get("claim_id", ""),
                    proposed_amount=request.POST.get("proposed_amount", ""),
                    grounds=request.POST.get("grounds", ""),
                )
                return HttpResponseRedirect(
                    reverse("party_objection", args=[pk]) + f"?plan_objection={plan_objection.pk}"
                )
            obj = acts.file_act_objection(
                None,
                case,
                act_type=act_type,
                act_id=act_id,
                party_id=who.party_id,
                grounds=request.POST.get("grounds", ""),
            )
        except ServiceError as exc:
            ctx.update(error=exc.message, error_field=exc.field, grounds=request.POST.get("grounds", ""))
            return render(request, "objections/party.html", ctx, status=422)
        return HttpResponseRedirect(reverse("party_objection", args=[pk]) + f"?filed={obj.pk}")
    ctx["mine"] = list(
        Objection.objects.filter(case_id=case.pk, objector_party_id=who.party_id, kind=Objection.Kind.ACT)
    )
    return render(request, "objections/party.html", ctx)


def _is_applicant(who: object) -> bool:
    return getattr(who, "role", "") == "applicant"
