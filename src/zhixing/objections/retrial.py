"""The retrial route after a third-party objection's ruling (CPL-2023 Art 238: when the objector or a
party holds the original judgment itself wrong, 依照审判监督程序办理) instead of a suit.

The deciding court records what it learns of the retrial court's work; it does not run the retrial:

* `file_retrial` — an application for retrial filed (date, court, reference) within the configured
  months of the ruling's service (民诉解释 2022 numbering Art 421: six months, to be confirmed). While
  it is pending the asset stays blocked from disposal as while a suit is pending (`rules.block_reason`,
  configuration `ZHIXING_OBJECTIONS["retrial_blocks_disposal"]`), and the finality sweep leaves the
  objection alone.
* `decide_retrial` — dismissed: the objection's ruling stands and is final on that day; the consequence
  table is told as when a suit ends against the one who sued (rejected → `third_party_objection_cleared`,
  a suspended lot resumes; upheld → `third_party_objection_final`, the asset released). Retrial ordered:
  the original judgment's enforcement is suspended (CPL-2023 Art 217) — the case is suspended with the
  ground `retrial` through `cases.services.suspend_case` (its own consequence rows), and the asset stays
  blocked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar

from . import access, lot_consequences, rules
from .conf import retrial_months
from .models import Objection
from .services.inputs import _date, _text

PENDING, DISMISSED, GRANTED = "pending", "dismissed", "granted"


# rule
def file_retrial(actor: Any, obj: Objection, *, filed_on: Any, court: str, number: str) -> Objection:
    """Record an application for retrial of the original judgment filed instead of a suit. Refused,
    naming the field, with nothing written: a date before the ruling's service, after today or after the
    retrial window; no court or reference. Refused as a conflict: an act objection (复议 is its route), a
    ruling not yet served, a suit already recorded, a retrial already recorded, or an objection already
    final (its consequences applied: an application then no longer stops enforcement, CPL-2023 Art 210 —
    a retrial ordered later is a case suspension, recorded on the case)."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记再审申请")
    filed = _date(filed_on, "retrial_filed_on", "申请再审日期")
    court_name = _text(court, "retrial_court", "再审审查法院", 128)
    ref = _text(number, "retrial_number", "再审案号", 64)
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.kind != Objection.Kind.THIRD_PARTY:
            raise Conflict("执行行为异议的裁定应申请复议，不适用再审程序")
        if obj.served_on is None or obj.status not in (Objection.Status.UPHELD, Objection.Status.REJECTED):
            raise Conflict("异议裁定尚未送达，不能登记再审申请")
        if obj.suit_state:
            raise Conflict("已登记执行异议之诉，不能再登记再审申请")
        if obj.retrial_state:
            raise Conflict("已登记再审申请")
        if obj.final_on is not None:
            raise Conflict(
                f"异议裁定已于{obj.final_on:%Y-%m-%d}确定并已据此处理；申请再审不停止执行，"
                "再审法院裁定中止执行的，请在案件中登记中止执行"
            )
        if filed < obj.served_on:
            raise ServiceError("申请再审日期不能早于裁定送达日期", field="retrial_filed_on")
        if filed > timezone.localdate():
            raise ServiceError("申请再审日期不能晚于今天", field="retrial_filed_on")
        due = rules.retrial_filing_due(obj.served_on, retrial_months(), current_calendar())
        if filed > due:
            raise ServiceError(
                f"申请再审已超过期限（裁定送达之日起{retrial_months()}个月，{due.isoformat()}届满）",
                field="retrial_filed_on",
            )
        obj.retrial_state, obj.retrial_filed_on = PENDING, filed
        obj.retrial_court, obj.retrial_number = court_name, ref
        obj.save(update_fields=["retrial_state", "retrial_filed_on", "retrial_court", "retrial_number"])
        audit.record(
            actor,
            "objections.retrial_filed",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"retrial_filed_on": filed, "retrial_court": court_name, "retrial_number": ref},
            court=obj.court,
        )
    return obj


def _granted(value: Any) -> bool:
    if value in (True, "true", "1", GRANTED):
        return True
    if value in (False, "false", "0", DISMISSED):
        return False
    raise ServiceError("请选择再审审查结果（驳回再审申请或裁定再审）", field="granted")


# rule
def decide_retrial(
    actor: Any, obj: Objection, *, granted: Any, decided_on: Any, document_ref: str
) -> Objection:
    """Record the retrial court's decision on the application. Dismissed: final on `decided_on`, the
    consequence table told as for a suit lost by whoever applied. Retrial ordered: the case is suspended
    (ground `retrial`, CPL-2023 Art 217) unless it is already suspended or no longer open (said in the
    audit record), and the asset stays blocked."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记再审审查结果")
    grant = _granted(granted)
    decided = _date(decided_on, "retrial_decided_on", "再审审查结果日期")
    ref = _text(document_ref, "retrial_document_ref", "再审裁定书文号", 64)
    with transaction.atomic():
        obj = Objection.objects.select_for_update(of=("self",)).select_related("case").get(pk=obj.pk)
        if obj.retrial_state != PENDING:
            raise Conflict("没有审查中的再审申请")
        if obj.retrial_filed_on and decided < obj.retrial_filed_on:
            raise ServiceError("再审审查结果日期不能早于申请再审日期", field="retrial_decided_on")
        if decided > timezone.localdate():
            raise ServiceError("再审审查结果日期不能晚于今天", field="retrial_decided_on")
        obj.retrial_state = GRANTED if grant else DISMISSED
        obj.retrial_decided_on, obj.retrial_document_ref = decided, ref
        fields = ["retrial_state", "retrial_decided_on", "retrial_document_ref"]
        if not grant:
            obj.final_on = decided
            fields.append("final_on")
        obj.save(update_fields=fields)
        suspension = ""
        if grant:
            suspension = _suspend(actor, obj, decided, ref)
        audit.record(
            actor,
            "objections.retrial_decided",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={
                "retrial_state": obj.retrial_state,
                "retrial_decided_on": decided,
                "retrial_document_ref": ref,
                "suspension": suspension,
            },
            court=obj.court,
        )
        if not grant and obj.status == Objection.Status.REJECTED:
            lot_consequences.cleared(actor, obj)  # the objector's application failed: the lot resumes
        elif not grant:
            lot_consequences.final(actor, obj)  # the applicant's failed: the upheld ruling is final
    return obj


def _suspend(actor: Any, obj: Objection, decided: Any, ref: str) -> str:
    """Suspend the enforcement case for the retrial (the existing suspension and its event); what was
    done, in words. An already suspended or closed case is left as it is."""
    try:
        case_services.suspend_case(actor, obj.case, ground="retrial", start=decided, document_ref=ref)
    except (Conflict, ServiceError) as exc:
        return f"未中止执行：{exc.message}"
    return "已裁定中止执行（再审）"
