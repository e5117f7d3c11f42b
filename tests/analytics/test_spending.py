"""Spending categories (spending.py): the nine restricted items, the merchant list, foreign currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import services, spending
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG, complete

from .conftest import load, load_travel
from .test_indicators import GENERIC, HEADER

CAT = spending.Catalogue(DEFAULT_CONFIG)


@pytest.mark.parametrize(
    ("text", "category", "item"),
    [
        ("中国东方航空 机票", "air", 1),
        ("12306 K512次 软卧", "soft_sleeper", 1),
        ("琼州海峡客运 船票 二等舱", "ship", 1),
        ("广州希尔顿酒店 住宿", "star_hotel", 2),
        ("某某夜总会 消费", "nightclub", 2),
        ("华南高尔夫球会 果岭费", "golf", 2),
        ("某某房地产开发有限公司 购房首付款", "real_estate", 3),
        ("某某装饰工程有限公司 装修款", "renovation", 3),
        ("某某写字楼 办公室租金", "office_rent", 4),
        ("广州某某汽车销售服务有限公司 购车款", "car_purchase", 5),
        ("某某国际旅行社 跟团游", "travel", 6),
        ("境外消费", "abroad", 6),
        ("某某国际学校 学费", "private_school", 7),
        ("某某人寿保险股份有限公司 保费", "insurance_premium", 8),
        ("中国铁路网络有限公司 G1002 一等座", "rail", 9),
        ("爱马仕 专柜", "luxury", 9),
    ],
)
def test_each_of_the_nine_restricted_items_has_a_category(text: str, category: str, item: int) -> None:
    # rule: — the nine items of 限消规定 Art 3(1), each with the screening code of its register
    assert CAT.category(text) == category
    assert spending.restricted_item(category, DEFAULT_CONFIG)[0] == item  # type: ignore[index]
    assert category in DEFAULT_CONFIG["restricted_categories"]


def test_every_item_one_to_nine_is_covered() -> None:
    items = {spending.restricted_item(c, DEFAULT_CONFIG)[0] for c in DEFAULT_CONFIG["restricted_categories"]}  # type: ignore[index]
    assert items == set(range(1, 10))


def test_tipping_billed_as_a_top_up_to_the_platform_company() -> None:
    assert CAT.category("北京快手科技有限公司 充值") == "tipping"
    assert CAT.category("北京微播视界科技有限公司 抖音 钻石充值") == "tipping"
    # the same company selling something else is not tipping
    assert CAT.category("北京微播视界科技有限公司 商品订单") is None
    # full-width and spaced company names still match
    assert CAT.category("北京 快手科技 有限公司　充值") == "tipping"


def test_the_merchant_list_is_configuration() -> None:
    config = complete(
        {"merchants": [{"name": "某某互娱科技有限公司", "category": "tipping", "when": "充值"}]}
    )
    assert spending.Catalogue(config).category("某某互娱科技有限公司 充值") == "tipping"
    assert CAT.category("某某互娱科技有限公司 充值") is None


def test_foreign_places_are_evidence_only_when_named() -> None:
    assert CAT.foreign_place("APPLE.COM/BILL") is False
    assert CAT.foreign_place("SEVEN ELEVEN TOKYO") is True
    assert CAT.foreign_place("大阪烧") is True  # only read on foreign-currency lines (see the SQL)


FOREIGN = HEADER + (
    "2026-03-01 10:00:00,-20.00,APPLE.COM/BILL,,订阅,USD,,F1\n"  # online: not travel abroad
    "2026-03-05 10:00:00,-50.00,SEVEN ELEVEN TOKYO,,消费,USD,,F2\n"  # a place abroad
    "2026-03-09 10:00:00,-80.00,LAWSON,,消费,USD,,F3\n"  # the trip abroad covers this day
    "2026-03-20 10:00:00,-60.00,某餐厅,,消费,CNY,,F4\n"
)
TRIP = (
    "类型,开始时间,结束时间,出发地,目的地,航班车次或酒店,舱位座席或星级,金额,国家或地区\n"
    "航班,2026-03-08 08:00:00,2026-03-08 12:00:00,广州,大阪,CZ385,经济舱,2000,日本\n"
)


def test_a_foreign_currency_line_alone_is_not_travel_abroad(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    judge = people["judge"]
    generic = services.save_preset(judge, dict(GENERIC))
    load(debtor, judge, generic, FOREIGN.encode())
    load_travel(debtor, judge, TRIP)
    p = services.compute_profile(
        judge, debtor, start=date(2026, 1, 1), end=date(2026, 6, 30), restrictions=[(date(2026, 1, 1), None)]
    )
    cats = p.indicators["categories"]
    assert Decimal(str(cats["foreign"]["net"])) == Decimal("142.47")  # 20 USD × 7.1234
    assert Decimal(str(cats["abroad"]["net"])) == Decimal("926.04")  # 356.17 + 569.87, converted per line
    tx_days = sorted(v["day"] for v in p.indicators["violations"] if v["src"] == "tx")
    assert tx_days == ["2026-03-05", "2026-03-09"]
