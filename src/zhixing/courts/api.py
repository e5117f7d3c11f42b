"""API: authentication (bearer token or signed-in session) and read-only courts and staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth as _SessionAuth

from zhixing.core.errors import NotPermitted

from .models import Court, Staff
from .queries import can_read_court, readable_courts
from .services import staff_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer zx_...` — tokens are issued per staff member and can be revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Staff | None:
        staff = staff_for_token(token)
        if staff is not None:
            request.user = staff
        return staff


class SessionAuth(_SessionAuth):
    """A signed-in browser session (CSRF-protected for writes)."""

    csrf = True


router = Router(tags=["法院与人员"])


class CourtOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None

    @staticmethod
    def resolve_parent_code(obj: Court) -> str | None:
        return obj.parent.code if obj.parent else None


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_display: str
    court_code: str | None
    team: str | None

    @staticmethod
    def resolve_role_display(obj: Staff) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_court_code(obj: Staff) -> str | None:
        return obj.court.code if obj.court else None

    @staticmethod
    def resolve_team(obj: Staff) -> str | None:
        return obj.team.name if obj.team else None


@router.get("/courts", response=list[CourtOut], summary="可查看的法院（本院及下级法院）")
def list_courts(request: HttpRequest) -> Any:
    return list(readable_courts(request.user).select_related("parent"))


@router.get("/courts/{code}/staff", response=list[StaffOut], summary="法院工作人员（只读）")
def list_staff(request: HttpRequest, code: str) -> Any:
    # A court code is short and printable; anything else (e.g. a NUL byte, which PostgreSQL refuses in a
    # query parameter) cannot name a court and must not reach the database.
    court = Court.objects.filter(code=code).first() if len(code) <= 16 and code.isprintable() else None
    if court is None or not can_read_court(request.user, court):
        raise NotPermitted("无权查看该法院的人员，或法院不存在")
    return list(
        Staff.objects.filter(court=court, is_active=True)
        .select_related("court", "team")
        .order_by("role", "full_name")
    )


@router.get("/me", response=StaffOut, summary="当前登录用户")
def me(request: HttpRequest) -> Any:
    return request.user
