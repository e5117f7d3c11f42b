"""The default rule configuration (version 1): weights, keyword lists and thresholds.

Stored as JSON in `RuleSet.config`; a court changes it by adding a new RuleSet version in admin.
Every key is documented in docs/analytics.md.
"""

from __future__ import annotations

import copy
from typing import Any

# The version `queries.active_ruleset` creates when none exists, and migration 0008 records.
VERSION = 2

ORG_MARKERS = (
    "公司|有限|集团|银行|中心|局|院|厂|店|合作社|基金|保险|商户|平台|支付|财付通|学校|医院|政府|委员会"
)

DEFAULT_CONFIG: dict[str, Any] = {
    "categories": {
        # category → regular expression over counterparty, merchant, summary and category text
        "air": "航空|机票|航旅|飞猪机票|携程机票|airlines|airways",
        "rail": "一等座|商务座|特等座|软卧|高铁票",
        "star_hotel": (
            "希尔顿|万豪|洲际|香格里拉|喜来登|凯悦|丽思|威斯汀|四季酒店|五星|星级酒店|hilton|marriott"
        ),
        "luxury": (
            "路易威登|LOUIS VUITTON|古驰|GUCCI|爱马仕|HERMES|香奈儿|CHANEL"
            "|卡地亚|Cartier|普拉达|PRADA|劳力士|ROLEX"
        ),
        "gaming": "游戏|王者荣耀|和平精英|网易游戏|腾讯游戏|米哈游|Steam|点券",
        "tipping": "直播|打赏|抖币|快币|虎牙|斗鱼|音浪|礼物充值|抖音充值|快手充值",
        "abroad": "境外|免税|duty free|外币|跨境",
    },
    "category_labels": {
        "air": "乘坐飞机",
        "rail": "高铁/动车一等座以上",
        "star_hotel": "星级酒店",
        "luxury": "奢侈品消费",
        "gaming": "网络游戏",
        "tipping": "直播打赏",
        "abroad": "出境旅游/境外消费",
    },
    # 限消规定 Art 3(1): flights, G trains / first class, star hotels, travel and holidays, luxury
    "restricted_categories": ["air", "rail", "star_hotel", "abroad", "luxury"],
    "org_markers": ORG_MARKERS,
    "cash_markers": "取现|取款|ATM|现金",
    "transfer_markers": "转账|汇款|转存|跨行|网银|红包",
    # cadence.py: gap windows in days; `min_amount` is the monthly equivalent in yuan
    "regular": {
        "min_months": 3,
        "max_cv": 0.2,
        "band": 0.15,
        "min_amount": 1000,
        "max_per_month": 6,
        "min_gap_share": 0.7,
        "cadences": {"weekly": [5, 9], "biweekly": [12, 17], "monthly": [25, 35]},
        "irregular": {"max_cv": 0.35, "min_coverage": 0.75},
    },
    "payee": {
        "min_months": 3,
        "max_cv": 0.15,
        "band": 0.15,
        "min_amount": 300,
        "max_per_month": 3,
        "min_gap_share": 0.7,
        "cadences": {"monthly": [25, 35]},
    },
    "lead_types": {
        "房租": "租|房东|物业|公寓",
        "车贷": "车贷|汽车金融|汽车",
        "保险费": "保险|人寿|财险|平安",
    },
    "evasion": {"window_days": 30, "min_total": 10000, "spike_ratio": 2.0},
    "round_trip": {"window_days": 14, "tolerance": 0.05, "min_amount": 5000},
    "related": {"min_total": 5000},
    "balance": {"thresholds": [10000, 20000, 50000, 100000], "band": 0.05, "min_hits": 5, "min_share": 0.3},
    "spending": {"min_total": 5000},
    "tipping": {"min_total": 1000},
    "weights": {
        "regular_income": 20,
        "hidden_salary": 15,
        "inflow_vs_claim": 15,
        "luxury_spending": 15,
        "tipping": 10,
        "restriction_violation": 30,
        "related_transfers": 20,
        "round_tripping": 10,
        "evasion": 25,
        "balance_threshold": 10,
        "regular_payees": 5,
    },
    "thresholds": {"able": 50, "crime": 70},
}


def complete(config: dict[str, Any]) -> dict[str, Any]:
    """`config` with every key it lacks taken from DEFAULT_CONFIG (one level into nested dicts), so a
    rule set saved by an earlier version still runs the rules added since; its own values are kept."""
    out = copy.deepcopy(DEFAULT_CONFIG)
    for key, value in (config or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out
