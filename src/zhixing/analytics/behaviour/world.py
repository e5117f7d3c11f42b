"""Debtors with realistic behaviour and the ground truth of every rule (pure, deterministic by seed).

Each debtor draws an ordinary life (shopping, bills, small transfers, refunds, reversals, 不计收支
lines) and, independently, behaviours in the variants real statements show. Labels are derived from
what was generated, by the rule's *intent* (docs/analytics.md, 限消规定 Art 3, 失信规定 Art 1):

- regular_income: a stable salary-like income (any payer, weekly, fortnightly or monthly, ≥ 1,000 yuan
  a month) — irregular gig income is not; hidden_salary: such income paid by a natural person;
- inflow_vs_claim: *earned* income in the period ≥ the claim (salary, gig, business takings; not
  family support, a car sale, money coming back, refunds);
- luxury_spending: restricted categories + gaming ≥ 5,000 yuan, or ≥ 3 restricted trips;
- tipping: live-stream tipping ≥ 1,000 yuan, whatever the platform calls the charge;
- restriction_violation: a restricted consumption (flight, G train or first class, star hotel, travel
  abroad, luxury goods) on a day a restriction is in force;
- related_transfers: ≥ 5,000 yuan of deliberate transfers to a relative or linked company after the
  judgment (household pocket money to a spouse is not);
- round_tripping: money parked with someone and returned within three weeks;
- evasion: a deliberate cash-out / move of money away in the 30 days before the freeze;
- balance_threshold: the debtor sweeps the account to keep it just under a round threshold;
- regular_payees: regular payments that point at property (rent, mortgage, car loan, insurance),
  whatever their frequency.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import people
from .model import P_END, P_START, Debtor, Event

SHOPS = [
    ("永辉超市", "日用百货"),
    ("美团外卖", "餐饮美食"),
    ("全家便利店", "日用百货"),
    ("沙县小吃", "餐饮美食"),
    ("滴滴出行", "交通出行"),
    ("拼多多", "日用百货"),
    ("京东商城", "数码电器"),
    ("大药房", "医疗健康"),
    ("理发店", "美容美发"),
    ("菜市场摊位", "餐饮美食"),
    ("抖音商城", "日用百货"),
    ("淘宝网", "服饰装扮"),
]
COMPANIES = [
    "广州某科技有限公司",
    "佛山某制造有限公司",
    "深圳某贸易有限公司",
    "东莞某电子厂",
    "广州某物流中心",
]
TIPS = [  # (counterparty, item): how each platform bills a tip on a wallet statement
    ("抖音直播", "抖币充值"),
    ("北京微播视界科技有限公司", "充值"),
    ("北京快手科技有限公司", "快币充值"),
    ("北京快手科技有限公司", "充值"),
    ("广州虎牙信息科技有限公司", "虎牙币充值"),
    ("武汉斗鱼鱼乐网络科技有限公司", "鱼翅充值"),
    ("北京蜜莱坞网络科技有限公司", "映客钻石充值"),
]
LUXURY = [  # (counterparty, item, tag)
    ("LOUIS VUITTON北京SKP店", "手袋", "luxury"),
    ("北京SKP", "古驰专柜", "luxury"),
    ("Bottega Veneta 广州太古汇", "皮具", "luxury"),
    ("周大福珠宝", "黄金首饰", "luxury"),
    ("中国国际航空股份有限公司", "机票", "air"),
    ("携程旅行网", "机票订单", "air"),
    ("去哪儿网", "订单支付", "air"),
    ("上海浦东香格里拉大酒店", "住宿", "star_hotel"),
    ("北京王府半岛酒店", "房费", "star_hotel"),
    ("王者荣耀", "点券充值", "gaming"),
    ("深圳市腾讯天游科技有限公司", "游戏充值", "gaming"),
]
ABROAD = [("HKD", "DFS免税店 尖沙咀"), ("JPY", "松本清 新宿店"), ("USD", "MACY'S NEW YORK")]
ONLINE_FOREIGN = [("USD", "NETFLIX.COM"), ("USD", "AMAZON.COM"), ("HKD", "HKTVMALL")]
HOSPITALS = ["中山大学附属第一医院", "广东省人民医院", "南方医科大学南方医院"]


class Life:
    """One debtor's generator: an rng, the debtor, and helpers to add dated events."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(seed * 1_000_003 + index)
        self.truth: dict[str, object] = {}

    def day(self, lo: date, hi: date) -> date:
        return lo + timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def at(self, d: date, lo: int = 8, hi: int = 22) -> datetime:
        return datetime(
            d.year, d.month, d.day, self.rng.randint(lo, hi), self.rng.randint(0, 59), self.rng.randint(0, 59)
        )

    def money(self, lo: float, hi: float) -> Decimal:
        return Decimal(str(round(self.rng.uniform(lo, hi), 2)))


def months(start: date = P_START, end: date = P_END) -> list[date]:
    out, d = [], date(start.year, start.month, 1)
    while d <= end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _in_period(d: date) -> date:
    return min(max(d, P_START), P_END)


def ordinary_life(x: Life, deb: Debtor) -> None:
    rng, ev = x.rng, deb.events
    cash_user = rng.random() < 0.4
    for m in months():
        end = date(m.year + (m.month == 12), m.month % 12 + 1, 1) - timedelta(days=1)
        for _ in range(rng.randint(6, 20)):
            shop, cat = rng.choice(SHOPS)
            amount = x.money(6, 260) if rng.random() < 0.9 else x.money(260, 1500)
            ts = x.at(x.day(m, end))
            ev.append(Event(ts, -amount, shop, summary="商品", category=cat, channel="wallet"))
            if rng.random() < 0.04:  # a refund a few days later
                back = amount if rng.random() < 0.7 else (amount / 2).quantize(Decimal("0.01"))
                ev.append(
                    Event(
                        ts + timedelta(days=rng.randint(1, 6)),
                        back,
                        shop,
                        summary=f"退款-{shop}",
                        category="退款",
                        channel="wallet",
                        mark="refund",
                    )
                )
        ev.append(
            Event(
                x.at(m + timedelta(days=rng.randint(3, 12))),
                -x.money(60, 320),
                "国网广东电力",
                summary="电费",
                category="生活缴费",
                channel="bank",
            )
        )
        ev.append(
            Event(
                x.at(m + timedelta(days=rng.randint(1, 9))),
                -x.money(48, 138),
                "中国移动",
                summary="话费充值",
                category="充值缴费",
                channel="wallet",
            )
        )
        for _ in range(rng.randint(0, 2)):  # small transfers with friends, both ways
            friend = people.person(rng)
            sign = -1 if rng.random() < 0.6 else 1
            ev.append(
                Event(
                    x.at(x.day(m, end)),
                    sign * x.money(20, 800),
                    friend,
                    summary="转账",
                    category="转账红包",
                    channel="wallet",
                )
            )
        if rng.random() < 0.5:  # 余额宝 / 零钱通: neither income nor spending
            ev.append(
                Event(
                    x.at(x.day(m, end)),
                    x.money(50, 3000),
                    "余额宝",
                    summary="余额宝-转入",
                    category="投资理财",
                    channel="wallet",
                    mark="neutral",
                )
            )
        if rng.random() < 0.1:  # a closed order (交易关闭)
            shop, cat = rng.choice(SHOPS)
            ev.append(
                Event(
                    x.at(x.day(m, end)),
                    -x.money(20, 600),
                    shop,
                    summary="商品",
                    category=cat,
                    channel="wallet",
                    mark="closed",
                )
            )
        if cash_user and rng.random() < 0.7:
            ev.append(
                Event(
                    x.at(x.day(m, end)),
                    -Decimal(rng.choice([200, 300, 500, 1000, 2000])),
                    "",
                    summary="ATM取款",
                    channel="bank",
                )
            )
        if rng.random() < 0.03:  # a bank transfer booked and reversed the next day
            amt = x.money(100, 5000)
            ts = x.at(x.day(m, end))
            who = people.person(rng)
            ev.append(Event(ts, -amt, who, summary="跨行转账", channel="bank"))
            ev.append(
                Event(
                    ts + timedelta(days=1), amt, who, summary="跨行转账冲正", channel="bank", mark="reversal"
                )
            )


def salary(x: Life, deb: Debtor, kind: str | None = None) -> None:
    """Income by employment: kind decides payer and rhythm; labels follow the intent above."""
    rng = x.rng
    kind = (
        kind
        or rng.choices(
            [
                "none",
                "org_monthly",
                "org_biweekly",
                "org_weekly",
                "person_monthly",
                "person_biweekly",
                "person_alipay",
                "person_masked",
                "gig",
            ],
            [30, 22, 5, 5, 12, 4, 5, 3, 14],
        )[0]
    )
    x.truth["salary"] = kind
    if kind == "none":
        return
    monthly = rng.uniform(3000, 15000)
    first = _in_period(P_START + timedelta(days=rng.randint(0, 150)))
    last = P_END - timedelta(days=rng.randint(0, 120))
    if kind == "gig":  # delivery/ride-hailing payouts: irregular days and amounts, several payers
        d = first
        while d <= last:
            payer = rng.choice(["美团配送", "滴滴出行科技有限公司", people.person(rng)])
            deb.events.append(
                Event(
                    x.at(d),
                    x.money(80, monthly / 3),
                    payer,
                    summary="转账",
                    category="其他",
                    channel="any",
                    tag="gig",
                    income=True,
                )
            )
            d += timedelta(days=rng.randint(2, 16))
        return
    if kind.startswith("org"):
        payer, account, summary = rng.choice(COMPANIES), people.card(rng), "代发工资"
    else:
        name = people.person(rng)
        variant = {"person_alipay": "alipay", "person_masked": "masked"}.get(kind, "exact")
        payer, account = people.written(rng, name, people.card(rng), variant)
        summary = rng.choice(["转账", "工资", "网银转账"])
    step = {"weekly": 7, "biweekly": 14}.get(kind.split("_")[-1])
    per = monthly * (step or 30.4) / 30.4
    stamps: list[date] = []
    if step:
        d = first
        while d <= last:
            stamps.append(d)
            d += timedelta(days=step)
    else:
        payday = rng.randint(1, 25)
        for m in months(first, last):
            shift = rng.randint(-3, 3)  # weekends and holidays move the payday
            stamps.append(_in_period(m + timedelta(days=payday - 1 + shift)))
    for d in stamps:
        amount = Decimal(str(round(per * rng.uniform(0.96, 1.04), 2)))
        deb.events.append(
            Event(
                x.at(d, 9, 18),
                amount,
                payer,
                account,
                summary,
                "转账",
                channel="bank",
                tag="salary",
                income=True,
            )
        )
    if kind == "org_monthly":  # year-end bonus from the same payer
        for y in (2024, 2025):
            d = date(y, 1, rng.randint(15, 28)) if y == 2025 else date(2025, 12, rng.randint(20, 28))
            if first <= d <= last:
                deb.events.append(
                    Event(
                        x.at(d),
                        Decimal(str(round(monthly * rng.uniform(1, 3), 2))),
                        payer,
                        account,
                        "奖金",
                        "转账",
                        channel="bank",
                        tag="salary",
                        income=True,
                    )
                )
    deb.variants["regular_income"] = kind
    deb.variants["hidden_salary"] = kind


def business(x: Life, deb: Debtor) -> None:
    """A self-employed debtor's takings: many QR-code payments from customers."""
    for m in months():
        for _ in range(x.rng.randint(15, 60)):
            deb.events.append(
                Event(
                    x.at(m + timedelta(days=x.rng.randint(0, 27))),
                    x.money(15, 600),
                    people.person(x.rng),
                    summary="二维码收款",
                    category="收款",
                    channel="wallet",
                    tag="business",
                    income=True,
                )
            )


def dated(x: Life, deb: Debtor, lo: date, hi: date, make: Callable[[datetime], Event], n: int) -> None:
    for _ in range(n):
        deb.events.append(make(x.at(x.day(_in_period(lo), _in_period(hi)))))
