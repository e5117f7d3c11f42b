"""Demo objections to a reference price (参考价异议, issue 19), run by `objections_demo` after `demo.seed`.

On the first basic court's seized assets that have no lot yet: one appraisal price reported yesterday
with a debtor's objection pending (its lot blocked), and one whose objection was upheld (the price set
aside through the consequence table: the asset needs a new price). And a lot already announced from an
online-inquiry price still in its objection window, suspended (中止拍卖) when the debtor objects to the
price (R-4.3.8). Through the services, audited.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhixing.auctions import demo as auctions_demo
from zhixing.auctions import services as auctions
from zhixing.auctions.models import Lot, ReferencePrice
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.courts.models import Staff
from zhixing.inquiry.models import Asset

from . import access, services
from .acts import file_act_objection
from .models import Objection

GROUNDS = [
    "评估报告将房屋建筑面积记载为89.5平方米，与不动产权证书记载的98.5平方米不符",
    "评估机构未到现场勘验，评估程序严重违法",
]


def seed(court_code: str = "粤0106") -> int:
    """Two valuation objections (pending, upheld); 0 when the court has no free seized asset."""
    staff = Staff.objects.filter(court__code=court_code, is_active=True)
    clerk = staff.filter(role="clerk").order_by("pk").first()
    deciders = list(staff.filter(role__in=access.DECIDER_ROLES).order_by("role", "pk")[: access.PANEL_MIN])
    if clerk is None or len(deciders) < access.PANEL_MIN:
        return 0
    busy = (
        set(Lot.objects.values_list("asset_id", flat=True))
        | set(ReferencePrice.objects.values_list("asset_id", flat=True))
        | set(Objection.objects.exclude(asset__isnull=True).values_list("asset_id", flat=True))
    )
    assets = [
        a
        for a in Asset.objects.filter(case__court__code=court_code, state=Asset.State.SEIZED)
        .exclude(party__isnull=True)
        .order_by("pk")[:80]
        if a.pk not in busy
    ][:2]
    today = timezone.localdate()
    judge = deciders[0]
    made = 0
    for i, asset in enumerate(assets):
        price = auctions.set_reference_price(
            judge,
            asset.pk,
            method="appraisal",
            amount="1280000" if i == 0 else "860000",
            started_on=today - timedelta(days=20),
            reported_on=today - timedelta(days=1),
            tried=["agreement", "directed", "online"],
            note="广州某房地产土地估价有限公司 粤评字（2026）第0106号",
        )
        obj = file_act_objection(
            clerk,
            asset.case,
            act_type="valuation",
            act_id=price.pk,
            party_id=asset.party_id,
            grounds=GROUNDS[i],
        )
        made += 1
        if i == 1:
            services.decide(
                judge, obj, upheld=True, panel_ids=[d.pk for d in deciders], reason="评估程序严重违法"
            )
    return made + _suspended_lot(court_code, clerk, judge)


def _suspended_lot(court_code: str, clerk: Staff, judge: Staff) -> int:
    """The announced lot suspended by the debtor's pending objection to its price (1; 0 without a case)."""
    case = (
        EnforcementCase.objects.filter(court__code=court_code, status__in=OPEN_STATUSES)
        .order_by("pk")
        .first()
    )
    if case is None:
        return 0
    lot = auctions_demo.announced_lot(
        judge, case, "海珠区某花园2栋1604房", f"演示-参考价异议中止-住宅-{case.pk}", "1350000"
    )
    assert lot.reference is not None
    file_act_objection(
        clerk,
        case,
        act_type="valuation",
        act_id=lot.reference.pk,
        party_id=lot.reference.asset.party_id,
        grounds="询价报告未考虑房屋已设定抵押及租赁的情况，财产基本情况记载错误",
    )
    return 1
