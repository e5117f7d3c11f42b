"""Behaviours a debtor may show, each in the variants real statements print, and honest look-alikes.

Every function appends events/trips to the debtor and notes the variant; the labels are derived
afterwards from the events' tags (`labels.py`), never from what a rule would detect.
"""

# ruff: noqa: E501  (tables of events and layouts: one record per line reads better than wrapped)

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from . import people
from .model import P_END, Debtor, Event, Relative, Trip
from .world import ABROAD, LUXURY, TIPS, Life, _in_period, dated, months

CITIES = ["北京", "上海", "成都", "杭州", "三亚", "西安", "重庆"]


def luxury(x: Life, deb: Debtor) -> None:
    """Luxury goods, flights, star hotels, games, shopping abroad: 2–7 purchases, any time."""
    rng = x.rng
    picks = [rng.choice(LUXURY) for _ in range(rng.randint(2, 7))]
    deb.variants["luxury_spending"] = "+".join(sorted({p[2] for p in picks}))
    for cp, item, tag in picks:
        lo, hi = {
            "luxury": (3000, 30000),
            "air": (800, 4000),
            "star_hotel": (900, 3500),
            "gaming": (300, 3000),
        }[tag]
        ts = x.at(x.day(_in_period(deb.effective_on - timedelta(days=60)), P_END))
        deb.events.append(
            Event(ts, -x.money(lo, hi), cp, summary=item, category="消费", channel="any", tag=tag)
        )
    if rng.random() < 0.4:  # a trip abroad, paid in the local currency by bank card
        cur, shop = rng.choice(ABROAD)
        rate = {"HKD": 0.9, "JPY": 0.05, "USD": 7.1}[cur]
        dated(
            x,
            deb,
            deb.effective_on,
            P_END,
            lambda ts: Event(
                ts,
                -Decimal(str(round(rng.uniform(800, 9000) / rate, 2))),
                shop,
                summary="消费",
                currency=cur,
                channel="bank",
                tag="abroad",
            ),
            rng.randint(1, 3),
        )


def trips(x: Life, deb: Debtor, n: int, restricted: bool) -> None:
    """Travel records (the network's 出行记录): flights, trains, hotels; `restricted` picks what 限消 forbids."""
    rng = x.rng
    lo = (
        deb.restricted_from if (restricted and deb.restricted_from) else deb.effective_on - timedelta(days=90)
    )
    for _ in range(n):
        d = x.day(_in_period(lo), P_END)
        start = x.at(d, 6, 20)
        city = rng.choice(CITIES)
        if restricted:
            kind = rng.choice(
                ["flight", "g_second", "d_first", "hotel5", "hotel_luxe", "hotel_high", "abroad"]
            )
        else:
            kind = rng.choice(["d_second", "k_train", "budget_hotel"])
        amt = x.money(150, 3000)
        if kind == "flight":
            deb.trips.append(
                Trip(
                    "航班",
                    start,
                    start + timedelta(hours=3),
                    "广州",
                    city,
                    rng.choice(["CZ3101", "MU5302", "CA1316"]),
                    "经济舱",
                    amt,
                    tag="air",
                )
            )
        elif kind in ("g_second", "d_first", "d_second", "k_train"):
            carrier = {"g_second": "G", "d_first": "D", "d_second": "D", "k_train": "K"}[kind] + str(
                rng.randint(100, 9999)
            )
            seat = {"d_first": "一等座", "k_train": "硬座"}.get(kind, "二等座")
            tag = (
                "rail" if kind in ("g_second", "d_first") else ""
            )  # 限消 Art 3(1): G trains, other first class
            deb.trips.append(
                Trip(
                    "火车", start, start + timedelta(hours=4), "广州南", city, carrier, seat, amt / 3, tag=tag
                )
            )
        elif kind == "abroad":
            deb.trips.append(
                Trip(
                    "航班",
                    start,
                    start + timedelta(hours=5),
                    "广州",
                    "东京",
                    "NH934",
                    "经济舱",
                    amt,
                    country="日本",
                    tag="abroad",
                )
            )
        else:
            seat = {
                "hotel5": "五星级",
                "hotel_luxe": "豪华型",
                "hotel_high": "高档型",
                "budget_hotel": "经济型",
            }[kind]
            name = {"budget_hotel": "汉庭酒店"}.get(
                kind, rng.choice(["希尔顿酒店", "亚朵酒店", "喜来登酒店", "柏悦酒店"])
            )
            deb.trips.append(
                Trip(
                    "酒店",
                    start,
                    start + timedelta(days=rng.randint(1, 3)),
                    "",
                    city,
                    name,
                    seat,
                    amt,
                    tag="" if kind == "budget_hotel" else "star_hotel",
                )
            )
        if restricted:  # the variant: which restricted kinds the records show (sorted, distinct)
            kinds = set(filter(None, deb.variants.get("restriction_violation", "").split("+"))) | {kind}
            deb.variants["restriction_violation"] = "+".join(sorted(kinds))


def tipping(x: Life, deb: Debtor) -> None:
    rng = x.rng
    cp, item = rng.choice(TIPS)
    deb.variants["tipping"] = f"{cp}/{item}"
    dated(
        x,
        deb,
        deb.effective_on - timedelta(days=200),
        P_END,
        lambda ts: Event(
            ts.replace(hour=rng.randint(20, 23)),
            -x.money(30, 800),
            cp,
            summary=item,
            category="文化休闲",
            channel="wallet",
            tag="tip",
        ),
        rng.randint(8, 40),
    )


P_START_SAFE = date(2024, 1, 1)


def relative_transfers(x: Life, deb: Debtor, rel: Relative, variant: str, planted: bool) -> None:
    """Transfers to a relative; `planted`: deliberate sums after judgment, else household pocket money."""
    rng = x.rng
    cp, account = people.written(rng, rel.name, rel.account, variant)
    if planted:
        deb.variants["related_transfers"] = f"{rel.found_by}/{variant}"
        dated(
            x,
            deb,
            deb.effective_on + timedelta(days=5),
            P_END,
            lambda ts: Event(
                ts,
                -Decimal(rng.choice([2000, 3000, 5000, 8000, 10000, 20000, 30000]))
                - x.money(0, 999) * rng.choice([0, 1]),
                cp,
                account,
                "转账",
                "转账红包",
                channel="any",
                tag="related",
            ),
            rng.randint(3, 8),
        )
        return
    for m in months():
        if rng.random() < 0.5:
            dated(
                x,
                deb,
                m,
                m + timedelta(days=27),
                lambda ts: Event(
                    ts, -x.money(50, 500), cp, account, "转账", "转账红包", channel="wallet", tag="household"
                ),
                1,
            )
    if rng.random() < 0.3:  # a wedding gift before the judgment
        dated(
            x,
            deb,
            P_START_SAFE,
            deb.effective_on - timedelta(days=10),
            lambda ts: Event(
                ts,
                -Decimal(rng.choice([6000, 10000, 20000])),
                cp,
                account,
                "转账",
                channel="bank",
                tag="gift_before",
            ),
            1,
        )


def round_trip(x: Life, deb: Debtor) -> None:
    """Money parked with someone and returned within three weeks (sometimes in two parts or via Alipay)."""
    rng = x.rng
    friend = people.person(rng)
    variant = rng.choices(["same", "split", "alipay_back", "late"], [55, 15, 15, 15])[0]
    deb.variants["round_tripping"] = variant
    for _ in range(rng.randint(1, 3)):
        d = x.day(deb.effective_on, P_END - timedelta(days=30))
        amt = Decimal(rng.choice([5000, 8000, 10000, 20000, 30000, 50000]))
        deb.events.append(Event(x.at(d), -amt, friend, summary="转账", channel="bank", tag="rt_out"))
        back = d + timedelta(days=rng.randint(15, 21) if variant == "late" else rng.randint(2, 12))
        ret = (amt * Decimal(str(round(rng.uniform(0.98, 1.02), 3)))).quantize(Decimal("0.01"))
        cp = f"支付宝-{friend}" if variant == "alipay_back" else friend
        if variant == "split":
            half = (ret / 2).quantize(Decimal("0.01"))
            deb.events.append(Event(x.at(back), half, cp, summary="转账", channel="bank", tag="rt_back"))
            deb.events.append(
                Event(
                    x.at(back + timedelta(days=1)),
                    ret - half,
                    cp,
                    summary="转账",
                    channel="bank",
                    tag="rt_back",
                )
            )
        else:
            deb.events.append(Event(x.at(back), ret, cp, summary="转账", channel="bank", tag="rt_back"))


def evasion(x: Life, deb: Debtor) -> None:
    """Money moved away in the 30 days before the freeze, by one of the ways debtors really use."""
    assert deb.freeze_on is not None
    rng = x.rng
    way = rng.choices(
        ["atm", "counter", "to_person", "to_wallet", "gold", "own_other_bank"], [25, 15, 25, 15, 10, 10]
    )[0]
    deb.variants["evasion"] = way
    total = rng.uniform(15000, 80000)
    n = rng.randint(2, 6)
    lo, hi = deb.freeze_on - timedelta(days=28), deb.freeze_on - timedelta(days=1)
    cp, summary = {
        "atm": ("", "ATM取款"),
        "counter": ("", "柜台取现"),
        "to_person": (people.person(rng), "手机银行转账"),
        "to_wallet": ("支付宝(中国)网络技术有限公司", "快捷支付"),
        "gold": ("中国黄金", "购买投资金条"),
        "own_other_bank": (deb.name, "他行转出"),
    }[way]
    if way == "atm":
        n = max(n, int(total // 20000) + 1)  # an ATM pays out at most 20,000 a day
    dated(
        x,
        deb,
        lo,
        hi,
        lambda ts: Event(
            ts, -Decimal(str(round(total / n, -2))), cp, summary=summary, channel="bank", tag="evasion"
        ),
        n,
    )
    # the money came in earlier (so the balance never goes negative)
    dated(
        x,
        deb,
        lo - timedelta(days=60),
        lo,
        lambda ts: Event(
            ts,
            Decimal(str(round(total, 2))),
            people.person(rng),
            summary="转账",
            channel="bank",
            tag="inflow_before",
        ),
        1,
    )


def property_payments(x: Life, deb: Debtor) -> None:
    """Regular payments that point at property: rent, car loan, mortgage, insurance; any frequency."""
    rng = x.rng
    kind = rng.choices(
        ["rent", "rent_plain", "car_loan", "mortgage", "mortgage_nocp", "rent_quarterly", "insurance_yearly"],
        [20, 15, 20, 15, 10, 10, 10],
    )[0]
    deb.variants["regular_payees"] = kind
    landlord = people.person(rng)
    cp, summary, amount, step = {
        "rent": (f"房东{landlord}", "房租", rng.choice([1500, 2200, 3000, 4500]), 1),
        "rent_plain": (landlord, "转账", rng.choice([1500, 2200, 3000, 4500]), 1),
        "car_loan": ("上汽通用汽车金融有限责任公司", "车贷还款", round(rng.uniform(1800, 5000), 2), 1),
        "mortgage": ("中国建设银行", "个人住房贷款还款", round(rng.uniform(2500, 9000), 2), 1),
        "mortgage_nocp": ("", "个人住房贷款还款", round(rng.uniform(2500, 9000), 2), 1),
        "rent_quarterly": (landlord, "房租", rng.choice([4500, 6600, 9000]), 3),
        "insurance_yearly": ("中国平安人寿保险股份有限公司", "保费", round(rng.uniform(3000, 12000), 2), 12),
    }[kind]
    day = rng.randint(1, 25)
    for m in months()[::step]:
        d = m + timedelta(days=min(27, max(0, day - 1 + rng.randint(-2, 2))))
        deb.events.append(
            Event(x.at(d), -Decimal(str(amount)), cp, summary=summary, channel="bank", tag="property")
        )
