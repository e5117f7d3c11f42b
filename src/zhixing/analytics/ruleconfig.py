"""The default rule configuration: weights, keyword and merchant lists, thresholds.

Stored as JSON in `RuleSet.config` (version 1 is created from it when no rule set exists); a court
changes it — the merchant list included — by adding a new RuleSet version in admin. A stored version
lacking keys added since (issue 16: merchants, restricted items, cadences…) runs with the defaults
for them (`complete`). Every key is documented in docs/analytics.md.
"""

from __future__ import annotations

import copy
from typing import Any

ORG_MARKERS = (
    "公司|有限|集团|银行|中心|局|院|厂|店|合作社|基金|保险|商户|平台|支付|财付通|学校|医院|政府|委员会"
)

DEFAULT_CONFIG: dict[str, Any] = {
    # Tried after `merchants`, in this order (spending.py); regular expressions over the line's
    # counterparty, merchant, summary and category text.
    "categories": {
        "air": "航空|机票|航旅|airlines|airways|air china",
        "soft_sleeper": "软卧|动卧",
        "ship": "(船票|轮船|客轮|客运).{0,12}(特等|一等|二等)",
        "star_hotel": (
            "希尔顿|万豪|洲际|香格里拉|喜来登|凯悦|丽思|威斯汀|四季酒店|半岛酒店|文华东方|瑞吉|柏悦|康莱德"
            "|华尔道夫|皇冠假日|索菲特|五星|四星|星级酒店|hilton|marriott|sheraton|hyatt|ritz|westin"
        ),
        "nightclub": "夜总会|夜店|会所",
        "golf": "高尔夫|golf|球会",
        "real_estate": "购房|房款|首付款|置业|房地产开发|购楼",
        "renovation": "装修|装饰工程|家装",
        "office_rent": "写字楼|办公室租金|办公租金|办公楼租",
        "car_purchase": "购车|4s店|汽车销售|车款|汽车贸易",
        "travel": "旅行社|旅游|度假|景区|迪士尼|环球影城|途牛|邮轮|游轮|跟团|自由行",
        "abroad": "境外|出境|海外",
        "private_school": "国际学校|私立学校|双语学校|外籍人员子女学校|贵族学校",
        "insurance_premium": "保险|人寿|保费|财险|年金|理财产品",
        "rail": "一等座|商务座|特等座|高铁",
        "luxury": (
            "路易威登|LOUIS VUITTON|古驰|GUCCI|爱马仕|HERMES|香奈儿|CHANEL"
            "|卡地亚|Cartier|普拉达|PRADA|劳力士|ROLEX|免税|duty free"
        ),
        "gaming": "游戏|王者荣耀|和平精英|网易游戏|腾讯游戏|米哈游|Steam|点券",
        "tipping": "直播|打赏|抖币|快币|虎牙|斗鱼|音浪|礼物充值|抖音充值|快手充值",
    },
    # Maintained merchant list: the company a platform bills as, its category, and (`when`) the words
    # the line must also carry when the company sells more than one thing.
    "merchants": [
        {"name": "北京微播视界科技有限公司", "category": "tipping", "when": "充值|抖币|钻|礼物|打赏|直播"},
        {"name": "北京快手科技有限公司", "category": "tipping", "when": "充值|快币|礼物|打赏|直播"},
        {"name": "广州虎牙信息科技有限公司", "category": "tipping", "when": "充值|虎牙币|礼物|打赏|直播"},
        {"name": "武汉斗鱼网络科技有限公司", "category": "tipping", "when": "充值|鱼翅|礼物|打赏|直播"},
        {"name": "武汉斗鱼鱼乐网络科技有限公司", "category": "tipping", "when": "充值|鱼翅|礼物|打赏|直播"},
        {"name": "广州华多网络科技有限公司", "category": "tipping", "when": "充值|Y币|礼物|打赏|直播"},
        {"name": "北京蜜莱坞网络科技有限公司", "category": "tipping", "when": "充值|钻|礼物|打赏|直播"},
        {"name": "北京密境和风科技有限公司", "category": "tipping", "when": "充值|花椒币|礼物|打赏|直播"},
        {"name": "北京陌陌科技有限公司", "category": "tipping", "when": "充值|陌陌币|礼物|打赏|直播"},
        {"name": "上海宽娱数码科技有限公司", "category": "tipping", "when": "充值|B币|电池|礼物|打赏|直播"},
        {"name": "上海携程国际旅行社有限公司", "category": "travel", "when": "度假|旅游|跟团|自由行|门票"},
        {"name": "中国铁路网络有限公司", "category": "rail", "when": "G\\d|一等|商务|特等"},
        {"name": "中国铁路网络有限公司", "category": "soft_sleeper", "when": "软卧|动卧"},
        {"name": "特斯拉汽车(北京)有限公司", "category": "car_purchase", "when": "车款|定金|购车|订金"},
        {"name": "上海迪士尼", "category": "travel"},
        {"name": "北京环球度假区", "category": "travel"},
    ],
    # rule
    # 限消规定 Art 3(1): restricted item number and the credit register's screening code of each
    # restricted category (credit.rules ITEM_CODES); an approved private consumption naming the code
    # for a window frees the category's lines in that window.
    "restricted_items": {
        "air": [1, "flight"],
        "soft_sleeper": [1, "soft_sleeper"],
        "ship": [1, "ship"],
        "star_hotel": [2, "hotel"],
        "nightclub": [2, "hotel"],
        "golf": [2, "hotel"],
        "real_estate": [3, "realty"],
        "renovation": [3, "realty"],
        "office_rent": [4, "office"],
        "car_purchase": [5, "vehicle"],
        "travel": [6, "travel"],
        "abroad": [6, "travel"],
        "private_school": [7, "school"],
        "insurance_premium": [8, "insurance"],
        "rail": [9, "hsr"],
        "luxury": [9, "hsr"],
    },
    # A single line under this many yuan is not the "high" consumption the item names.
    "category_min_amount": {
        "insurance_premium": 10000,
        "office_rent": 10000,
        "renovation": 20000,
        "car_purchase": 20000,
    },
    # Places abroad: evidence that a foreign-currency line was spent abroad (never read on CNY lines).
    "abroad_places": (
        "东京|大阪|京都|首尔|釜山|曼谷|普吉|芭提雅|清迈|新加坡|吉隆坡|巴厘|马尔代夫|迪拜|巴黎|伦敦|罗马|米兰"
        "|纽约|洛杉矶|旧金山|拉斯维加斯|悉尼|墨尔本|香港|澳门|台北|tokyo|osaka|seoul|bangkok|phuket"
        "|singapore|kuala lumpur|bali|dubai|paris|london|rome|milan|new york|los angeles|las vegas|sydney"
        "|hong kong|macau|macao|taipei"
    ),
    "category_labels": {
        "air": "乘坐飞机",
        "soft_sleeper": "乘坐列车软卧",
        "ship": "乘坐轮船二等以上舱位",
        "star_hotel": "星级酒店",
        "nightclub": "夜总会等场所",
        "golf": "高尔夫球场",
        "real_estate": "购买不动产",
        "renovation": "新建、扩建、高档装修房屋",
        "office_rent": "租赁高档写字楼办公",
        "car_purchase": "购买车辆",
        "travel": "旅游、度假",
        "abroad": "出境旅游/境外消费",
        "private_school": "子女就读高收费私立学校",
        "insurance_premium": "支付高额保费",
        "rail": "高铁/动车一等座以上",
        "luxury": "奢侈品等非生活必需消费",
        "gaming": "网络游戏",
        "tipping": "直播打赏",
        "foreign": "外币消费（无出境证据）",
    },
    "restricted_categories": [
        "air",
        "soft_sleeper",
        "ship",
        "star_hotel",
        "nightclub",
        "golf",
        "real_estate",
        "renovation",
        "office_rent",
        "car_purchase",
        "travel",
        "abroad",
        "private_school",
        "insurance_premium",
        "rail",
        "luxury",
    ],
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
        # irregular pay needs a longer record than a fixed cadence to be told from chance transfers
        "irregular": {"max_cv": 0.35, "min_coverage": 0.75, "min_months": 6},
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
