"""Consumption restriction (限制消费令) and exit restriction (限制出境): imposing, lifting, exceptions.

Lifting lives in `lifting`, approved private consumption in `private_consumption`; both are re-exported
here under their old names.
"""

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
from zhixing.core.id_documents import stored_identity
from zhixing.core.identity import IdentityError, check_resident_id, is_minor

from .. import rules
from ..models import LegalRepChange, Listing, Restriction
from . import border
from .access import require_write
from .lifting import EXIT_LIFT_TRIGGERS as EXIT_LIFT_TRIGGERS
from .lifting import LIFT_TRIGGERS as LIFT_TRIGGERS
from .lifting import _lift as _lift
from .lifting import lift_case_restrictions as lift_case_restrictions
from .lifting import lift_restriction as lift_restriction
from .private_consumption import decide_private_consumption as decide_private_consumption
from .private_consumption import scan_private_windows as scan_private_windows
from .register import refresh_subject


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
