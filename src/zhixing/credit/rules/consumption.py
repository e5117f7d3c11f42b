"""The consumption restriction (限制消费规定): the nine items, screening codes, lifting, a unit's
legal representative, approved private consumption."""

from __future__ import annotations

import functools
from datetime import date


# -- a unit's change of legal representative (限制消费规定 Art 3(2); 善意文明执行意见 Art 17) -------------
def legal_rep_change(unit_restricted: bool, former_released: bool) -> tuple[bool, bool]:
    """(restrict the new representative, lift the former's restriction) on a recorded change.

    # rule: R-3.4.13

    Art 3(2): while the unit is restricted, its legal representative may not consume — the office, so the
    new holder is restricted from the change. Art 17: the former is released only on their application
    with proof that they are neither the actual controller nor the person directly responsible (the
    court's finding is `former_released`); otherwise the former stays restricted too.
    """
    if not unit_restricted:
        return False, False
    return True, former_released


# -- 限制消费规定 Art 1(2) over Art 9: a listed debtor stays restricted --------------------------------------
# Art 9 lets the court lift a restriction on a guarantee or the applicant's consent ("可以"); Art 1(2) says a
# debtor on the dishonest list must ("应当") be restricted. So the discretionary lifts do not reach the
# restriction a listing imposed while that listing is active: the listing is deleted first (Art 10, or
# early under Art 2(2)), which lifts nothing by itself, and the restriction may then be lifted.
DISCRETIONARY_LIFTS = ("guarantee", "applicant_consent")


def listed_lift_refusal(kind: str, listing_active: bool, trigger: str) -> str:
    """Why a consumption restriction of an active listing may not be lifted on `trigger` ("" if it may).

    # rule: R-3.4.15
    """
    if kind != "consumption" or not listing_active or trigger not in DISCRETIONARY_LIFTS:
        return ""
    return (
        "被执行人仍在失信被执行人名单中，应当限制消费（限制消费规定第1条第2款），不能因提供担保或申请执行人同意"
        "而解除；请先删除失信信息"
    )


# rule: — the nine items of 限制消费规定 Art 3(1) and the screening codes partners act on
# -- consumption restriction (限制消费规定 Art 3(1)): nine items ---------------------------------------
CONSUMPTION_ITEMS: dict[int, str] = {
    1: "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
    2: "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
    3: "购买不动产或者新建、扩建、高档装修房屋",
    4: "租赁高档写字楼、宾馆、公寓等场所办公",
    5: "购买非经营必需车辆",
    6: "旅游、度假",
    7: "子女就读高收费私立学校",
    8: "支付高额保费购买保险理财产品",
    9: "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
}

# Screening codes: what a partner can actually refuse. Item 1 mixes three carriers, so it is split.
CODE_BITS: dict[str, int] = {
    "flight": 1 << 0,
    "soft_sleeper": 1 << 1,
    "ship": 1 << 2,
    "hotel": 1 << 3,
    "realty": 1 << 4,
    "office": 1 << 5,
    "vehicle": 1 << 6,
    "travel": 1 << 7,
    "school": 1 << 8,
    "insurance": 1 << 9,
    "hsr": 1 << 10,
    "exit": 1 << 11,  # exit restriction: international flights and border control
    "blacklist": 1 << 12,  # on the published dishonest list (procurement, credit, market access, hiring)
}
CODE_LABELS: dict[str, str] = {
    "flight": "限制乘坐飞机",
    "soft_sleeper": "限制乘坐列车软卧",
    "ship": "限制乘坐轮船二等以上舱位",
    "hotel": "限制在星级以上宾馆酒店等场所高消费",
    "realty": "限制购买不动产",
    "office": "限制租赁高档场所办公",
    "vehicle": "限制购买非经营必需车辆",
    "travel": "限制旅游、度假",
    "school": "限制子女就读高收费私立学校",
    "insurance": "限制购买高额保险理财产品",
    "hsr": "限制乘坐高铁及动车组一等以上座位",
    "exit": "限制出境",
    "blacklist": "失信被执行人",
}
ITEM_CODES: dict[int, tuple[str, ...]] = {
    1: ("flight", "soft_sleeper", "ship"),
    2: ("hotel",),
    3: ("realty",),
    4: ("office",),
    5: ("vehicle",),
    6: ("travel",),
    7: ("school",),
    8: ("insurance",),
    9: ("hsr",),
}

# Which codes each partner kind may see (its business, and nothing more).
PARTNER_CODES: dict[str, tuple[str, ...]] = {
    "airline": ("flight", "exit"),
    "railway": ("soft_sleeper", "hsr"),
    "hotel": ("hotel", "travel"),
    "market": ("blacklist",),
    "bank": ("blacklist", "insurance", "realty", "vehicle"),
    "recruitment": ("blacklist",),
    "media": (),
    # 出境入境管理法 Art 12(3): the border inspection refuses exit; it sees the exit restriction only.
    "border": ("exit",),
}

ALL_ITEMS = tuple(CONSUMPTION_ITEMS)


def mask_of(codes: tuple[str, ...] | list[str] | set[str]) -> int:
    out = 0
    for c in codes:
        out |= CODE_BITS[c]
    return out


def items_mask(items: list[int] | tuple[int, ...]) -> int:
    """Screening mask of a consumption restriction covering `items` (numbers 1–9)."""
    return mask_of([c for i in items for c in ITEM_CODES[i]])


def partner_mask(kind: str) -> int:
    return mask_of(PARTNER_CODES.get(kind, ()))


@functools.lru_cache(maxsize=4096)
def codes_of(mask: int) -> tuple[str, ...]:
    """The screening codes set in `mask`, in CODE_BITS order (cached: a hot path of batch screening)."""
    return tuple(c for c, bit in CODE_BITS.items() if mask & bit)


# -- private / necessary consumption (限制消费规定 Arts 3(2), 8) ----------------------------------------
def private_window_state(valid_from: date, valid_until: date, today: date) -> str:
    """Where an approved consumption window stands today: pending, applied (both ends inclusive), ended.

    # rule: R-3.4.2
    """
    if today < valid_from:
        return "pending"
    return "applied" if today <= valid_until else "ended"


def private_codes_refusal(
    items: list[int], codes: list[str], valid_from: date | None, valid_until: date | None
) -> tuple[str, str]:
    """(field, message) why an approved consumption window cannot be granted as asked, or ("", "").

    Only codes the restriction actually sets may be freed (never exit or the dishonest-list code: they
    are not consumption), and a window needs both ends in order."""
    if not codes:
        return "", ""
    allowed = set(codes_of(items_mask(items)))
    bad = [c for c in codes if c not in allowed]
    if bad:
        return "codes", f"准许事项不属于本限制消费令的限制范围：{'、'.join(bad)}"
    if valid_from is None or valid_until is None:
        return ("valid_from" if valid_from is None else "valid_until"), "请填写准许消费的起止日期"
    if valid_until < valid_from:
        return "valid_until", "准许截止日不能早于起始日"
    return "", ""
