"""What the case screens share about access: the signed-in staff member, the 403 and 404 pages, and
which actions a user may take on a case (hidden here, refused by the services)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhixing.courts.models import Staff
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from .models import CaseStatus, EnforcementCase, Extension


def current_staff(request: HttpRequest) -> Staff:
    """The signed-in staff member (every view here is behind `login_required`)."""
    user = request.user
    assert isinstance(user, Staff)
    return user


def forbidden(request: HttpRequest, message: str = "") -> HttpResponse:
    return render(request, "core/403.html", {"message": message}, status=403)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "core/404.html", {}, status=404)


# -- what a user may do on a case -------------------------------------------------------------------

ACTION_CAPS: dict[str, tuple[str, ...]] = {
    "assign": (Cap.CASE_ASSIGN,),
    "complete": (Cap.NODE_COMPLETE,),
    "add_node": (Cap.NODE_COMPLETE,),
    "suspend": (Cap.CASE_SUSPEND,),
    "resume_execution": (Cap.CASE_SUSPEND,),
    "exclude": (Cap.CASE_SUSPEND,),
    "extension": (Cap.EXTENSION_REQUEST,),
    "decide": (Cap.EXTENSION_APPROVE,),
    "close": (Cap.CASE_CLOSE,),
    "resume": (Cap.CASE_RESUME, Cap.CASE_FILE),
}


def permitted(user: Any, case: EnforcementCase, action: str) -> bool:
    """Role and court allow `action` on `case` (own court only; higher courts read)."""
    return can_write_court(user, case.court) and all(user.can(cap) for cap in ACTION_CAPS[action])


def available_actions(user: Any, case: EnforcementCase, extensions: list[Extension]) -> dict[str, bool]:
    """Which action forms the case page shows: permitted, and sensible in the case's state."""
    status = case.status
    open_ = case.is_open
    running = status in (CaseStatus.REGISTERED, CaseStatus.IN_PROGRESS)
    pending_ext = any(e.status == Extension.Status.REQUESTED for e in extensions)
    return {
        "assign": open_ and permitted(user, case, "assign"),
        "complete": running and permitted(user, case, "complete"),
        "add_node": open_ and permitted(user, case, "add_node"),
        "suspend": running and permitted(user, case, "suspend"),
        "resume_execution": status == CaseStatus.SUSPENDED and permitted(user, case, "resume_execution"),
        "extension": open_
        and case.term_due is not None
        and not pending_ext
        and permitted(user, case, "extension"),
        "decide": pending_ext and permitted(user, case, "decide"),
        "close": open_ and permitted(user, case, "close"),
        "exclude": open_ and permitted(user, case, "exclude"),
        "resume": status in (CaseStatus.DORMANT, CaseStatus.CLOSED) and permitted(user, case, "resume"),
        "identity": user.can(Cap.IDENTITY_VIEW),
    }
