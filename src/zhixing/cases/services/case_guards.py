"""The checks every write on a case starts with: lock the case row, the actor's court and post, an
open case."""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import Conflict, NotPermitted
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..models import (
    CaseStatus,
    EnforcementCase,
)


def _lock(case: EnforcementCase) -> EnforcementCase:
    """Re-read the case under a row lock so two actions on it serialise (no-op on SQLite)."""
    return (
        EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
        .select_related("court")
        .get(pk=case.pk)
    )


def _require(actor: Any, case: EnforcementCase, cap: str) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(cap):
        raise NotPermitted(f"您的岗位无权{Cap(cap).label}")


def _require_open(case: EnforcementCase, action: str) -> None:
    if case.status in (CaseStatus.CLOSED, CaseStatus.DORMANT):
        raise Conflict(f"案件已结案（{case.get_status_display()}），不能{action}")
