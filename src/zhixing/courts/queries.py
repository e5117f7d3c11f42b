"""Reads about courts and staff, and the court-scoping rules every page and endpoint applies.

A user reads their own court and every court below it; they write only their own court.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Court, Staff
from .roles import Role


def readable_courts(user: Any) -> QuerySet[Court]:
    court = getattr(user, "court", None)
    if court is None:
        return Court.objects.none()
    return Court.objects.filter(path__startswith=court.path)


def court_scope_q(user: Any, field: str = "court") -> Q:
    """Filter for rows whose `field` court the user may read (own court and subordinates)."""
    court = getattr(user, "court", None)
    if court is None:
        return Q(pk__in=[])
    if court.level == "basic":
        return Q(**{f"{field}_id": court.pk})
    return Q(**{f"{field}__path__startswith": court.path})


def can_read_court(user: Any, court: Court) -> bool:
    own = getattr(user, "court", None)
    return own is not None and court.path.startswith(own.path)


def can_write_court(user: Any, court: Court) -> bool:
    own = getattr(user, "court", None)
    return own is not None and own.pk == court.pk


def court_by_code(code: str) -> Court | None:
    return Court.objects.filter(code=code).first()


def directors_of(court_id: int) -> list[Staff]:
    return list(Staff.objects.filter(court_id=court_id, role=Role.DIRECTOR, is_active=True))


def staff_of_court(court: Court) -> QuerySet[Staff]:
    return Staff.objects.filter(court=court, is_active=True).order_by("role", "full_name")


def handlers_of_court(court: Court) -> QuerySet[Staff]:
    return staff_of_court(court).filter(role__in=[Role.JUDGE, Role.DIRECTOR])
