"""Demo data for the public portal's features (seed_demo): every state of tips, rewards and petitions,
query codes, and published rulings — built through the services, then dated back where a state needs
time to have passed (an overdue tip or petition).

Tip and reward texts carry identifiers in clear on purpose (a phone, a street address), so the privacy
crawler (tests/portal/test_public_privacy.py) has something to find if a public page ever leaked them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhixing.cases.choices import CaseStatus
from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import ServiceError
from zhixing.courts.roles import Role
from zhixing.documents.models import Document
from zhixing.funds import payable

from . import demo_rewards, petitions_services, public_codes, public_rulings, rewards, tips_services
from .models import Petition, RewardOffer, Tip

REWARD_OFFERED = Decimal("5000.00")
REWARD_PAID = demo_rewards.AMOUNT
# A tip's content as a member of the public would type it: a phone and a street address in clear.
LEAK_BAIT = (
    "被执行人常住广州市天河区体育西路123号5栋2单元301室，手机13912345678，名下有一辆白色轿车停在小区车库。"
)


def _tip(case: EnforcementCase, kind: str, text: str, n: int) -> Tip:
    return tips_services.submit(
        tips_services.TipData(
            case_number=case.number,
            kind=kind,
            content=text,
            reporter_name=f"热心群众{n}",
            reporter_phone=f"1380013{n:04d}",
        )
    )


def seed() -> dict[str, int]:
    """Write the demo rows; returns counts by kind (for the command's message and the demo test)."""
    cases = list(
        EnforcementCase.objects.select_related("court", "handler")
        .filter(status=CaseStatus.IN_PROGRESS, handler__isnull=False)
        .order_by("court_id", "pk")[:40]
    )
    if len(cases) < 4:
        return {}
    court_id = cases[0].court_id
    cases = [c for c in cases if c.court_id == court_id] or cases
    # Cases whose handler is a judge and whose applicant money can bear a reward: paid, paying,
    # reopened, withdrawn (demo_rewards), the paid one first.
    moneyed = [
        x
        for x in EnforcementCase.objects.select_related("court", "handler")
        .filter(status=CaseStatus.IN_PROGRESS, handler__isnull=False, handler__role=Role.JUDGE)
        .order_by("-pk")[:400]
        if payable.payable_breakdown(x).payable >= REWARD_PAID
    ][:4]
    others = [c for c in cases if c not in moneyed]
    a, b, c = others[0], others[1], others[2]
    for case in [a, b, c, *moneyed]:
        public_codes.issue(case.handler, case)
    # Tips: new (in time), new (overdue), acted, closed (useless), and on the paid case closed (recovered).
    _tip(a, Tip.Kind.WHEREABOUTS, LEAK_BAIT, 1)
    late = _tip(a, Tip.Kind.ASSETS, "被执行人在本市某商场经营一家服装店，每日营业。", 2)
    Tip.objects.filter(pk=late.pk).update(
        received_at=timezone.now() - timedelta(days=30), due_on=timezone.localdate() - timedelta(days=10)
    )
    acted = _tip(b, Tip.Kind.ASSETS, "被执行人近期在某汽车销售公司购买新车。", 3)
    tips_services.act(b.handler, acted.pk, "已向车辆管理部门查询，待反馈")
    useless = _tip(b, Tip.Kind.WHEREABOUTS, "听说被执行人去外地打工了。", 4)
    tips_services.act(b.handler, useless.pk, "经走访核实，线索不属实")
    tips_services.close(b.handler, useless.pk, Tip.Outcome.USELESS)
    rewards.offer(
        a.handler,
        a,
        amount=REWARD_OFFERED,
        terms="对提供被执行人可供执行财产线索并执行到位者，按到位金额给予悬赏",
    )
    rewarded = demo_rewards.seed(moneyed)
    paid = rewarded.get(RewardOffer.Status.PAID, 0)

    # Petitions: open (in time), answered on time, overdue (open, past due), answered late.
    def petition(case: EnforcementCase, n: int, text: str) -> Petition:
        return petitions_services.register(
            None,
            petitions_services.PetitionData(case.number, f"信访人{n}", f"1370013{n:04d}", text),
        )

    petition(a, 1, "申请执行人反映案件立案已两个月，尚未见到财产查控结果。")
    on_time = petition(b, 2, "请求法院尽快对被执行人名下车辆采取查封措施。")
    petitions_services.answer(on_time.routed_to, on_time.pk, "已于近日对车辆办理查封，详见案件进度。")
    overdue = petition(c, 3, "被执行人称法院冻结了其工资卡全部余额，影响基本生活。")
    Petition.objects.filter(pk=overdue.pk).update(
        received_on=timezone.localdate() - timedelta(days=60),
        due_on=timezone.localdate() - timedelta(days=15),
    )
    answered_late = petition(c, 4, "反映执行款迟迟未发放。")
    Petition.objects.filter(pk=answered_late.pk).update(
        received_on=timezone.localdate() - timedelta(days=70),
        due_on=timezone.localdate() - timedelta(days=20),
    )
    petitions_services.answer(answered_late.routed_to, answered_late.pk, "执行款已于本周发放。")
    # Rulings: publish up to three made on the demo cases, by their handlers.
    published = 0
    for doc in (
        Document.objects.filter(kind__in=public_rulings.PUBLISHABLE)
        .select_related("case__handler")
        .order_by("pk")[:3]
    ):
        handler: Any = doc.case.handler
        if handler is None:
            continue
        try:
            public_rulings.publish(handler, doc.pk)
            published += 1
        except ServiceError:
            continue
    return {
        "tips": 4 + sum(v for k, v in rewarded.items() if k != RewardOffer.Status.WITHDRAWN),
        "rewards_paid": paid,
        "rewards": 1 + sum(rewarded.values()),
        "petitions": 4,
        "rulings": published,
    }
