"""The public auction portal (no staff login): listings, the live lot page, bidder registration and
sign-in, joining a lot, paying the deposit (sandbox), bidding, and the bidder's own page.

A bidder is identified by the portal session (`auction_bidder`) after registering or signing in with
the token shown once at registration. Bidders never see each other's identities: only codes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhixing.core import clientaddr, ratelimit
from zhixing.core.errors import ServiceError
from zhixing.core.nexturl import safe_next
from zhixing.courts.models import Court
from zhixing.courts.queries import object_id

from . import conf, queries, services, watchers
from .api import SESSION_KEY
from .models import Bidder, Registration
from .services import sandbox_bank
from .services.bidders import bidder_for_token


def current_bidder(request: HttpRequest) -> Bidder | None:
    pk = request.session.get(SESSION_KEY)
    return Bidder.objects.filter(pk=pk).first() if pk else None


def _decimal(value: str) -> Decimal | None:
    try:
        d = Decimal(value) if value.strip() else None
    except InvalidOperation:
        return None
    return d if d is None or d.is_finite() else None  # NaN and Infinity filter nothing


@require_GET
def lots(request: HttpRequest) -> HttpResponse:
    g = request.GET
    court = g.get("court", "")
    f = queries.Filters(
        court=object_id(court),
        kind=g.get("kind", "") if g.get("kind", "") in queries.KINDS else "",
        phase=g.get("phase", "") if g.get("phase", "") in queries.PHASES else "",
        min_price=_decimal(g.get("min_price", "")),
        max_price=_decimal(g.get("max_price", "")),
    )
    page = min(object_id(g.get("page", "")) or 1, 10_000)
    now = timezone.now()
    rows = queries.public_lots(f, page)
    return render(
        request,
        "auctions/public_list.html",
        {
            "rows": [(lot, lot.phase(now)) for lot in rows],
            "f": f,
            "courts": Court.objects.order_by("code").values_list("pk", "name"),
            "kinds": queries.KINDS,
            "phases": queries.PHASES,
            "page": page,
            "has_next": len(rows) == queries.PAGE,
            "bidder": current_bidder(request),
        },
    )


@require_GET
def lot_page(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = queries.public_lot(lot_id)
    if lot is None:
        raise Http404
    bidder = current_bidder(request)
    reg = Registration.objects.filter(lot=lot, bidder=bidder).first() if bidder else None
    now = timezone.now()
    return render(
        request,
        "auctions/public_lot.html",
        {
            "lot": lot,
            "phase": lot.phase(now),
            "history": queries.bid_history(lot),
            "bidder": bidder,
            "reg": reg,
            "now": now,
            "watchers": watchers.count(lot.pk),
            "next_bid": (lot.current_price + lot.increment)
            if lot.current_price is not None
            else lot.start_price,
            "sandbox": conf.sandbox_payments(),
        },
    )


def _budget(request: HttpRequest, scope: str, limit: int, window: int) -> None:
    """The per-client budget of a bidder page (core.ratelimit, shared by every worker): 429 when spent.
    Counted before the service opens its transaction, so a refused attempt counts too."""
    ratelimit.hit_rate_limit(scope, clientaddr.client_ip(request), limit, window=window)


def register(request: HttpRequest) -> HttpResponse:
    values: dict[str, str] = {}
    error: ServiceError | None = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in ("name", "id_number", "phone")}
        try:
            _budget(request, "auction-register", conf.register_per_hour(), 3600)
            bidder, token = services.register_bidder(**values)
        except ServiceError as exc:
            error = exc
        else:
            request.session[SESSION_KEY] = bidder.pk
            request.session["auction_token_once"] = token
            return HttpResponseRedirect(reverse("auctions_bidder"))
    status = (error.status if error.status == 429 else 422) if error else 200
    return render(request, "auctions/register.html", {"values": values, "error": error}, status=status)


@require_POST
def signin(request: HttpRequest) -> HttpResponse:
    try:
        _budget(request, "auction-signin", conf.signin_per_minute(), 60)
    except ratelimit.RateLimited as exc:
        return render(request, "auctions/register.html", {"values": {}, "error": exc}, status=429)
    bidder = bidder_for_token(request.POST.get("token", "").strip())
    if bidder is None:
        messages.error(request, "凭证无效，请核对注册时获得的竞买凭证")
        return HttpResponseRedirect(reverse("auctions_register"))
    request.session.cycle_key()
    request.session[SESSION_KEY] = bidder.pk
    return HttpResponseRedirect(safe_next(request, reverse("auctions_bidder")))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return HttpResponseRedirect(reverse("auctions_lots"))


@require_GET
def bidder_page(request: HttpRequest) -> HttpResponse:
    bidder = current_bidder(request)
    if bidder is None:
        return HttpResponseRedirect(reverse("auctions_register"))
    return render(
        request,
        "auctions/bidder.html",
        {
            "bidder": bidder,
            "token": request.session.pop("auction_token_once", None),
            "registrations": queries.bidder_page(bidder),
            "bids": queries.my_bids(bidder),
            "sandbox": conf.sandbox_payments(),
        },
    )


def _back(lot_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("auctions_lot", args=[lot_id]))


@require_POST
def join(request: HttpRequest, lot_id: int) -> HttpResponse:
    bidder = current_bidder(request)
    if bidder is None:
        return HttpResponseRedirect(reverse("auctions_register"))
    try:
        reg = services.join_lot(bidder, lot_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"报名成功，您的竞买号为{reg.code}")
    return _back(lot_id)


@require_POST
def pay_deposit(request: HttpRequest, lot_id: int) -> HttpResponse:
    """Sandbox only: a simulated transfer of the deposit to the court's auction-deposit account."""
    bidder = current_bidder(request)
    if bidder is None or not conf.sandbox_payments():
        raise Http404
    reg = Registration.objects.filter(lot_id=lot_id, bidder=bidder).first()
    if reg is None:
        raise Http404
    try:
        sandbox_bank.sandbox_deposit(reg.pk)  # the sandbox bank's notice, then the match
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "保证金已交纳，可以出价")
    return _back(lot_id)


@require_POST
def bid(request: HttpRequest, lot_id: int) -> HttpResponse:
    """The form fallback of the live page's bid button (which calls the API)."""
    arrived = timezone.now()
    bidder = current_bidder(request)
    if bidder is None:
        return HttpResponseRedirect(reverse("auctions_register"))
    try:
        b = services.place_bid(bidder, lot_id, request.POST.get("amount", ""), arrived_at=arrived)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"出价成功：{b.amount:.2f}元")
    return _back(lot_id)
