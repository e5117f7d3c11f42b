"""Scoring rules and recommendations with their legal basis (pure; no ORM).

`evaluate(ind, config, ctx)` turns one debtor's indicators into findings (rule, label, weight,
evidence row ids, detail), a 0–100 score, recommendations and property leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .cadence import LABELS as CADENCE_LABELS
from .ruleconfig import complete

LISTING = "《最高人民法院关于公布失信被执行人名单信息的若干规定》"
BASIS = {
    "able": LISTING + "第一条第（一）项（有履行能力而拒不履行）",
    "hide": LISTING + "第一条第（三）项（隐匿、转移财产规避执行）",
    "restrict": LISTING + "第一条第（五）项（违反限制消费令）；"
    "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条、第十一条",
    "coerce": "《中华人民共和国民事诉讼法》（2023年修正）第一百一十四条、第一百一十八条、第一百一十九条",
    "crime": "《中华人民共和国刑法》第三百一十三条；《最高人民法院、最高人民检察院关于办理拒不执行判决、"
    "裁定刑事案件适用法律若干问题的解释》（法释〔2024〕13号）",
    "lead": "《中华人民共和国民事诉讼法》（2023年修正）第二百五十三条（查询、冻结、划拨被执行人财产）",
}

LABELS = {
    "regular_income": "存在稳定的类工资收入",
    "hidden_salary": "工资性收入经第三人（非单位）代发",
    "inflow_vs_claim": "分析期间收入总额不低于执行标的",
    "luxury_spending": "高消费及非生活必需消费",
    "tipping": "直播打赏",
    "restriction_violation": "限制消费期间仍有受限消费",
    "related_transfers": "判决生效后向关联人转款",
    "round_tripping": "资金转出后短期回流（循环转账）",
    "evasion": "冻结前或执行通知后集中取现、转出",
    "balance_threshold": "账户余额长期卡在整数门槛之下",
    "regular_payees": "定期向固定对象付款（财产线索）",
}


@dataclass
class Finding:
    rule: str
    weight: int
    detail: str
    evidence: list[int] = field(default_factory=list)
    travel_evidence: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "label": LABELS[self.rule],
            "weight": self.weight,
            "detail": self.detail,
            "evidence": self.evidence,
            "travel_evidence": self.travel_evidence,
        }


def _d(v: Any) -> Decimal:
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))


def is_organisation(name: str, config: dict[str, Any]) -> bool:
    return bool(re.search(config["org_markers"], name or ""))


def evaluate(ind: dict[str, Any], config: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    return evaluate_many([(ind, ctx)], config)[0]


def evaluate_many(
    items: Iterable[tuple[dict[str, Any], dict[str, Any]]], config: dict[str, Any]
) -> list[dict[str, Any]]:
    """`evaluate` of each (indicators, context) with one rule set, completed once (`complete` copies
    the defaults: ≈ 5 ms, more than the rules themselves)."""
    config = complete(config)
    return [_evaluate(ind, config, ctx) for ind, ctx in items]


def _evaluate(ind: dict[str, Any], config: dict[str, Any], ctx: dict[str, Any]) -> dict[str, Any]:
    w = config["weights"]
    found: list[Finding] = []
    regular = ind.get("regular_income", [])
    if regular:
        top = regular[0]
        found.append(
            Finding(
                "regular_income",
                w["regular_income"],
                income_label(top),
                [i for r in regular for i in r["ids"]],
            )
        )
        third = [r for r in regular if not is_organisation(r["counterparty"], config)]
        if third:
            found.append(
                Finding(
                    "hidden_salary",
                    w["hidden_salary"],
                    "、".join(r["counterparty"] for r in third) + " 定期转入，疑为他人代发工资",
                    [i for r in third for i in r["ids"]],
                )
            )
    total_in = _d(ind.get("totals", {}).get("total_in"))
    claim = _d(ctx.get("claim"))
    if claim > 0 and total_in >= claim:
        found.append(
            Finding("inflow_vs_claim", w["inflow_vs_claim"], f"收入合计{total_in}元，执行标的{claim}元")
        )
    cats = ind.get("categories", {})
    travel = ind.get("travel", {})
    lux_keys = [k for k in config["restricted_categories"] + ["gaming"] if k in cats or k in travel]
    lux_total = sum((_d(cats[k]["net"]) for k in lux_keys if k in cats), Decimal("0")) + sum(
        (_d(travel[k]["amount"]) for k in lux_keys if k in travel), Decimal("0")
    )
    trips = sum(int(travel[k]["trips"]) for k in travel)
    if lux_total >= Decimal(str(config["spending"]["min_total"])) or trips >= 3:
        labels = config["category_labels"]
        found.append(
            Finding(
                "luxury_spending",
                w["luxury_spending"],
                "、".join(labels.get(k, k) for k in lux_keys) + f"，合计{lux_total}元，出行住宿{trips}次",
                [i for k in lux_keys if k in cats for i in cats[k]["ids"]],
                [i for k in lux_keys if k in travel for i in travel[k]["ids"]],
            )
        )
    tip = cats.get("tipping")
    if tip and _d(tip["net"]) >= Decimal(str(config["tipping"]["min_total"])):
        found.append(
            Finding("tipping", w["tipping"], f"直播打赏{tip['n']}笔，合计{_d(tip['net'])}元", tip["ids"])
        )
    # rule: — consumption an approved private / necessary consumption window covers is deducted
    viol = [v for v in ind.get("violations", []) if not v.get("permitted_by")]
    permitted = [v for v in ind.get("violations", []) if v.get("permitted_by")]
    if viol:
        found.append(
            Finding(
                "restriction_violation",
                w["restriction_violation"],
                violation_detail(viol, permitted),
                [v["row_id"] for v in viol if v["src"] == "tx"],
                [v["row_id"] for v in viol if v["src"] == "travel"],
            )
        )
    rel = ind.get("related", [])
    rel_total = sum((_d(r["total"]) for r in rel), Decimal("0"))
    if rel and rel_total >= Decimal(str(config["related"]["min_total"])):
        found.append(
            Finding(
                "related_transfers",
                w["related_transfers"],
                "、".join(f"{related_label(r)}{_d(r['total'])}元" for r in rel),
                [i for r in rel for i in r["ids"]],
            )
        )
    rt = ind.get("round_trips") or {}
    if rt.get("n"):
        found.append(
            Finding(
                "round_tripping",
                w["round_tripping"],
                f"{rt['n']}笔转出后回流，合计{_d(rt['total'])}元",
                list(rt["ids"]),
            )
        )
    ev = ind.get("evasion") or {}
    ecfg = config["evasion"]
    if (
        ev.get("n")
        and _d(ev["total"]) >= Decimal(str(ecfg["min_total"]))
        and _d(ev["total"]) >= Decimal(str(ecfg["spike_ratio"])) * _d(ev.get("baseline"))
    ):
        anchors = "、".join({"freeze": "冻结前", "notice": "执行通知后"}[a] for a in ev["anchors"])
        found.append(
            Finding(
                "evasion",
                w["evasion"],
                f"{anchors}取现/转出{ev['n']}笔，合计{_d(ev['total'])}元",
                list(ev["ids"]),
            )
        )
    bal = ind.get("balance") or {}
    bcfg = config["balance"]
    if bal.get("hits", 0) >= bcfg["min_hits"] and float(bal.get("share") or 0) >= bcfg["min_share"]:
        found.append(
            Finding(
                "balance_threshold",
                w["balance_threshold"],
                f"{bal['hits']}/{bal['observations']}次余额处于整数门槛下方{int(bcfg['band'] * 100)}%以内",
                list(bal["ids"]),
            )
        )
    leads = [
        {
            "counterparty": p["counterparty"],
            "account": p.get("account") or "",
            "lead_type": lead_type(p, config),
            "months": int(p["months"]),
            "total": str(_d(p["total"])),
            "ids": p["ids"],
        }
        for p in ind.get("payees", [])
    ]
    if leads:
        found.append(
            Finding(
                "regular_payees",
                w["regular_payees"],
                "、".join(f"{x['counterparty']}（{x['lead_type']}）" for x in leads),
                [i for x in leads for i in x["ids"]],
            )
        )
    score = min(100, sum(f.weight for f in found))
    return {
        "score": score,
        "findings": [f.as_dict() for f in found],
        "recommendations": recommend({f.rule for f in found}, score, config, ctx),
        "leads": leads,
    }


ITEM_NUMBERS = "一二三四五六七八九"


def violation_detail(viol: list[dict[str, Any]], permitted: list[dict[str, Any]]) -> str:
    """The violation finding's text: how many, the first day, the items (限消规定 Art 3(1)), and the
    approved consumption deducted ("已扣除经准许的消费1次（就医乘坐飞机）")."""
    items = sorted({int(v["item"]) for v in viol if v.get("item")})
    where = "、".join(f"（{ITEM_NUMBERS[i - 1]}）" for i in items if 1 <= i <= 9)
    text = f"限消期间受限消费{len(viol)}次（首次{viol[0]['day']}"
    text += f"；限消规定第三条第一款第{where}项）" if where else "）"
    if permitted:
        purposes = "、".join(sorted({str(v["permitted_by"]) for v in permitted}))
        text += f"；已扣除经准许的消费{len(permitted)}次（{purposes}）"
    return text


def income_label(r: dict[str, Any]) -> str:
    """ "某公司每两周转入约2500.00元（月均约5435.00元），共6个月"."""
    cad = str(r.get("cadence") or "monthly")
    if cad == "irregular":
        pace = f"不定期转入，月均约{_d(r.get('monthly'))}元"
    else:
        every = f"约每{float(r['period_days']):.0f}天"
        pace = f"{CADENCE_LABELS.get(cad, '')}（{every}）转入约{_d(r['avg_amount'])}元"
        if cad != "monthly" and r.get("monthly"):
            pace += f"（月均约{_d(r['monthly'])}元）"
    return f"{r['counterparty']}{pace}，共{r['months']}个月"


MATCH_LABELS = {"account": "账号相符", "name": "名称相符", "pinyin": "拼音相符", "masked": "遮蔽姓名相符"}


def related_label(r: dict[str, Any]) -> str:
    """ "支付宝-李四（即李四，名称相符）": the statement's counterparty, whom it was matched to, and how."""
    cp, name = str(r["counterparty"]), str(r.get("related") or r["counterparty"])
    if cp == name and not r.get("others"):
        return cp
    how = MATCH_LABELS.get(str(r.get("how") or ""), "")
    others = "，亦可能为" + "、".join(r["others"]) if r.get("others") else ""
    return f"{cp}（即{name}，{how}{others}）"


def lead_type(payee: dict[str, Any], config: dict[str, Any]) -> str:
    for label, pattern in config["lead_types"].items():
        if re.search(pattern, payee["counterparty"]):
            return str(label)
    return "定期支付"


def recommend(
    rules: set[str], score: int, config: dict[str, Any], ctx: dict[str, Any]
) -> list[dict[str, str]]:
    th = config["thresholds"]
    out: list[dict[str, str]] = []
    minor = bool(ctx.get("is_minor"))
    ability = rules & {"regular_income", "hidden_salary", "inflow_vs_claim", "luxury_spending", "tipping"}
    if score >= th["able"] and ability:
        if minor:
            out.append(
                {
                    "code": "no_listing_minor",
                    "title": "被执行人系未成年人，不得纳入失信名单",
                    "basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第四条",
                }
            )
        else:
            out.append(
                {
                    "code": "list_able",
                    "title": "纳入失信被执行人名单（有履行能力而拒不履行）",
                    "basis": BASIS["able"] + "；注意第三条除外情形（已提供担保、已控财产足以清偿等）",
                }
            )
    if "restriction_violation" in rules:
        if not minor:
            out.append(
                {
                    "code": "list_violation",
                    "title": "纳入失信被执行人名单（违反限制消费令）",
                    "basis": BASIS["restrict"],
                }
            )
        out.append(
            {
                "code": "fine_detention",
                "title": "对违反限制消费令的行为予以罚款或司法拘留",
                "basis": BASIS["coerce"],
            }
        )
    if rules & {"related_transfers", "evasion", "round_tripping"}:
        if not minor:
            out.append(
                {
                    "code": "list_hide",
                    "title": "纳入失信被执行人名单（转移财产规避执行）",
                    "basis": BASIS["hide"],
                }
            )
        if not any(r["code"] == "fine_detention" for r in out):
            out.append(
                {
                    "code": "fine_detention",
                    "title": "对转移、隐匿财产的行为予以罚款或司法拘留",
                    "basis": BASIS["coerce"],
                }
            )
    if score >= th["crime"] and rules & {
        "related_transfers",
        "evasion",
        "restriction_violation",
        "round_tripping",
    }:
        out.append(
            {
                "code": "crime_referral",
                "title": "涉嫌拒不执行判决、裁定罪，移送公安机关（附证据材料）",
                "basis": BASIS["crime"],
            }
        )
    if "regular_payees" in rules:
        out.append(
            {"code": "leads", "title": "将定期收款对象列为财产线索，提请网络查控", "basis": BASIS["lead"]}
        )
    return out
