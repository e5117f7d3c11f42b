"""Names, pinyin, addresses and the ways a statement writes a person's name (pure)."""

# ruff: noqa: E501  (tables of events and layouts: one record per line reads better than wrapped)

from __future__ import annotations

import random

SURNAMES = {
    "张": "ZHANG",
    "王": "WANG",
    "李": "LI",
    "刘": "LIU",
    "陈": "CHEN",
    "杨": "YANG",
    "黄": "HUANG",
    "赵": "ZHAO",
    "周": "ZHOU",
    "吴": "WU",
    "徐": "XU",
    "孙": "SUN",
    "马": "MA",
    "朱": "ZHU",
    "胡": "HU",
    "郭": "GUO",
    "何": "HE",
    "林": "LIN",
    "罗": "LUO",
    "高": "GAO",
    "梁": "LIANG",
    "宋": "SONG",
    "郑": "ZHENG",
    "谢": "XIE",
}
GIVEN = {
    "伟": "WEI",
    "芳": "FANG",
    "娜": "NA",
    "敏": "MIN",
    "静": "JING",
    "丽": "LI",
    "强": "QIANG",
    "磊": "LEI",
    "军": "JUN",
    "洋": "YANG",
    "勇": "YONG",
    "艳": "YAN",
    "杰": "JIE",
    "娟": "JUAN",
    "涛": "TAO",
    "明": "MING",
    "超": "CHAO",
    "秀": "XIU",
    "霞": "XIA",
    "平": "PING",
    "刚": "GANG",
    "桂": "GUI",
    "英": "YING",
    "华": "HUA",
    "文": "WEN",
    "建": "JIAN",
    "国": "GUO",
    "玲": "LING",
    "红": "HONG",
    "峰": "FENG",
    "慧": "HUI",
    "鑫": "XIN",
}
DISTRICTS = ["天河区", "越秀区", "海珠区", "白云区", "番禺区", "黄埔区", "荔湾区", "花都区"]
ROADS = ["中山大道", "天河北路", "黄埔大道", "解放路", "江南大道", "广州大道", "环城路", "东风路"]


def person(rng: random.Random, surname: str | None = None) -> str:
    """A plausible Chinese name: surname plus one or two given-name characters."""
    s = surname or rng.choice(list(SURNAMES))
    n = 1 if rng.random() < 0.35 else 2
    return s + "".join(rng.choice(list(GIVEN)) for _ in range(n))


def pinyin(name: str) -> str:
    """ "张三丰" → "ZHANG SANFENG" (the way a bank's foreign-currency or cross-border line prints it)."""
    head = SURNAMES.get(name[0], "X")
    tail = "".join(GIVEN.get(c, "X") for c in name[1:])
    return f"{head} {tail}"


def address(rng: random.Random, n: int) -> str:
    road = rng.choice(ROADS)
    return f"广东省广州市{rng.choice(DISTRICTS)}{road}{n % 900 + 1}号{rng.randint(1, 30)}栋{rng.randint(101, 2808)}房"


def card(rng: random.Random) -> str:
    return "6222" + "".join(str(rng.randint(0, 9)) for _ in range(12))


def written(rng: random.Random, name: str, account: str, variant: str) -> tuple[str, str]:
    """(counterparty, account) as a statement prints a transfer to `name` in the given variant.

    exact: the full name; alipay: "支付宝-张三" (a bank line paying through the person's Alipay);
    masked: "张*" / "*三" (wallets mask names); pinyin: "ZHANG SAN"; account: no name, the card only.
    """
    if variant == "alipay":
        return f"支付宝-{name}", ""
    if variant == "wechat":
        return f"财付通-{name}", ""
    if variant == "masked":
        return (name[0] + "*" * (len(name) - 1)) if rng.random() < 0.5 else "*" + name[1:], ""
    if variant == "pinyin":
        return pinyin(name), account
    if variant == "account":
        return "", account
    return name, account
