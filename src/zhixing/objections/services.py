"""Every write on objections; each runs in one transaction with its audit record.

A third-party objection (案外人异议, CPL-2023 Art 238) names a controlled asset of the enforcement case;
from its filing until its outcome allows, `disposal_refusals(asset_id)` (registered with
`zhixing.core.disposal_guards`) answers why that asset may not be disposed of, and every disposing path
(a deduction order, a payout of the asset's proceeds, an auction lot) asks it in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.core.identity import IdentityError, check_credit_code, check_resident_id
from zhixing.courts.models import Staff
from zhixing.documents import services as documents
from zhixing.inquiry.models import Asset
from zhixing.inquiry.queries_release import cancellable_requests
from zhixing.inquiry.services.releases import cancel_requests

from . import access, lot_consequences, rules, valuation
from .conf import retrial_blocks
from .events import third_party_objection_filed
from .models import Objection

# Controls an objection can still be raised against: the asset is held and not yet disposed of
# (执行异议复议规定 Art 6: a third-party objection comes before the execution on that object has ended).
OPEN_STATES = (Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED)
TYPE_CODE = "执异"


@dataclass
class ObjectorData:
    """What a third party gives when objecting (at the counter or on the public form)."""

    name: str
    id_number: str
    claim: str
    grounds: str
    phone: str = ""


def _text(value: Any, field: str, label: str, limit: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise ServiceError(f"请填写{label}", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过{limit}字", field=field)
    return text


def _identity(number: str, today: date) -> str:
    """A resident ID number or a unified social credit code, normalised; else the field's error."""
    raw = str(number or "").strip()
    if not raw:
        raise ServiceError("请填写异议人的身份证号码或统一社会信用代码", field="objector_id_number")
    try:
        return check_resident_id(raw, today).number
    except IdentityError as person_error:
        try:
            return check_credit_code(raw)
        except IdentityError:
            raise ServiceError(str(person_error), field="objector_id_number") from None


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ServiceError(f"{label}须为日期（如 2026-12-03）", field=field) from None


def _party_ids(case: EnforcementCase) -> set[str]:
    return {p.id_number or p.credit_code for p in case.parties.all()} - {""}


# rule
def file_third_party(
    actor: Any,
    case: EnforcementCase,
    asset_id: Any,
    objector: ObjectorData,
    *,
    received_on: Any = None,
) -> Objection:
    """File a third-party objection to a controlled asset of `case` as an 执异 case.

    `actor` None is the public form (channel online); a staff actor files at the counter and must be
    allowed to file in the case's court. Refused, naming the field, with nothing written: an asset not
    of this case, an asset no longer held (released, lapsed, deducted — its execution has ended) or
    already sold or set off (its ruling served: the title passed, even while the seizure's release is
    still on its way to the registry), an
    objector who is a party of the case (a party objects to an act, CPL-2023 Art 236), a bad ID number, a
    second pending objection of the same person to the same asset.
    """
    if actor is not None and not access.can_file(actor, case.court):
        raise NotPermitted("只有本院立案人员可以登记案外人异议")
    today = timezone.localdate()
    name = _text(objector.name, "objector_name", "异议人姓名或名称", 128)
    number = _identity(objector.id_number, today)
    claim = _text(objector.claim, "claim", "主张的权利", 200)
    grounds = _text(objector.grounds, "grounds", "异议理由", 2000)
    phone = str(objector.phone or "").strip()[:32]
    received = today if received_on in (None, "") else _date(received_on, "received_on", "收到异议日期")
    if received > today:
        raise ServiceError("收到异议日期不能晚于今天", field="received_on")
    try:
        asset_pk = int(str(asset_id))
    except ValueError:
        raise ServiceError("请选择异议所指向的财产", field="asset") from None
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update(no_key=True).get(pk=case.pk)
        asset = Asset.objects.filter(pk=asset_pk, case_id=case.pk).first()
        if asset is None:
            raise ServiceError("该财产不是本案查封、扣押、冻结的财产", field="asset")
        if asset.state not in OPEN_STATES:
            raise ServiceError(
                f"该财产当前为“{asset.get_state_display()}”，对其执行已终结或已解除控制，不能再提出案外人异议",
                field="asset",
            )
        if asset.title_passed_on is not None:
            how = asset.title_passed_ref or "成交裁定已送达"
            raise ServiceError(
                f"该财产已于{asset.title_passed_on:%Y-%m-%d}处分完毕（{how}），所有权已转移，不能再提出案外人异议",
                field="asset",
            )
        if number in _party_ids(case):
            raise ServiceError(
                "异议人是本案当事人，不能提出案外人异议；对执行行为不服的，请提出执行行为异议",
                field="objector_id_number",
            )
        if Objection.objects.filter(
            asset=asset, objector_id_number=number, status=Objection.Status.PENDING
        ).exists():
            raise Conflict("该异议人对该财产的异议正在审查中，请勿重复提交")
        cal = current_calendar()
        obj = Objection.objects.create(
            court=case.court,
            case=case,
            number=case_services.allocate_case_number(case.court, TYPE_CODE, today.year),
            kind=Objection.Kind.THIRD_PARTY,
            asset=asset,
            objector_name=name,
            objector_id_number=number,
            objector_phone=phone,
            claim=claim,
            grounds=grounds,
            channel=Objection.Channel.COUNTER if actor is not None else Objection.Channel.ONLINE,
            received_on=received,
            decision_due=rules.decision_due(received, cal),
            notify_due=rules.notify_due(today, cal),
            filed_by=actor,
        )
        # Deduction orders of this asset not yet handed to the bank are called back in the same transaction.
        recalled = [r.pk for r in cancellable_requests(case.pk, ("deduct",)) if r.asset_id == asset.pk]
        if recalled:
            cancel_requests(actor, case, recalled, f"案外人异议{obj.number}：停止处分该财产")
        audit.record(
            actor,
            "objections.file",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=case.pk,
            after={
                "number": obj.number,
                "kind": obj.kind,
                "asset": asset.pk,
                "objector": name,
                "channel": obj.channel,
                "received_on": received,
                "decision_due": obj.decision_due,
                "recalled": recalled,
            },
            court=case.court,
        )
        # A lot of the asset already in bidding is suspended through the consequence table.
        third_party_objection_filed.send(
            sender=Objection,
            case=case,
            asset_id=asset.pk,
            objection_id=obj.pk,
            number=obj.number,
            actor=actor,
        )
        from .notices import notify_filing  # notices imports this module's helpers

        notify_filing(actor, obj)
    return obj


def _panel(actor: Any, obj: Objection, panel_ids: Any) -> list[dict[str, Any]]:
    ids: list[int] = []
    for raw in panel_ids or []:
        try:
            ids.append(int(str(raw)))
        except ValueError:
            raise ServiceError("合议庭成员选择有误", field="panel") from None
    ids = list(dict.fromkeys(ids))
    members = list(
        Staff.objects.filter(
            pk__in=ids, court_id=obj.court_id, role__in=access.DECIDER_ROLES, is_active=True
        ).order_by("pk")
    )
    if len(members) != len(ids):
        raise ServiceError("合议庭成员须为本院在职的执行法官或局长", field="panel")
    if len(members) < access.PANEL_MIN:
        raise ServiceError(f"合议庭至少由{access.PANEL_MIN}名法官组成", field="panel")
    if actor.pk not in ids:
        raise ServiceError("作出裁定的法官须为合议庭成员", field="panel")
    return [{"id": m.pk, "name": m.full_name or m.username} for m in members]


# rule
def decide(actor: Any, obj: Objection, *, upheld: Any, panel_ids: Any, reason: str) -> Objection:
    """The collegial panel's ruling: upheld (enforcement against the asset suspended) or rejected.

    The ruling (执行裁定书, kind `objection_ruling`) is generated through `zhixing.documents` in the same
    transaction; a ruling after `decision_due` is allowed (the clock shows it overdue) but recorded as such.
    """
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以作出异议裁定")
    if upheld not in (True, False):
        raise ServiceError("请选择审查结果（异议成立或驳回异议）", field="upheld")
    text = _text(reason, "reason", "裁定理由", 2000)
    panel = _panel(actor, obj, panel_ids)
    today = timezone.localdate()
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status != Objection.Status.PENDING:
            raise Conflict(f"该异议已{obj.get_status_display()}，不能再次裁定")
        obj.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        obj.panel, obj.decided_on, obj.decision_reason = panel, today, text
        obj.save(update_fields=["status", "panel", "decided_on", "decision_reason"])
        undone = ""
        if obj.kind == Objection.Kind.ACT and upheld:
            from .acts import undo_act  # acts imports this module's helpers

            undone = undo_act(actor, obj)
        elif upheld:  # a third party's claim upheld: its asset's lot is withdrawn (consequence table)
            lot_consequences.upheld(actor, obj)
        valuation.decided(actor, obj)  # a reference-price objection: its lot withdrawn or resumed
        doc = documents.generate(actor, obj.case, "objection_ruling", source=str(obj.pk))
        obj.ruling_document_id = doc.pk
        obj.save(update_fields=["ruling_document_id"])
        from .notices import serve_ruling  # notices imports this module's helpers

        e_served = serve_ruling(actor, obj, doc, today)
        audit.record(
            actor,
            "objections.decide",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            before={"status": Objection.Status.PENDING},
            after={
                "status": obj.status,
                "decided_on": today,
                "late": today > obj.decision_due,
                "panel": [m["name"] for m in panel],
                "document": doc.pk,
                "undone": undone,
                "service_due": obj.service_due,
                "e_served": e_served,
            },
            court=obj.court,
        )
    return obj


# rule
def record_service(actor: Any, obj: Objection, served_on: Any) -> Objection:
    """The ruling served on the objector: the 15-day window to sue (CPL-2023 Art 238) starts the next day."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记送达")
    served = _date(served_on, "served_on", "送达日期")
    return start_service_windows(actor, obj, served)


def start_service_windows(actor: Any, obj: Objection, served: date, *, method: str = "") -> Objection:
    """Record the ruling's service on `served` and open its window: 复议 within 10 days for an act
    objection (CPL-2023 Art 236), a suit within 15 days for a third party's (Art 238). The caller has
    checked the actor (a judge recording by hand) or the proof (an electronic delivery to the objector)."""
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status not in (Objection.Status.UPHELD, Objection.Status.REJECTED):
            raise Conflict("异议尚未裁定，不能登记送达")
        if obj.served_on is not None:
            raise Conflict("裁定已登记送达")
        if obj.decided_on and served < obj.decided_on:
            raise ServiceError("送达日期不能早于裁定日期", field="served_on")
        if served > timezone.localdate():
            raise ServiceError("送达日期不能晚于今天", field="served_on")
        obj.served_on = served
        if obj.kind == Objection.Kind.ACT:  # CPL-2023 Art 236: 复议 within 10 days of service
            obj.review_due = rules.review_filing_due(served, current_calendar())
        else:  # CPL-2023 Art 238: a suit within 15 days of service
            obj.suit_due = rules.suit_due(served, current_calendar())
        obj.save(update_fields=["served_on", "suit_due", "review_due"])
        after: dict[str, Any] = {"served_on": served, "suit_due": obj.suit_due, "review_due": obj.review_due}
        if method:
            after["method"] = method
        if obj.service_due is not None:
            after["late"] = served > obj.service_due
        audit.record(
            actor,
            "objections.served",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after=after,
            court=obj.court,
        )
    return obj


# rule
def record_suit(actor: Any, obj: Objection, *, filed_on: Any, number: str) -> Objection:
    """A suit (执行异议之诉 / 许可执行之诉) filed within the window: the asset stays blocked while it runs."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记执行异议之诉")
    filed = _date(filed_on, "suit_filed_on", "起诉日期")
    suit_number = _text(number, "suit_number", "诉讼案号", 64)
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.suit_due is None:
            raise Conflict("裁定尚未送达，起诉期间尚未起算")
        if obj.suit_state:
            raise Conflict("已登记执行异议之诉")
        if obj.retrial_state:
            raise Conflict("已登记再审申请（审判监督程序），不能再登记执行异议之诉")
        if filed > obj.suit_due:
            raise ServiceError(
                f"起诉日期晚于起诉期限（{obj.suit_due.isoformat()}届满），不能登记", field="suit_filed_on"
            )
        if obj.served_on and filed < obj.served_on:
            raise ServiceError("起诉日期不能早于裁定送达日期", field="suit_filed_on")
        obj.suit_state, obj.suit_filed_on, obj.suit_number = Objection.Suit.PENDING, filed, suit_number
        obj.save(update_fields=["suit_state", "suit_filed_on", "suit_number"])
        audit.record(
            actor,
            "objections.suit",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"suit_filed_on": filed, "suit_number": suit_number},
            court=obj.court,
        )
    return obj


def end_suit(actor: Any, obj: Objection, *, ended_on: Any, objector_won: Any = None) -> Objection:
    """The suit ended by an effective judgment or ruling: this objection no longer blocks the asset.

    `objector_won` (True / False; None: not recorded) decides the asset's disposal through the
    consequence table: the objector lost → a lot suspended by the objection is resumed (网拍规定 Art 28);
    the objector won → the asset's lot is withdrawn and its controls released."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记诉讼结果")
    ended = _date(ended_on, "suit_ended_on", "诉讼终结日期")
    if objector_won in ("", None):
        outcome = ""
    elif objector_won in (True, "true", "1", "objector_won"):
        outcome = "objector_won"
    elif objector_won in (False, "false", "0", "objector_lost"):
        outcome = "objector_lost"
    else:
        raise ServiceError("请选择诉讼结果（案外人胜诉或败诉）", field="objector_won")
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.suit_state != Objection.Suit.PENDING:
            raise Conflict("没有正在审理的执行异议之诉")
        if obj.suit_filed_on and ended < obj.suit_filed_on:
            raise ServiceError("诉讼终结日期不能早于起诉日期", field="suit_ended_on")
        obj.suit_state, obj.suit_ended_on, obj.suit_outcome = Objection.Suit.ENDED, ended, outcome
        if outcome:
            obj.final_on = ended
        obj.save(update_fields=["suit_state", "suit_ended_on", "suit_outcome", "final_on"])
        audit.record(
            actor,
            "objections.suit_ended",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"suit_ended_on": ended, "suit_outcome": outcome},
            court=obj.court,
        )
        if outcome == "objector_lost":
            lot_consequences.cleared(actor, obj)
        elif outcome == "objector_won":
            lot_consequences.final(actor, obj)
    return obj


def withdraw(actor: Any, obj: Objection, reason: str) -> Objection:
    """The objector withdraws before the ruling (recorded by the court's staff)."""
    if not access.can_decide(actor, obj.court):
        raise NotPermitted("只有本院执行法官或局长可以登记撤回")
    text = _text(reason, "reason", "撤回说明", 200)
    with transaction.atomic():
        obj = Objection.objects.select_for_update().get(pk=obj.pk)
        if obj.status != Objection.Status.PENDING:
            raise Conflict("只有审查中的异议可以撤回")
        obj.status, obj.decision_reason, obj.decided_on = (
            Objection.Status.WITHDRAWN,
            text,
            timezone.localdate(),
        )
        obj.save(update_fields=["status", "decision_reason", "decided_on"])
        audit.record(
            actor,
            "objections.withdraw",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            before={"status": Objection.Status.PENDING},
            after={"status": obj.status, "reason": text},
            court=obj.court,
        )
        lot_consequences.cleared(actor, obj)  # the cause of a lot's suspension ended
        valuation.cleared(actor, obj)  # likewise for an objection to the asset's reference price
    return obj


def facts(obj: Objection) -> rules.BlockFacts:
    return rules.BlockFacts(
        obj.status, obj.served_on, obj.suit_due, obj.suit_state, obj.number, obj.retrial_state
    )


# rule
def disposal_refusals(asset_id: int) -> list[str]:
    """The disposal guard (`zhixing.core.disposal_guards`): why third-party objections forbid disposing of
    `asset_id` today; empty when none does."""
    today = timezone.localdate()
    rows = Objection.objects.filter(asset_id=asset_id, kind=Objection.Kind.THIRD_PARTY).exclude(
        status=Objection.Status.WITHDRAWN
    )
    blocks = retrial_blocks()
    return [r for r in (rules.block_reason(facts(o), today, retrial_blocks=blocks) for o in rows) if r]
