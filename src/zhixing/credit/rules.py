"""Pure legal arithmetic for credit punishment: grounds, terms, grace periods, removal due dates.

No ORM. Sources (rules.md §3): 失信规定 (法释〔2017〕7号) Arts 1–12; 限制消费规定 (2015) Arts 1–9;
执行程序解释 Arts 23–25 (exit restriction); 善意文明执行意见 (法发〔2019〕35号) for the grace period.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from zhixing.core import service_of_documents as _service
from zhixing.core.money import yuan
from zhixing.core.workdays import WorkCalendar

# rule: — the six listing situations (失信规定 Art 1)
# -- listing grounds (失信规定 Art 1) -------------------------------------------------------------------
GROUNDS: dict[int, str] = {
    1: "有履行能力而拒不履行生效法律文书确定义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}
GROUND_CHOICES = [(k, f"第{k}项：{v}") for k, v in GROUNDS.items()]

# -- Art 3: when a debtor must not be listed under item (1) (有履行能力而拒不履行) -----------------------
# (ii) is read from the asset register (the case's controlled total against what it still owes); the
# judge confirms what the record cannot know: (i), (iii) and (iv). Field names are the listing's.
GROUND1_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "guarantee": ("guarantee_confirmed", "被执行人未提供充分有效担保（失信规定第3条第1项）"),
    "controlled": ("", "已查封、扣押、冻结的财产不足以清偿生效法律文书确定的债务（失信规定第3条第2项）"),
    "order": ("order_confirmed", "被执行人的履行顺序不在后，依法可对其强制执行（失信规定第3条第3项）"),
    "other": ("ability_confirmed", "不存在其他不属于有履行能力而拒不履行的情形（失信规定第3条第4项）"),
}
# rule: — Art 3 (i)–(iv)
GROUND1_JUDGE_CONFIRMS = tuple(f for f, _ in GROUND1_EXCEPTIONS.values() if f)


def controlled_covers(controlled: Decimal, owed: Decimal) -> bool:
    """Art 3(ii): property already seized, frozen or deducted suffices to pay what the case still owes."""
    return controlled >= owed


def ground1_refusal(controlled: Decimal, owed: Decimal) -> str:
    """The refusal the judge sees when the register answers Art 3(ii) (figures in yuan, 2 places)."""
    return (
        f"已控制财产 {yuan(controlled)} 元 / 尚欠 {yuan(owed)} 元：已查封、扣押、冻结的财产足以清偿，"
        "不得以第1项情形（有履行能力而拒不履行）纳入失信名单（失信规定第3条第2项）"
    )


BASE_TERM_YEARS = 2  # Art 2(1): grounds (2)–(6)
MAX_EXTENSION_YEARS = 3  # Art 2(1): extended by 1–3 years for serious cases
APPLICATION_DECISION_DAYS = 15  # Art 5(2): decide within 15 days of receiving the application
REMOVAL_WORKDAYS = 3  # Art 10: delete within 3 working days
CORRECTION_REVIEW_DAYS = 15  # Art 12: review within 15 days
CORRECTION_FIX_WORKDAYS = 3  # Art 12: correct within 3 working days
RECONSIDERATION_DAYS = 10  # Art 12 / 执行异议复议规定 Art 9: 10 days to ask the higher court
GRACE_MONTHS = (0, 1, 2, 3)  # 善意文明执行意见: a 1–3-month grace period is optional
# The 1–3 months are read in a secondary source only ([P20], rules.md §3.3), so the longest grace a court
# may give is configuration: ZHIXING_CREDIT_DECISIONS["grace_months_max"] (default 3; 0 = no grace).
GRACE_MONTHS_MAX = 3
GRACE_MONTHS_CEILING = 12  # no setting may make the grace longer than a year (a sanity bound, not law)

# -- removal triggers (Art 10(1)) plus term expiry (Art 10(2)) and wrongful listing (Art 9) ------------
REMOVAL_TRIGGERS: dict[str, str] = {
    "performed": "被执行人已履行全部义务或已执行完毕",
    "settlement": "执行和解协议已履行完毕",
    "applicant_request": "申请执行人书面申请删除且人民法院准许",
    "dormant_no_assets": "终结本次执行程序后两次网络查询均未发现财产且无人提供有效线索",
    "suspended": "因审判监督或破产程序中止执行",
    "non_enforcement": "人民法院裁定不予执行",
    "termination": "人民法院裁定终结执行",
    "expired": "失信期限届满",
    "wrongful": "不应纳入失信名单（撤销）",
    # 销案 is not an Art 10(1) ground; the consequence table (zhixing.measures) makes it configurable.
    "case_cancelled": "案件已销案",
    "early": "被执行人积极履行或主动纠正失信行为，提前删除",
}

# Art 10(1)(5): a case suspended because of retrial (审判监督) or bankruptcy — the suspension grounds the
# cases domain records for them (`Suspension.Ground`).
SUSPENSION_TRIGGER_GROUNDS = ("retrial", "bankruptcy")
# Art 10(1)(4): after 终本, at least two network inquiries found no property.
DORMANT_EMPTY_ROUNDS = 2

# -- Art 8: whom the court notifies of a listing (失信规定 Art 8, 2017 text; rules.md §3.3) ----------------
# Paras 2–4: the credit-reporting agencies always; a state functionary's employer; a state organ's or a
# state-owned enterprise's superior / competent department. The same recipients are told of a deletion
# (UNCONFIRMED as an article: docs/rules-additions.md "Art 8 notices"; `notify_removal` setting).
NOTICE_EVENTS: dict[str, str] = {
    "listed": "纳入失信名单",
    "updated": "公布信息变更",
    "removed": "删除失信信息",
}
RECIPIENT_KINDS: dict[str, str] = {
    "credit_bureau": "征信机构",
    "employer": "公职人员所在单位",
    "superior": "上级单位或主管部门",
}
UNIT_NATURES: dict[str, str] = {
    "": "其他单位",
    "state_organ": "国家机关",
    "public_institution": "事业单位",
    "soe": "国有企业",
}
# rules.md §3.3 names state organs and SOEs; 事业单位 only the full Art 8(4) text I recall (UNCONFIRMED),
# so it is a setting (`ZHIXING_CREDIT_NOTICES["superior_natures"]`) with this default.
SUPERIOR_NATURES = ("state_organ", "public_institution", "soe")


def notice_recipient_kinds(
    kind: str, state_functionary: bool, unit_nature: str, superior_natures: tuple[str, ...] = SUPERIOR_NATURES
) -> tuple[str, ...]:
    """Art 8: who must be told of this debtor's listing, in a fixed order.

    # rule: R-3.3.12

    Every debtor → the credit-reporting agency; a natural person who is a state functionary (公职人员)
    → the employer; a unit that is a state organ / SOE (and, by default, a public institution) → its
    superior or competent department. A person has no superior, a unit no employer.
    """
    out = ["credit_bureau"]
    if kind == "person" and state_functionary:
        out.append("employer")
    if kind != "person" and unit_nature in superior_natures:
        out.append("superior")
    return tuple(out)


# -- Art 10(3)–(4): re-listing after deletion -------------------------------------------------------------
# Art 10(3): a debtor deleted from the list may be listed again when an Art 1 situation recurs. Art 10(4):
# after a deletion under Art 10(1)(3) (the applicant's written request, granted), the applicant's
# application to list the debtor again within six months is not supported. Only the applicant's route is
# barred; the court may still list ex officio on a new Art 1 situation.
RELIST_BAR_MONTHS = 6
RELIST_BARRED_TRIGGER = "applicant_request"


def relisting_barred_until(trigger: str, removed_on: date | None) -> date | None:
    """The last day of the six months (the day of deletion not counted) during which the applicant's
    application to re-list is refused; None when the deletion bars nothing."""
    if trigger != RELIST_BARRED_TRIGGER or removed_on is None:
        return None
    return add_months(removed_on, RELIST_BAR_MONTHS)


def relisting_refusal(initiation: str, trigger: str, removed_on: date | None, applied_on: date) -> str:
    """Art 10(4): the refusal of an applicant's re-listing application, or "" when it may proceed.

    # rule: R-3.3.18
    """
    until = relisting_barred_until(trigger, removed_on)
    if initiation != "application" or until is None or applied_on > until or removed_on is None:
        return ""
    return (
        f"申请执行人于{removed_on:%Y-%m-%d}书面申请删除失信信息，删除后六个月内（至{until:%Y-%m-%d}）"
        "再申请将其纳入失信名单的，人民法院不予支持（失信规定第10条第4款）；如有新的失信情形，可依职权纳入"
    )


# -- credit repair (信用修复) ----------------------------------------------------------------------------
# 失信规定 Art 2(2) (early deletion when the debtor performs or corrects), Art 10(1)(1)–(2), and
# 善意文明执行意见 (法发〔2019〕35号) on credit repair; the conditions below beyond those articles are
# UNCONFIRMED and configurable (`ZHIXING_CREDIT_REPAIR`, docs/rules-additions.md "Credit repair").
REPAIR_CONDITIONS: dict[str, str] = {
    "performed": "已履行生效法律文书确定的全部义务（系统按案件到位款计算）",
    "settled": "与申请执行人达成执行和解协议并已履行完毕，或申请执行人书面同意修复",
    "corrected": "已主动纠正失信行为（第1项情形无须另行纠正）",
    "no_other_listing": "无其他在册的失信记录",
    "min_days": "纳入失信名单已满规定天数",
}


@dataclass(frozen=True)
class RepairPolicy:
    """Configurable credit-repair conditions (defaults: docs/rules-additions.md)."""

    min_listed_days: int = 0  # days from the listing decision to the application
    decision_days: int = 15  # the court decides within 15 days (by analogy with Arts 5(2) and 12)
    allow_settlement: bool = True  # a performed settlement / the applicant's consent replaces performance


@dataclass(frozen=True)
class RepairFacts:
    ground: int
    decided_on: date
    applied_on: date
    performed_in_full: bool
    settled: bool
    corrected: bool
    other_active_listings: int


def repair_conditions(facts: RepairFacts, policy: RepairPolicy = RepairPolicy()) -> dict[str, bool]:
    """Each condition of REPAIR_CONDITIONS, met or not."""
    return {
        "performed": facts.performed_in_full,
        "settled": policy.allow_settlement and facts.settled,
        "corrected": facts.ground == 1 or facts.corrected,
        "no_other_listing": facts.other_active_listings == 0,
        "min_days": (facts.applied_on - facts.decided_on).days >= policy.min_listed_days,
    }


def repair_missing(facts: RepairFacts, policy: RepairPolicy = RepairPolicy()) -> list[str]:
    """The unmet conditions, in Chinese; [] when credit repair may be granted.

    Performance in full OR (where allowed) a performed settlement / the applicant's consent; AND the
    dishonest act corrected (grounds 2–6); AND no other active listing; AND the minimum time listed.
    """
    met = repair_conditions(facts, policy)
    missing = []
    if not (met["performed"] or met["settled"]):
        missing.append(
            REPAIR_CONDITIONS["performed"]
            + ("或" + REPAIR_CONDITIONS["settled"] if policy.allow_settlement else "")
        )
    for k in ("corrected", "no_other_listing"):
        if not met[k]:
            missing.append(REPAIR_CONDITIONS[k])
    if not met["min_days"]:
        missing.append(f"纳入失信名单须满{policy.min_listed_days}日方可申请信用修复")
    return missing


def repair_decision_due(applied_on: date, policy: RepairPolicy = RepairPolicy()) -> date:
    return applied_on + timedelta(days=policy.decision_days)


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


# -- published performance (履行情况, 失信规定 Art 6(3)) from the case's dated payments -------------------
PERFORMANCE_LABELS: dict[str, str] = {"none": "全部未履行", "partial": "部分履行", "full": "全部履行"}


def paid_total(payments: list[tuple[date, Decimal]], as_of: date | None = None) -> Decimal:
    """Net money performed up to `as_of` (reversals are negative rows)."""
    return sum((a for d, a in payments if as_of is None or d <= as_of), Decimal("0"))


def paid_since(payments: list[tuple[date, Decimal]], since: date) -> Decimal:
    """Net money performed on or after `since` (e.g. the listing decision)."""
    return sum((a for d, a in payments if d >= since), Decimal("0"))


def performance_status(obligation: Decimal, paid: Decimal) -> str:
    """ "none", "partial" or "full"; an act-performance case (no sum) is "" (nothing to compute)."""
    if obligation <= 0:
        return ""
    if paid <= 0:
        return "none"
    return "full" if paid >= obligation else "partial"


def performance_text(obligation: Decimal, paid: Decimal) -> str:
    """The published 履行情况: 全部未履行 / 部分履行（已履行X元，尚未履行Y元） / 全部履行; "" for acts."""
    status = performance_status(obligation, paid)
    if status == "partial":
        return f"部分履行（已履行{yuan(paid)}元，未履行{yuan(obligation - paid)}元）"
    return PERFORMANCE_LABELS.get(status, "")


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


# -- how a measure is started: on the applicant's (written) application or ex officio -------------------
# 失信规定 Art 5(2) (listing), 限制消费规定 Art 4 (consumption restriction: "一般应由申请执行人提出书面申请；
# 必要时人民法院可以依职权决定"), 执行程序解释 Art 23 (exit restriction: the same wording).
INITIATIONS: dict[str, str] = {"application": "依申请", "ex_officio": "依职权"}


def initiation_refusal(initiation: str) -> str:
    """Why `initiation` is not a way to start a credit measure ("" when it is).

    # rule: R-3.4.7
    # rule: R-3.5.1
    """
    if initiation in INITIATIONS:
        return ""
    return "请选择启动方式：依申请执行人书面申请或人民法院依职权（限制消费规定第4条；执行程序解释第23条）"


# -- exit restriction (执行异议复议规定 Art 9): 10 days to ask the next-higher court, decided in 15 days
EXIT_RECONSIDERATION_DAYS = 10
EXIT_REVIEW_DAYS = 15

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


# -- dates ----------------------------------------------------------------------
def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year = d.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def term_years(ground: int, extension_years: int = 0) -> int | None:
    """Listing term in years: None (no fixed term) for ground 1, else 2 + an extension of 0 or 1–3.

    # rule: R-3.3.1
    # rule: R-3.3.2
    """
    if ground not in GROUNDS:
        raise ValueError("失信情形无效：应为第1至6项")
    if not 0 <= extension_years <= MAX_EXTENSION_YEARS:
        raise ValueError("延长期限应为1至3年")
    if ground == 1:
        if extension_years:
            raise ValueError("第1项情形无固定期限，不能延长")
        return None
    return BASE_TERM_YEARS + extension_years


def expiry_date(listed_on: date, ground: int, extension_years: int = 0) -> date | None:
    """Last day of the listing term; None for ground 1 (Art 2(1))."""
    years = term_years(ground, extension_years)
    return None if years is None else add_years(listed_on, years) - timedelta(days=1)


def grace_choices(max_months: int = GRACE_MONTHS_MAX) -> tuple[int, ...]:
    """The grace periods a court may give, in months (0 = none): 0 and 1 … `max_months`."""
    return tuple(range(0, max(0, min(max_months, GRACE_MONTHS_CEILING)) + 1))


def grace_refusal(grace_months: int, max_months: int = GRACE_MONTHS_MAX) -> str:
    """Why `grace_months` may not be given ("" when it may).

    # rule: R-3.3.8
    善意文明执行意见 (法发〔2019〕35号, rules.md §3.3): the court may give a 1–3-month grace period before the
    listing is published / the consumption restriction applies; the maximum is configuration."""
    if grace_months in grace_choices(max_months):
        return ""
    if max_months <= 0:
        return "本院不设宽限期"
    return f"宽限期应为1至{min(max_months, GRACE_MONTHS_CEILING)}个月，或不设宽限期"


def publish_date(decided_on: date, grace_months: int) -> date:
    """First day the listing may be published: after the optional grace period (months, checked against
    the configured maximum by :func:`grace_refusal` when the decision is made)."""
    if not 0 <= grace_months <= GRACE_MONTHS_CEILING:
        raise ValueError("宽限期应为1至12个月以内（或不设宽限期）")
    return add_months(decided_on, grace_months) if grace_months else decided_on


def application_decision_due(received_on: date, cal: WorkCalendar) -> date:
    """Art 5(2): the court decides within 15 days of receiving the applicant's application.

    # rule: R-3.3.5
    Calendar days, the day of receipt not counted; a last day on a statutory rest day runs to the next
    working day (CPL Art 85), as every other 失信规定 period here (Art 12)."""
    return period_end(received_on + timedelta(days=APPLICATION_DECISION_DAYS), cal)


def removal_due(trigger_on: date, cal: WorkCalendar) -> date:
    """Art 10: delete within 3 working days of the trigger (the trigger day itself is not counted).

    # rule: R-3.3.15
    """
    return cal.add_workdays(trigger_on, REMOVAL_WORKDAYS)


def expiry_removal_due(expires_on: date, cal: WorkCalendar) -> date:
    """Art 10(2): delete within 3 working days after the term has expired.

    # rule: R-3.3.16
    """
    return cal.add_workdays(expires_on, REMOVAL_WORKDAYS)


def correction_review_due(received_on: date, cal: WorkCalendar) -> date:
    """Art 12: the enforcing court reviews within 15 (calendar) days of the written application.

    # rule: R-3.3.19
    """
    return period_end(received_on + timedelta(days=CORRECTION_REVIEW_DAYS), cal)


def correction_fix_due(decided_on: date, cal: WorkCalendar) -> date:
    return cal.add_workdays(decided_on, CORRECTION_FIX_WORKDAYS)


def reconsideration_due(served_on: date, cal: WorkCalendar) -> date:
    """Art 12: the applicant asks the next-higher court within 10 days of service of the rejection."""
    return period_end(served_on + timedelta(days=RECONSIDERATION_DAYS), cal)


# -- correction applications (失信规定 Arts 11–12) ---------------------------------------------------------
# Art 12's "十五日" are calendar days (the rules say 工作日 where they mean working days, as for the
# 3-day fix); a period whose last day is a rest day runs to the next working day (CPL-2021 Art 85).
CORRECTION_HIGHER_REVIEW_DAYS = 15  # Art 12: the next-higher court decides the 复议 within 15 days
# What an upheld "information inaccurate" application may correct: every published item of Art 6.
CORRECTABLE_FIELDS: dict[str, str] = {
    "name": "姓名/名称",
    "subject_key": "身份证号码/统一社会信用代码",
    "sex": "性别",
    "age": "年龄",
    "legal_representative": "法定代表人/负责人",
    "obligation": "生效法律文书确定的义务",
    "performance": "被执行人的履行情况",
    "dishonest_act": "具体失信行为",
    "document_number": "决定书文号",
}


def correction_higher_review_due(filed_on: date, cal: WorkCalendar) -> date:
    """Art 12: the next-higher court decides the 复议 within 15 days of receiving the application."""
    return period_end(filed_on + timedelta(days=CORRECTION_HIGHER_REVIEW_DAYS), cal)


def correction_overdue(
    status: str,
    review_due: date | None,
    fix_due: date | None,
    higher_review_due: date | None,
    today: date,
) -> str:
    """Which Art 12 period of a correction application has run out unmet ("" if none).

    review: the enforcing court has not decided within 15 days; fix: an upheld application not corrected
    within 3 working days; higher: the next-higher court has not decided the 复议 within 15 days.
    """
    if status == "pending" and review_due is not None and today > review_due:
        return "review"
    if status == "upheld" and fix_due is not None and today > fix_due:
        return "fix"
    if status == "reconsidering" and higher_review_due is not None and today > higher_review_due:
        return "higher"
    return ""


def dormant_trigger_on(empty_round_dates: list[date]) -> date | None:
    """Art 10(1)(4): the day the second empty inquiry round after 终本 completed, or None if fewer."""
    dates = sorted(empty_round_dates)
    return dates[DORMANT_EMPTY_ROUNDS - 1] if len(dates) >= DORMANT_EMPTY_ROUNDS else None


def period_end(last_day: date, cal: WorkCalendar) -> date:
    """CPL-2021 Art 85: a period whose last day is a statutory rest day ends on the next working day."""
    return cal.next_workday(last_day)


def exit_reconsideration_due(served_on: date, cal: WorkCalendar) -> date:
    """执行异议复议规定 Art 9: apply for 复议 within 10 days of receiving the exit-restriction decision.

    # rule: R-3.5.4
    """
    return period_end(served_on + timedelta(days=EXIT_RECONSIDERATION_DAYS), cal)


def exit_review_due(filed_on: date, cal: WorkCalendar) -> date:
    """执行异议复议规定 Art 9: the next-higher court decides the 复议 within 15 days of receiving it."""
    return period_end(filed_on + timedelta(days=EXIT_REVIEW_DAYS), cal)


def age_on(birth: date, on: date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# -- screening keys ----------------------------------------------------------------------
_RIC = re.compile(r"[0-9]{17}[0-9X]")
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")  # GB 32100-2015 alphabet (no I, O, S, V, Z)


def id_key(number: str) -> int | None:
    """A resident ID as one int64: the 18 characters read as a base-11 number (X = 10); None if malformed.

    11^18 − 1 ≈ 5.6 × 10^18 < 2^63, so every key fits a signed 64-bit integer, and the conversion is a
    single C call (``int(…, 11)``), which lets a batch be converted without a Python-level loop.
    """
    if len(number) != 18 or not _RIC.fullmatch(number):
        return None
    return int(number.replace("X", "A"), 11)


def ric_check_ok(number: str) -> bool:
    """The 18th character of a well-formed resident ID is its GB 11643 MOD 11-2 check character.

    Also true for the numbers built like it (港澳台 residence permits, the 2023 permanent-residence card).
    `number` must already match the 17-digits-then-digit-or-X form (:func:`id_key` is not None).
    """
    return _ric.calc_check_digit(number) == number[17]


def uscc_check_ok(code: str) -> bool:
    """The 18th character of a code in the GB 32100 alphabet is its check character (weights 3^i mod 31)."""
    return bool(CREDIT_CODE.fullmatch(code)) and _uscc.calc_check_digit(code[:17]) == code[17]


def subject_invalid(number: str) -> str:
    """Why a screening item is not a valid resident ID or credit code ('' when it is valid).

    An 18-character all-digit item is valid when either check passes: a credit code of a unit registered
    by the market regulator (``91…``) can be all digits too.
    """
    if id_key(number) is not None:
        if ric_check_ok(number) or uscc_check_ok(number):
            return ""
        return "check_digit"
    if CREDIT_CODE.fullmatch(number):
        return "" if uscc_check_ok(number) else "check_digit"
    return "format"


INVALID_REASONS = {"format": "格式错误：应为18位身份证号或统一社会信用代码", "check_digit": "校验码错误"}


def key_id(key: int) -> str:
    """Inverse of :func:`id_key`."""
    chars = []
    for _ in range(18):
        key, d = divmod(key, 11)
        chars.append("X" if d == 10 else str(d))
    return "".join(reversed(chars))


# -- exposure (曝光) targeting and delivery ---------------------------------------------------------------
AREA_PREFIX_LENGTHS = (2, 4, 6)  # GB/T 2260: province, prefecture, county


def debtor_area(kind: str, subject_key: str) -> str:
    """The six-digit division code of the debtor's registration area, or "" when it has none.

    A person: the household-registration area, the first 6 digits of the resident ID (GB 11643-1999);
    an organisation: the registration authority's division code, characters 3–8 of the unified social
    credit code (GB 32100-2015), i.e. where it is registered.
    """
    code = subject_key[:6] if kind == "person" else subject_key[2:8]
    return code if len(code) == 6 and code.isdigit() else ""


def covers(partner_area: str, area: str) -> bool:
    """A media partner covering `partner_area` (a 2/4/6-digit prefix; "" = nationwide) reaches `area`."""
    return bool(area) and area.startswith(partner_area)


def backoff_seconds(attempts: int, base: int, cap: int) -> int:
    """Wait before the next attempt after `attempts` unsuccessful ones: base · 2^(n−1), capped."""
    return int(min(cap, base * 2 ** max(0, attempts - 1)))


# -- enumeration detection -----------------------------------------------------------------------------
@dataclass(frozen=True)
class EnumerationThresholds:
    """When a partner's screening looks like someone walking through ID numbers rather than travellers.

    All values are UNCONFIRMED operating choices (no rule or partner agreement fixes them); they are
    settings (``ZHIXING_ENUMERATION``, docs/credit.md) so an administrator can tune them per deployment.

    * ``window_seconds`` — the sliding unit: counters are kept per partner per fixed window.
    * ``max_volume`` — IDs asked in one window above which the partner is flagged whatever it asks.
    * ``min_sample`` / ``max_miss_ratio`` — with at least ``min_sample`` IDs asked in the window, a miss
      ratio at or above ``max_miss_ratio`` is flagged. The register holds ≈ 0.75 % of residents, so
      2,000 real travellers with no hit at all happen with probability ≈ 3 × 10⁻⁷.
    * ``sample_size`` / ``min_sequential_sample`` / ``near`` / ``max_sequential_share`` — of the last
      ``sample_size`` resident IDs asked (at least ``min_sequential_sample``), the share whose 17-digit
      body lies within ``near`` of another's (same area and birth date with a close sequence number, or
      the same sequence on the next day: 1,000 apart) is flagged at or above ``max_sequential_share``.
    """

    window_seconds: int = 600
    max_volume: int = 200_000
    min_sample: int = 2_000
    max_miss_ratio: float = 1.0
    sample_size: int = 200
    min_sequential_sample: int = 50
    near: int = 1_000
    max_sequential_share: float = 0.5


ENUMERATION_REASONS = {
    "volume": "查询量超过上限",
    "miss_ratio": "未命中比例异常",
    "sequential": "身份号码连号或近似连号",
}


def id_body(number: str) -> int | None:
    """The first 17 digits of a resident ID as an int (area, birth date, sequence); None if malformed."""
    if len(number) != 18 or not _RIC.fullmatch(number):
        return None
    return int(number[:17])


def sequential_share(bodies: list[int], near: int) -> float:
    """Share of `bodies` lying within `near` of another one (distinct values; duplicates do not count)."""
    values = sorted(set(bodies))
    if len(values) < 2:
        return 0.0
    close = 0
    for i, v in enumerate(values):
        before = i > 0 and v - values[i - 1] <= near
        after = i + 1 < len(values) and values[i + 1] - v <= near
        close += before or after
    return close / len(values)


def enumeration_signals(
    asked: int, hits: int, bodies: list[int], t: EnumerationThresholds
) -> tuple[tuple[str, ...], float]:
    """(Reasons tripped, sequential share) for a partner's window: `asked` IDs, `hits` of them restricted,
    `bodies` the recent resident IDs' bodies (:func:`id_body`). Reasons are keys of ENUMERATION_REASONS."""
    reasons: list[str] = []
    if asked > t.max_volume:
        reasons.append("volume")
    if asked >= t.min_sample and asked and (asked - hits) / asked >= t.max_miss_ratio:
        reasons.append("miss_ratio")
    share = 0.0
    if len(set(bodies)) >= t.min_sequential_sample:
        share = sequential_share(bodies, t.near)
        if share >= t.max_sequential_share:
            reasons.append("sequential")
    return tuple(reasons), share


# -- decisions signed by the court president, served on the debtor (issue 14 item 6) --------------------
# Which credit decisions need the court president's signature before they take effect. Sources:
# * 限制消费令: 限制消费规定 Art 5 "限制消费令由人民法院院长签发" (rules.md §3.4, 2010 wording [L16]; the
#   2015 wording is UNCONFIRMED there) — default True;
# * 纳入失信决定书: rules.md §3.3 cites the 善意文明执行意见 (法发〔2019〕35号 [P20]) "signed after review by
#   the court president"; the 2017 wording of 失信规定 Art 5(3) is only partly seen — default True;
# * 限制出境决定书: no rule in rules.md §3.5 asks for the president — the judge decides (not configurable).
# UNCONFIRMED items are configuration (settings ZHIXING_CREDIT_DECISIONS["president_approval"]).
PRESIDENT_APPROVAL_DEFAULT: dict[str, bool] = {"listing": True, "consumption": True}

# How a document is served and when service takes effect: the pure module shared with cases (the
# enforcement notice), re-exported here under credit's names (docs/rules-additions.md "Service of credit
# decisions").
SERVICE_METHODS = _service.SERVICE_METHODS
PUBLICATION_SERVICE_DAYS = _service.PUBLICATION_SERVICE_DAYS
deemed_served_on = _service.deemed_served_on


def consumption_effective_on(served_on: date, grace_months: int) -> date:
    """# rule: R-3.4.9
    A 限制消费令 binds the debtor from its service, after any grace period counted from service
    (善意文明执行意见, rules.md §3.3: the grace is given to the served debtor to perform)."""
    return publish_date(served_on, grace_months)


def listing_publish_on(decided_on: date, served_on: date | None, grace_months: int) -> date:
    """Publication of a listing: the decision takes effect the day it is made (失信规定 Art 5(3)); with a
    1–3-month grace period, publication waits until the grace, counted from service, has run out. Before
    service the grace is counted provisionally from the decision."""
    if not grace_months:
        return decided_on
    return publish_date(served_on or decided_on, grace_months)


@dataclass(frozen=True)
class ServicePeriods:
    """Every period of a served credit decision, counted from the day service took effect."""

    served_on: date
    effective_on: date | None  # 限制消费令: binds from service (+ grace)
    publish_on: date | None  # 失信决定书: published after the grace counted from service
    reconsideration_due: date | None  # 限制出境: 复议 within 10 days of service (执行异议复议规定 Art 9)


def service_periods(
    kind: str, method: str, on: date, grace_months: int, decided_on: date, cal: WorkCalendar
) -> ServicePeriods:
    """The periods of a decision of `kind` (listing / consumption / exit) served by `method` on `on`."""
    served = deemed_served_on(method, on)
    return ServicePeriods(
        served_on=served,
        effective_on=consumption_effective_on(served, grace_months) if kind == "consumption" else None,
        publish_on=listing_publish_on(decided_on, served, grace_months) if kind == "listing" else None,
        reconsideration_due=exit_reconsideration_due(served, cal) if kind == "exit" else None,
    )


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


# -- Art 10(2): fixed-term listings are not deleted on the Art 10(1) triggers -----------------------------
ART10_1_TRIGGERS = frozenset(
    {
        "performed",
        "settlement",
        "applicant_request",
        "dormant_no_assets",
        "suspended",
        "non_enforcement",
        "termination",
    }
)


def art10_1_applies(ground: int, trigger: str) -> bool:
    """Whether `trigger` may delete a listing of `ground` (True for every non-Art-10(1) trigger).

    # rule: R-3.3.9
    失信规定 Art 10(2): a listing with a term (grounds 2–6, Art 2(1)) is not deleted on the Art 10(1)
    triggers; it is deleted within 3 working days after its term expires, or earlier at the court's
    discretion when the debtor actively performs or corrects (Art 2(2), trigger ``early``)."""
    return trigger not in ART10_1_TRIGGERS or term_years(ground) is None


FIXED_TERM_REFUSAL = (
    "有纳入期限的失信信息（第2至6项情形）不适用失信规定第10条第1款，期满后删除；"
    "被执行人积极履行或主动纠正的，可选择“提前删除”（第2条第2款）"
)


# -- exit restriction: whom it may bind (执行程序解释 Art 24) ---------------------------------------------
EXIT_UNIT_BOUND = ("legal_rep", "principal", "responsible")
EXIT_MINOR_BOUND = ("guardian",)


def exit_bound_refusal(debtor_kind: str, debtor_minor: bool, bounds: list[str]) -> tuple[int, str]:
    """(index of the offending person or -1 for the list, message) when the exit restriction may not bind
    these persons, else (-2, "").

    # rule: R-3.5.2
    执行程序解释 Art 24: a unit's legal representative, principal person in charge or directly responsible
    person (not its actual controller, whom only the consumption restriction reaches, 限消规定 Art 3(2));
    a debtor without full capacity → its legal representative / guardian, not the debtor itself."""
    allowed: tuple[str, ...]
    if debtor_kind == "organisation":
        allowed, who = EXIT_UNIT_BOUND, "单位的法定代表人、主要负责人或直接责任人员"
    elif debtor_minor:
        allowed, who = EXIT_MINOR_BOUND, "未成年被执行人的法定代理人（监护人）"
    else:
        allowed, who = (), ""
    for i, b in enumerate(bounds):
        if b not in allowed:
            if not allowed:
                return i, "被执行人为成年自然人的，限制其本人出境，不能另行指定被限制人员"
            return i, f"限制出境只能针对{who}（执行程序解释第24条），不包括所选人员"
    if allowed and not bounds:
        if debtor_minor:
            return (
                -1,
                "被执行人为未成年人，应限制其法定代理人（监护人）出境，不限制未成年人本人；请填写监护人",
            )
        return -1, "单位被执行人须指定被限制出境的法定代表人、主要负责人或直接责任人员"
    return -2, ""


# -- the enforcement notice before the measures (失信规定 Art 5(1); 限消规定 Art 1) ----------------------
def listing_notice_refusal(served_on: date | None, listing_warning: bool, today: date) -> str | None:
    """Why a listing may not be decided yet: the enforcement notice carrying the risk warning about the
    dishonest list has not been served on the debtor (失信规定 Art 5(1)). None when it may.

    # rule: R-3.3.20
    """
    if served_on is None or not listing_warning:
        return (
            "执行通知书（载明纳入失信被执行人名单的风险提示）尚未送达被执行人，"
            "不能纳入失信名单（失信规定第5条第1款）"
        )
    if served_on > today:
        return f"执行通知书于{served_on:%Y年%m月%d日}方视为送达，送达前不能纳入失信名单（失信规定第5条第1款）"
    return None


def consumption_notice_refusal(
    served_on: date | None, period_ends_on: date | None, today: date
) -> str | None:
    """Why a consumption restriction may not be ordered yet: the debtor has not yet failed to perform within
    the period the served enforcement notice fixed (限消规定 Art 1(1)). None when it may. The mandatory
    restriction of a listed debtor (Art 1(2)) follows the listing and is not checked here.

    # rule: R-3.4.20
    """
    if served_on is None or period_ends_on is None:
        return "执行通知书尚未送达被执行人，不能限制消费（限消规定第1条第1款：未按执行通知书指定的期间履行）"
    if today <= period_ends_on:
        return (
            f"执行通知书指定的履行期间至{period_ends_on:%Y年%m月%d日}届满，"
            "期满仍未履行的方可限制消费（限消规定第1条第1款）"
        )
    return None
