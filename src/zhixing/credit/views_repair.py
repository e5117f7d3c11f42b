"""The case's Art 8 notices, credit repair and legal-representative change actions, and the certificate.

Thin: reads through `queries_repair`, writes through `services`. A case the user cannot read is a 404; an
action the user may not take is refused by the service (403 page).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries import get_case
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.documents import queries as document_queries

from . import documents_repair, queries_repair
from .models import CreditRepair, Listing, ListingNotice, NoticeRecipient
from .services import notices, repair


def _403(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _404(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


def _date(value: str | None, field: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ServiceError("日期应为YYYY-MM-DD格式", field=field) from None


def _recipient(value: str | None) -> NoticeRecipient | None:
    return NoticeRecipient.objects.filter(pk=_int(value), active=True).first() if value else None


def _do(action: str, request: HttpRequest, case: EnforcementCase) -> str:
    p, user = request.POST, request.user
    if action in ("profile", "legal_rep"):
        party = Party.objects.filter(pk=_int(p.get("party")), case=case, role=Party.Role.DEBTOR).first()
        if party is None:
            raise ServiceError("请选择本案被执行人", field="party")
        if action == "profile":
            notices.record_profile(
                user,
                case,
                party,
                state_functionary=p.get("state_functionary") == "on",
                employer=_recipient(p.get("employer")),
                unit_nature=p.get("unit_nature", ""),
                superior=_recipient(p.get("superior")),
            )
            return f"已登记{party.name}的通报信息"
        ch = repair.record_legal_rep_change(
            user,
            case,
            party,
            new_name=p.get("new_name", ""),
            new_id_number=p.get("new_id_number", ""),
            changed_on=_date(p.get("changed_on"), "changed_on") or timezone.localdate(),
            former_released=p.get("former_released") == "on",
        )
        done = (
            "，并已对新法定代表人限制消费" if ch.imposed_id else "（单位未被限制消费，无须限制新法定代表人）"
        )
        return f"已登记法定代表人变更：{ch.former_name}→{ch.new_name}{done}"
    if action == "resend_notice":
        n = ListingNotice.objects.filter(pk=_int(p.get("notice")), listing__case=case).first()
        if n is None:
            raise ServiceError("请选择本案的失信通报", field="notice")
        n = notices.resend_notice(user, n)
        return f"已重新排队发送：{n.recipient.name}"
    if action == "repair_apply":
        listing = Listing.objects.filter(pk=_int(p.get("listing")), case=case).first()
        if listing is None:
            raise ServiceError("请选择本案的失信记录", field="listing")
        r = repair.apply_repair(
            user,
            listing,
            applied_on=_date(p.get("applied_on"), "applied_on") or timezone.localdate(),
            statement=p.get("statement", ""),
            settled=p.get("settled") == "on",
            corrected=p.get("corrected") == "on",
        )
        return f"已登记信用修复申请，应于{r.decision_due:%Y-%m-%d}前决定"
    if action == "repair_decide":
        found = CreditRepair.objects.filter(pk=_int(p.get("repair")), listing__case=case).first()
        if found is None:
            raise ServiceError("请选择本案的信用修复申请", field="repair")
        r = repair.decide_repair(user, found, grant=p.get("grant") == "yes", reason=p.get("reason", ""))
        if r.status == CreditRepair.Status.GRANTED:
            return f"已准予信用修复，出具信用修复证明（{r.certificate_number}）"
        return "已决定不予信用修复"
    raise ServiceError("未知的操作", field="action")


@login_required
@require_POST
def repair_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case(request.user, pk)
    if case is None:
        return _404(request)
    try:
        messages.success(request, _do(action, request, case))
    except NotPermitted as exc:
        return _403(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"办理未成功，未作任何更改：{exc.message}")
    return redirect(reverse("credit_case", args=[case.pk]) + "#repair")


@login_required
@require_GET
def certificate(request: HttpRequest, repair_id: int) -> HttpResponse:
    """The certificate page; its Word/PDF are the stored documents of kind `repair_certificate`."""
    r = queries_repair.get_repair(request.user, repair_id)
    if r is None or r.status != CreditRepair.Status.GRANTED:
        return _404(request)
    return render(
        request,
        "credit/repair_certificate.html",
        {
            "d": documents_repair.certificate_context(r),
            "repair": r,
            **document_queries.offer(request.user, r.listing.case, "repair_certificate", str(r.pk)),
        },
    )
