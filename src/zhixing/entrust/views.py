"""Entrustment pages: the court's inbox, outbox and statistics; sending from a case; the delegate's steps.

Pages need a signed-in court member; a send needs the entrust capability in the case's own court, a
delegate step the handling capability in the receiving court (else 403); bad input shows the reason and
changes nothing.
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

from zhixing.cases import queries as case_queries
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from . import queries, services
from .rules import MATTER_LABELS


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


@login_required
@require_GET
def boxes(request: HttpRequest) -> HttpResponse:
    court = getattr(request.user, "court", None)
    if court is None:
        return forbidden(request, "委托执行按法院办理，请使用法院工作人员账号")
    return render(
        request,
        "entrust/boxes.html",
        {
            "court": court,
            "inbox": queries.with_clocks(queries.inbox(request.user)),
            "outbox": queries.with_clocks(queries.outbox(request.user)),
            "stats": queries.statistics(court),
            "may_handle": request.user.can(Cap.ENTRUST_HANDLE),  # type: ignore[union-attr]
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def case_entrust(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's entrustments and the sending form."""
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    from .models import Entrustment

    rows = Entrustment.objects.filter(case=case).select_related("to_court").order_by("-sent_on", "-id")
    return render(
        request,
        "entrust/case.html",
        {
            "case": case,
            "rows": queries.with_clocks(rows),
            "courts": queries.courts_for(request.user),
            "matters": list(MATTER_LABELS.items()),
            "may_send": case.is_open
            and can_write_court(request.user, case.court)
            and request.user.can(Cap.ENTRUST_SEND),  # type: ignore[union-attr]
            "may_close": can_write_court(request.user, case.court) and request.user.can(Cap.CASE_CLOSE),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_queries.get_case(request.user, pk)
    if case is None:
        return not_found(request)
    p = request.POST
    try:
        if p.get("kind") == "case":
            e = services.send_case(
                request.user, case, to_court=p.get("to_court", ""), request=p.get("request", "")
            )
        else:
            e = services.send_matter(
                request.user,
                case,
                to_court=p.get("to_court", ""),
                matter=p.get("matter", ""),
                request=p.get("request", ""),
            )
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"委托未发出，未作任何更改：{exc.message}")
    else:
        messages.success(request, f"已向{e.to_court.name}发出{e.what}，开始办理期限{e.start_by:%Y-%m-%d}")
    return redirect(reverse("case_entrust", args=[case.pk]))


def _date(v: str) -> date | None:
    if not v:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise ServiceError("日期应为YYYY-MM-DD格式", field="on") from None


@login_required
@require_POST
def act(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    """A step on an entrustment: start, progress, done, filed (delegate); close (delegating court)."""
    e = queries.visible(request.user, pk)
    if e is None:
        return not_found(request)
    p = request.POST
    try:
        if op == "start":
            services.start(request.user, e, on=_date(p.get("on", "")))
        elif op in ("progress", "done"):
            services.report(
                request.user, e, text=p.get("text", ""), done=op == "done", on=_date(p.get("on", ""))
            )
        elif op == "filed":
            services.record_filing(
                request.user, e, number=p.get("number", ""), filed_on=_date(p.get("on", ""))
            )
        elif op == "close":
            services.close_delegated(request.user, e)
        else:
            return not_found(request)
    except NotPermitted as exc:
        return forbidden(request, exc.message)
    except ServiceError as exc:
        messages.error(request, f"未作任何更改：{exc.message}")
    else:
        messages.success(request, "已登记")
    if op == "close":
        return redirect(reverse("case_entrust", args=[e.case_id]))
    # A step taken on the command center's screen returns there (issue 20 item 4).
    if p.get("back") == "command":
        return redirect(reverse("command_entrust"))
    return redirect(reverse("entrust_boxes"))
