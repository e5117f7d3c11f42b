"""Clerk pages: lots of the court, making a lot from a seized asset (reference price and the panel's
terms), managing a lot through its end and settlement, and the statistics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core.errors import ServiceError
from zhixing.courts.queries import object_id, readable_courts, readable_or_404
from zhixing.courts.roles import Role
from zhixing.inquiry import queries_disposal

from . import conf, queries, rules, services
from .models import Lot, ReferencePrice
from .services import sandbox_bank
from .services.access import may_manage
from .services.bank_money import FINANCE_ONLY

TZ = ZoneInfo("Asia/Shanghai")


def _403(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=TZ) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    lots = list(queries.staff_lots(request.user, status if status in Lot.Status.values else "")[:100])
    courts = list(readable_courts(request.user).values_list("pk", flat=True))
    return render(
        request,
        "auctions/manage.html",
        {
            "lots": lots,
            "assets": queries_disposal.court_seized_assets(courts, 50),
            "statuses": Lot.Status.choices,
            "status": status,
            "counts": queries.published_count(request.user),
        },
    )


LOT_FIELDS = (
    "title",
    "description",
    "start_price",
    "increment",
    "deposit",
    "notified_on",
    "announced_on",
    "starts_at",
    "ends_at",
    "panel",
)


@login_required
def new_lot(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = queries_disposal.asset(asset_id)
    if asset is None or readable_or_404(request.user, type(asset.case).objects.all(), asset.case_id) is None:
        return render(request, "core/404.html", {}, status=404)
    previous = None
    pid = object_id(request.GET.get("previous") or request.POST.get("previous") or "")
    if pid is not None:
        previous = Lot.objects.filter(pk=pid, asset_id=asset_id).first()
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    price_error = None
    if not may_manage(request.user, asset.case.court):  # the GET too: the form would only be refused
        return _403(request, "只有本院执行法官或执行局局长可以制作拍卖标的")
    if request.method == "POST":
        p = request.POST
        if p.get("form") == "price":
            try:
                services.set_reference_price(
                    request.user,
                    asset.pk,
                    method=p.get("method", ""),
                    amount=p.get("amount", ""),
                    started_on=_date(p.get("started_on", "")) or timezone.localdate(),
                    reported_on=_date(p.get("reported_on", "")) or timezone.localdate(),
                    tried=p.getlist("tried"),
                    jointly_asked=p.get("jointly_asked") == "on",
                    note=p.get("note", ""),
                )
            except ServiceError as exc:
                price_error = exc
            else:
                messages.success(request, "已登记参考价")
                return HttpResponseRedirect(request.get_full_path())
        else:
            values = {k: p.get(k, "") for k in LOT_FIELDS}
            data = services.LotInput(
                title=values["title"],
                description=values["description"],
                start_price=values["start_price"],
                increment=values["increment"],
                deposit=values["deposit"],
                notified_on=_date(values["notified_on"]),
                announced_on=_date(values["announced_on"]) or timezone.localdate(),
                starts_at=_datetime(values["starts_at"]) or timezone.now(),
                ends_at=_datetime(values["ends_at"]) or timezone.now(),
                panel=[line for line in values["panel"].splitlines() if line.strip()],
            )
            try:
                lot = services.create_lot(request.user, asset.pk, data, previous=previous)
            except services.LotInvalid as exc:
                errors = exc.errors
            except ServiceError as exc:
                if exc.status == 403:
                    return _403(request, exc.message)
                errors = {exc.field or "title": exc.message}
            else:
                messages.success(request, "拍卖标的已制作，请核对后发布公告")
                return HttpResponseRedirect(reverse("auctions_manage_lot", args=[lot.pk]))
    prices = list(ReferencePrice.objects.filter(asset_id=asset.pk).order_by("-reported_on", "-pk")[:5])
    return render(
        request,
        "auctions/new_lot.html",
        {
            "asset": asset,
            "previous": previous,
            "prices": prices,
            "methods": [(m.value, rules.PRICE_METHOD_LABELS[m]) for m in rules.PriceMethod],
            "errors": errors,
            "values": values,
            "price_error": price_error,
            "floor": rules.start_price_floor(
                prices[0].amount if prices else None, previous.start_price if previous else None
            )
            if (prices or previous)
            else None,
        },
        status=422 if (errors or price_error) else 200,
    )


def _balance_due(lot: Lot) -> Decimal | None:
    """What the buyer still owes after its deposit (shown to finance with the balance form)."""
    leader = lot.leader
    if leader is None or lot.current_price is None:
        return None
    return rules.balance_due(lot.current_price, leader.deposit_paid)


@login_required
@require_GET
def manage_lot(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = readable_or_404(
        request.user, Lot.objects.select_related("case", "asset", "court", "leader"), lot_id
    )
    return render(
        request,
        "auctions/manage_lot.html",
        {
            "lot": lot,
            "phase": lot.phase(timezone.now()),
            "chain": queries.chain(lot),
            "history": queries.bid_history(lot),
            "registrations": queries.registrations(lot, request.user),
            "can_manage": may_manage(request.user, lot.court),
            "deposits": queries.deposits_of(lot),
            "sandbox": conf.sandbox_payments(),
            "today": timezone.localdate(),
            "is_finance": getattr(request.user, "role", "") == Role.FINANCE
            and getattr(request.user, "court_id", None) == lot.court_id,
            "balance_due": _balance_due(lot),
        },
    )


@login_required
@require_POST
def lot_action(request: HttpRequest, lot_id: int, action: str) -> HttpResponse:
    lot = readable_or_404(request.user, Lot.objects.select_related("court"), lot_id)
    u, p = request.user, request.POST
    try:
        if action == "publish":
            services.publish_lot(u, lot.pk)
            done = "已发布拍卖公告"
        elif action == "close":
            if not may_manage(u, lot.court):
                return _403(request, "只有本院执行法官或执行局局长可以办理")
            services.close_lot(lot.pk)
            done = "竞价已结束处理"
        elif action == "balance":
            # Only the court's finance officer, naming the custody bank's notice (bank_money).
            if getattr(u, "role", "") != Role.FINANCE:
                return _403(request, FINANCE_ONLY)
            services.pay_balance(u, lot.pk, bank_txn=p.get("bank_txn", ""), amount=p.get("amount", ""))
            done = "尾款已凭银行到账通知登记，计入案款账户"
        elif action == "sandbox_balance":
            if not conf.sandbox_payments():
                return render(request, "core/404.html", {}, status=404)
            if not may_manage(u, lot.court):
                return _403(request, "只有本院执行法官或执行局局长可以办理")
            sandbox_bank.sandbox_balance(lot.pk)
            done = "模拟银行已通知尾款到账，已计入案款账户"
        elif action == "confirm":
            services.confirm_sale(u, lot.pk)
            done = "已作出拍卖成交裁定"
        elif action == "serve":
            services.serve_ruling(u, lot.pk, _date(p.get("served_on", "")) or timezone.localdate())
            done = "裁定已送达，所有权转移"
        elif action == "default":
            services.record_default(u, lot.pk)
            done = "已认定悔拍，保证金不予退还"
        elif action == "resume":
            services.resume_lot(u, lot.pk, p.get("reason", ""), manual=True)
            done = "已恢复拍卖"
        elif action == "set_off":
            services.set_off(u, lot.pk, p.get("creditor", ""))
            done = "已以物抵债"
        else:
            return render(request, "core/404.html", {}, status=404)
    except ServiceError as exc:
        if exc.status == 403:
            return _403(request, exc.message)
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("auctions_manage_lot", args=[lot.pk]))


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    start = _date(request.GET.get("start", "")) or date(today.year, 1, 1)
    end = _date(request.GET.get("end", "")) or today
    return render(
        request,
        "auctions/statistics.html",
        {"rows": queries.statistics(request.user, start, end), "start": start, "end": end},
    )
