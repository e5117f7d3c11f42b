"""Demo objections in every state on the first basic court's controlled assets (run by `seed_demo`).

States: pending (online, and one at the counter whose review is overdue), upheld, rejected and not yet
served, rejected with the suit window open, rejected with the window run out, a suit pending, withdrawn;
a retrial application pending and an interested person's online objection (`demo_outcomes`).
All through the services (audited); only the dates of the past are moved afterwards, with one audited
demo record, so every clock shows a realistic state today.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.core import audit
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Staff
from zhixing.inquiry.models import Asset

from . import access, rules, services
from .models import Objection

OBJECTORS = [
    ("李秀英", "440106198503150026", "该房屋系本人于2024年购买，已付清全部价款并实际居住，仅未办理过户登记"),
    ("王建国", "440104197708080017", "该车辆系本人所有，借给被执行人使用"),
    ("陈美玲", "440106199012120048", "该账户内资金系本人委托被执行人代收的货款"),
    ("广州某贸易有限公司", "91440101MA5CXXXX8U", "该设备系本公司出租给被执行人"),
    ("赵丽", "440106198807070027", "该房屋系本人与被执行人离婚时分得"),
    ("孙强", "440103198201010019", "该车辆已由本人购买并支付价款"),
    ("周芳", "440106199305050025", "账户资金为本人工资代发款"),
]
STATES = [
    "pending",
    "overdue",
    "upheld",
    "rejected_unserved",
    "window_open",
    "window_over",
    "suit",
    "withdrawn",
]


def _ids() -> list[str]:
    """Valid ID numbers for the demo objectors (check digits computed, never a real person's)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    out = []
    for i, (_, raw, _) in enumerate(OBJECTORS):
        if raw.startswith("9"):
            out.append("91440101MA5CX12346")  # a valid unified social credit code (demo company)
            continue
        body = raw[:14] + f"{600 + i:03d}"
        total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
        out.append(body + "10X98765432"[total % 11])
    return out


def seed(court_code: str = "粤0106") -> int:
    """Make the demo objections; returns how many (0 when the court has too few controlled assets)."""
    judges = list(
        Staff.objects.filter(court__code=court_code, role__in=access.DECIDER_ROLES, is_active=True).order_by(
            "role", "pk"
        )
    )
    clerk = Staff.objects.filter(court__code=court_code, role="clerk").first()
    if len(judges) < access.PANEL_MIN or clerk is None:
        return 0
    judge = judges[0]
    panel = [j.pk for j in judges[: access.PANEL_MIN]]
    used = set(Objection.objects.values_list("asset_id", flat=True))
    assets = [
        a
        for a in Asset.objects.filter(
            case__court__code=court_code,
            state__in=(Asset.State.SEIZED, Asset.State.FROZEN, Asset.State.QUEUED),
        )
        .select_related("case", "case__court")
        .order_by("kind", "pk")[:60]
        if a.pk not in used
    ]
    # Prefer houses (the flat of the scenario) then the rest; each state on its own asset.
    assets.sort(key=lambda a: (a.kind != Asset.Kind.HOUSE, a.pk))
    ids = _ids()
    today = timezone.localdate()
    cal = current_calendar()
    made = 0
    for i, (state, asset) in enumerate(zip(STATES, assets, strict=False)):
        name, _, claim = OBJECTORS[i % len(OBJECTORS)]
        number = ids[i % len(ids)]
        if number in {p.id_number or p.credit_code for p in asset.case.parties.all()}:
            continue
        data = services.ObjectorData(
            name, number, claim, "有购房合同、付款凭证及物业缴费记录为证", "13800000000"
        )
        if state == "pending":
            services.file_third_party(None, asset.case, asset.pk, data)
            made += 1
            continue
        received = today - timedelta(days=20 if state in ("overdue", "window_over", "suit") else 6)
        obj = services.file_third_party(clerk, asset.case, asset.pk, data, received_on=received)
        made += 1
        if state == "overdue":
            continue
        if state == "withdrawn":
            services.withdraw(judge, obj, "异议人书面申请撤回异议")
            continue
        obj = services.decide(
            judge,
            obj,
            upheld=state == "upheld",
            panel_ids=panel,
            reason="异议人提交的证据不足以证明其对该财产享有足以排除强制执行的权益"
            if state != "upheld"
            else "异议人已支付全部价款并合法占有，对该房屋享有足以排除强制执行的民事权益",
        )
        if state == "rejected_unserved":
            continue
        served = today - timedelta(days=4 if state in ("window_open", "upheld") else 18)
        with transaction.atomic():
            # The ruling was made and served in the past: move the demo dates (audited as a demo write).
            Objection.objects.filter(pk=obj.pk).update(
                decided_on=received + timedelta(days=10 if state != "window_over" else 17),
                served_on=served,
                suit_due=rules.suit_due(served, cal),
            )
            audit.record(
                None,
                "objections.demo",
                object_type="objections.Objection",
                object_id=obj.pk,
                case_id=obj.case_id,
                after={"served_on": served},
                court=obj.court,
            )
        if state == "suit":
            obj.refresh_from_db()
            services.record_suit(
                judge, obj, filed_on=served + timedelta(days=5), number="（2026）粤0106民初8801号"
            )
    used |= {a.pk for a in assets[: len(STATES)]}
    made += _acts(court_code, clerk, judge, panel, used)
    from . import demo_lots, demo_notices  # issue 19: notices, ruling service and interested persons

    made += demo_notices.seed(court_code, clerk, judge, used | _act_assets(court_code))
    # issue 19: a lot suspended by a pending objection and one resumed after the withdrawal
    made += demo_lots.seed(
        court_code, clerk, judge, [(n, i, c) for (n, _, c), i in zip(OBJECTORS, ids, strict=True)]
    )
    from . import demo_outcomes  # issue 19: a retrial pending, an interested person's online objection

    return made + demo_outcomes.seed(court_code, clerk, judge, panel)


def _act_assets(court_code: str) -> set[int]:
    return set(
        Objection.objects.filter(court__code=court_code, kind=Objection.Kind.ACT)
        .exclude(asset__isnull=True)
        .values_list("asset_id", flat=True)
    )


ACT_STATES = [
    "pending_online",  # filed by the debtor on the party portal, under review
    "pending",  # filed at the counter, under review
    "upheld",  # upheld: the freeze released through the consequence table
    "rejected_unserved",  # ruled, not yet served
    "review_window",  # served, the 10-day 复议 window running
    "review_pending",  # 复议 at the higher court, its clock running
    "review_decided",  # the higher court rejected the 复议
    "review_overturned",  # the higher court set the ruling aside: the act undone (consequence table)
    "review_overdue",  # 复议 filed seven weeks ago, the higher court's 30 days run out (red on its page)
]


def _act_grounds(state: str, act_type: str = "freeze") -> str:
    if act_type == "seizure":
        return "查封的财产价值明显超过执行标的及执行费用"
    if act_type == "listing":
        return "被执行人并无拒不履行的情形，不应纳入失信名单"
    if state in ("pending_online", "upheld"):
        return "冻结的账户为社会保障金专用账户，依法不得冻结"
    return "冻结数额超过生效法律文书确定的数额"


def _serve_in_past(obj: Objection, received: Any, served: Any) -> None:
    with transaction.atomic():
        # The ruling was made and served in the past: move the demo dates (audited as a demo write).
        Objection.objects.filter(pk=obj.pk).update(
            decided_on=received + timedelta(days=8),
            served_on=served,
            review_due=rules.review_filing_due(served, current_calendar()),
        )
        audit.record(
            None,
            "objections.demo",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"served_on": served},
            court=obj.court,
        )
    obj.refresh_from_db()


def _acts(court_code: str, clerk: Staff, judge: Staff, panel: list[int], used: set[int]) -> int:
    """Objections to an act (CPL-2023 Art 236) in every state (ACT_STATES), each on its own freeze,
    plus a dishonest listing revoked by an upheld objection (the debtor concerned objects)."""
    from zhixing.credit.models import Listing

    from .acts import decide_review, file_act_objection, file_review

    today = timezone.localdate()
    # Freezes first; when the court has fewer free freezes than states (the demo walk found only the
    # two pending ones, so no 复议 reached the higher court), seizures of vehicles and houses follow.
    controlled = [
        a
        for a in Asset.objects.filter(
            case__court__code=court_code, state__in=(Asset.State.FROZEN, Asset.State.SEIZED)
        )
        .select_related("case")
        .order_by("pk")[:120]
        if a.pk not in used and a.party_id is not None
    ]
    controlled.sort(key=lambda a: (a.state != Asset.State.FROZEN, a.pk))
    targets: list[tuple[str, int, int, Any]] = [
        ("freeze" if a.state == Asset.State.FROZEN else "seizure", a.pk, a.party_id, a.case)
        for a in controlled
    ]
    # Then the oldest plain listings (the other demos show the newest): on a given date the court may
    # hold too few free controls for every state (the auctions demo's seizures come later).
    if len(targets) < len(ACT_STATES):
        old = (
            Listing.objects.filter(
                case__court__code=court_code, status=Listing.Status.ACTIVE, removal_due=None
            )
            .exclude(performance__startswith="部分履行")
            .select_related("case")
            .order_by("pk")[: len(ACT_STATES) - len(targets)]
        )
        targets += [("listing", x.pk, x.party_id, x.case) for x in old]
    if len(targets) < len(ACT_STATES):
        # still short: a flat of an open case's debtor, seized as the objections demo's other flats are
        from zhixing.cases.models import OPEN_STATUSES, EnforcementCase

        from .demo_outcomes import _flat

        busy = {t[3].pk for t in targets}
        for case in (
            EnforcementCase.objects.filter(
                court__code=court_code, status__in=OPEN_STATUSES, parties__role="debtor"
            )
            .distinct()
            .order_by("pk")[:40]
        ):
            if len(targets) >= len(ACT_STATES):
                break
            if case.pk in busy:
                continue
            flat = _flat(case, f"粤（{today.year - 1}）广州市不动产权第0107{len(targets):03d}号")
            targets.append(("seizure", flat.pk, flat.party_id, case))
            busy.add(case.pk)
    made = 0
    for state, (act_type, act_id, party_id, case) in zip(ACT_STATES, targets, strict=False):
        days = {"pending_online": 0, "pending": 2, "review_overdue": 70}.get(state, 12)
        received = today - timedelta(days=days)
        obj = file_act_objection(
            None if state == "pending_online" else clerk,
            case,
            act_type=act_type,
            act_id=act_id,
            party_id=party_id,
            grounds=_act_grounds(state, act_type),
            received_on=None if state == "pending_online" else received,
        )
        made += 1
        if state.startswith("pending"):
            continue
        upheld = state == "upheld"
        obj = services.decide(
            judge,
            obj,
            upheld=upheld,
            panel_ids=panel,
            reason="该账户系社会保障金专用账户，冻结违反法律规定"
            if upheld
            else "控制措施的数额未超过执行标的",
        )
        if state in ("upheld", "rejected_unserved"):
            continue
        served = today - timedelta(days=58 if state == "review_overdue" else 3)
        _serve_in_past(obj, received, served)
        if state == "review_window":
            continue
        # the overdue 复议 was filed five days after service, its 30-day clock long run out
        file_review(judge, obj, filed_on=served + timedelta(days=5) if state == "review_overdue" else today)
        if state in ("review_decided", "review_overturned") and obj.court.parent_id is not None:
            higher = Staff.objects.filter(
                court_id=obj.court.parent_id, role__in=access.DECIDER_ROLES, is_active=True
            ).first()
            if higher is not None:
                obj.refresh_from_db()
                decide_review(higher, obj, upheld=state == "review_overturned")
    listing = (
        # The newest plain listing: the ones other demos show (part performance, notices) are older.
        Listing.objects.filter(case__court__code=court_code, status=Listing.Status.ACTIVE)
        .exclude(performance__startswith="部分履行")
        .select_related("case")
        .order_by("-pk")
        .first()
    )
    if listing is not None:
        obj = file_act_objection(
            clerk,
            listing.case,
            act_type="listing",
            act_id=listing.pk,
            party_id=listing.party_id,
            grounds="被执行人已提供足额担保，不应纳入失信名单",
            received_on=today - timedelta(days=5),
        )
        services.decide(judge, obj, upheld=True, panel_ids=panel, reason="被执行人已提供足额担保")
        made += 1
    return made


def describe(made: int) -> str:
    return f"执行异议演示 {made} 件"
