"""One-click renewal in bulk (一键续行查封冻结): renewal orders for selected controls, reported row by row.

SPC-CPL-Interp (2022) Art 485 paras 2–3 (rules.md §6.1): a control is renewed before it expires, for at
most one more term, on the applicant's request or by the court of its own motion; the renewed term runs
from the day after the current expiry (`rules.renewal_expiry`, applied when the institution confirms).

Each renewal is an ordinary persisted `InquiryRequest` (action `renew`) the dispatcher sends and retries
with its idempotency key. A row that cannot be renewed (lapsed, not this court's, a request already in
flight, an institution that does not renew online) is refused with its reason and changes nothing; the
other rows go ahead in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core import audit
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.queries import object_id

from .. import access, conf, queries
from ..models import Action, Asset, InquiryRequest
from .requests import kick, new_key

UNKNOWN = "财产不存在或不在您的查看范围内"
DEFAULT_REASON = "控制期限即将届满，依职权续行"


@dataclass
class RenewalRow:
    asset: str  # the id as given
    ok: bool
    message: str
    request_id: int | None = None
    case_number: str = ""
    ref: str = ""


@dataclass
class RenewalResult:
    rows: list[RenewalRow] = field(default_factory=list)

    @property
    def renewed(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def refused(self) -> list[RenewalRow]:
        return [r for r in self.rows if not r.ok]


def _problem(actor: Any, asset: Asset | None, busy: set[int], today: date) -> str:
    if asset is None or not access.can_read(actor, asset.case.court):
        return UNKNOWN
    if not access.can_control(actor, asset.case.court):
        return f"不是本院案件的控制措施，须由{asset.case.court.name}续行"
    if asset.state == Asset.State.LAPSED or (
        asset.state in queries.ACTIVE_STATES and asset.control_expires and asset.control_expires < today
    ):
        expired = asset.control_expires.isoformat() if asset.control_expires else ""
        return f"控制措施已于{expired}到期失效，不能续行，请重新查封冻结"
    if asset.state not in queries.ACTIVE_STATES or asset.control_expires is None:
        return f"该财产没有生效的控制措施（{asset.get_state_display()}），无需续行"
    if not asset.partner.supports(Action.RENEW):
        return f"{asset.partner.name}不支持网络续行，请线下办理"
    if asset.pk in busy:
        return "该财产已有尚未办结的控制请求，请待其办结后再续行"
    return ""


def renew_controls(actor: Any, asset_ids: Sequence[Any], reason: str = "") -> RenewalResult:
    """Renewal orders for the given controls; refused rows are reported and change nothing."""
    court = getattr(actor, "court", None)
    if court is None or not access.can_control(actor, court):
        raise NotPermitted("只有本院执行法官或局长可以续行控制措施")
    given = [str(v).strip() for v in asset_ids if str(v).strip()]
    if not given:
        raise ServiceError("请选择要续行的控制措施", field="assets")
    limit = int(conf.option("renew_bulk_max"))
    if len(given) > limit:
        raise ServiceError(f"一次最多续行{limit}项控制措施，请分批办理", field="assets")
    why = (reason.strip() or DEFAULT_REASON)[:200]
    today = timezone.localdate()
    result = RenewalResult()
    ids = sorted({pk for v in given if (pk := object_id(v)) is not None})
    with transaction.atomic():
        # The case lock `request_control` takes, then the assets: a concurrent click waits, then sees
        # the request this one made as in flight.
        case_ids = Asset.objects.filter(pk__in=ids, case__court=court).values_list("case_id", flat=True)
        list(
            EnforcementCase.objects.select_for_update(no_key=True)
            .filter(pk__in=case_ids)
            .order_by("pk")
            .values("pk")
        )
        assets = {
            a.pk: a
            for a in Asset.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("case__court", "partner", "category")
            .order_by("pk")
        }
        busy = set(
            InquiryRequest.objects.filter(asset_id__in=ids, status__in=queries.IN_FLIGHT).values_list(
                "asset_id", flat=True
            )
        )
        records: list[dict[str, Any]] = []
        seen: set[int] = set()
        for value in given:
            pk = object_id(value)
            asset = assets.get(pk) if pk is not None else None
            if pk is not None and pk in seen:
                result.rows.append(RenewalRow(value, False, "重复选择，已按一项办理"))
                continue
            problem = _problem(actor, asset, busy, today)
            if problem or asset is None:
                known = asset is not None and problem != UNKNOWN
                result.rows.append(
                    RenewalRow(
                        value,
                        False,
                        problem or UNKNOWN,
                        case_number=asset.case.number if known and asset else "",
                        ref=asset.ref if known and asset else "",
                    )
                )
                continue
            seen.add(asset.pk)
            req = _renewal(actor, asset, why)
            busy.add(asset.pk)
            result.rows.append(
                RenewalRow(value, True, "续行请求已发送", req.pk, asset.case.number, asset.ref)
            )
            records.append(
                {
                    "action": "inquiry.renew.request",
                    "object_type": "InquiryRequest",
                    "object_id": req.pk,
                    "case_id": asset.case_id,
                    "after": {
                        "asset": asset.pk,
                        "ref": asset.ref,
                        "expires": asset.control_expires,
                        "reason": why,
                        "status": req.status,
                        "bulk": True,
                    },
                }
            )
        refused = [[r.asset, r.message] for r in result.refused]
        records.append(
            {
                "action": "inquiry.renew.bulk",
                "object_type": "Asset",
                "after": {"renewed": [r["after"]["asset"] for r in records], "refused": refused},
            }
        )
        audit.record_many(actor, records, court=court)
        if result.renewed:
            kick()
    return result


def _renewal(actor: Any, asset: Asset, reason: str) -> InquiryRequest:
    key = new_key()
    case = asset.case
    return InquiryRequest.objects.create(
        case=case,
        court_id=case.court_id,
        party_id=asset.party_id,
        partner=asset.partner,
        action=Action.RENEW,
        asset=asset,
        reason=reason,
        status=InquiryRequest.Status.PENDING,  # a renewal needs no approval (as a single renewal)
        idempotency_key=key,
        notice_number=f"{case.number}控{key[:8]}",
        due_at=timezone.now(),
        requested_by=actor,
    )
