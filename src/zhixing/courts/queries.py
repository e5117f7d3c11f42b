"""Reads about courts and staff, and the court-scoping rules every page and endpoint applies.

A user reads their own court and every court below it; they write only their own court. An object
the user may not read does not exist for them: `readable_object` answers None, and `readable_or_404`
raises the same 404 (with the same Chinese text) for another court's object as for an id that names
nothing, so no page or endpoint can be used to learn which ids exist elsewhere.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

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


# What every page and endpoint says about an object the user cannot see, whether it exists or not.
NOT_FOUND = "所访问的对象不存在，或不在您所在法院的查看范围内"

# Primary keys are 64-bit signed integers on both databases.
MAX_ID = 2**63 - 1
MAX_ID_DIGITS = len(str(MAX_ID))

M = TypeVar("M", bound=Model)


def object_id(value: Any) -> int | None:
    """A primary key from user input (URL, form field, JSON), or None when it cannot name a row.

    Only a plain positive integer that fits the column does: "abc", "1.0", "-1", "" and 2**64 name
    nothing (and must not reach the database, where SQLite overflows and PostgreSQL refuses them).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text.lstrip("0")) > MAX_ID_DIGITS:
            return None  # too long for a key (and past 4,300 digits int() itself raises ValueError)
        number = int(text)
    return number if 0 < number <= MAX_ID else None


def readable_object(
    user: Any, source: type[M] | QuerySet[M], pk: Any, court_field: str = "court"
) -> M | None:
    """The object `pk` of `source` if its `court_field` court is one `user` may read, else None.

    Out of scope and non-existent are one answer: callers turn None into the same 404 either way.
    """
    key = object_id(pk)
    if key is None:
        return None
    qs = source if isinstance(source, QuerySet) else source._default_manager.all()
    return qs.filter(court_scope_q(user, court_field)).filter(pk=key).first()


def readable_or_404(user: Any, source: type[M] | QuerySet[M], pk: Any, court_field: str = "court") -> M:
    """`readable_object`, or the platform's one 404 for anything the user cannot see."""
    obj = readable_object(user, source, pk, court_field)
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


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
