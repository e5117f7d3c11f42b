"""Filing a third-party objection (案外人异议, CPL-2023 Art 238) at the counter or on the public form."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.holidays import current_calendar
from zhixing.inquiry.models import Asset
from zhixing.inquiry.queries_release import cancellable_requests
from zhixing.inquiry.services.releases import cancel_requests

from .. import access, rules
from ..events import third_party_objection_filed
from ..models import Objection
from .inputs import ObjectorData, _date, _identity, _party_ids, _text

# Controls an objection can still be raised against: the asset is held and not yet disposed of
# (执行异议复议规定 Art 6: a third-party objection comes before the execution on that object has ended).
OPEN_STATES = (Asset.State.FROZEN, Asset.State.SEIZED, Asset.State.QUEUED)
TYPE_CODE = "执异"


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
        from ..notices import notify_filing  # notices imports this module's helpers

        notify_filing(actor, obj)
    return obj
