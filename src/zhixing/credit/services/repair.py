"""Issue 14 item 9: the re-listing bar, credit repair (信用修复), a unit's new legal representative, and the
published 履行情况 kept in step with the case's dated payments.

* `relisting_check` — 失信规定 Art 10(4): six months after a deletion on the applicant's written request,
  the applicant's application to list the debtor again is refused (the court may list ex officio).
* `apply_repair` / `decide_repair` — the debtor's credit-repair application, its conditions
  (`rules.repair_missing`, configurable `ZHIXING_CREDIT_REPAIR`), the decision; a grant deletes an
  active listing (Art 10(1)(1)–(2) or Art 2(2)) and issues the 信用修复证明 (`documents_repair`).
* `record_legal_rep_change` — 限制消费规定 Art 3(2) and 善意文明执行意见 Art 17: the new legal
  representative of a restricted unit is restricted; the former is released only on a finding.
* `refresh_performance` — the `cases.events.payments_recorded` receiver: the published 履行情况 of the
  cases' active listings, from their dated payments (`cases.queries_payments`).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries_payments
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.services.parties import record_legal_representative
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.identity import IdentityError, check_resident_id, is_minor

from .. import rules
from ..models import CreditRepair, LegalRepChange, Listing, Restriction
from .access import require_write
from .notices import queue_listing_notices
from .register import refresh_subject
from .removal import remove_listing
from .restrictions import _lift


# -- Art 10(4): re-listing ----------------------------------------------------------------------------------
def relisting_check(party: Party, initiation: str, applied_on: date) -> None:
    """Refuse the applicant's application to re-list within six months of a deletion on its request."""
    if initiation != "application":
        return
    last = (
        Listing.objects.filter(
            party=party, status=Listing.Status.REMOVED, removal_trigger=rules.RELIST_BARRED_TRIGGER
        )
        .order_by("-removed_on", "-pk")
        .first()
    )
    if last is None:
        return
    refusal = rules.relisting_refusal(initiation, last.removal_trigger, last.removed_on, applied_on)
    if refusal:
        raise Conflict(refusal, field="party")


# -- published performance -------------------------------------------------------------------------
def _performance(listing_case_ids: list[int]) -> dict[int, str]:
    owed = queries_payments.obligations(listing_case_ids)
    paid = queries_payments.dated_payments(listing_case_ids)
    out = {}
    for c in listing_case_ids:
        out[c] = rules.performance_text(owed.get(c, Decimal("0")), rules.paid_total(paid.get(c, [])))
    return out


def _set_performance(x: Listing, text: str, actor: Any) -> bool:
    if not text or text == x.performance:
        return False
    before, x.performance = x.performance, text[:100]
    x.save(update_fields=["performance"])
    audit.record(
        actor,
        "credit.performance",
        object_type="Listing",
        object_id=x.pk,
        case_id=x.case_id,
        before={"performance": before},
        after={"performance": x.performance},
    )
    return True


def refresh_listing_performance(listing: Listing, actor: Any = None) -> bool:
    """The published 履行情况 of one listing (just made) from its case's payments so far."""
    return _set_performance(listing, _performance([listing.case_id]).get(listing.case_id, ""), actor)


def refresh_performance(case_ids: list[int], actor: Any = None) -> int:
    """Recompute the published 履行情况 of the cases' active listings; returns how many changed."""
    active = Listing.objects.select_for_update().filter(case_id__in=case_ids, status=Listing.Status.ACTIVE)
    rows = list(active)
    if not rows:
        return 0
    texts = _performance(sorted({x.case_id for x in rows}))
    changed = 0
    for x in rows:
        if _set_performance(x, texts.get(x.case_id, ""), actor):
            changed += 1
            # 失信规定 Art 8: the recipients told of the listing hold its 履行情况 (Art 6(3)); a change
            # is told to them too, in the transaction that booked the payment.
            queue_listing_notices(actor, x, "updated")
    return changed


def on_payments(sender: Any, case_ids: list[int], actor: Any = None, **kw: Any) -> None:
    """`cases.events.payments_recorded` (inside the booking transaction)."""
    refresh_performance(list(case_ids), actor)


# -- credit repair ------------------------------------------------------------------------------------------
def policy() -> rules.RepairPolicy:
    conf = getattr(settings, "ZHIXING_CREDIT_REPAIR", {})
    names = {f.name for f in fields(rules.RepairPolicy)}
    return rules.RepairPolicy(**{k: v for k, v in conf.items() if k in names})


def repair_facts(repair: CreditRepair) -> rules.RepairFacts:
    x = repair.listing
    owed = queries_payments.obligations([x.case_id]).get(x.case_id, Decimal("0"))
    paid = rules.paid_total(queries_payments.dated_payments([x.case_id])[x.case_id])
    others = Listing.objects.filter(subject_key=x.subject_key, status=Listing.Status.ACTIVE).exclude(pk=x.pk)
    return rules.RepairFacts(
        ground=x.ground,
        decided_on=x.decided_on,
        applied_on=repair.applied_on,
        performed_in_full=rules.performance_status(owed, paid) == "full",
        settled=repair.settled,
        corrected=repair.corrected,
        other_active_listings=others.count(),
    )


def apply_repair(
    actor: Any,
    listing: Listing,
    *,
    applied_on: date,
    statement: str,
    settled: bool = False,
    corrected: bool = False,
) -> CreditRepair:
    """Record the debtor's written credit-repair application; decided within `decision_days`."""
    require_write(actor, listing.court)
    if listing.status == Listing.Status.REVOKED:
        raise Conflict("该失信记录已撤销（不应纳入），无需信用修复", field="listing")
    if applied_on > timezone.localdate():
        raise ServiceError("申请日期不能晚于今天", field="applied_on")
    if applied_on < listing.decided_on:
        raise ServiceError("申请日期不能早于纳入决定日", field="applied_on")
    if not statement.strip():
        raise ServiceError("请填写申请理由", field="statement")
    with transaction.atomic():
        Listing.objects.select_for_update().filter(pk=listing.pk).first()
        if CreditRepair.objects.filter(listing=listing, status=CreditRepair.Status.PENDING).exists():
            raise Conflict("该失信记录已有审查中的信用修复申请", field="listing")
        if CreditRepair.objects.filter(listing=listing, status=CreditRepair.Status.GRANTED).exists():
            raise Conflict("该失信记录已准予信用修复", field="listing")
        repair = CreditRepair.objects.create(
            listing=listing,
            applied_on=applied_on,
            decision_due=rules.repair_decision_due(applied_on, policy()),
            statement=statement.strip()[:300],
            settled=settled,
            corrected=corrected,
        )
        audit.record(
            actor,
            "credit.repair_apply",
            object_type="CreditRepair",
            object_id=repair.pk,
            case_id=listing.case_id,
            after={
                "applied_on": applied_on,
                "decision_due": repair.decision_due,
                "settled": settled,
                "corrected": corrected,
            },
        )
    return repair


def decide_repair(actor: Any, repair: CreditRepair, *, grant: bool, reason: str = "") -> CreditRepair:
    """Grant (conditions met: certificate issued, an active listing deleted) or refuse with a reason."""
    listing = repair.listing
    require_write(actor, listing.court)
    today = timezone.localdate()
    with transaction.atomic():
        repair = (
            CreditRepair.objects.select_for_update(of=("self",))
            .select_related("listing__case")
            .get(pk=repair.pk)
        )
        if repair.status != CreditRepair.Status.PENDING:
            raise Conflict("该信用修复申请已作出决定", field="repair")
        facts = repair_facts(repair)
        met = rules.repair_conditions(facts, policy())
        missing = rules.repair_missing(facts, policy())
        if grant and missing:
            raise Conflict("不符合信用修复条件：" + "；".join(missing), field="repair")
        if not grant and not reason.strip():
            raise ServiceError("请填写不予修复的理由", field="reason")
        repair.conditions, repair.decided_on, repair.decided_by = met, today, actor
        if grant:
            n = (
                CreditRepair.objects.filter(
                    listing__case=listing.case, status=CreditRepair.Status.GRANTED
                ).count()
                + 1
            )
            repair.status = CreditRepair.Status.GRANTED
            repair.certificate_number = f"{listing.case.number}信修{n}号"[:64]
            repair.reason = reason.strip()[:300] or "符合信用修复条件，准予修复"
        else:
            repair.status, repair.reason = CreditRepair.Status.REJECTED, reason.strip()[:300]
        repair.save()
        audit.record(
            actor,
            "credit.repair_decide",
            object_type="CreditRepair",
            object_id=repair.pk,
            case_id=listing.case_id,
            after={
                "status": repair.status,
                "conditions": met,
                "certificate": repair.certificate_number,
                "reason": repair.reason,
            },
        )
        if grant and listing.status == Listing.Status.ACTIVE:
            trigger = "performed" if facts.performed_in_full else "settlement" if met["settled"] else "early"
            if not rules.art10_1_applies(listing.ground, trigger):  # rule: R-3.3.9 (Art 2(2) instead)
                trigger = "early"
            remove_listing(
                actor,
                listing,
                trigger=trigger,
                trigger_on=today,
                note=f"准予信用修复（{repair.certificate_number}）",
            )
    return repair


# -- a unit's new legal representative ---------------------------------------------------------------------
def _current_rep(party: Party, former: list[Restriction]) -> str:
    last = LegalRepChange.objects.filter(party=party).order_by("-changed_on", "-pk").first()
    if last is not None:
        return last.new_name
    return party.legal_representative or (former[0].name if former else "")


def record_legal_rep_change(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    new_name: str,
    new_id_number: str,
    changed_on: date,
    former_released: bool = False,
) -> LegalRepChange:
    """Record a change of a unit debtor's legal representative; restrict the new one while the unit is
    restricted (限制消费规定 Art 3(2)), release the former only on the Art 17 finding."""
    require_write(actor, case.court)
    today = timezone.localdate()
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR or party.kind != Party.Kind.ORGANISATION:
        raise ServiceError("只能登记本案单位被执行人的法定代表人变更", field="party")
    if not new_name.strip():
        raise ServiceError("请填写新法定代表人姓名", field="new_name")
    try:
        rid = check_resident_id(new_id_number, today)
    except IdentityError as exc:
        raise ServiceError(f"新法定代表人身份证号{exc}", field="new_id_number") from None
    if is_minor(rid.birth_date, today):
        raise ServiceError("新法定代表人为未成年人", field="new_id_number")
    if changed_on > today:
        raise ServiceError("变更登记日期不能晚于今天", field="changed_on")
    with transaction.atomic():
        unit = (
            Restriction.objects.select_for_update()
            .filter(
                case=case,
                party=party,
                kind=Restriction.Kind.CONSUMPTION,
                bound=Restriction.Bound.DEBTOR,
                status=Restriction.Status.ACTIVE,
            )
            .first()
        )
        restrict_new, lift_old = rules.legal_rep_change(unit is not None, former_released)
        # rule: — the legal representative bound from the party record without an ID number:
        # recording that person's ID completes the row and it enters the screening register.
        for pending in Restriction.objects.select_for_update().filter(
            case=case,
            party=party,
            kind=Restriction.Kind.CONSUMPTION,
            bound=Restriction.Bound.LEGAL_REP,
            status=Restriction.Status.ACTIVE,
            subject_key="",
            name=new_name.strip()[:128],
        ):
            pending.subject_key = rid.number
            pending.registered = pending.effective_on <= today and not pending.awaiting_service
            pending.save(update_fields=["subject_key", "registered"])
            if pending.registered:
                refresh_subject(rid.number, today)
        former = list(
            Restriction.objects.select_for_update()
            .filter(
                case=case,
                party=party,
                kind=Restriction.Kind.CONSUMPTION,
                bound=Restriction.Bound.LEGAL_REP,
                status=Restriction.Status.ACTIVE,
            )
            .exclude(subject_key=rid.number)
        )
        change = LegalRepChange(
            case=case,
            party=party,
            former_name=_current_rep(party, former),
            new_name=new_name.strip()[:64],
            new_key=rid.number,
            changed_on=changed_on,
            former_released=former_released,
            recorded_by=actor,
        )
        if lift_old and former:
            _lift(
                actor,
                former,
                "personnel_change",
                "原法定代表人经审查并非实际控制人或直接责任人员",
                changed_on,
            )
            change.lifted = former[0]
        if restrict_new and unit is not None:
            exists = Restriction.objects.filter(
                case=case,
                party=party,
                kind=Restriction.Kind.CONSUMPTION,
                subject_key=rid.number,
                status=Restriction.Status.ACTIVE,
            ).first()
            if exists is None:
                exists = Restriction.objects.create(
                    kind=Restriction.Kind.CONSUMPTION,
                    case=case,
                    party=party,
                    court=case.court,
                    listing=unit.listing,
                    bound=Restriction.Bound.LEGAL_REP,
                    subject_key=rid.number,
                    name=change.new_name,
                    items=list(unit.items),
                    document_number=unit.document_number,
                    ordered_on=today,
                    effective_on=max(today, unit.effective_on),
                    registered=unit.effective_on <= today,
                )
                if exists.registered:
                    refresh_subject(rid.number, today)
            change.imposed = exists
        change.save()
        # The party record names the new legal representative from now on: the documents, notices and
        # restrictions that follow take the person from it (限制消费规定 Art 3(2)).
        record_legal_representative(actor, party, change.new_name, changed_on=changed_on)
        listing = (
            Listing.objects.select_for_update().filter(party=party, status=Listing.Status.ACTIVE).first()
        )
        if listing is not None and listing.legal_representative != change.new_name:
            listing.legal_representative = change.new_name
            listing.save(update_fields=["legal_representative"])
            queue_listing_notices(actor, listing, "updated", cause="legal_rep")  # 失信规定 Arts 6(1), 8
        audit.record(
            actor,
            "credit.legal_rep_change",
            object_type="Party",
            object_id=party.pk,
            case_id=case.pk,
            before={"legal_representative": change.former_name},
            after={
                "legal_representative": change.new_name,
                "changed_on": changed_on,
                "former_released": former_released,
                "lifted": [r.pk for r in former] if lift_old else [],
                "imposed": change.imposed_id,
                "listing": listing.pk if listing else None,
            },
        )
    return change
