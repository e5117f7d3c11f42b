"""Where an analysis lead goes (pure: no Django, no ORM).

A lead's kind decides the partner category that can verify it by a targeted query (财产调查规定 Art 2:
the court verifies a concrete lead the applicant or the analysis supplies; CPL-2023 Art 253: inquiry of
deposits, securities, real estate, vehicles and other property through the network). A kind no partner
category covers is verified in the field: a 财产线索核查 node due in 7 days, 3 if urgent (财产调查规定
Art 2, rules.md §2.2). The routes are data: a court whose network has no vehicle register simply finds
no partner and the vehicle lead goes to the field.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# kind → (partner category code, why this register); None: no register covers it, field verification.
ROUTES: dict[str, tuple[str | None, str]] = {
    "vehicle": ("vehicle", "车辆线索：向公安机关交通管理部门定向查询车辆登记（民诉法第253条）"),
    "real_estate": ("real_estate", "不动产线索：向不动产登记机构定向查询（民诉法第253条）"),
    "employer": ("social_insurance", "工作单位线索：查询社保缴纳单位以核实收入（民诉法第253条、第254条）"),
    "securities": ("securities", "证券线索：向证券登记结算机构定向查询（民诉法第253条）"),
    "insurance": ("insurance", "保险线索：查询保单信息（民诉法第253条）"),
    "rent": (None, "租住房屋线索：须实地核查居住及财产情况"),
    "payee": (None, "定期收款人线索：须实地核查与收款人的关系及财产去向"),
}

# Kinds no register covers: following them always opens a field verification.
FIELD_KINDS = tuple(kind for kind, (category, _) in ROUTES.items() if category is None)

# 财产调查规定 Art 2 (2017, revised 2020): verify a concrete lead within 7 days, 3 if urgent (rules.md §2.2).
FIELD_NODE = {False: "verify_lead", True: "verify_lead_urgent"}
FIELD_DAYS = {False: 7, True: 3}
FIELD_BASIS = (
    "《最高人民法院关于民事执行中财产调查若干问题的规定》第二条："
    "收到具体财产线索后7日内核查，情况紧急的3日内核查"
)

# How a payee's lead type names the kind of lead (labels come from the rule set's `lead_types`).
KIND_OF_TYPE: dict[str, str] = {
    "车贷": "vehicle",
    "房贷": "real_estate",
    "物业费": "real_estate",
    "保险费": "insurance",
    "证券": "securities",
    "房租": "rent",
}

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# A mainland plate: province character, issuing-office letter, 5 characters (6 for new-energy plates).
PLATE = re.compile(rf"[{PROVINCES}][A-HJ-NP-Z][A-HJ-NP-Z0-9]{{5,6}}")
VEHICLE_MARKERS = re.compile(r"ETC|通行费|停车|加油|车险|洗车|保养|年检|违章|路费|充电")


def route(kind: str) -> tuple[str | None, str]:
    """(category code or None for field verification, the reason stated on the request)."""
    return ROUTES.get(kind, (None, "须实地核查"))


def kind_of(lead_type: str) -> str:
    return KIND_OF_TYPE.get(lead_type, "payee")


def plate_in(*texts: str) -> str:
    """The first licence plate written in a statement line (ETC toll, parking, fuel...), or ""."""
    for t in texts:
        m = PLATE.search(t or "")
        if m:
            return m.group(0)
    return ""


@dataclass(frozen=True)
class Line:
    """One statement line as the vehicle scan needs it."""

    id: int
    month: str  # YYYY-MM
    amount: Decimal  # signed; spending is negative
    texts: tuple[str, ...]


def vehicle_leads(lines: list[Line], min_lines: int = 2) -> list[dict[str, Any]]:
    """Plates the debtor pays tolls, parking or fuel for: one lead per plate seen on `min_lines` lines.

    A plate on a toll or parking line says the debtor uses (and probably owns) that car, which the
    vehicle register can confirm by plate.
    """
    seen: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        plate = plate_in(*line.texts)
        if plate and any(VEHICLE_MARKERS.search(t or "") for t in line.texts):
            seen[plate].append(line)
    out = []
    for plate, rows in sorted(seen.items()):
        if len(rows) < min_lines:
            continue
        out.append(
            {
                "counterparty": f"车辆 {plate}",
                "account": "",
                "lead_type": "车辆",
                "kind": "vehicle",
                "target": plate,
                "months": len({r.month for r in rows}),
                "total": str(sum((-r.amount for r in rows if r.amount < 0), Decimal("0"))),
                "ids": [r.id for r in rows],
            }
        )
    return out


def employer_leads(regular_income: list[dict[str, Any]], is_org: Any) -> list[dict[str, Any]]:
    """Organisations paying the debtor regularly (a salary): a lead to the social-insurance register."""
    out = []
    for r in regular_income:
        name = str(r.get("counterparty") or "")
        if not name or not is_org(name):
            continue
        out.append(
            {
                "counterparty": name,
                "account": str(r.get("account") or ""),
                "lead_type": "工资收入",
                "kind": "employer",
                "target": name[:64],
                "months": int(r.get("months") or 0),
                "total": str(
                    Decimal(str(r.get("total") or r.get("avg_amount") or 0)).quantize(Decimal("0.01"))
                ),
                "ids": list(r.get("ids") or []),
            }
        )
    return out
