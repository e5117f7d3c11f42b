"""Objections to an enforcement act (执行行为异议, CPL-2023 Art 236) and their 复议 at the higher court.

A party (or an interested person, at the counter or on the public form) objects to one specific act of
the case — a freeze, a seizure, a dishonest listing — filed as an 执异 case linked to the act. Decided by
the panel within 15 days (`services.decide`, shared with third-party objections); an upheld objection
undoes the act in the ruling's transaction: the control is released through inquiry, the listing revoked
through credit. The ruling's service opens 10 days to apply for 复议 to the next-higher court, which
decides on its own clock.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.cases.parties import Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.courts.queries import can_write_court, object_id
from zhixing.credit.models import Listing
from zhixing.inquiry.models import Asset

from . import access, events, rules, valuation
from .models import Objection
from .services import TYPE_CODE, ObjectorData
from .services.inputs import _date, _identity, _party_ids, _text

ACT_TYPES = {
    "freeze": "冻结",
    "seizure": "查封、扣押",
    "listing": "纳入失信名单",
    valuation.ACT_TYPE: valuation.LABEL,
}
ACT_STATES = {"freeze": (Asset.State.FROZEN,), "seizure": (Asset.State.SEIZED, Asset.State.QUEUED)}
# rule
# The acts an interested person who is not a party may object to online (the public form): a freeze or a
# seizure, identified by the case number with the asset's registration number (printed on the 查封公告
# posted on the property and the registry's record, known to a co-owner, mortgagee or lessee). A listing
# concerns the listed debtor alone (a wrong entry has its own correction route), and a reference price
# or a distribution plan is served on those concerned, who file at the counter (docs/objections.md).
ONLINE_OUTSIDER_ACTS = ("freeze", "seizure")


def review_days() -> int:
    """Days the higher court has to decide a 复议 (`ZHIXING_OBJECTIONS["review_decision_days"]`, default 30;
    rules.md gives no figure: UNCONFIRMED, configuration)."""
    return int(getattr(settings, "ZHIXING_OBJECTIONS", {}).get("review_decision_days", 30))


def _act(
    case: EnforcementCase, act_type: str, act_id: Any, received: Any
) -> tuple[int, int, str, Asset | None]:
    """(act id, the party the act concerns, its label, the asset) or the field's error."""
    if act_type not in ACT_TYPES:
        raise ServiceError("请选择异议的执行行为类型（冻结、查封、纳入失信名单或参考价）", field="act_type")
    try:
        pk = int(str(act_id))
    except ValueError:
        raise ServiceError("请选择异议的执行行为", field="act_id") from None
    if act_type == valuation.ACT_TYPE:  # 参考价规定 Arts 22–23: within the report's objection window
        return valuation.resolve(case, pk, received)
    if act_type == "listing":
        listing = Listing.objects.filter(pk=pk, case_id=case.pk, status=Listing.Status.ACTIVE).first()
        if listing is None:
            raise ServiceError("本案没有该项生效的失信名单记录", field="act_id")
        return pk, listing.party_id, f"纳入失信被执行人名单（{listing.party.name}）", None
    asset = Asset.objects.filter(pk=pk, case_id=case.pk, state__in=ACT_STATES[act_type]).first()
    if asset is None:
        raise ServiceError(f"本案没有该项生效的{ACT_TYPES[act_type]}措施", field="act_id")
    return pk, asset.party_id, f"{ACT_TYPES[act_type]}{asset}", asset


# rule
def file_act_objection(
    actor: Any,
    case: EnforcementCase,
    *,
    act_type: str,
    act_id: Any,
    party_id: Any = None,
    grounds: str,
    received_on: Any = None,
    interested: ObjectorData | None = None,
) -> Objection:
    """An objection to one act of the case by a party (`party_id`) or by an interested person who is not a
    party (`interested`, 利害关系人, CPL-2023 Art 236: name, ID number, the interest claimed), filed at the
    counter (`actor` staff) or online (`actor` None): a party through the party portal (which has already
    proved the party by phone), an interested person through the public form against a freeze or seizure
    only (`ONLINE_OUTSIDER_ACTS`; field `act_type` otherwise; a second pending objection of the same person
    to the same act is refused). Refused, naming the field: an act that does not exist in
    this case (or is no longer in force), a party not of this case, a debtor whom the act does not concern
    (a freeze of another debtor's account is not this debtor's concern), an interested person without
    name, valid ID number or interest, or one who is in fact a party of the case. The parties and the
    objector are told at once where they consented to electronic service (`notices.notify_filing`)."""
    if actor is not None and not access.can_file(actor, case.court):
        raise NotPermitted("只有本院立案人员可以登记执行行为异议")
    if interested is not None and actor is None and act_type not in ONLINE_OUTSIDER_ACTS:
        raise ServiceError(
            "利害关系人网上只能对查封、扣押、冻结措施提出异议，对其他执行行为的异议请到法院窗口提交",
            field="act_type",
        )
    text = _text(grounds, "grounds", "异议理由", 2000)
    today = timezone.localdate()
    received = today if received_on in (None, "") else _date(received_on, "received_on", "收到异议日期")
    if received > today:
        raise ServiceError("收到异议日期不能晚于今天", field="received_on")
    outsider = _interested(interested, today) if interested is not None else None
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        pk, concerned, label, asset = _act(case, act_type, act_id, received)
        party: Party | None = None
        if outsider is None:
            party = Party.objects.filter(pk=object_id(party_id) or 0, case_id=case.pk).first()
            if party is None:
                raise ServiceError("异议人须为本案当事人；案外利害关系人请填写身份信息", field="party_id")
            if party.role == Party.Role.DEBTOR and party.pk != concerned:
                raise ServiceError("该执行行为不涉及异议人，异议人无权对其提出异议", field="party_id")
            name, number, claim, phone = party.name, party.identity_number, f"撤销{label}", ""
        else:
            if outsider.id_number in _party_ids(case):
                raise ServiceError(
                    "该证件号码属于本案当事人，请以当事人身份提出异议", field="objector_id_number"
                )
            name, number, claim, phone = outsider.name, outsider.id_number, outsider.claim, outsider.phone
            if Objection.objects.filter(
                kind=Objection.Kind.ACT,
                act_type=act_type,
                act_id=pk,
                objector_id_number=number,
                status=Objection.Status.PENDING,
            ).exists():
                raise Conflict("该利害关系人对该执行行为的异议正在审查中，请勿重复提交")
        cal = current_calendar()
        obj = Objection.objects.create(
            court=case.court,
            case=case,
            number=case_services.allocate_case_number(case.court, TYPE_CODE, today.year),
            kind=Objection.Kind.ACT,
            asset=asset,
            act_type=act_type,
            act_id=pk,
            act_label=label[:200],
            objector_party=party,
            objector_name=name,
            objector_id_number=number,
            objector_phone=phone,
            claim=claim[:200],
            grounds=text,
            channel=Objection.Channel.COUNTER if actor is not None else Objection.Channel.ONLINE,
            received_on=received,
            decision_due=rules.decision_due(received, cal),
            notify_due=rules.notify_due(today, cal),
            filed_by=actor,
        )
        audit.record(
            actor,
            "objections.file",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=case.pk,
            after={
                "number": obj.number,
                "kind": obj.kind,
                "act": label,
                "objector": name,
                "interested": outsider is not None,
                "channel": obj.channel,
                "decision_due": obj.decision_due,
                "notify_due": obj.notify_due,
            },
            court=case.court,
        )
        valuation.filed(actor, obj)  # a reference-price objection suspends the asset's lot in bidding
        from .notices import notify_filing  # notices imports the services this module shares

        notify_filing(actor, obj)
    return obj


# rule
def _interested(data: ObjectorData, today: Any) -> ObjectorData:
    """An interested person's details, checked (each error names its field)."""
    return ObjectorData(
        name=_text(data.name, "objector_name", "利害关系人姓名或名称", 128),
        id_number=_identity(data.id_number, today),
        claim=_text(data.claim, "claim", "主张的利害关系", 200),
        grounds="",
        phone=str(data.phone or "").strip()[:32],
    )


# rule
def undo_act(actor: Any, obj: Objection) -> str:
    """Undo the act of an upheld objection (inside the ruling's transaction) through the measures
    consequence table (event `objection_upheld`: the control released, the listing revoked); what was
    done, in words. The measures domain answers with its consequence row (failed ones are retried there)."""
    if obj.act_id is None:
        raise Conflict("该异议未指明执行行为")
    answers = events.act_objection_upheld.send(
        sender=Objection,
        case=obj.case,
        act_type=obj.act_type,
        act_id=obj.act_id,
        number=obj.number,
        actor=actor,
    )
    rows = [r for _, r in answers if r is not None]
    if not rows:
        return "该执行行为已不再生效或正在处理，未作变更"
    row: Any = rows[0]
    if getattr(row, "status", "") == "failed":
        return f"撤销执行行为未成功（{getattr(row, 'error', '')}），将自动重试"
    if obj.act_type == valuation.ACT_TYPE:
        return valuation.describe(obj)
    return "撤销失信名单" if obj.act_type == "listing" else "解除控制措施"


# rule
def file_review(actor: Any, obj: Objection, *, filed_on: Any) -> Objection:
    """复议 of an act objection's ruling, recorded by the deciding court's staff: only within 10 days of
    service (field `review_filed_on` otherwise); the next-higher court's clock starts then."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记复议申请")
    filed = _date(filed_on, "review_filed_on", "申请复议日期")
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.kind != Objection.Kind.ACT:
            raise Conflict("案外人异议裁定不能申请复议，应提起诉讼或申请再审")
        if obj.review_due is None:
            raise Conflict("裁定尚未送达，复议期间尚未起算")
        if obj.review_status:
            raise Conflict("已申请复议")
        if filed > obj.review_due:
            raise ServiceError(
                f"申请复议已超过期限（裁定送达之日起10日，{obj.review_due.isoformat()}届满）",
                field="review_filed_on",
            )
        if obj.served_on and filed < obj.served_on:
            raise ServiceError("申请复议日期不能早于裁定送达日期", field="review_filed_on")
        higher = obj.court.parent
        if higher is None:
            raise Conflict("本院没有上一级法院，不能申请复议")
        obj.review_filed_on, obj.review_court, obj.review_status = filed, higher, "pending"
        obj.review_decision_due = rules.review_decision_due(filed, review_days(), current_calendar())
        obj.save(update_fields=["review_filed_on", "review_court", "review_status", "review_decision_due"])
        audit.record(
            actor,
            "objections.review_filed",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"review_filed_on": filed, "review_decision_due": obj.review_decision_due},
            court=obj.court,
        )
    return obj


# rule
def decide_review(actor: Any, obj: Objection, *, upheld: Any) -> Objection:
    """The higher court's 复议 decision (only that court's judges or director may record it). Setting
    aside a ruling that rejected the objection undoes the act through the consequence table, as an
    upheld objection does."""
    if upheld not in (True, False):
        raise ServiceError("请选择复议结果（撤销原裁定或驳回复议申请）", field="upheld")
    if obj.review_court is None or not can_write_court(actor, obj.review_court):
        raise NotPermitted("只有复议法院可以作出复议裁定")
    if getattr(actor, "role", "") not in access.DECIDER_ROLES:
        raise NotPermitted("只有复议法院的执行法官或局长可以作出复议裁定")
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.review_status != "pending":
            raise Conflict("没有待审查的复议申请")
        obj.review_status = "upheld" if upheld else "rejected"
        obj.save(update_fields=["review_status"])
        undone = undo_act(actor, obj) if upheld and obj.status == Objection.Status.REJECTED else ""
        if undone:
            valuation.review_upheld(actor, obj)  # a price objection: its lots withdrawn
        audit.record(
            actor,
            "objections.review_decided",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"review_status": obj.review_status, "undone": undone},
            court=obj.review_court,
        )
    return obj
