"""The query code (查询码) a case's parties follow its progress with, and the public progress look-up.

Contract of `lookup`: given a case number and a code, the case's public progress, or `NoSuchCase` with
ONE message for every failure — unknown number, no code issued, wrong code, malformed code — so the
answer never tells whether a case number exists or how close a guess was. Budgets are spent before any
read (per client per hour, and per typed case number per day whatever it names), so a refusal by a
budget confirms nothing either. Codes are compared in constant time.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit, ratelimit
from zhixing.core.errors import NotPermitted, ServiceError

from . import access_public, conf, rules_public
from .models import CaseQueryCode

GENERIC = "案号或查询码不正确，请核对后重试（查询码由执行法院告知当事人）"
PER_CASE_NUMBER_PER_DAY = 20


class NoSuchCase(ServiceError):
    """The one answer to every failed progress look-up."""

    def __init__(self) -> None:
        super().__init__(GENERIC, field="code", code="not_found")


def issue(actor: Any, case: EnforcementCase) -> CaseQueryCode:
    """Give the case a new query code (replacing any earlier one, which stops working at once)."""
    if not access_public.may_handle(actor, case.court):
        raise NotPermitted("只有本院承办法官、法官助理或执行局局长可以生成查询码")
    with transaction.atomic():
        row = CaseQueryCode.objects.select_for_update().filter(case=case).first()
        now = timezone.now()
        before = {"issued_at": row.issued_at} if row else None
        if row is None:
            row = CaseQueryCode(case=case, court_id=case.court_id)
        row.query_code, row.issued_at, row.issued_by = rules_public.new_code(), now, actor
        row.save()
        audit.record(
            actor,
            "portal.code_issue",
            object_type="portal.CaseQueryCode",
            object_id=row.pk,
            case_id=case.pk,
            court=case.court,
            before=before,
            after={"issued_at": now},
        )
    return row


def code_of(case: EnforcementCase) -> CaseQueryCode | None:
    return CaseQueryCode.objects.filter(case=case).first()


def spend_budget(client: str, case_number: str) -> None:
    """The look-up budgets (raises `ratelimit.RateLimited`), spent before anything is read."""
    ratelimit.hit_rate_limit("portal-code", client, conf.get("code_tries_per_hour"), window=3600)
    # the number as stored: (2024) and （2024） spend one budget, not two
    digest = hashlib.sha256(case_queries.normalised_number(case_number).encode()).hexdigest()
    ratelimit.hit_rate_limit("portal-code-case", digest, PER_CASE_NUMBER_PER_DAY, window=86400)


def find_case(case_number: str, typed_code: str) -> EnforcementCase:
    """The case named by number whose live code is `typed_code`, else `NoSuchCase` (one message)."""
    code = rules_public.normalise_code(typed_code)
    number = case_queries.normalised_number(case_number)
    if code is None or not number or len(number) > 64:
        raise NoSuchCase()
    row = (
        CaseQueryCode.objects.select_related("case", "case__court", "case__handler")
        .filter(case__number=number)
        .first()
    )
    # Compare against a dummy when nothing is stored: the same work either way.
    stored = row.query_code if row is not None else "#" * rules_public.CODE_LENGTH
    if not rules_public.codes_match(stored, code) or row is None:
        raise NoSuchCase()
    return row.case


def mask_name(name: str, kind: str) -> str:
    """A natural person's name as the public sees it (surname + 某); an organisation's name in full."""
    if kind != "person" or not name:
        return name
    return name[0] + "某" * max(1, min(2, len(name) - 1))


def progress(case: EnforcementCase) -> dict[str, Any]:
    """What the progress page shows: the case, its parties (persons masked), its nodes; no identifiers."""
    parties = [
        {"role": p.get_role_display(), "name": mask_name(p.name, p.kind)}
        for p in case_queries.case_parties(case)
    ]
    nodes = [
        {
            "name": n.node_type.name,
            "status": n.get_status_display(),
            "done": n.status == "done",
            "completed_on": n.completed_on,
            "due_on": n.due_on,
        }
        for n in case_queries.case_nodes(case)
        if n.status != "cancelled"
    ]
    return {
        "number": case.number,
        "court": case.court.name,
        "status": case.get_status_display(),
        "filed_on": case.filed_on,
        "handler": case.handler.get_full_name() if case.handler is not None else "尚未分案",
        "closing_mode": case.get_closing_mode_display() if case.closing_mode else "",
        "closed_on": case.closed_on,
        "parties": parties,
        "nodes": nodes,
    }
