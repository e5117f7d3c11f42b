"""Credit pages: the case's 信用惩戒 page and its actions, supervision, statistics, public pages.

Thin: reads through `queries`, writes through `services`. A case the user cannot read is a 404; an
action the user may not take is hidden on the page and refused by the service (403 page).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases.models import Party
from zhixing.cases.queries import get_case
from zhixing.core import formerrors
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.export_tables import exportable
from zhixing.documents import queries as document_queries

from . import (
    documents,
    public_query,
    queries,
    queries_correction,
    queries_exposure,
    queries_proposals,
    queries_record,
    queries_repair,
    rules,
    services,
)
from .models import Correction, ExposureNotice, Listing, Proposal, Restriction
from .public import client_ip
from .services import approval, own_decisions
from .services.access import may_supervise, may_write
from .services.notices import may_record


def _403(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


# The listing form's fields that show a refused value beside them (credit/case.html).
LIST_FIELDS = ("ground", "dishonest_act")


@login_required
@require_GET
def case_credit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        return _404(request)
    ctx = queries.case_credit(case)
    by_listing = queries_exposure.by_listing(case.pk)
    list_error = formerrors.pop(request)
    for d in ctx["debtors"]:
        d.notices = [n for x in d.history for n in by_listing.get(x.pk, [])]
        # A refused listing comes back beside its field, with what was typed (ADR 0012).
        d.list_error = list_error if list_error and list_error["form"] == f"list-{d.party.pk}" else None
    proposals = queries_proposals.for_case(case.pk)
    for d in ctx["debtors"]:
        d.proposals = [x for x in proposals if x.party_id == d.party.pk]
    ctx.update(
        case=case,
        service_methods=list(rules.SERVICE_METHODS.items()),
        needs_approval={k: approval.approval_required(k) for k in ("listing", "consumption")},
        grace_choices=rules.grace_choices(services.restrictions.grace_months_max())[1:],
        ground1=queries_record.ground1_record(case),
        exposures=[n for notices in by_listing.values() for n in notices],
        ground1_confirms=[rules.GROUND1_EXCEPTIONS[k] for k in ("guarantee", "order", "other")],
        can_write=may_write(request.user, case.court),
        grounds=rules.GROUND_CHOICES,
        items=list(rules.CONSUMPTION_ITEMS.items()),
        triggers=list(rules.REMOVAL_TRIGGERS.items()),
        # What a judge records for the scan to delete (expiry is the scan's; wrongful is revoked at once).
        record_triggers=[t for t in rules.REMOVAL_TRIGGERS.items() if t[0] not in ("expired", "wrongful")],
        review_results=list(services.exit.REVIEW_RESULTS.items()),
        today=timezone.localdate(),
        lift_triggers=list(services.LIFT_TRIGGERS.items()),
        consumption_codes=[
            (c, rules.CODE_LABELS[c]) for c in rules.codes_of(rules.items_mask(rules.ALL_ITEMS))
        ],
        bound_choices=[c for c in Restriction.Bound.choices if c[0] != "debtor"],
        correction_grounds=Correction.Ground.choices,
        overdue_corrections={
            c.pk
            for d in ctx["debtors"]
            if d.listing
            for c in d.listing.corrections.all()
            if queries_correction.overdue(c, timezone.localdate())
        },
    )
    ctx.update(queries_repair.case_context(case), can_record_profile=may_record(request.user, case.court))
    return render(request, "credit/case.html", ctx)


def _bound(post: Any) -> list[services.BoundPerson]:
    out = []
    for role, name, idn in zip(
        post.getlist("bound_role"), post.getlist("bound_name"), post.getlist("bound_id"), strict=False
    ):
        if name.strip() or idn.strip():
            out.append(services.BoundPerson(bound=role, name=name, id_number=idn))
    return out


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value or default)
    except ValueError:
        return -1


def _date(value: str | None, field: str = "date") -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ServiceError("日期应为YYYY-MM-DD格式", field=field) from None


def _exit_action(action: str, request: HttpRequest, r: Restriction) -> str:
    """The exit restriction's 复议 steps: service of the decision, the application, the decision."""
    p, user = request.POST, request.user
    if action == "exit_served":
        r = services.record_exit_service(
            user, r, served_on=_date(p.get("served_on"), "served_on"), method=p.get("method") or "personal"
        )
        return f"已登记送达，复议申请截止{r.reconsideration_due:%Y-%m-%d}"
    if action == "exit_reconsideration":
        r = services.file_exit_reconsideration(user, r, filed_on=_date(p.get("filed_on"), "filed_on"))
        return f"已登记复议申请，上一级法院应于{r.review_due:%Y-%m-%d}前审结"
    r = services.decide_exit_reconsideration(
        user, r, result=p.get("result", ""), decided_on=_date(p.get("decided_on"), "decided_on")
    )
    return f"已登记复议结果：{r.get_review_result_display()}"


def _do(action: str, request: HttpRequest, case: Any) -> str:
    p = request.POST
    user = request.user
    if action in ("list", "consumption", "exit", "application"):
        party = Party.objects.filter(pk=_int(p.get("party")), case=case).first()
        if party is None:
            raise ServiceError("请选择本案被执行人", field="party")
        if action == "list":
            app = None
            if p.get("application"):
                app = services.listing.ListingApplication.objects.filter(
                    pk=_int(p.get("application")), case=case
                ).first()
            data = services.ListingData(
                ground=_int(p.get("ground"), -1) if p.get("ground") else None,
                dishonest_act=p.get("dishonest_act", ""),
                initiation="application" if app else "ex_officio",
                application=app,
                guarantee_confirmed=p.get("guarantee_confirmed") == "on",
                order_confirmed=p.get("order_confirmed") == "on",
                ability_confirmed=p.get("ability_confirmed") == "on",
                serious=p.get("serious") == "on",
                extension_years=_int(p.get("extension_years")),
                grace_months=_int(p.get("grace_months")),
                bound_persons=_bound(p),
            )
            if approval.approval_required("listing"):
                approval.propose_listing(user, case, party, data)
                return f"已提请院长审批将{party.name}纳入失信被执行人名单；院长签发后决定生效"
            signed = own_decisions.decide_listing(user, case, party, data)
            return (
                f"已将{party.name}纳入失信被执行人名单（{signed.document_number}），并同时限制消费；"
                "请将决定书送达被执行人并登记送达"
            )
        if action == "consumption":
            items = [_int(i) for i in p.getlist("items")]
            if approval.approval_required("consumption"):
                approval.propose_consumption(
                    user,
                    case,
                    party,
                    items=items,
                    bound_persons=_bound(p),
                    grace_months=_int(p.get("grace_months")),
                    initiation=p.get("initiation", ""),
                )
                return f"已提请院长签发对{party.name}的限制消费令"
            own_decisions.decide_consumption(
                user,
                case,
                party,
                items=items,
                bound_persons=_bound(p),
                grace_months=_int(p.get("grace_months")),
                initiation=p.get("initiation", ""),
            )
            return f"已对{party.name}发出限制消费令，自送达之日起生效；请送达被执行人并登记送达"
        if action == "exit":
            services.restrict_exit(
                user, case, party, initiation=p.get("initiation", ""), bound_persons=_bound(p)
            )
            return f"已对{party.name}限制出境"
        services.record_application(
            user, case, party, received_on=_date(p.get("received_on")) or timezone.localdate()
        )
        return "已登记申请执行人的纳入申请，应在15日内作出决定"
    if action in ("remove", "trigger", "extend", "correction", "expose", "withdraw_exposure"):
        listing = Listing.objects.filter(pk=_int(p.get("listing")), case=case).first()
        if listing is None:
            raise ServiceError("请选择本案的失信信息", field="listing")
        if action == "remove":
            services.remove_listing(
                user,
                listing,
                trigger=p.get("trigger", ""),
                trigger_on=_date(p.get("trigger_on"), "trigger_on"),
                note=p.get("note", ""),
            )
            return f"已删除{listing.name}的失信信息"
        if action == "trigger":
            x = services.record_trigger(
                user,
                listing,
                trigger=p.get("trigger", ""),
                trigger_on=_date(p.get("trigger_on"), "trigger_on") or timezone.localdate(),
            )
            return f"已登记删除事由，系统将自动删除（最迟{x.removal_due:%Y-%m-%d}）"
        if action == "extend":
            services.extend_listing(user, listing, years=_int(p.get("years")), reason=p.get("reason", ""))
            return "已延长失信期限"
        if action == "correction":
            services.file_correction(
                user,
                listing,
                ground=p.get("ground", ""),
                detail=p.get("detail", ""),
                received_on=_date(p.get("received_on")) or timezone.localdate(),
            )
            return "已登记纠正申请，应在15日内审查"
        if action == "withdraw_exposure":
            n = services.withdraw_listing_exposure(user, listing, p.get("reason", ""))
            return f"已撤回{listing.name}的{n}条曝光推送（已送达媒体的由系统发送撤回通知）"
        notices = services.expose(user, listing, address=p.get("address", ""))
        if not notices:
            return f"已在曝光台曝光{listing.name}；没有覆盖其户籍地且尚未推送的媒体"
        return f"已在曝光台曝光{listing.name}，并排队向{len(notices)}家户籍地媒体推送"
    if action in ("lift", "private", "exit_served", "exit_reconsideration", "exit_review"):
        r = Restriction.objects.filter(pk=_int(p.get("restriction")), case=case).first()
        if r is None:
            raise ServiceError("请选择本案的限制措施", field="restriction")
        if action.startswith("exit_"):
            return _exit_action(action, request, r)
        if action == "lift":
            services.lift_restriction(user, r, trigger=p.get("trigger", ""), note=p.get("note", ""))
            return f"已解除对{r.name}的{r.get_kind_display()}"
        services.decide_private_consumption(
            user,
            r,
            applied_on=_date(p.get("applied_on")) or timezone.localdate(),
            purpose=p.get("purpose", ""),
            granted=p.get("granted") == "yes",
            reason=p.get("reason", ""),
            codes=p.getlist("codes"),
            valid_from=_date(p.get("valid_from"), "valid_from"),
            valid_until=_date(p.get("valid_until"), "valid_until"),
        )
        return "已记录消费申请的审查决定"
    if action == "served":
        pr = Proposal.objects.filter(pk=_int(p.get("proposal")), case=case).first()
        if pr is None:
            raise ServiceError("请选择本案已签发的决定", field="proposal")
        pr = approval.record_service(
            user, pr, method=p.get("method", ""), on=_date(p.get("served_on"), "served_on")
        )
        return f"已登记送达（{pr.served_on:%Y-%m-%d}视为送达），各期间自送达起算"
    if action == "resend_exposure":
        notice = ExposureNotice.objects.filter(pk=_int(p.get("notice")), listing__case=case).first()
        if notice is None:
            raise ServiceError("请选择本案的曝光推送", field="notice")
        notice = services.resend_exposure(user, notice)
        return f"已重新排队{notice.get_status_display()}：{notice.partner.name}"
    raise ServiceError("未知的操作", field="action")


@login_required
@require_POST
def case_credit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        return _404(request)
    if not may_write(request.user, case.court):
        return _403(request, "只能办理本院案件的信用惩戒；上级法院只能查看")
    try:
        messages.success(request, _do(action, request, case))
    except NotPermitted as exc:
        return _403(request, exc.message)
    except ServiceError as exc:
        text = f"办理未成功，未作任何更改：{exc.message}"
        party = request.POST.get("party", "")
        if action == "list" and party.isdigit():
            typed = {k: request.POST.get(k, "") for k in LIST_FIELDS}
            field = exc.field if exc.field in LIST_FIELDS else None
            formerrors.remember(request, f"list-{party}", field, text, typed.get(field or "", ""), typed)
            return redirect(reverse("credit_case", args=[case.pk]) + f"#list-form-{party}")
        messages.error(request, text)
    return redirect("credit_case", pk=case.pk)


@login_required
@require_GET
def decision(request: HttpRequest, listing_id: int) -> HttpResponse:
    """The 失信决定书 page, and its stored Word/PDF documents made by the documents capability (kind
    `listing_decision`, ADR 0021)."""
    listing = Listing.objects.select_related("case", "court").filter(pk=listing_id).first()
    if listing is None or get_case(request.user, listing.case_id) is None:
        return _404(request)
    return render(
        request,
        "credit/decision.html",
        {
            "d": documents.decision_context(listing),
            "listing": listing,
            **document_queries.offer(request.user, listing.case, "listing_decision", str(listing.pk)),
        },
    )


@login_required
@require_GET
@exportable
def supervision(request: HttpRequest) -> HttpResponse:
    if not may_supervise(request.user):
        return _403(request, "信用惩戒监管仅限执行局局长、院长和指挥中心")
    return render(request, "credit/supervision.html", queries.supervision_rows(request.user))


@login_required
@require_GET
@exportable
def statistics(request: HttpRequest) -> HttpResponse:
    if not may_supervise(request.user):
        return _403(request, "信用惩戒统计仅限执行局局长、院长和指挥中心")
    return render(request, "credit/statistics.html", {"s": queries.statistics(request.user)})


@require_GET
def public_blacklist(request: HttpRequest) -> HttpResponse:
    """失信被执行人公开查询: a name, or a name with the full ID number (never an ID number alone)."""
    q, number = request.GET.get("q", ""), request.GET.get("id", "")
    # An ID number the visitor typed is never echoed back into the page (it would sit there in clear).
    echo = "" if any(ch.isdigit() for ch in q) else q
    ctx: dict[str, Any] = {"q": echo, "results": None, "error": "", "by_id": bool(number.strip())}
    if q or number:
        try:
            ctx["results"] = public_query.search(client_ip(request), q, number)
        except services.RateLimited as exc:
            ctx["error"] = exc.message
            return render(request, "credit/public_blacklist.html", ctx, status=429)
        except ServiceError as exc:
            ctx["error"] = exc.message
    return render(request, "credit/public_blacklist.html", ctx)


@require_GET
def public_exposure(request: HttpRequest) -> HttpResponse:
    try:
        rows = public_query.exposure_board(client_ip(request))
    except services.RateLimited as exc:
        return render(request, "credit/exposure.html", {"rows": [], "error": exc.message}, status=429)
    return render(request, "credit/exposure.html", {"rows": rows})
