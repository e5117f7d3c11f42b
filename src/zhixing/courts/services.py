"""Writes for courts and staff; each one audited in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import ServiceError

from .codes import court_code_problem
from .models import ApiToken, Court, Staff, Team


def create_court(actor: Any, *, code: str, name: str, level: str, parent: Court | None) -> Court:
    problem = court_code_problem(code, level, parent.code if parent else None)
    if problem:
        raise ServiceError(problem, field="code")
    with transaction.atomic():
        court = Court.objects.create(code=code, name=name, level=level, parent=parent)
        audit.record(
            actor,
            "court.create",
            object_type="Court",
            object_id=court.pk,
            after={"code": code, "name": name, "level": level},
        )
    return court


def create_team(actor: Any, *, court: Court, name: str, kind: str) -> Team:
    with transaction.atomic():
        team = Team.objects.create(court=court, name=name, kind=kind)
        audit.record(
            actor,
            "team.create",
            object_type="Team",
            object_id=team.pk,
            after={"court": court.code, "name": name, "kind": kind},
        )
    return team


def create_staff(
    actor: Any,
    *,
    username: str,
    full_name: str,
    password: str,
    court: Court | None,
    role: str,
    team: Team | None = None,
    is_superuser: bool = False,
) -> Staff:
    with transaction.atomic():
        staff = Staff(
            username=username,
            full_name=full_name,
            court=court,
            role=role,
            team=team,
            is_staff=is_superuser,
            is_superuser=is_superuser,
        )
        staff.set_password(password)
        staff.save()
        audit.record(
            actor,
            "staff.create",
            object_type="Staff",
            object_id=staff.pk,
            after={"username": username, "court": court.code if court else None, "role": role},
        )
    return staff


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(actor: Any, staff: Staff, name: str) -> str:
    """Create an API token and return it in clear once; only its digest is kept."""
    raw = "zx_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(staff=staff, name=name, digest=_digest(raw))
        audit.record(
            actor,
            "token.issue",
            object_type="ApiToken",
            object_id=token.pk,
            after={"staff": staff.username, "name": name},
        )
    return raw


def revoke_token(actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "token.revoke", object_type="ApiToken", object_id=token.pk)


def staff_for_token(raw: str) -> Staff | None:
    """The active staff member a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("staff", "staff__court")
        .filter(digest=_digest(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.staff.is_active:
        return None
    return token.staff
