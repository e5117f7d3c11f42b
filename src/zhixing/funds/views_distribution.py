"""Distribution pages (财产分配方案): the plan page with its stage, periods, claims, objections and held
amount; each POST calls one service and comes back to the page with the outcome or the refusal (which
names the field). Another court's plan is a 404; a role that may not act gets a 403 from the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases import queries as case_queries
from zhixing.cases.models import Party
from zhixing.core import downloads, upload_limits
from zhixing.core.errors import ServiceError
from zhixing.courts.queries import can_write_court, readable_or_404
from zhixing.documents import queries as document_queries

from . import distribution_rules as dr
from . import queries_distribution as qd
from .models import DistributionPlan
from .services import distribution as svc
from .services import distribution_import as imp
from .services import distribution_money as pay
from .services import distribution_objections as obj
from .services import distribution_suits as suits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_KEY = "dist_claim_form"


def _run(
    request: HttpRequest, back: str, action: Callable[[], Any], ok: str, keep: bool = False
) -> HttpResponse:
    try:
        result = action()
    except ServiceError as exc:
        request.session["funds_errors"] = [exc.message]
        request.session["funds_error_field"] = exc.field or ""
        if keep:
            request.session[FORM_KEY] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        if exc.status == 403:
            return render(request, "core/403.html", {"message": exc.message}, status=403)
        return HttpResponseRedirect(back)
    messages.success(request, ok)
    if isinstance(result, DistributionPlan):
        return HttpResponseRedirect(reverse("funds_plan", args=[result.pk]))
    return HttpResponseRedirect(back)


def _plan(request: HttpRequest, pk: int) -> DistributionPlan:
    return readable_or_404(request.user, DistributionPlan.objects.select_related("case", "court"), pk)


def _back(plan: DistributionPlan) -> str:
    return reverse("funds_plan", args=[plan.pk])


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    p = _plan(request, pk)
    detail = qd.plan_detail(p.pk)
    assert detail is not None
    user: Any = request.user
    parties = case_queries.case_parties(p.case)
    claims = {c.pk: c for c in detail.claims.all()}
    paid_by = qd.line_payouts(detail) if detail.status in (detail.Status.FINAL, detail.Status.PAID) else {}
    lines = []
    for i, ln in enumerate(detail.lines):
        lines.append({**ln, "index": i, "claim": claims.get(ln.get("claim_id")), "payout": paid_by.get(i)})
    S = DistributionPlan.Status
    in_window = detail.status in (S.SERVED, S.OBJECTED, S.COUNTERED, S.SUING)
    ctx = {
        "plan": detail,
        "case": p.case,
        "lines": lines,
        "objections": list(detail.objections.all()),
        "next_version": DistributionPlan.objects.filter(previous_id=p.pk).first(),
        "applicants": [x for x in parties if x.role == Party.Role.APPLICANT],
        "kinds": dr.KIND_LABELS,
        "can_act": can_write_court(user, p.court) and user.role in svc.PLAN_ROLES,
        "in_window": in_window,
        "objection_open": in_window and detail.objection_due and timezone.localdate() <= detail.objection_due,
        "payable": [i for i, _ in qd.payable_lines(detail)],
        "available": svc.available(p.case),
        "enterprise": not dr.pro_rata(detail.debtor_kind or dr.PERSON),
        "debtor_form": dr.DEBTOR_FORMS.get(detail.debtor_kind, dr.DEBTOR_FORMS[dr.ENTERPRISE]),
        "plan_debtor": detail.debtor or next((x for x in parties if x.role == Party.Role.DEBTOR), None),
        "today": timezone.localdate(),
        "form": request.session.pop(FORM_KEY, {}),
        "errors": request.session.pop("funds_errors", []),
        "error_field": request.session.pop("funds_error_field", ""),
        # The plan's Word/PDF are stored documents (documents capability, kind distribution_plan, ADR 0021).
        **document_queries.offer(user, p.case, "distribution_plan", str(p.pk)),
    }
    return render(request, "funds/plan.html", ctx)


@login_required
@require_GET
def claims_template(request: HttpRequest) -> HttpResponse:
    resp = HttpResponse(imp.template_xlsx(), content_type=XLSX)
    downloads.attach(resp, "债权申报表模板.xlsx")
    return resp


@login_required
@require_POST
def create_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return render(request, "core/404.html", {}, status=404)
    f = request.POST
    return _run(
        request,
        reverse("funds_case_money", args=[pk]) + "#plans",
        lambda: svc.create_plan(
            request.user,
            case,
            proceeds=f.get("proceeds", ""),
            costs=f.get("costs", ""),
            cutoff_on=f.get("cutoff_on", ""),
            first_seizing_court=f.get("first_seizing_court", ""),
            debtor_id=f.get("debtor_id", ""),
            debtor_form=f.get("debtor_form", ""),
        ),
        "分配方案草稿已建立，请登记参与分配的债权",
    )


@login_required
@require_POST
def add_claim(request: HttpRequest, pk: int) -> HttpResponse:
    p = _plan(request, pk)
    data = {k: request.POST.get(k, "") for k in svc.CLAIM_FIELDS}
    upload = request.FILES.get("evidence_file")

    def act() -> Any:
        upload_limits.check(upload, "evidence", field="evidence_file", label="证据材料")
        svc.add_claim(request.user, p, data, evidence_file=upload)

    return _run(request, _back(p), act, "债权已登记", keep=True)


@login_required
@require_POST
def remove_claim(request: HttpRequest, pk: int, claim_id: int) -> HttpResponse:
    p = _plan(request, pk)
    return _run(request, _back(p), lambda: svc.remove_claim(request.user, claim_id, p), "债权已撤回")


@login_required
@require_POST
def import_claims(request: HttpRequest, pk: int) -> HttpResponse:
    p = _plan(request, pk)
    upload = request.FILES.get("file")

    def act() -> Any:
        if upload is None:
            raise ServiceError("请选择Excel文件", field="file")
        upload_limits.check(upload, "spreadsheet", field="file", label="债权清单文件")
        n = imp.import_claims(request.user, p, upload.read())
        messages.info(request, f"已导入{n}项债权")

    return _run(request, _back(p), act, "债权清单已导入")


def _step(request: HttpRequest, p: DistributionPlan, step: str) -> Callable[[], Any] | None:
    f, u = request.POST, request.user
    steps: dict[str, Callable[[], Any]] = {
        "serve": lambda: obj.serve_plan(u, p, f.get("served_on")),
        "object": lambda: obj.record_objection(
            u,
            p,
            by_name=f.get("by_name", ""),
            claim_id=f.get("claim_id"),
            proposed_amount=f.get("proposed_amount", ""),
            reason=f.get("reason", ""),
            received_on=f.get("received_on"),
            notified_on=f.get("notified_on"),
            by_debtor=f.get("by_debtor") == "1",
        ),
        "counter": lambda: obj.record_counter(
            u,
            p,
            f.get("objection_id"),
            by_name=f.get("by_name", ""),
            received_on=f.get("received_on"),
            notified_on=f.get("notified_on"),
            reason=f.get("reason", ""),
        ),
        "suit": lambda: suits.record_suit(
            u, p, f.get("objection_id"), sued_on=f.get("sued_on"), suit_number=f.get("suit_number", "")
        ),
        "judgment": lambda: suits.record_judgment(
            u, p, f.get("objection_id"), upheld=f.get("upheld") == "1", result_on=f.get("result_on")
        ),
        "conclude": lambda: suits.conclude(u, p),
        "pay_line": lambda: pay.propose_line(
            u,
            p,
            f.get("line"),
            account_name=f.get("account_name", ""),
            account_no=f.get("account_no", ""),
            bank_name=f.get("bank_name", ""),
        ),
        "paid": lambda: pay.mark_paid(u, p),
    }
    return steps.get(step)


STEP_OK = {
    "serve": "已登记送达，异议期开始计算",
    "object": "异议已登记，已通知其他债权人和被执行人",
    "counter": "反对意见已登记，异议人可在期限内起诉",
    "suit": "已登记起诉，争议金额已提存",
    "judgment": "诉讼结果已登记，提存已解除",
    "conclude": "方案已确定",
    "pay_line": "已按方案提出发款，等待审批",
    "paid": "方案已发放完毕",
}


@login_required
@require_POST
def plan_step(request: HttpRequest, plan_id: int) -> HttpResponse:
    p = _plan(request, plan_id)
    step = request.POST.get("step", "")
    action = _step(request, p, step)
    if action is None:
        request.session["funds_errors"] = ["未知的办理事项"]
        return HttpResponseRedirect(_back(p))
    return _run(request, _back(p), action, STEP_OK[step], keep=step != "serve")
