"""Payout-clock pages (writes): place and lift a hold (暂缓发放) from the case money page.

Each POST calls one service (`services.holds`); a refused action shows its reason on the money page.
A case the user cannot read is a 404, a role that may not hold money is a 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from zhixing.courts.queries import readable_or_404

from .models import PayoutHold
from .services import holds
from .views_actions import _404, _case, _money_url, _run


@login_required
@require_POST
def place_hold(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if case is None:
        return _404(request)
    f = request.POST
    return _run(
        request,
        _money_url(pk) + "#holds",
        lambda: holds.place_hold(
            request.user,
            case,
            reason=f.get("reason", ""),
            start=f.get("start", ""),
            amount=f.get("amount", ""),
            note=f.get("note", ""),
        ),
        "已设置暂缓发放，相关来款的发款期限停止计算",
    )


@login_required
@require_POST
def lift_hold(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = readable_or_404(request.user, PayoutHold.objects.select_related("court"), hold_id)
    f = request.POST
    return _run(
        request,
        _money_url(hold.case_id) + "#holds",
        lambda: holds.lift_hold(request.user, hold.pk, end=f.get("end", ""), note=f.get("note", "")),
        "已解除暂缓发放，发款期限恢复计算",
    )
