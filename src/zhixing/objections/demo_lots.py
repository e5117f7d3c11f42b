"""Demo lots a third-party objection acts on (issue 19; run by `objections.demo.seed`): one lot in
bidding suspended by a pending online objection (中止拍卖), and one suspended and resumed when its
objection was withdrawn (恢复拍卖, 网拍规定 Art 28) — both through the services, audited."""

from __future__ import annotations

from typing import Any

from zhixing.auctions import demo as auctions_demo
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.courts.models import Staff

from . import services

LOTS = [
    ("suspended", "越秀区某广场2层商铺", "演示-异议中止-商铺", "2100000"),
    ("resumed", "荔湾区某苑5栋903房", "演示-异议恢复-住宅", "1500000"),
]


def seed(court_code: str, clerk: Staff, judge: Staff, objectors: list[tuple[str, str, str]]) -> int:
    """Make the two lots; `objectors` gives (name, ID number, claim) not a party of any demo case."""
    cases = list(
        EnforcementCase.objects.filter(court__code=court_code, status__in=OPEN_STATUSES)
        .prefetch_related("parties")
        .order_by("-filed_on", "-pk")[: len(LOTS) * 3]
    )
    made = 0
    for (state, title, ref, worth), case in zip(LOTS, cases[::3], strict=False):
        name, number, claim = objectors[made % len(objectors)]
        if number in {p.id_number or p.credit_code for p in case.parties.all()}:
            continue
        lot: Any = auctions_demo.live_lot(judge, case, title, f"{ref}-{case.pk}", worth)
        data = services.ObjectorData(name, number, claim, "有买卖合同、付款凭证及交房记录为证", "13900000000")
        obj = services.file_third_party(None if state == "suspended" else clerk, case, lot.asset_id, data)
        if state == "resumed":
            services.withdraw(judge, obj, "异议人与申请执行人协商后书面申请撤回异议")
        made += 1
    return made
