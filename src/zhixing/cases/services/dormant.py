"""终本 (终结本次执行程序): the preconditions checked before closing, the judge's confirmations with
evidence, the review kept at closing (its ruling generated through documents), and the applicant's
request to resume.

The pure evaluation is `rules_dormant`; this module gathers the facts: the case's own record (the notice
and asset-report order served, the filing date), the other domains' records through the `dormant_facts`
signal (credit answers for the consumption restriction and the listing, inquiry for the network inquiry,
each through its own queries — cases may not import them), and the judge's confirmations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit, upload_limits
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap
from zhixing.documents import services as documents

from .. import conf, rules_dormant
from ..choices import CaseStatus, Obligation
from ..events import dormant_facts
from ..models import (
    DormantConfirmation,
    DormantReview,
    EnforcementCase,
    EnforcementNotice,
    Node,
    ResumptionRequest,
)


def _own_record(case: EnforcementCase) -> tuple[dict[str, bool], dict[str, str]]:
    """What the case's own record shows for the notice and the asset-report order (终本规定 Arts 1(1), 2)."""
    record: dict[str, bool] = {}
    details: dict[str, str] = {}
    notice = EnforcementNotice.objects.filter(case_id=case.pk).first()
    node_done = Node.objects.filter(
        case_id=case.pk, node_type__code="notice", status=Node.Status.DONE
    ).exists()
    if notice is not None and notice.served_on:
        record["notice_served"] = True
        details["notice_served"] = f"{notice.document_number}，{notice.served_on} 送达"
        record["asset_report_order"] = notice.asset_report_order
        details["asset_report_order"] = (
            f"与执行通知书一并送达（{notice.served_on}）"
            if notice.asset_report_order
            else "执行通知书未同时发出报告财产令"
        )
    elif node_done:
        # A notice node completed by hand (a paper notice and order, the form before the platform made them).
        record["notice_served"] = record["asset_report_order"] = True
        details["notice_served"] = details["asset_report_order"] = "“发出执行通知”节点已办结"
    else:
        details["notice_served"] = "执行通知书尚未送达"
    return record, details


def latest_confirmations(case: EnforcementCase) -> dict[str, DormantConfirmation]:
    """The newest confirmation of each precondition key."""
    out: dict[str, DormantConfirmation] = {}
    for c in (
        DormantConfirmation.objects.filter(case_id=case.pk).order_by("id").select_related("confirmed_by")
    ):
        out[c.key] = c
    return out


def facts_of(case: EnforcementCase) -> rules_dormant.Facts:
    """Gather every fact the preconditions need (own record, other domains, the judge's confirmations)."""
    record, details = _own_record(case)
    for _receiver, answer in dormant_facts.send(sender=EnforcementCase, case=case):
        given: dict[str, tuple[bool, str]] = answer if isinstance(answer, dict) else {}
        for key, (held, detail) in given.items():
            record[key] = record.get(key, False) or bool(held)
            if detail:
                details[key] = detail
    confirmations = latest_confirmations(case)
    for key, c in confirmations.items():
        if not record.get(key):
            details[key] = (
                f"{c.done_on} {c.confirmed_by.get_full_name() or c.confirmed_by.username}：{c.note}"
            )
    money = case.obligation == Obligation.MONEY or case.principal > 0
    return rules_dormant.Facts(
        filed_on=case.filed_on,
        money=money,
        record=record,
        confirmed=frozenset(confirmations),
        details=details,
        interview_required=bool(conf.option("dormant_interview_required")),
    )


def checklist(case: EnforcementCase, closed_on: date | None = None) -> list[rules_dormant.Check]:
    """The preconditions of closing `case` as 终本 on `closed_on` (today by default), each with its state."""
    return rules_dormant.evaluate(facts_of(case), closed_on or timezone.localdate())


def require_preconditions(case: EnforcementCase, closed_on: date) -> list[rules_dormant.Check]:
    """Raise a ServiceError naming every missing precondition; the checks when all hold.

    # rule: R-5.11
    """
    checks = checklist(case, closed_on)
    message = rules_dormant.refusal(checks)
    if message:
        raise ServiceError(message, field="preconditions", code="dormant_preconditions")
    return checks


def record_review(actor: Any, case: EnforcementCase, checks: list[rules_dormant.Check]) -> DormantReview:
    """Inside the closing's transaction: generate the ruling through documents and keep the checks.

    # rule: R-5.12
    """
    try:
        ruling = documents.generate(actor, case, "dormant_ruling")
    except ServiceError as exc:  # the closing rolls back with it: no 终本 without its ruling
        raise ServiceError(f"终本裁定书无法生成：{exc.message}", field="document_ref") from exc
    states = {c.key: c.state for c in checks}
    s = rules_dormant.score(states, ruling=True)
    review = DormantReview.objects.create(
        case=case,
        court_id=case.court_id,
        closed_on=case.closed_on or timezone.localdate(),
        states=states,
        met=s.met,
        total=s.total,
        ruling=ruling,
        compliant=s.compliant,
    )
    audit.record(
        actor,
        "case.dormant.review",
        object_type="DormantReview",
        object_id=review.pk,
        case_id=case.pk,
        after={"states": states, "ruling": ruling.pk, "compliant": s.compliant},
    )
    return review


def _require_judge(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court):
        raise NotPermitted("只能办理本院案件；上级法院只能查看")
    if not actor.can(Cap.CASE_CLOSE):
        raise NotPermitted(f"您的岗位无权{Cap(Cap.CASE_CLOSE).label}")


def confirm_precondition(
    actor: Any, case: EnforcementCase, *, key: str, done_on: date | None, note: str, evidence: Any = None
) -> DormantConfirmation:
    """Record the judge's confirmation of one precondition with evidence: a note, and optionally a file.

    Refused for a precondition only the record can satisfy (the notice, the 3 months), for a case no
    longer open, for a date in the future, and for a file over the evidence limit (`core.upload_limits`,
    10 MiB by default); nothing is written then.
    """
    spec = rules_dormant.BY_KEY.get(key)
    if spec is None or spec.kind == rules_dormant.RECORD:
        raise ServiceError("该项条件只能由系统记录认定，不能由法官确认", field="key")
    note = (note or "").strip()
    if not note:
        raise ServiceError(f"请填写“{spec.label}”的情况说明", field="note")
    if len(note) > 2000:
        raise ServiceError("情况说明不能超过2000字", field="note")
    if done_on is None:
        raise ServiceError("请填写办理日期", field="done_on")
    if done_on > timezone.localdate():
        raise ServiceError("办理日期不能晚于今天", field="done_on")
    upload_limits.check(evidence, "evidence", field="evidence", label="证据材料")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        _require_judge(actor, case)
        if not case.is_open:
            raise Conflict("案件已结案，不能再登记终本条件")
        if done_on < case.filed_on:
            raise ServiceError("办理日期不能早于立案日期", field="done_on")
        row = DormantConfirmation(case=case, court_id=case.court_id, key=key, done_on=done_on, note=note)
        row.confirmed_by = actor
        if evidence is not None:
            row.evidence = evidence
        row.save()
        audit.record(
            actor,
            "case.dormant.confirm",
            object_type="DormantConfirmation",
            object_id=row.pk,
            case_id=case.pk,
            after={"key": key, "done_on": done_on, "note": note, "evidence": row.evidence.name or ""},
        )
    return row


REASON_MAX = 2000  # the request's reason or the property lead it names


def may_record_request(user: Any, case: EnforcementCase) -> bool:
    """Staff of the case's court who file cases (the registry window) or resume them."""
    return can_write_court(user, case.court) and (user.can(Cap.CASE_FILE) or user.can(Cap.CASE_RESUME))


def request_resumption(
    case: EnforcementCase, by: str, reason: str, *, actor: Any = None, channel: str = "staff"
) -> ResumptionRequest:
    """Record the applicant's request to resume a dormant case (终本规定 Art 9(1); 民诉解释 Art 517(2)):
    at any time after 终本, not subject to the 2-year period. `actor` is the staff member recording it
    (None when the party portal calls this). The court then files the 执恢 case (`resume_case`).

    # rule: R-5.13
    """
    by, reason = (by or "").strip(), (reason or "").strip()
    if not by:
        raise ServiceError("请填写申请人", field="by")
    if len(by) > 100:
        raise ServiceError("申请人不能超过100字", field="by")
    if not reason:
        raise ServiceError("请填写申请恢复执行的事由或财产线索", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"申请事由不能超过{REASON_MAX}字", field="reason")
    if channel not in ("staff", "portal"):
        raise ServiceError("提交途径无效", field="channel")
    with transaction.atomic():
        case = (
            EnforcementCase.objects.select_for_update(of=("self",), no_key=True)
            .select_related("court")
            .get(pk=case.pk)
        )
        if actor is not None and not may_record_request(actor, case):
            raise NotPermitted("只能登记本院案件的恢复执行申请，且须具有立案或恢复执行权限")
        if case.status != CaseStatus.DORMANT:
            raise Conflict("只有终结本次执行程序的案件可以申请恢复执行")
        if case.resumed_cases.exists():
            raise Conflict("该案件已恢复执行")
        if (
            channel == "portal"
            and ResumptionRequest.objects.filter(
                case=case, status=ResumptionRequest.Status.OPEN, channel="portal", requested_by=by
            ).exists()
        ):  # a second click (or a second tab) of the same applicant: one request, under the case lock
            raise Conflict("您已提交恢复执行申请，本院正在审查", field="reason")
        row = ResumptionRequest.objects.create(
            case=case,
            court_id=case.court_id,
            requested_by=by,
            reason=reason,
            channel=channel,
            recorded_by=actor,
        )
        audit.record(
            actor,
            "case.dormant.resume_request",
            object_type="ResumptionRequest",
            object_id=row.pk,
            case_id=case.pk,
            after={"by": by, "reason": reason, "channel": channel},
            court=case.court,
        )
    return row


def mark_requests_resumed(case: EnforcementCase) -> int:
    """Inside `resume_case`'s transaction: the open requests of the original are answered by the 执恢 case."""
    return ResumptionRequest.objects.filter(case=case, status=ResumptionRequest.Status.OPEN).update(
        status=ResumptionRequest.Status.RESUMED
    )
