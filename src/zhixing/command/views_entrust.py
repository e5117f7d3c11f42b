"""The command center's entrustment screen (事项委托 through the command-center platform, issue 20 item 4).

Thin: the court's incoming and outgoing single matters with their clocks come from `entrust.queries`
(start within 15 days, report within 30 days, rules.md §9); overdue ones are highlighted. The steps
(start, report) post to the entrust domain's own endpoint, which returns here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhixing.courts.queries import readable_courts
from zhixing.courts.roles import Cap
from zhixing.entrust import queries as entrust_queries

from .views_screens import _denied, scope_court

NO_ENTRUST = "指挥中心事项委托仅限指挥中心操作员、执行局局长和院长"


@login_required
@require_GET
def entrust_page(request: HttpRequest) -> HttpResponse:
    """事项委托: the court's inbox and outbox of single matters with their clocks, and the statistics."""
    if (denied := _denied(request, Cap.COMMAND_SCREEN, NO_ENTRUST)) is not None:
        return denied
    court = scope_court(request)
    incoming, outgoing = entrust_queries.command_matters(court)
    own = getattr(request.user, "court_id", None) == court.pk
    return render(
        request,
        "command/entrust.html",
        {
            "court": court,
            "courts": list(readable_courts(request.user).order_by("path")),
            "incoming": incoming,
            "outgoing": outgoing,
            "overdue": sum(r.overdue for r in incoming) + sum(r.overdue for r in outgoing),
            "stats": entrust_queries.statistics(court),
            "may_handle": own and request.user.can(Cap.ENTRUST_HANDLE),  # type: ignore[union-attr]
            "today": timezone.localdate(),
        },
    )
