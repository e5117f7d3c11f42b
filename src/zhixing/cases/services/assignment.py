"""Batch assignment (批量分案): several cases to one judge in one transaction.

Each case goes through `lifecycle.assign_case`, which checks the actor's court and role (the same
permission as a single assignment, `Cap.CASE_ASSIGN` in the case's own court), the judge, the case's
state, and writes that case's `case.assign` audit record. One refusal rolls back every case of the batch
and names the case that failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.models import Staff
from zhixing.courts.queries import court_scope_q
from zhixing.courts.roles import Cap

from ..models import EnforcementCase
from .lifecycle import assign_case

MAX_BATCH = 200


class BatchAssignmentError(ServiceError):
    """One case of the batch was refused: nothing was assigned; `case_id`/`case_number` name it."""

    def __init__(self, message: str, *, status: int, code: str, case_id: int, case_number: str = "") -> None:
        super().__init__(message, field="case_ids", code=code)
        self.status = status
        self.case_id = case_id
        self.case_number = case_number


def _ids(case_ids: Iterable[Any]) -> list[int]:
    out: list[int] = []
    for raw in case_ids:
        try:
            pk = int(raw)
        except (TypeError, ValueError):
            raise ServiceError(f"案件编号“{raw}”无效", field="case_ids") from None
        if pk not in out:
            out.append(pk)
    return out


def assign_cases(actor: Any, case_ids: Iterable[Any], judge: Staff) -> list[EnforcementCase]:
    """Assign every case of `case_ids` (at most 200) to `judge`, all or none; returns them in order."""
    if not actor.can(Cap.CASE_ASSIGN):
        raise NotPermitted(f"您的岗位无权{Cap(Cap.CASE_ASSIGN).label}")
    ids = _ids(case_ids)
    if not ids:
        raise ServiceError("请至少选择一件案件", field="case_ids")
    if len(ids) > MAX_BATCH:
        raise ServiceError(f"一次最多分案{MAX_BATCH}件，已选择{len(ids)}件", field="case_ids")
    with transaction.atomic():
        found = {
            c.pk: c
            for c in EnforcementCase.objects.filter(court_scope_q(actor), pk__in=ids).select_related("court")
        }
        done: list[EnforcementCase] = []
        for pk in ids:
            case = found.get(pk)
            if case is None:
                raise BatchAssignmentError(
                    f"案件（编号{pk}）不存在或无权查看，本批案件均未分案",
                    status=404,
                    code="not_found",
                    case_id=pk,
                )
            try:
                done.append(assign_case(actor, case, judge))
            except ServiceError as exc:
                raise BatchAssignmentError(
                    f"{case.number}：{exc.message}；本批案件均未分案",
                    status=exc.status,
                    code=exc.code,
                    case_id=pk,
                    case_number=case.number,
                ) from exc
    return done
