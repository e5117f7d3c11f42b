"""Listing debtors on the dishonest list: applications, decisions, extensions (corrections: `corrections`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.queries_notice import notice_state
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.id_documents import Identity, stored_identity
from zhixing.core.identity import IdentityError, is_minor

from .. import rules
from ..models import Listing, ListingApplication
from ..names import pinyin_key, simplified
from ..queries_record import Ground1Record, ground1_record
from .access import require_write
from .notices import queue_listing_notices
from .register import refresh_subject
from .repair import refresh_listing_performance, relisting_check
from .restrictions import BoundPerson, check_grace, impose_consumption

CLOSED = ("closed", "dormant")


@dataclass
class ListingData:
    ground: int | None
    dishonest_act: str
    initiation: str = Listing.Initiation.EX_OFFICIO
    application: ListingApplication | None = None
    guarantee_confirmed: bool = False  # Art 3(i): no sufficient effective guarantee
    order_confirmed: bool = False  # Art 3(iii): the debtor's order of liability is not later
    ability_confirmed: bool = False  # Art 3(iv): no other case of not able-but-refusing
    serious: bool = False
    extension_years: int = 0
    grace_months: int = 0
    bound_persons: list[BoundPerson] = field(default_factory=list)


def _identity(party: Party, today: date) -> Identity:
    """The party's identity checked by the rules of its document (resident ID, permit, passport, code)."""
    return stored_identity(party.id_type, party.id_number, party.credit_code, party.nationality, today)


def subject_of(party: Party, today: date) -> str:
    """The validated identity key of a debtor; a person's minority is recomputed from the birth date."""
    if party.kind == Party.Kind.PERSON:
        try:
            ident = _identity(party, today)
        except IdentityError as exc:
            raise ServiceError(f"被执行人证件号码无效：{exc}", field="party") from None
        birth = ident.birth_date or party.birth_date
        if party.is_minor or (birth is not None and is_minor(birth, today)):
            # rule
            raise Conflict("被执行人为未成年人，不得纳入失信名单（失信规定第4条）", field="party")
        return ident.key
    try:
        return _identity(party, today).key
    except IdentityError as exc:
        raise ServiceError(f"被执行单位身份代码无效：{exc}", field="party") from None


def _debtor(case: EnforcementCase, party: Party) -> None:
    # rule: — only the case's debtor, and only while the case is open (not performed)
    if party.case_id != case.pk or party.role != Party.Role.DEBTOR:
        raise ServiceError("只能对本案被执行人采取信用惩戒措施", field="party")
    if case.status in CLOSED:
        raise Conflict(f"案件已{case.get_status_display()}，不能纳入失信名单", field="case")


def _obligation(case: EnforcementCase) -> str:
    return f"给付{case.claim_amount}元（{case.basis_number}）"


def record_application(
    actor: Any, case: EnforcementCase, party: Party, *, received_on: date
) -> ListingApplication:
    """Record the applicant's written application; the decision is due within 15 days (Art 5(2))."""
    today = timezone.localdate()
    require_write(actor, case.court)
    _debtor(case, party)
    if received_on > today:
        raise ServiceError("收到申请日期不能晚于今天", field="received_on")
    relisting_check(party, "application", received_on)  # 失信规定 Art 10(4)
    with transaction.atomic():
        app = ListingApplication.objects.create(
            case=case,
            party=party,
            received_on=received_on,
            decision_due=rules.application_decision_due(received_on, current_calendar()),
        )
        audit.record(
            actor,
            "credit.application",
            object_type="ListingApplication",
            object_id=app.pk,
            case_id=case.pk,
            after={"party": party.pk, "received_on": received_on, "decision_due": app.decision_due},
        )
    return app


def reject_application(actor: Any, app: ListingApplication, *, reason: str) -> ListingApplication:
    require_write(actor, app.case.court)
    if app.status != ListingApplication.Status.PENDING:
        raise Conflict("该申请已作出决定", field="application")
    if not reason.strip():
        raise ServiceError("请填写不予纳入的理由", field="reason")
    with transaction.atomic():
        app.status, app.decided_on, app.reason = (
            ListingApplication.Status.REJECTED,
            timezone.localdate(),
            reason.strip()[:200],
        )
        app.save(update_fields=["status", "decided_on", "reason"])
        audit.record(
            actor,
            "credit.application_reject",
            object_type="ListingApplication",
            object_id=app.pk,
            case_id=app.case_id,
            after={"reason": app.reason},
        )
    return app


def _validate(data: ListingData) -> None:
    if data.ground is None or data.ground not in rules.GROUNDS:
        raise ServiceError("请选择失信情形（失信规定第1条第1至6项）", field="ground")
    if not data.dishonest_act.strip():
        raise ServiceError("请填写具体失信行为", field="dishonest_act")
    if data.ground == 1:
        for name, label in rules.GROUND1_EXCEPTIONS.values():
            if name and not getattr(data, name):
                raise ServiceError(f"第1项情形须确认：{label}", field=name)
    if data.extension_years and (data.ground == 1 or not data.serious):
        raise ServiceError("仅第2至6项情形且情节严重的可延长1至3年", field="extension_years")
    check_grace(data.grace_months)
    if data.initiation not in Listing.Initiation.values:
        raise ServiceError("启动方式无效", field="initiation")
    if data.initiation == Listing.Initiation.APPLICATION and data.application is None:
        raise ServiceError("依申请纳入须选择申请执行人的申请", field="application")


def _ground1_record(case: EnforcementCase) -> Ground1Record:
    """Art 3(ii) from the register: refuse a ground-1 listing, with the figures, when controls cover it."""
    record = ground1_record(case)
    if record.covered:
        raise Conflict(record.refusal, field="ground")
    return record


def check_listing(case: EnforcementCase, party: Party, data: ListingData, today: date) -> tuple[str, Any]:
    """Every refusal of a listing decision, before anything is written: (subject key, Art 3(ii) record)."""
    _debtor(case, party)
    notice = notice_state(case.pk)  # 失信规定 Art 5(1): the notice with its listing warning served first
    refusal = rules.listing_notice_refusal(notice.served_on, notice.listing_warning, today)
    if refusal:
        raise Conflict(refusal, field="notice")
    # The register answers Art 3(ii) before the judge's confirmations are even read.
    record = _ground1_record(case) if data.ground == 1 else None
    _validate(data)
    key = subject_of(party, today)
    app = data.application
    if app is not None and (app.case_id != case.pk or app.party_id != party.pk or app.status != "pending"):
        raise ServiceError("所选申请不属于该被执行人或已作出决定", field="application")
    relisting_check(party, data.initiation, app.received_on if app else today)  # 失信规定 Art 10(4)
    return key, record


def list_debtor(actor: Any, case: EnforcementCase, party: Party, data: ListingData) -> Listing:
    """Decide to list a debtor (决定书 effective on the day made); impose consumption restriction too.

    The issuing step itself: the product's pages and API reach it through the court president's approval
    (`services.approval`) where the configuration requires it (ADR 0015)."""
    require_write(actor, case.court)
    return issue_listing(actor, case, party, data)


def issue_listing(
    actor: Any, case: EnforcementCase, party: Party, data: ListingData, *, proposal: Any = None
) -> Listing:
    """Write the listing and its consumption restriction; `proposal` is the president's signed approval
    (the restriction then binds from service). Callers check the actor's right."""
    today = timezone.localdate()
    key, record = check_listing(case, party, data, today)
    assert data.ground is not None
    app = data.application
    ident = _identity(party, today) if party.kind == Party.Kind.PERSON else None
    birth = (ident.birth_date or party.birth_date) if ident else None
    with transaction.atomic():
        if Listing.objects.filter(party=party, status=Listing.Status.ACTIVE).exists():
            raise Conflict("该被执行人已在本案失信名单中", field="party")
        n = Listing.objects.filter(case=case).count() + 1
        try:
            with transaction.atomic():
                listing = Listing.objects.create(
                    case=case,
                    party=party,
                    court=case.court,
                    subject_key=key,
                    name=party.name,
                    name_key=simplified(party.name),
                    name_pinyin=pinyin_key(party.name),
                    kind=party.kind,
                    sex=(ident.sex or party.sex) if ident else "",
                    age=rules.age_on(birth, today) if birth else None,
                    legal_representative=party.legal_representative,
                    ground=data.ground,
                    dishonest_act=data.dishonest_act.strip()[:300],
                    obligation=_obligation(case)[:300],
                    initiation=data.initiation,
                    application=app,
                    guarantee_confirmed=data.guarantee_confirmed,
                    order_confirmed=data.order_confirmed,
                    ability_confirmed=data.ability_confirmed,
                    controlled_amount=record.controlled if record and record.applicable else None,
                    owed_amount=record.owed if record and record.applicable else None,
                    serious=data.serious,
                    extension_years=data.extension_years,
                    decided_on=today,
                    document_number=f"{case.number}之{n}",
                    grace_months=data.grace_months,
                    publish_on=rules.publish_date(today, data.grace_months),
                    expires_on=rules.expiry_date(today, data.ground, data.extension_years),
                    created_by=proposal.proposed_by if proposal is not None else actor,
                )
        except IntegrityError:
            raise Conflict("该被执行人已在失信名单中或文号重复，请刷新后重试", field="party") from None
        refresh_listing_performance(listing, actor)  # 履行情况 from the payments already made
        if app is not None:
            app.status, app.decided_on = ListingApplication.Status.GRANTED, today
            app.save(update_fields=["status", "decided_on"])
        audit.record(
            actor,
            "credit.list",
            object_type="Listing",
            object_id=listing.pk,
            case_id=case.pk,
            after={
                "party": party.pk,
                "ground": data.ground,
                "initiation": data.initiation,
                "guarantee_confirmed": data.guarantee_confirmed,
                "order_confirmed": data.order_confirmed,
                "ability_confirmed": data.ability_confirmed,
                "controlled": listing.controlled_amount,
                "owed": listing.owed_amount,
                "publish_on": listing.publish_on,
                "expires_on": listing.expires_on,
                "document_number": listing.document_number,
            },
        )
        # 限制消费规定 Art 1(2): a listed debtor must be restricted.  rule
        impose_consumption(
            actor,
            case,
            party,
            items=list(rules.ALL_ITEMS),
            bound_persons=data.bound_persons,
            listing=listing,
            grace_months=data.grace_months,
            subject_key=key,
            proposal=proposal,
            initiation=data.initiation,
        )
        if listing.publish_on <= today:
            listing.registered = True
            listing.save(update_fields=["registered"])
            refresh_subject(key, today)
            queue_listing_notices(actor, listing, "listed")  # 失信规定 Art 8, on publication
    return listing


def extend_listing(actor: Any, listing: Listing, *, years: int, reason: str) -> Listing:
    """Extend a fixed-term listing by 1–3 years for a serious case (Art 2(1))."""
    require_write(actor, listing.court)
    if listing.status != Listing.Status.ACTIVE:
        raise Conflict("失信名单已删除，不能延长", field="listing")
    if listing.ground == 1:
        raise Conflict("第1项情形无固定期限，不能延长", field="years")
    total = listing.extension_years + years
    if years < 1 or total > rules.MAX_EXTENSION_YEARS:
        raise ServiceError("延长期限合计应为1至3年", field="years")
    if not reason.strip():
        raise ServiceError("请填写延长理由（情节严重的具体情形）", field="reason")
    with transaction.atomic():
        before = {"extension_years": listing.extension_years, "expires_on": listing.expires_on}
        listing.extension_years, listing.serious = total, True
        listing.expires_on = rules.expiry_date(listing.decided_on, listing.ground, total)
        listing.save(update_fields=["extension_years", "serious", "expires_on"])
        audit.record(
            actor,
            "credit.extend",
            object_type="Listing",
            object_id=listing.pk,
            case_id=listing.case_id,
            before=before,
            after={"extension_years": total, "expires_on": listing.expires_on, "reason": reason},
        )
    return listing
