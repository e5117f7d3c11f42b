"""The home page's funds panel (工作台 · 案款待办), loaded by HTMX like the other domains' panels: the
cases package renders the home page and may not import funds, so the page asks this URL for the panel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import queries_work


@login_required
@require_GET
def todo_panel(request: HttpRequest) -> HttpResponse:
    rows = queries_work.todo_for(request.user, timezone.localdate())
    if not rows:
        return HttpResponse("")
    return render(request, "funds/_todo.html", {"rows": rows, "total": sum(r.count for r in rows)})
