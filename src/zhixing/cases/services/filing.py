"""Filing (立案): validating the application, issuing the case number, creating parties and nodes.

`FilingData` and its validation live in `filing_data` (re-exported here).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Court
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap

from ..conf import full_width_brackets
from ..events import case_refiled
from ..limitation import application_period, resumption_unlimited
from ..models import (
    OPEN_STATUSES,
    CaseNumberCounter,
    CaseStatus,
    CaseType,
    EnforcementCase,
    Instalment,
    Node,
    NodeType,
    Obligation,
    Party,
    PartyAlias,
)
from ..queries_preservation import PRESERVATION_CODE
from ..rules import case_number
from . import duplicates, preservation
from .deadlines import recompute_case_deadlines
from .dormant import mark_requests_resumed
from .filing_data import MAX_INSTALMENTS as MAX_INSTALMENTS
from .filing_data import MAX_RATE as MAX_RATE
from .filing_data import MONEY_FIELDS, FilingData, _instalments, _obligation, _validate
from .parties import PartyData, party_data_of

__all__ = ["FilingData", "PartyData", "file_case", "format_case_number", "resume_case"]


def format_case_number(year: int, court_code: str, type_code: str, seq: int) -> str:
    """案号规定 Art 3: （收案年度）法院代字 类型代字 案件编号 号, brackets as configured."""
    return case_number(year, court_code, type_code, seq, full_width=full_width_brackets())


def _next_seq(court: Court, case_type: CaseType, year: int) -> int:
    """Issue the next consecutive number; the counter row lock makes concurrent filings queue."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(
                    court=court, case_type=case_type, year=year
                )
                break
        except IntegrityError:
            # Two first filings of the year raced to create the counter; the loser re-reads it.
            continue
    else:  # pragma: no cover - three lost races in a row
        raise Conflict("案号分配繁忙，请重试")
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def allocate_case_number(court: Court, type_code: str, year: int) -> str:
    """The next number of `type_code` in `court` for `year` (an 执异 objection, issue 19); the counter is
    the one filing uses, so numbers stay consecutive per court, type and year (案号规定 Art 3)."""
    case_type = CaseType.objects.filter(code=type_code).first()
    if case_type is None:
        raise ServiceError(f"未配置案件类型代字“{type_code}”", field="case_type")
    return format_case_number(year, court.code, type_code, _next_seq(court, case_type, year))


def file_case(
    actor: Any, court: Court, data: FilingData, *, origin: EnforcementCase | None = None
) -> EnforcementCase:
    """File an enforcement case in `court`: number it, store parties, create and compute its nodes."""
    if not actor.can(Cap.CASE_FILE) or not can_write_court(actor, court):
        raise NotPermitted("只能在本院立案，且须具有立案权限")
    today = timezone.localdate()
    case_type, instrument, amounts, parties = _validate(data, today)
    obligation, detail, fee = _obligation(data, {k: amounts[k] for k in MONEY_FIELDS})
    instalments = _instalments(data, amounts)
    if origin is not None:
        # 执恢 continues the original case: no second application fee (no rule in rules.md charges one;
        # docs/rules-additions.md). The original's fee stays owed once, carried by the schedule.
        fee = Decimal("0.00")
    if origin is None and case_type.is_resumption:
        raise ServiceError("恢复执行案件须从原案件发起“恢复执行”", field="case_type")
    debtor_ids = [str(p["key"]) for p in parties if p["role"] == Party.Role.DEBTOR]
    with transaction.atomic():
        # The duplicate check and the new case are one transaction under the key's lock: a concurrent
        # submission of the same application waits here, then finds this case.
        duplicates.lock_keys(court, data.basis_number, debtor_ids)
        if origin is None:
            duplicates.refuse_unconfirmed(
                court,
                data.basis_number,
                debtor_ids,
                confirmed=data.confirm_duplicate,
                shown=data.confirmed_duplicates,
            )
        # 诉执衔接: the preservation cases this filing takes over, checked (and locked) before any write.
        carrying = (
            preservation.targets(court, data.basis_number, parties, data.preservation_case)
            if origin is None and case_type.code != PRESERVATION_CODE
            else []
        )
        year = data.filed_on.year
        seq = _next_seq(court, case_type, year)
        case = EnforcementCase.objects.create(
            court=court,
            case_type=case_type,
            year=year,
            seq=seq,
            number=format_case_number(year, court.code, case_type.code, seq),
            status=CaseStatus.REGISTERED,
            applied_on=data.applied_on,
            filed_on=data.filed_on,
            instrument_type=instrument,
            issuing_body=data.issuing_body.strip(),
            basis_number=data.basis_number.strip(),
            effective_on=data.effective_on,
            performance_deadline=data.performance_deadline,
            non_litigation=instrument.non_litigation,
            obligation=obligation,
            obligation_detail=detail,
            application_fee=fee,
            origin=origin,
            created_by=actor,
            **amounts,
        )
        for p in parties:
            former = p.pop("former_names")
            p.pop("key")
            party = Party.objects.create(case=case, **p)
            PartyAlias.objects.bulk_create(PartyAlias(party=party, name=n) for n in former)
        Instalment.objects.bulk_create(
            Instalment(case=case, seq=i, due_on=d, amount=a) for i, (d, a) in enumerate(instalments, start=1)
        )
        _create_nodes(case, actor)
        recompute_case_deadlines(case)
        if case_type.code == PRESERVATION_CODE:
            preservation.record_preservation(case, data.lawsuit_number)
        carried = preservation.carry(actor, carrying, case) if carrying else []
        limitation = application_period(
            case.performance_deadline,
            case.applied_on,
            current_calendar(),
            unlimited=resumption_unlimited(origin.closing_mode if origin else None),
        )
        audit.record(
            actor,
            "case.file",
            object_type="EnforcementCase",
            object_id=case.pk,
            case_id=case.pk,
            after={
                "number": case.number,
                "court": court.code,
                "claim": case.claim_amount,
                "obligation": obligation,
                "parties": [{"role": p["role"], "name": p["name"]} for p in parties],
                "origin": origin.number if origin else None,
                "interest_rate": amounts.get("interest_rate"),
                "interest_from": amounts.get("interest_from"),
                "instalments": [[d, a] for d, a in instalments],
                "limitation_expired": limitation.expired,
                "lawsuit_number": data.lawsuit_number.strip() or None,
                "preservations_carried": carried or None,
            },
        )
    return case


def _create_nodes(case: EnforcementCase, actor: Any) -> None:
    nodes = []
    # Nodes anchored on the assignment are created by it (`lifecycle.assign_case`).
    for nt in NodeType.objects.filter(active=True, auto_create=True).exclude(anchor=NodeType.Anchor.ASSIGNED):
        anchor = case.applied_on if nt.anchor == NodeType.Anchor.APPLIED else case.filed_on
        done = nt.completion == NodeType.Completion.ON_FILING
        nodes.append(
            Node(
                case=case,
                node_type=nt,
                court_id=case.court_id,
                handler=case.handler,
                started_on=anchor,
                status=Node.Status.DONE if done else Node.Status.PENDING,
                completed_on=case.filed_on if done else None,
                completed_by=actor if done else None,
                document_ref=case.number if done else "",
            )
        )
    Node.objects.bulk_create(nodes)


def resume_case(actor: Any, original: EnforcementCase, *, applied_on: date, reason: str) -> EnforcementCase:
    """Resume enforcement of a dormant or closed case: a new linked 执恢 case (2014 立结案意见 Art 6)."""
    original = EnforcementCase.objects.select_related("court", "instrument_type").get(pk=original.pk)
    if original.status not in (CaseStatus.DORMANT, CaseStatus.CLOSED):
        raise Conflict("只有已结案或终结本次执行的案件可以恢复执行")
    if not actor.can(Cap.CASE_RESUME) or not can_write_court(actor, original.court):
        raise NotPermitted("只能恢复执行本院案件，且须具有恢复执行权限")
    if original.resumed_cases.filter(status__in=OPEN_STATUSES).exists():
        raise Conflict("该案件已有在办的恢复执行案件")
    if not (reason or "").strip():
        raise ServiceError("请填写恢复执行的事由", field="reason")
    if applied_on > timezone.localdate() or (original.closed_on and applied_on < original.closed_on):
        raise ServiceError("申请恢复执行日期须在原案结案日期与今天之间", field="applied_on")
    resumed_type = CaseType.objects.filter(is_resumption=True, active=True).first()
    if resumed_type is None:
        raise ServiceError("未配置恢复执行案件类型（执恢）", field="case_type")
    parties = [party_data_of(p, [a.name for a in p.aliases.all()]) for p in original.parties.all()]
    # The instrument's amounts, not the remaining principal: the resumed case's schedule carries the
    # original's dated payments and interest (queries_schedule.case_schedule), so nothing restarts.
    money = original.obligation == Obligation.MONEY
    data = FilingData(
        case_type=resumed_type.code,
        applied_on=applied_on,
        filed_on=timezone.localdate(),
        instrument_type=original.instrument_type.code,
        issuing_body=original.issuing_body,
        basis_number=original.basis_number,
        effective_on=original.effective_on,
        performance_deadline=original.performance_deadline,
        principal=str(original.principal),
        adjudged_interest=str(original.adjudged_interest),
        litigation_costs=str(original.litigation_costs),
        obligation=original.obligation,
        obligation_detail=original.obligation_detail,
        application_fee="" if money else str(original.application_fee),
        interest_rate=str(original.interest_rate or ""),
        interest_from=original.interest_from,
        instalments=[(i.due_on, str(i.amount)) for i in original.instalments.all()],
        parties=parties,
    )
    with transaction.atomic():
        case = file_case(actor, original.court, data, origin=original)
        answered = mark_requests_resumed(original)
        case_refiled.send(sender=EnforcementCase, origin=original, case=case, actor=actor)
        audit.record(
            actor,
            "case.resume",
            object_type="EnforcementCase",
            object_id=original.pk,
            case_id=original.pk,
            after={"resumed_as": case.number, "reason": reason, "requests_answered": answered},
        )
    return case
