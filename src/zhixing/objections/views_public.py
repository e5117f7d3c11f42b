"""The public objection forms: a third party's (案外人异议网上提交) and an interested person's objection
to a freeze or seizure (利害关系人执行行为异议网上提交); no staff login.

Rate-limited per client address (the platform's shared fixed window); the asset is found only by the
exact case number and certificate/plate/account number together; the answer shows the objection number,
the review deadline and the objector's ID number masked — never the case's parties or the asset's value.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from zhixing.core.clientaddr import client_ip
from zhixing.core.errors import ServiceError
from zhixing.core.identity import mask_id
from zhixing.core.ratelimit import hit_rate_limit

from . import acts, queries, services
from .forms import PublicActObjectionForm, PublicObjectionForm


def _limits() -> tuple[int, int]:
    conf = getattr(settings, "ZHIXING_OBJECTIONS", {})
    return int(conf.get("public_per_window", 5)), int(conf.get("public_window_seconds", 600))


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest) -> HttpResponse:
    form = PublicObjectionForm(request.POST or None)
    ctx: dict[str, object] = {"form": form, "error": "", "done": None}
    if request.method == "POST":
        limit, window = _limits()
        try:
            hit_rate_limit("objections-public", client_ip(request), limit, window)
        except ServiceError as exc:
            ctx["error"] = exc.message
            return render(request, "objections/public.html", ctx, status=429)
        if form.is_valid():
            target = queries.public_target(form.cleaned_data["case_number"], form.cleaned_data["asset_ref"])
            if target is None:
                ctx["error"] = (
                    "未找到与该执行案号和财产证号相符的查封、扣押、冻结财产，请核对执行案号和财产证号"
                )
            else:
                case, asset = target
                try:
                    obj = services.file_third_party(None, case, asset.pk, form.objector())
                except ServiceError as exc:
                    ctx["error"] = exc.message
                else:
                    ctx["done"] = {
                        "number": obj.number,
                        "id": mask_id(obj.objector_id_number),
                        "due": obj.decision_due,
                        "court": case.court.name,
                    }
                    ctx["form"] = PublicObjectionForm()
        return render(request, "objections/public.html", ctx, status=400 if ctx["error"] else 200)
    return render(request, "objections/public.html", ctx)


# The service's field names as the public act form names them (the error box says which field).
ACT_FIELDS = {"act_id": "asset_ref", "act_type": "asset_ref"}
NOT_FOUND = "未找到与该执行案号和财产证号相符的查封、扣押、冻结措施，请核对执行案号和财产证号"


@require_http_methods(["GET", "POST"])
def public_act_form(request: HttpRequest) -> HttpResponse:
    """An interested person who is not a party objects to a freeze or seizure (CPL-2023 Art 236): the act
    is found by the case number and the asset's registration number together, as on the third party's
    form, and rate-limited with it (one shared window per client address)."""
    # Bound on every POST, even an empty one (an unbound form is invalid with no error to name).
    form = PublicActObjectionForm(request.POST if request.method == "POST" else None)
    ctx: dict[str, object] = {"form": form, "error": "", "error_field": "", "done": None}
    if request.method == "POST":
        limit, window = _limits()
        try:
            hit_rate_limit("objections-public", client_ip(request), limit, window)
        except ServiceError as exc:
            ctx["error"] = exc.message
            return render(request, "objections/public_act.html", ctx, status=429)
        if not form.is_valid():
            field = next(iter(form.errors))
            label = form.fields[field].label if field in form.fields else ""
            ctx["error"], ctx["error_field"] = f"请正确填写{label}", field
            return render(request, "objections/public_act.html", ctx, status=400)
        target = queries.public_target(form.cleaned_data["case_number"], form.cleaned_data["asset_ref"])
        if target is None:
            ctx["error"], ctx["error_field"] = NOT_FOUND, "asset_ref"
            return render(request, "objections/public_act.html", ctx, status=400)
        case, asset = target
        try:
            obj = acts.file_act_objection(
                None,
                case,
                act_type=queries.public_act_type(asset),
                act_id=asset.pk,
                grounds=form.cleaned_data["grounds"],
                interested=form.interested(),
            )
        except ServiceError as exc:
            field = exc.field or ""
            ctx["error"], ctx["error_field"] = exc.message, ACT_FIELDS.get(field, field)
            return render(request, "objections/public_act.html", ctx, status=400)
        ctx["done"] = {
            "number": obj.number,
            "id": mask_id(obj.objector_id_number),
            "due": obj.decision_due,
            "court": case.court.name,
        }
        ctx["form"] = PublicActObjectionForm()
    return render(request, "objections/public_act.html", ctx)
