"""Notification pages (/notifications/) and the worklist panel the home page refreshes live."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import notify
from .nexturl import safe_next


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    rows = notify.recent(request.user, limit=200)
    unread = sum(1 for n in rows if n.read_at is None)
    return render(request, "core/notifications.html", {"rows": rows, "unread": unread})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one (`id`) or all of the user's notifications read; an `open` form goes on to its link."""
    raw = request.POST.get("id", "")
    ascii_digits = raw.isascii() and raw.isdigit()  # str.isdigit() alone takes "²", which int() refuses
    ids = (
        ([int(raw)] if len(raw) < 19 and int(raw) < 2**63 else []) if ascii_digits else None
    )  # past 64 bits: none
    notify.mark_read(request.user, ids)
    return redirect(safe_next(request, reverse("notifications")))


@login_required
@require_GET
def worklist_panel(request: HttpRequest) -> HttpResponse:
    return render(request, "core/_worklist_panel.html", {})
