"""Consumption restriction (限制消费令) and exit restriction (限制出境): imposing, lifting, exceptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries_notice import notice_state
from zhixing.cases.services import node_events
from zhixing.cases.services.node_events import complete_node_from_event
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.id_documents import stored_identity
from zhixing.core.identity import IdentityError, check_resident_id, is_minor

from .. import rules
from ..models import LegalRepChange, Listing, PrivateConsumption, Restriction
from . import border
from .access import require_write
from .register import refresh_subject

LIFT_TRIGGERS: dict[str, str] = {
    "performed": "被执行人已履行全部义务（应当解除）",
    "guarantee": "被执行人提供确实有效的担保",
    "applicant_consent": "申请执行人同意解除",
    "personnel_change": "原法定代表人等证明不再是实际控制人或直接责任人员",
    "listing_removed": "失信名单已删除",
    "case_ended": "案件以终结执行、不予执行、驳回申请或销案方式结案，执行程序已结束",
    "reconsideration": "上一级人民法院复议撤销限制出境决定",
    "other": "其他依法应当解除的情形",
}
# 执行程序解释 Art 25: an exit restriction must be lifted on full performance and may be lifted on a
# sufficient guarantee or the applicant's consent; the higher court's 复议 may revoke it. It is not tied
# to the dishonest list (a removed listing leaves it in force) nor to a unit's personnel change.
# rule
# rule
EXIT_LIFT_TRIGGERS = ("performed", "guarantee", "applicant_consent", "reconsideration", "case_ended", "other")


def grace_months_max() -> int:
    """The longest grace period (months) a court may give: `ZHIXING_CREDIT_DECISIONS["grace_months_max"]`
    (default 3, 善意文明执行意见; rules.md §3.3 read it in a secondary source only)."""
    conf = getattr(settings, "ZHIXING_CREDIT_DECISIONS", {})
    return int(conf.get("grace_months_max", rules.GRACE_MONTHS_MAX))


def check_grace(grace_months: int) -> None:
    """Refuse a grace period the configuration does not allow (field `grace_months`)."""
    if message := rules.grace_refusal(grace_months, grace_months_max()):  # rule
        raise ServiceError(message, field="grace_months")


@dataclass
class BoundPerson:
    """A person bound with an organisation debtor (限制消费规定 Art 3(2), 执行程序解释 Art 24)."""

    bound: str
    name: str
    id_number: str


def _key_of_party(party: Party, today: date) -> str:
    """The subject key of the debtor, its number checked by the rules of its document type."""
    try:
        return stored_identity(
            party.id_type, party.id_number, party.credit_code, party.nationality, today
        ).key
    except IdentityError as exc:
        who = "被执行人证件号码" if party.kind == Party.Kind.PERSON else "被执行单位身份代码"
        raise ServiceError(f"{who}无效：{exc}", field="party") from None


def _check_bound(
    party: Party, persons: list[BoundPerson], today: date, *, exit: bool = False
) -> list[tuple[str, str, str]]:
    if persons and party.kind != Party.Kind.ORGANISATION and not exit:
        raise ServiceError("只有被执行人为单位时，才能同时限制其法定代表人等人员", field="bound_persons")
    out = []
    for i, p in enumerate(persons):
        if p.bound not in Restriction.Bound.values or p.bound == Restriction.Bound.DEBTOR:
            raise ServiceError(f"第{i + 1}名被限制人员的身份无效", field=f"bound_persons[{i}].bound")
        if p.bound == Restriction.Bound.GUARDIAN and not exit:
            raise ServiceError(
                f"第{i + 1}名被限制人员：监护人只在限制未成年被执行人出境时指定",
                field=f"bound_persons[{i}].bound",
            )
        if not p.name.strip():
            raise ServiceError(f"请填写第{i + 1}名被限制人员的姓名", field=f"bound_persons[{i}].name")
        try:
            rid = check_resident_id(p.id_number, today)
        except IdentityError as exc:
            raise ServiceError(f"第{i + 1}名被限制人员{exc}", field=f"bound_persons[{i}].id_number") from None
        if is_minor(rid.birth_date, today):
            raise ServiceError(f"第{i + 1}名被限制人员为未成年人", field=f"bound_persons[{i}].id_number")
        out.append((p.bound, p.name.strip()[:128], rid.number))
    return out


def _unit_legal_rep(party: Party, bound: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The unit's legal representative from the case's party record, when no one typed it in.

    # rule: R-3.4.3
    限制消费规定 Art 3(2): a unit's consumption restriction binds its legal representative. The latest
    recorded change (`LegalRepChange`, with a checked ID number) wins over the name filed with the case;
    a name without an ID number is bound on the order but cannot be screened until its ID is recorded
    (`repair.record_legal_rep_change` completes it)."""
    if party.kind != Party.Kind.ORGANISATION or any(b == Restriction.Bound.LEGAL_REP for b, _, _ in bound):
        return []
    last = LegalRepChange.objects.filter(party=party).order_by("-changed_on", "-pk").first()
    if last is not None:
        return [(Restriction.Bound.LEGAL_REP, last.new_name, last.new_key)]
    name = (party.legal_representative or "").strip()
    return [(Restriction.Bound.LEGAL_REP, name[:128], "")] if name else []


def _is_minor(party: Party, today: date) -> bool:
    """A person debtor under 18 today, recomputed from the identity's birth date (the flag may be stale)."""
    try:
        ident = stored_identity(party.id_type, party.id_number, party.credit_code, party.nationality, today)
    except IdentityError:
        ident = None
    birth = (ident.birth_date if ident else None) or party.birth_date
    return bool(party.is_minor or (birth is not None and is_minor(birth, today)))


def _open_case(case: EnforcementCase, party: Party) -> None:
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR:
        raise ServiceError("只能对本案被执行人采取限制措施", field="party")
    if case.status in ("closed", "dormant") and case.closing_mode != "dormant":
        raise Conflict("案件已结案，不能采取限制措施", field="case")


def notice_period_check(case: EnforcementCase, today: date) -> None:
    """限消规定 Art 1(1): a consumption restriction only after the period the served enforcement notice fixed
    for performance has run out (read through `cases.queries_notice`)."""
    notice = notice_state(case.pk)
    refusal = rules.consumption_notice_refusal(notice.served_on, notice.period_ends_on, today)
    if refusal:
        raise Conflict(refusal, field="notice")


def impose_consumption(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    items: list[int],
    bound_persons: list[BoundPerson],
    listing: Listing | None = None,
    grace_months: int = 0,
    subject_key: str | None = None,
    proposal: Any = None,
    initiation: str = "ex_officio",
) -> list[Restriction]:
    """Create the restriction rows (the debtor and any bound persons). Caller holds the transaction.

    `initiation` (限制消费规定 Art 4): on the applicant's written application or ex officio; a listing's
    restriction (Art 1(2)) follows the listing's own initiation.

    An order signed through `proposal` (the president's approval) binds from its service: its rows wait
    (`awaiting_service`) until `services.approval.record_service` dates them."""
    today = timezone.localdate()
    if listing is None:  # a listed debtor's restriction follows the listing (限消规定 Art 1(2))
        notice_period_check(case, today)
    if not items or any(i not in rules.CONSUMPTION_ITEMS for i in items):
        raise ServiceError("请选择限制消费事项（第1至9项）", field="items")
    bound = _check_bound(party, bound_persons, today)
    bound += _unit_legal_rep(party, bound)
    key = subject_key or _key_of_party(party, today)
    if Restriction.objects.filter(
        case=case, party=party, kind=Restriction.Kind.CONSUMPTION, status=Restriction.Status.ACTIVE
    ).exists():
        if listing is not None:
            return []  # already restricted in this case; the listing adds nothing
        raise Conflict("本案已对该被执行人发出限制消费令", field="party")
    effective = rules.publish_date(today, grace_months)
    waiting = proposal is not None
    rows = [
        Restriction(
            kind=Restriction.Kind.CONSUMPTION,
            case=case,
            party=party,
            court=case.court,
            listing=listing,
            bound=b,
            subject_key=k,
            name=n,
            items=sorted(set(items)),
            document_number=case.number,
            ordered_on=today,
            effective_on=effective,
            registered=effective <= today and not waiting and bool(k),
            proposal=proposal,
            awaiting_service=waiting,
        )
        for b, n, k in [(Restriction.Bound.DEBTOR, party.name, key), *bound]
    ]
    Restriction.objects.bulk_create(rows)
    audit.record(
        actor,
        "credit.restrict_consumption",
        object_type="Restriction",
        object_id=party.pk,
        case_id=case.pk,
        after={
            "items": sorted(set(items)),
            "persons": [(r.bound, r.name) for r in rows],
            "effective_on": effective,
            "listing": listing.pk if listing else None,
            "awaiting_service": waiting,
            "initiation": initiation,
        },
    )
    if effective <= today and not waiting:
        for r in rows:
            refresh_subject(r.subject_key, today)
    # The flow node "发出限制消费令" closes itself, in this transaction, with a link to the order.
    complete_node_from_event(
        case.pk,
        node_events.RESTRICT,
        event="credit.restrict_consumption",
        link_url=f"{reverse('credit_case', args=[case.pk])}#restriction-{rows[0].pk}",
        link_label=f"限制消费令（{party.name}）",
        document_ref=rows[0].document_number,
        on=today,
        actor=actor,
    )
    return rows


def restrict_consumption(
    actor: Any,
    case: EnforcementCase,
    party: Party,
    *,
    items: list[int],
    bound_persons: list[BoundPerson],
    grace_months: int = 0,
    initiation: str = "ex_officio",
) -> list[Restriction]:
    """Issue a 限制消费令 against a debtor (and, for a unit, the persons it binds), on the applicant's
    written application or ex officio (限制消费规定 Art 4)."""
    require_write(actor, case.court)
    _open_case(case, party)
    check_grace(grace_months)
    if message := rules.initiation_refusal(initiation):  # rule
        raise ServiceError(message, field="initiation")
    with transaction.atomic():
        return impose_consumption(
            actor,
            case,
            party,
            items=items,
            bound_persons=bound_persons,
            grace_months=grace_months,
            initiation=initiation,
        )


def restrict_exit(
    actor: Any, case: EnforcementCase, party: Party, *, initiation: str, bound_persons: list[BoundPerson]
) -> list[Restriction]:
    """Decide an exit restriction (执行程序解释 Arts 23–24): a person debtor, or a unit's representatives."""
    require_write(actor, case.court)
    _open_case(case, party)
    today = timezone.localdate()
    if message := rules.initiation_refusal(initiation):  # rule: R-3.5.1 (执行程序解释 Art 23)
        raise ServiceError(message, field="initiation")
    key = _key_of_party(party, today)
    minor = party.kind == Party.Kind.PERSON and _is_minor(party, today)
    # rule: — 执行程序解释 Art 24: whom the exit restriction may bind.
    at, message = rules.exit_bound_refusal(party.kind, minor, [p.bound for p in bound_persons])
    if at >= 0:
        raise ServiceError(message, field=f"bound_persons[{at}].bound")
    if at == -1:
        raise ServiceError(message, field="bound_persons")
    bound = _check_bound(party, bound_persons, today, exit=True)
    targets = bound if bound else [(Restriction.Bound.DEBTOR, party.name, key)]
    with transaction.atomic():
        if Restriction.objects.filter(
            case=case, party=party, kind=Restriction.Kind.EXIT, status=Restriction.Status.ACTIVE
        ).exists():
            raise Conflict("本案已对该被执行人限制出境", field="party")
        rows = Restriction.objects.bulk_create(
            Restriction(
                kind=Restriction.Kind.EXIT,
                case=case,
                party=party,
                court=case.court,
                bound=b,
                subject_key=k,
                name=n,
                items=[],
                document_number=case.number,
                ordered_on=today,
                effective_on=today,
                registered=True,
            )
            for b, n, k in targets
        )
        audit.record(
            actor,
            "credit.restrict_exit",
            object_type="Restriction",
            object_id=party.pk,
            case_id=case.pk,
            after={"initiation": initiation, "persons": [(r.bound, r.name) for r in rows]},
        )
        for r in rows:
            refresh_subject(r.subject_key, today)
        # 出境入境管理法 Art 12(3): the border inspection refuses exit — it is told at once.  rule
        border.queue(rows, "control")
    return rows


def _lift(actor: Any, rows: list[Restriction], trigger: str, note: str, trigger_on: date) -> None:
    today = timezone.localdate()
    due = rules.removal_due(trigger_on, current_calendar())
    for r in rows:
        r.status, r.lift_trigger, r.trigger_on, r.lift_due, r.lifted_on = (
            Restriction.Status.LIFTED,
            trigger,
            trigger_on,
            due,
            today,
        )
        r.lift_note = note[:200]
        r.save(update_fields=["status", "lift_trigger", "trigger_on", "lift_due", "lifted_on", "lift_note"])
    for key in {r.subject_key for r in rows}:
        refresh_subject(key, today)
    border.queue([r for r in rows if r.kind == Restriction.Kind.EXIT], "lift")


def lift_restriction(
    actor: Any, restriction: Restriction, *, trigger: str, note: str = "", trigger_on: date | None = None
) -> Restriction:
    """Lift one restriction (限制消费规定 Art 9; 执行程序解释 Art 25); other cases' restrictions stay."""
    require_write(actor, restriction.court)
    if restriction.status != Restriction.Status.ACTIVE:
        raise Conflict("该限制措施已解除", field="restriction")
    if trigger not in LIFT_TRIGGERS:
        raise ServiceError("请选择解除事由", field="trigger")
    if restriction.kind == Restriction.Kind.EXIT and trigger not in EXIT_LIFT_TRIGGERS:
        raise ServiceError(
            "限制出境只能因履行完毕、提供充分担保、申请执行人同意或复议撤销而解除（执行程序解释第25条）",
            field="trigger",
        )
    if restriction.kind == Restriction.Kind.CONSUMPTION and trigger == "reconsideration":
        raise ServiceError("复议撤销仅适用于限制出境", field="trigger")
    listing_active = (
        restriction.listing_id is not None
        and Listing.objects.filter(pk=restriction.listing_id, status=Listing.Status.ACTIVE).exists()
    )
    if message := rules.listed_lift_refusal(restriction.kind, listing_active, trigger):  # rule
        raise Conflict(message, field="trigger")
    today = timezone.localdate()
    trigger_on = trigger_on or today
    if trigger_on > today:
        raise ServiceError("解除事由发生日不能晚于今天", field="trigger_on")
    with transaction.atomic():
        locked = Restriction.objects.select_for_update().get(pk=restriction.pk)
        if locked.status != Restriction.Status.ACTIVE:
            raise Conflict("该限制措施已解除", field="restriction")
        _lift(actor, [locked], trigger, note, trigger_on)
        audit.record(
            actor,
            "credit.lift",
            object_type="Restriction",
            object_id=locked.pk,
            case_id=locked.case_id,
            before={"status": "active"},
            after={"status": "lifted", "trigger": trigger, "note": note},
        )
    return locked


def lift_case_restrictions(
    actor: Any,
    case_id: int,
    party_id: int | None,
    trigger: str,
    trigger_on: date,
    kinds: tuple[str, ...] = (),
) -> int:
    """Lift every active restriction of a debtor (every debtor if `party_id` is None) in one case, of the
    given kinds (all kinds if empty). Caller holds the transaction. A person another case restricts
    stays restricted: the screening register is rebuilt from every case's active rows."""
    qs = Restriction.objects.select_for_update().filter(case_id=case_id, status=Restriction.Status.ACTIVE)
    if party_id is not None:
        qs = qs.filter(party_id=party_id)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    rows = list(qs)
    if rows:
        _lift(actor, rows, trigger, LIFT_TRIGGERS.get(trigger, ""), trigger_on)
        audit.record(
            actor,
            "credit.lift",
            object_type="Restriction",
            object_id=party_id if party_id is not None else case_id,
            case_id=case_id,
            after={"lifted": [r.pk for r in rows], "trigger": trigger},
        )
    return len(rows)


def decide_private_consumption(
    actor: Any,
    restriction: Restriction,
    *,
    applied_on: date,
    purpose: str,
    granted: bool,
    reason: str,
    codes: list[str] | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> PrivateConsumption:
    """Decide an application to consume with personal property (Art 3(2)) or for necessities (Art 8).

    # rule: R-3.4.2
    A granted application naming screening `codes` (e.g. ``flight`` for a medical flight) and a window
    frees those codes of this restriction in the screening register for the window: partners answer
    "free" from its first day (now, or by the periodic scan) until the scan closes it after its last day.
    """
    require_write(actor, restriction.court)
    if restriction.kind != Restriction.Kind.CONSUMPTION or restriction.status != Restriction.Status.ACTIVE:
        raise Conflict("只能对生效中的限制消费令审查消费申请", field="restriction")
    if not purpose.strip() or not reason.strip():
        raise ServiceError("请填写消费事项和决定理由", field="purpose" if not purpose.strip() else "reason")
    today = timezone.localdate()
    if applied_on > today:
        raise ServiceError("申请日期不能晚于今天", field="applied_on")
    codes = sorted(set(codes or [])) if granted else []
    field, message = rules.private_codes_refusal(restriction.items, codes, valid_from, valid_until)
    if field:
        raise ServiceError(message, field=field)
    state = ""
    if codes and valid_from is not None and valid_until is not None:
        state = rules.private_window_state(valid_from, valid_until, today)
    with transaction.atomic():
        pc = PrivateConsumption.objects.create(
            restriction=restriction,
            applied_on=applied_on,
            purpose=purpose.strip()[:200],
            granted=granted,
            reason=reason.strip()[:200],
            decided_on=today,
            codes=codes,
            valid_from=valid_from if codes else None,
            valid_until=valid_until if codes else None,
            window_state=state,
        )
        audit.record(
            actor,
            "credit.private_consumption",
            object_type="PrivateConsumption",
            object_id=pc.pk,
            case_id=restriction.case_id,
            after={
                "purpose": pc.purpose,
                "granted": granted,
                "reason": pc.reason,
                "codes": codes,
                "valid_from": pc.valid_from,
                "valid_until": pc.valid_until,
            },
        )
        if state == "applied":
            refresh_subject(restriction.subject_key, today)
    return pc


def scan_private_windows(today: date) -> int:
    """Periodic scan: approved consumption windows that began or ended enter or leave the register.

    # rule: R-3.4.2
    Returns the number of windows whose state changed. Idempotent: `refresh_subject` appends a change
    event only when a subject's mask actually changes."""
    changed = 0
    due = list(
        PrivateConsumption.objects.filter(granted=True, window_state__in=("pending", "applied"))
        .exclude(codes=[])
        .select_related("restriction")
    )
    for pc in due:
        assert pc.valid_from is not None and pc.valid_until is not None
        state = rules.private_window_state(pc.valid_from, pc.valid_until, today)
        if state == pc.window_state:
            continue
        with transaction.atomic():
            pc.window_state = state
            pc.save(update_fields=["window_state"])
            refresh_subject(pc.restriction.subject_key, today)
            audit.record(
                None,
                "credit.private_window",
                object_type="PrivateConsumption",
                object_id=pc.pk,
                case_id=pc.restriction.case_id,
                after={"window_state": state, "codes": pc.codes},
            )
        changed += 1
    return changed
