"""Honest debtors' flows that look like a behaviour: the false positives a rule should not produce.

Medical bills paid with family support, the sale of the debtor's own car paid on to the court, a
rental deposit returned, foreign-currency card payments that are not travel, live-stream courses and
shopping, support for parents and a gym membership paid monthly. Each notes itself in `deb.honest`.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from . import people
from .behaviours import P_START_SAFE
from .model import P_END, Debtor, Event, Relative
from .world import HOSPITALS, ONLINE_FOREIGN, Life, dated, months


def tipping_lookalikes(x: Life, deb: Debtor) -> None:
    """Honest spending whose words look like tipping: live-stream courses, shopping from a live room."""
    rng = x.rng
    if rng.random() < 0.5:
        dated(
            x,
            deb,
            P_START_SAFE,
            P_END,
            lambda ts: Event(
                ts,
                -x.money(199, 1999),
                "腾讯课堂",
                summary="直播课 课程费",
                category="教育培训",
                channel="wallet",
            ),
            rng.randint(1, 3),
        )
        deb.honest.append("live_course")
    else:
        dated(
            x,
            deb,
            P_START_SAFE,
            P_END,
            lambda ts: Event(
                ts, -x.money(30, 300), "抖音小店", summary="直播间下单", category="日用百货", channel="wallet"
            ),
            rng.randint(3, 10),
        )
        deb.honest.append("live_shopping")


def deposit_refund(x: Life, deb: Debtor) -> None:
    """Honest: a rental deposit paid to a landlord and returned when the deal fell through."""
    landlord = people.person(x.rng)
    d = x.day(deb.effective_on, P_END - timedelta(days=20))
    amt = Decimal(x.rng.choice([5000, 6000, 8000, 10000]))
    deb.events.append(Event(x.at(d), -amt, landlord, summary="转账 押金", channel="bank", tag="deposit"))
    deb.events.append(
        Event(
            x.at(d + timedelta(days=x.rng.randint(2, 9))),
            amt,
            landlord,
            summary="转账 退押金",
            channel="bank",
            tag="deposit",
        )
    )
    deb.honest.append("deposit_refund")


def medical(x: Life, deb: Debtor, relatives: list[Relative]) -> None:
    """Honest: large hospital bills (some right before the freeze), paid with family support."""
    rng = x.rng
    lo = (deb.freeze_on - timedelta(days=25)) if deb.freeze_on and rng.random() < 0.5 else deb.effective_on
    dated(
        x,
        deb,
        lo,
        lo + timedelta(days=120),
        lambda ts: Event(
            ts,
            -x.money(8000, 60000),
            rng.choice(HOSPITALS),
            summary="住院费",
            category="医疗健康",
            channel="bank",
            tag="medical",
        ),
        rng.randint(1, 4),
    )
    family_support(x, deb, relatives, months_n=rng.randint(4, 10))
    deb.honest.append("medical")


def family_support(x: Life, deb: Debtor, relatives: list[Relative], months_n: int | None = None) -> None:
    """Honest: a parent or sibling sends a fixed sum every month (looks like a person paying a salary)."""
    rng = x.rng
    giver = next((r for r in relatives if r.relation in ("parent", "sibling")), None)
    name = giver.name if giver else people.person(rng, deb.name[0])
    amount = rng.choice([1000, 1500, 2000, 3000, 5000])
    ms = months()
    start = rng.randint(0, max(0, len(ms) - (months_n or 12)))
    for m in ms[start : start + (months_n or rng.randint(6, 18))]:
        dated(
            x,
            deb,
            m + timedelta(days=rng.randint(0, 3)),
            m + timedelta(days=rng.randint(4, 9)),
            lambda ts: Event(
                ts, Decimal(amount), name, summary="转账", category="转账红包", channel="any", tag="support"
            ),
            1,
        )
    deb.honest.append("family_support")


def car_sale(x: Life, deb: Debtor) -> None:
    """Honest: the debtor sells their own car and pays the proceeds to the court (执行款)."""
    rng = x.rng
    d = x.day(deb.effective_on + timedelta(days=30), P_END - timedelta(days=30))
    amt = Decimal(rng.choice([40000, 65000, 90000, 150000]))
    buyer = rng.choice(["瓜子二手车", people.person(rng)])
    deb.events.append(Event(x.at(d), amt, buyer, summary="转账 车款", channel="bank", tag="car_sale"))
    deb.events.append(
        Event(
            x.at(d + timedelta(days=2)),
            -min(amt, Decimal(deb.claim)),
            "广州市天河区人民法院",
            summary="执行款",
            channel="bank",
            tag="to_court",
        )
    )
    deb.honest.append("car_sale")


def foreign_online(x: Life, deb: Debtor) -> None:
    """Honest: foreign-currency card payments that are not travel (subscriptions, cross-border shops)."""
    cur, shop = x.rng.choice(ONLINE_FOREIGN)
    dated(
        x,
        deb,
        P_START_SAFE,
        P_END,
        lambda ts: Event(
            ts, -x.money(8, 60), shop, summary="境外交易", currency=cur, channel="bank", tag="foreign_online"
        ),
        x.rng.randint(2, 12),
    )
    deb.honest.append("foreign_online")


def payee_lookalikes(x: Life, deb: Debtor, relatives: list[Relative]) -> None:
    """Honest regular payments that are no property lead: support for parents, a gym membership."""
    rng = x.rng
    if rng.random() < 0.5:
        parent = next((r.name for r in relatives if r.relation == "parent"), people.person(rng, deb.name[0]))
        cp, summary, amount = parent, "转账", rng.choice([800, 1000, 1500, 2000])
        deb.honest.append("supports_parents")
    else:
        cp, summary, amount = "某某健身工作室", "月卡", 399
        deb.honest.append("gym")
    for m in months()[rng.randint(0, 8) :]:
        deb.events.append(
            Event(
                x.at(m + timedelta(days=rng.randint(3, 7))),
                -Decimal(amount),
                cp,
                summary=summary,
                channel="any",
                tag="payee_noise",
            )
        )
