"""Whom the court notifies of a listing (失信规定 Art 8)."""

from __future__ import annotations

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
