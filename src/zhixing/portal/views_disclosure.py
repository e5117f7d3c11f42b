"""Staff pages under /disclosure/ (执行公开): a case's disclosure page, the tip and petition lists, rulings.

Thin: reads through `queries_public`, writes through the services. A case or row the user cannot read is
the platform's one 404; an action the user may not take is refused by its service (403 page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import object_id, readable_object

from . import (
    access_public,
    petitions_services,
    public_codes,
    public_rulings,
    queries_public,
    rewards,
    tips_services,
)
from .models import Petition, PublishedRuling, RewardOffer, Tip, TipPhoto

LIST_LIMIT = 200


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def _403(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


@login_required
@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None or not access_public.may_read(request.user, case.court):
        return _404(request)
    user = request.user
    ctx: dict[str, Any] = {
        "case": case,
        "code": public_codes.code_of(case),
        "tips": queries_public.tips_of_case(case.pk),
        "rewards": queries_public.rewards_of_case(case.pk),
        "petitions": queries_public.petitions_of_case(case.pk),
        "documents": queries_public.publishable_documents(case.pk),
        "may_handle": access_public.may_handle(user, case.court),
        "may_decide": access_public.may_decide(user, case.court),
        "may_reward": access_public.may_reward(user, case),
        "today": timezone.localdate(),
        "outcomes": [c for c in Tip.Outcome.choices if c[0]],
    }
    ctx["recovered_tips"] = [t for t in ctx["tips"] if t.outcome == Tip.Outcome.RECOVERED]
    return render(request, "portal/disclosure/case.html", ctx)


def _run(request: HttpRequest, fn: Any, done: str) -> HttpResponse | None:
    """Call a service; a message on success or bad input, the 403 page when refused (None: go back)."""
    try:
        fn()
    except NotPermitted as exc:
        return _403(request, exc.message)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, done)
    return None


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        return _404(request)
    user, p = request.user, request.POST
    actions = {
        "code": (lambda: public_codes.issue(user, case), "已生成新的查询码，原查询码即时失效"),
        "reward": (
            lambda: rewards.offer(user, case, amount=p.get("amount", ""), terms=p.get("terms", "")),
            "悬赏已发布",
        ),
    }
    if action not in actions:
        return _404(request)
    fn, done = actions[action]
    return _run(request, fn, done) or redirect("portal_case", pk=case.pk)


def _row(request: HttpRequest, model: Any, pk: Any) -> Any:
    return readable_object(request.user, model.objects.select_related("case", "court"), pk)


@login_required
@require_POST
def row_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """POST /disclosure/<kind>/<pk>/<action>/: act/close a tip, pay/withdraw a reward, answer a petition,
    publish a document, withdraw a ruling."""
    user, p = request.user, request.POST
    table: dict[tuple[str, str], tuple[Any, Any, str]] = {
        ("tips", "act"): (Tip, lambda r: tips_services.act(user, r.pk, p.get("note", "")), "已登记核查情况"),
        ("tips", "close"): (
            Tip,
            lambda r: tips_services.close(user, r.pk, p.get("outcome", "")),
            "线索已办结",
        ),
        ("rewards", "pay"): (
            RewardOffer,
            lambda r: rewards.pay(
                user,
                r.pk,
                object_id(p.get("tip")) or 0,
                account_name=p.get("account_name", ""),
                account_no=p.get("account_no", ""),
                bank_name=p.get("bank_name", ""),
            ),
            "已提出悬赏金发款，经审批并由财务发送支付指令、银行支付后悬赏即为已发放",
        ),
        ("rewards", "withdraw"): (RewardOffer, lambda r: rewards.withdraw(user, r.pk), "悬赏已撤回"),
        ("petitions", "answer"): (
            Petition,
            lambda r: petitions_services.answer(user, r.pk, p.get("answer", "")),
            "信访已答复",
        ),
        ("rulings", "withdraw"): (
            PublishedRuling,
            lambda r: public_rulings.withdraw(user, r.pk),
            "已撤回公开",
        ),
    }
    if (kind, action) == ("documents", "publish"):
        from zhixing.documents import queries as doc_queries

        doc = doc_queries.get(user, pk)
        if doc is None:
            return _404(request)
        return _run(
            request, lambda: public_rulings.publish(user, doc.pk), "文书已在执行公开网公开（个人信息已屏蔽）"
        ) or redirect("portal_case", pk=doc.case_id)
    if (kind, action) not in table:
        return _404(request)
    model, fn, done = table[(kind, action)]
    row = _row(request, model, pk)
    if row is None:
        return _404(request)
    back = request.POST.get("back", "")
    return _run(request, lambda: fn(row), done) or redirect(
        reverse("portal_petitions") if back == "petitions" else reverse("portal_case", args=[row.case_id])
    )


@login_required
@require_GET
def tip_photo(request: HttpRequest, pk: int) -> HttpResponse:
    photo = TipPhoto.objects.filter(pk=object_id(pk) or 0).select_related("tip__court").first()
    if photo is None or not access_public.may_read(request.user, photo.tip.court):
        return _404(request)
    resp = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Cache-Control"] = "private, no-store"
    return resp


@login_required
@require_GET
def tips(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "new")
    rows = list(queries_public.scoped_tips(request.user, status)[:LIST_LIMIT])
    return render(
        request,
        "portal/disclosure/tips.html",
        {"rows": rows, "status": status, "statuses": Tip.Status.choices, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def petitions(request: HttpRequest) -> HttpResponse:
    """The petition list (open first, by due day) and the counter's registration form (来访登记)."""
    user: Any = request.user
    if request.method == "POST":
        p = request.POST
        data = petitions_services.PetitionData(
            case_number=p.get("case_number", ""),
            petitioner_name=p.get("petitioner_name", ""),
            petitioner_phone=p.get("petitioner_phone", ""),
            content=p.get("content", ""),
        )
        refused = _run(
            request,
            lambda: petitions_services.register(user, data, source=Petition.Source.COUNTER),
            "来访信访已登记并转办理人",
        )
        return refused or redirect("portal_petitions")
    status = request.GET.get("status", "")
    rows = list(queries_public.scoped_petitions(user, status)[:LIST_LIMIT])
    return render(
        request,
        "portal/disclosure/petitions.html",
        {
            "rows": rows,
            "status": status,
            "statuses": Petition.Status.choices,
            "today": timezone.localdate(),
            "may_register": access_public.may_register(user, user.court) if user.court_id else False,
            "user_id": user.pk,
            "is_director": user.role == "director",
        },
    )


@login_required
@require_GET
def rulings(request: HttpRequest) -> HttpResponse:
    rows = list(queries_public.scoped_rulings(request.user).order_by("-published_at")[:LIST_LIMIT])
    return render(request, "portal/disclosure/rulings.html", {"rows": rows})


@login_required
@require_GET
def case_badge(request: HttpRequest, pk: int) -> HttpResponse:
    """New tips waiting for the handler, loaded into the case page's link (cases imports no portal)."""
    case = get_case(request.user, pk)
    if case is None:
        return _404(request)
    n = queries_public.case_new_tips(case.pk)
    html = (
        f' <span class="badge warn" id="tips-new" data-testid="tips-new">{n}条线索待核查</span>' if n else ""
    )
    return HttpResponse(html)
