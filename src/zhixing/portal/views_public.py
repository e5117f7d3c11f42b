"""The public portal (执行公开网): no login, its own base template, every page rate-limited per client.

Pages: the index, case progress (case number + query code, POST so the code never sits in a URL or a
log), published rulings, rewards on offer, the tip-off and petition forms. The dishonest list and the
exposure board are credit's own public pages, the auction listings the auctions app's `/auctions/`:
linked from the portal's menu.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from zhixing.core import clientaddr, ratelimit
from zhixing.core.errors import ServiceError

from . import conf, public_codes, queries_public
from .models import Tip
from .petitions_services import PetitionData
from .petitions_services import register as register_petition
from .tips_services import Photo, TipData, submit

TOO_BIG = "提交的内容过大（照片最多{n}张、每张不超过{mb}MB），请删减后重新提交，本次未受理"


def _limited(request: HttpRequest) -> HttpResponse | None:
    """The per-client page budget; a 429 page when spent."""
    try:
        ratelimit.hit_rate_limit(
            "portal-public", clientaddr.client_ip(request), conf.get("public_per_minute")
        )
    except ratelimit.RateLimited as exc:
        return render(request, "portal/public/limited.html", {"error": exc.message}, status=429)
    return None


def _submit_budget(request: HttpRequest) -> str:
    """'' when the client may submit one more tip or petition this hour, else the refusal text."""
    try:
        ratelimit.hit_rate_limit(
            "portal-submit", clientaddr.client_ip(request), conf.get("submit_per_hour"), window=3600
        )
    except ratelimit.RateLimited:
        return "本小时内提交次数已达上限，请稍后再试"
    return ""


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _limited(request) or render(request, "portal/public/index.html", {})


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    if refused := _limited(request):
        return refused
    ctx: dict[str, Any] = {"number": "", "result": None, "error": ""}
    if request.method == "POST":
        number, code = request.POST.get("number", ""), request.POST.get("code", "")
        ctx["number"] = number.strip()[:64]
        try:
            public_codes.spend_budget(clientaddr.client_ip(request), number)
            ctx["result"] = public_codes.progress(public_codes.find_case(number, code))
        except ratelimit.RateLimited as exc:
            ctx["error"] = exc.message
            return render(request, "portal/public/progress.html", ctx, status=429)
        except ServiceError as exc:
            ctx["error"] = exc.message
            return render(request, "portal/public/progress.html", ctx, status=404)
    return render(request, "portal/public/progress.html", ctx)


@require_GET
def rulings(request: HttpRequest) -> HttpResponse:
    if refused := _limited(request):
        return refused
    q = request.GET.get("q", "").strip()[:64]
    return render(request, "portal/public/rulings.html", {"rows": queries_public.public_rulings(q), "q": q})


@require_GET
def ruling(request: HttpRequest, pk: int) -> HttpResponse:
    if refused := _limited(request):
        return refused
    row = queries_public.public_ruling(pk)
    if row is None:
        return render(request, "portal/public/missing.html", {}, status=404)
    return render(request, "portal/public/ruling.html", {"r": row})


@require_GET
def rewards(request: HttpRequest) -> HttpResponse:
    if refused := _limited(request):
        return refused
    return render(request, "portal/public/rewards.html", {"rows": queries_public.open_rewards()})


def _too_big(request: HttpRequest) -> bool:
    limit = conf.get("photos_max") * conf.get("photo_max_bytes") + 256 * 1024
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


@require_http_methods(["GET", "POST"])
def tip_form(request: HttpRequest) -> HttpResponse:
    if refused := _limited(request):
        return refused
    ctx: dict[str, Any] = {
        "kinds": Tip.Kind.choices,
        "values": {"case_number": request.GET.get("case", "")[:64]},
        "limits": _limits(),
    }
    if request.method != "POST":
        return render(request, "portal/public/tip_form.html", ctx)
    if _too_big(request):  # refused before the body is read: nothing is parsed, nothing stored
        ctx["error"] = TOO_BIG.format(**_limits())
        return render(request, "portal/public/tip_form.html", ctx, status=413)
    p = request.POST
    ctx["values"] = {k: p.get(k, "")[:5000] for k in ("case_number", "kind", "content", "reporter_name")}
    if over := _submit_budget(request):
        ctx["error"] = over
        return render(request, "portal/public/tip_form.html", ctx, status=429)
    photos = tuple(Photo(f.name or "", f.read()) for f in request.FILES.getlist("photos") if f)
    try:
        tip = submit(
            TipData(
                case_number=p.get("case_number", ""),
                kind=p.get("kind", ""),
                content=p.get("content", ""),
                reporter_name=p.get("reporter_name", ""),
                reporter_phone=p.get("reporter_phone", ""),
                photos=photos,
            )
        )
    except ServiceError as exc:
        ctx["error"], ctx["field"] = exc.message, exc.field
        return render(request, "portal/public/tip_form.html", ctx, status=422)
    return render(request, "portal/public/submitted.html", {"what": "举报线索", "reference": tip.reference})


def _limits() -> dict[str, int]:
    return {
        "n": conf.get("photos_max"),
        "mb": conf.get("photo_max_bytes") // 1048576,
        "chars": conf.get("text_max_chars"),
    }


@require_http_methods(["GET", "POST"])
def petition_form(request: HttpRequest) -> HttpResponse:
    if refused := _limited(request):
        return refused
    ctx: dict[str, Any] = {"values": {}, "limits": _limits()}
    if request.method != "POST":
        return render(request, "portal/public/petition_form.html", ctx)
    p = request.POST
    ctx["values"] = {k: p.get(k, "")[:5000] for k in ("case_number", "content", "petitioner_name")}
    if over := _submit_budget(request):
        ctx["error"] = over
        return render(request, "portal/public/petition_form.html", ctx, status=429)
    try:
        row = register_petition(
            None,
            PetitionData(
                case_number=p.get("case_number", ""),
                petitioner_name=p.get("petitioner_name", ""),
                petitioner_phone=p.get("petitioner_phone", ""),
                content=p.get("content", ""),
            ),
        )
    except ServiceError as exc:
        ctx["error"], ctx["field"] = exc.message, exc.field
        return render(request, "portal/public/petition_form.html", ctx, status=422)
    return render(
        request,
        "portal/public/submitted.html",
        {"what": "信访事项", "reference": row.reference, "due_on": row.due_on},
    )
