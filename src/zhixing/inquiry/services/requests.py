"""Creating inquiry requests (one-click and centralised). Every write is atomic and audited.

Control orders and their approval are in `controls.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, CaseStatus, EnforcementCase, Party
from zhixing.cases.services import node_events
from zhixing.cases.services.node_events import NodeEvent, complete_nodes_from_event
from zhixing.core import audit, work
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.id_documents import stored_identity
from zhixing.core.identity import IdentityError

from .. import access, conf, queries
from ..models import Action, Asset, InquiryBatch, InquiryRequest, Partner
from . import bulk

FUNDS_KINDS = (Asset.Kind.ACCOUNT, Asset.Kind.SECURITIES, Asset.Kind.EQUITY)
WHOLE_KINDS = (Asset.Kind.HOUSE, Asset.Kind.VEHICLE, Asset.Kind.VESSEL)


def new_key() -> str:
    return uuid.uuid4().hex


DISPATCH = "inquiry.dispatch"  # the work hook `inquiry.tasks` installs (core.work): send what is due


def kick() -> None:
    """After commit: one dispatch job for everything due (never one job per request).

    Services never import `inquiry.tasks` (.importlinter): the tasks module installs the hook at app
    ready and this only says the work is due.
    """
    if conf.option("kick_on_commit"):
        work.due(DISPATCH)


FILED = "inquiry.filed"  # the event that completes the case's "发起网络查控" node


def _filed(batch: InquiryBatch, case_id: int) -> NodeEvent:
    """The node event of an inquiry round: a link to the case's inquiry page and its requests."""
    label = f"查控批次#{batch.pk}" + (
        "（集中查控）" if batch.centralised else f"（{batch.request_count}项请求）"
    )
    url = f"{reverse('inquiry_case', args=[case_id])}?batch={batch.pk}#requests"
    return NodeEvent(case_id, url, label, label)


def debtor_problem(party: Party) -> str:
    """Why a debtor cannot be searched ("" when the identity number is valid)."""
    try:
        # Any identity document the case model accepts (resident ID, credit code, passport, permits,
        # organisation code...), checked by its own rules: partners search by the document number.
        stored_identity(
            party.id_type,
            party.id_number or "",
            party.credit_code or "",
            party.nationality,
            timezone.localdate(),
        )
    except IdentityError as exc:
        return f"被执行人{party.name}没有有效的身份号码，不能网络查控：{exc}"
    return ""


def case_problem(case: EnforcementCase, query: bool = False) -> str:
    """Why a case cannot be searched or controlled now ("" when it can).

    A dormant (终本) case may be queried — it stays under periodic re-inquiry — but not controlled
    until it is resumed; a closed case may do neither.
    """
    if case.status in OPEN_STATUSES or (query and case.status == CaseStatus.DORMANT):
        return ""
    if case.status == CaseStatus.DORMANT:
        return f"案件{case.number}已终结本次执行程序，须恢复执行后才能采取控制措施"
    return f"案件{case.number}已结案（{case.get_status_display()}），不能发起查控"


REQUEST_COLUMNS = (
    "batch_id", "case_id", "court_id", "party_id", "partner_id", "action", "status", "idempotency_key",
    "notice_number", "approvals", "attempts", "due_at", "requested_by_id", "created_at", "reason",
    "last_error",
)  # fmt: skip


def _insert_queries(
    actor: Any,
    batch: InquiryBatch,
    cases: Sequence[tuple[EnforcementCase, list[Party]]],
    partners: list[Partner],
) -> int:
    """One query row per debtor × institution, straight into the table (1.6 M rows at provincial scale)."""
    now = bulk.prep(InquiryRequest, "due_at", timezone.now())
    empty = bulk.prep(InquiryRequest, "approvals", [])
    actor_id = getattr(actor, "pk", None)  # None: filed by the system
    rows = []
    for case, parties in cases:
        for party in parties:
            for partner in partners:
                key = new_key()
                rows.append(
                    (batch.pk, case.pk, case.court_id, party.pk, partner.pk, Action.QUERY,
                     InquiryRequest.Status.PENDING, key, f"{case.number}查{key[:8]}", empty, 0, now, actor_id,
                     now, "", "")
                )  # fmt: skip
    for start in range(0, len(rows), 5000):
        bulk.insert(InquiryRequest, REQUEST_COLUMNS, rows[start : start + 5000])
    return len(rows)


def _check_categories(codes: Sequence[str]) -> list[Partner]:
    if not codes:
        raise ServiceError("请至少选择一类财产", field="categories")
    partners = [p for p in queries.partners_for(list(codes)) if p.supports(Action.QUERY)]
    if not partners:
        raise ServiceError("所选类别没有可用的联动单位", field="categories")
    return partners


def start_inquiry(actor: Any, case: EnforcementCase, categories: Sequence[str]) -> InquiryBatch:
    """一键查控: query every debtor of the case in the chosen categories."""
    if not access.can_request(actor, case.court):
        raise NotPermitted("只有本院承办人员或指挥中心可以发起查控；上级法院只能查看")
    if problem := case_problem(case, query=True):
        raise Conflict(problem)
    parties = queries.debtors(case)
    if not parties:
        raise ServiceError("案件没有被执行人")
    for party in parties:
        if problem := debtor_problem(party):
            raise ServiceError(problem, field="debtor")
    partners = _check_categories(categories)
    with transaction.atomic():
        batch = file_round(actor, case, parties, partners, categories)
        kick()
    return batch


def file_round(
    actor: Any,
    case: EnforcementCase,
    parties: Sequence[Party],
    partners: list[Partner],
    categories: Sequence[str],
    *,
    action: str = "inquiry.start",
    extra: dict[str, Any] | None = None,
) -> InquiryBatch:
    """One inquiry round of one case: the batch, a query per debtor × institution, the audit record.

    The one path every single-case round takes (a judge's 一键查控, the system's periodic 终本 round,
    where `actor` is None). Runs inside the caller's transaction; checks are the caller's.
    """
    requester = actor if getattr(actor, "pk", None) else None
    batch = InquiryBatch.objects.create(
        court_id=case.court_id, requested_by=requester, categories=list(categories), case_count=1
    )
    batch.request_count = _insert_queries(actor, batch, [(case, list(parties))], partners)
    batch.save(update_fields=["request_count"])
    complete_nodes_from_event([_filed(batch, case.pk)], node_events.NETWORK_INQUIRY, event=FILED, actor=actor)
    audit.record(
        actor,
        action,
        object_type="InquiryBatch",
        object_id=batch.pk,
        case_id=case.pk,
        after={"debtors": [p.pk for p in parties], "categories": list(categories),
               "requests": batch.request_count, **(extra or {})},
    )  # fmt: skip
    return batch


@dataclass
class Centralised:
    batch: InquiryBatch
    refused: list[tuple[str, str]] = field(default_factory=list)  # (case number, reason)


def centralised_inquiry(
    actor: Any, cases: Iterable[EnforcementCase], categories: Sequence[str], chunk: int = 500
) -> Centralised:
    """集中查控: a batch of cases; cases that cannot be searched are refused one by one, the rest go."""
    partners = _check_categories(categories)
    if actor.court is None or not access.can_request(actor, actor.court):
        raise NotPermitted("只有本院承办人员或指挥中心可以发起集中查控")
    batch = InquiryBatch.objects.create(
        court=actor.court, requested_by=actor, centralised=True, categories=list(categories)
    )
    result = Centralised(batch)
    pending: list[EnforcementCase] = []

    def flush() -> None:
        ids = [c.pk for c in pending]
        by_case: dict[int, list[Party]] = {}
        for p in Party.objects.filter(case_id__in=ids, role=Party.Role.DEBTOR).order_by("id"):
            by_case.setdefault(p.case_id, []).append(p)
        todo: list[tuple[EnforcementCase, list[Party]]] = []
        accepted: list[int] = []
        for c in pending:
            parties = by_case.get(c.pk, [])
            problem = case_problem(c, query=True) or next(
                (m for p in parties if (m := debtor_problem(p))), ""
            )
            if not parties:
                problem = "案件没有被执行人"
            if problem:
                result.refused.append((c.number, problem))
                continue
            accepted.append(c.pk)
            todo.append((c, parties))
        with transaction.atomic():
            made = _insert_queries(actor, batch, todo, partners)
            InquiryBatch.objects.filter(pk=batch.pk).update(
                case_count=batch.case_count + len(accepted), request_count=batch.request_count + made
            )
            batch.case_count += len(accepted)
            batch.request_count += made
            complete_nodes_from_event(
                [_filed(batch, pk) for pk in accepted], node_events.NETWORK_INQUIRY, event=FILED, actor=actor
            )
            audit.record(
                actor,
                "inquiry.centralised",
                object_type="InquiryBatch",
                object_id=batch.pk,
                after={"cases": accepted, "categories": list(categories), "requests": made},
            )
            kick()
        pending.clear()

    for case in cases:
        if case.court_id != actor.court_id:
            result.refused.append((case.number, "只能对本院案件集中查控"))
            continue
        pending.append(case)
        if len(pending) >= chunk:
            flush()
    if pending:
        flush()
    return result
