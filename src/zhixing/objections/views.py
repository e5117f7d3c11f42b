"""Staff pages of objections: a case's objections (counter filing), one objection (ruling, service,
suit or retrial application), and the supervision page (open clocks and statistics). Thin: reads
through `queries`, writes through `services`; another court's case or objection is 404, a refused action
403 with the reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.queries import readable_or_404

from . import access, acts, distribution, notices, queries, retrial, services
from .forms import ObjectorForm
from .models import Objection
from .services import ObjectorData


def _403(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def case_objections(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        raise Http404("案件不存在或无权查看")
    can_file = access.can_file(request.user, case.court)
    form = ObjectorForm(request.POST or None)
    error = ""
    if request.method == "POST" and request.POST.get("kind") == "act":
        if not can_file:
            return _403(request, "只有本院立案人员可以登记执行行为异议")
        act_type, _, act_id = request.POST.get("act", "").partition(":")
        p = request.POST
        if act_type == distribution.ACT_TYPE:  # routed to the plan's own procedure (funds)
            return _file_distribution(request, case, act_id)
        outsider = None
        if not p.get("party_id", ""):  # no party chosen: an interested person (利害关系人)
            outsider = ObjectorData(
                name=p.get("interested_name", ""),
                id_number=p.get("interested_id_number", ""),
                claim=p.get("interested_claim", ""),
                grounds="",
                phone=p.get("interested_phone", ""),
            )
        try:
            obj = acts.file_act_objection(
                request.user,
                case,
                act_type=act_type,
                act_id=act_id,
                party_id=p.get("party_id", ""),
                grounds=p.get("grounds", ""),
                received_on=p.get("received_on", ""),
                interested=outsider,
            )
        except NotPermitted as exc:
            return _403(request, str(exc))
        except ServiceError as exc:
            error = exc.message
        else:
            told = (
                f"已通知当事人（{obj.notice_method}）"
                if obj.notified_on
                else f"请于{obj.notify_due:%Y-%m-%d}前通知当事人并登记"
            )
            messages.success(request, f"已立案{obj.number}，{told}")
            return redirect("objection_detail", obj.pk)
    elif request.method == "POST":
        if not can_file:
            return _403(request, "只有本院立案人员可以登记案外人异议")
        if form.is_valid():
            try:
                obj = services.file_third_party(
                    request.user,
                    case,
                    request.POST.get("asset", ""),
                    form.objector(),
                    received_on=request.POST.get("received_on", ""),
                )
            except NotPermitted as exc:
                return _403(request, str(exc))
            except ServiceError as exc:
                error = exc.message
            else:
                messages.success(request, f"已立案{obj.number}，该财产已停止处分")
                return redirect("objection_detail", obj.pk)
    return _case_page(request, case, form, error, can_file)


def _case_page(request: HttpRequest, case: Any, form: Any, error: str, can_file: bool) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "objections/case.html",
        {
            "case": case,
            "plan_claims": distribution.claim_choices(case, today) if can_file else [],
            "objections": queries.for_case(case),
            "assets": queries.objectable_assets(case) if can_file else [],
            "acts": queries.objectable_acts(case) if can_file else [],
            "parties": list(case.parties.all()) if can_file else [],
            "can_file": can_file,
            "form": form,
            "error": error,
            "act_post": request.POST if request.POST.get("kind") == "act" else {},
        },
        status=200 if not error else 400,
    )


def _file_distribution(request: HttpRequest, case: Any, plan_id: str) -> HttpResponse:
    """A party's objection to a distribution plan, filed at the counter into the funds procedure."""
    p = request.POST
    try:
        obj = distribution.file(
            request.user,
            case,
            plan_id=plan_id,
            party_id=p.get("party_id", ""),
            claim_id=p.get("claim_id", ""),
            proposed_amount=p.get("proposed_amount", ""),
            grounds=p.get("grounds", ""),
            received_on=p.get("received_on", ""),
        )
    except NotPermitted as exc:
        return _403(request, str(exc))
    except ServiceError as exc:
        form = ObjectorForm(None)
        return _case_page(request, case, form, exc.message, access.can_file(request.user, case.court))
    messages.success(
        request,
        f"已登记分配方案#{obj.plan_id}的异议（{obj.by_name}），争议金额{obj.disputed:,.2f}元暂不发放；"
        f"其他债权人、被执行人可于{obj.counter_due:%Y-%m-%d}前提出反对意见",
    )
    return redirect("objections_case", case.pk)


def _panel_choices(obj: Objection) -> list[Staff]:
    return list(
        Staff.objects.filter(court_id=obj.court_id, role__in=access.DECIDER_ROLES, is_active=True).order_by(
            "role", "pk"
        )
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = readable_or_404(request.user, Objection.objects.select_related("court", "case", "asset"), pk)
    can_decide = access.can_decide(request.user, obj.court)
    today = timezone.localdate()
    return render(
        request,
        "objections/detail.html",
        {
            "o": obj,
            "masked_id": queries.masked_id(obj),
            "disposal_block": queries.block_reasons(obj),
            "can_decide": can_decide,
            "can_decide_review": access.can_decide_review(request.user, obj),
            "judges": _panel_choices(obj) if can_decide else [],
            "can_notice": can_decide or access.can_file(request.user, obj.court),
            "notice_overdue": obj.notified_on is None and obj.notify_due < today,
            "service_overdue": (
                obj.served_on is None and obj.service_due is not None and obj.service_due < today
            ),
        },
    )


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    obj = readable_or_404(request.user, Objection.objects.select_related("court", "case"), pk)
    p = request.POST
    calls: dict[str, Any] = {
        "decide": lambda: services.decide(
            request.user,
            obj,
            upheld={"upheld": True, "rejected": False}.get(p.get("outcome", "")),
            panel_ids=p.getlist("panel"),
            reason=p.get("reason", ""),
        ),
        "service": lambda: services.record_service(request.user, obj, p.get("served_on", "")),
        "suit": lambda: services.record_suit(
            request.user, obj, filed_on=p.get("suit_filed_on", ""), number=p.get("suit_number", "")
        ),
        "suit-ended": lambda: services.end_suit(
            request.user, obj, ended_on=p.get("suit_ended_on", ""), objector_won=p.get("suit_outcome", "")
        ),
        "retrial": lambda: retrial.file_retrial(
            request.user,
            obj,
            filed_on=p.get("retrial_filed_on", ""),
            court=p.get("retrial_court", ""),
            number=p.get("retrial_number", ""),
        ),
        "retrial-decision": lambda: retrial.decide_retrial(
            request.user,
            obj,
            granted=p.get("retrial_outcome", ""),
            decided_on=p.get("retrial_decided_on", ""),
            document_ref=p.get("retrial_document_ref", ""),
        ),
        "withdraw": lambda: services.withdraw(request.user, obj, p.get("reason", "")),
        "notice": lambda: notices.record_notice(
            request.user, obj, notified_on=p.get("notified_on", ""), method=p.get("notice_method", "")
        ),
        "review": lambda: acts.file_review(request.user, obj, filed_on=p.get("review_filed_on", "")),
        "review-decision": lambda: acts.decide_review(
            request.user, obj, upheld={"upheld": True, "rejected": False}.get(p.get("outcome", ""))
        ),
    }
    if action not in calls:
        raise Http404("没有这项操作")
    try:
        calls[action]()
    except NotPermitted as exc:
        return _403(request, str(exc))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已保存")
    return redirect("objection_detail", obj.pk)


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Pending objections and their clocks for the director, the president and the higher courts."""
    if not access.can_supervise(request.user):
        return _403(request, "执行异议监管仅限执行局局长、院长和指挥中心")
    clocks = queries.open_clocks(request.user)
    late = [sum(1 for c in clocks if c.overdue and c.label == k) for k in queries.LATE_CLOCKS]
    return render(
        request,
        "objections/supervision.html",
        {"clocks": clocks, "s": queries.statistics(request.user), "late_notices": late},
    )


@login_required
@require_GET
def reviews(request: HttpRequest) -> HttpResponse:
    """The higher court's page: 复议 of act objections its subordinate courts ruled on, with their clocks."""
    if not (access.can_supervise(request.user) or getattr(request.user, "role", "") in access.DECIDER_ROLES):
        return _403(request, "复议审查仅限执行法官、局长、院长和指挥中心")
    return render(
        request,
        "objections/reviews.html",
        {
            "reviews": queries.review_docket(request.user),
            "today": timezone.localdate(),
            "clocks": [
                c for c in queries.open_clocks(request.user) if c.objection.kind == Objection.Kind.ACT
            ],
            "s": queries.statistics(request.user),
        },
    )
