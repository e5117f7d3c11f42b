"""Demo auctions (run by `seed_demo` through `manage.py auctions_demo`): lots in every state on the
first demo court — announced, bidding now (ending in two hours), sold awaiting the balance, confirmed
with the ruling served, failed and re-auctioned, defaulted, set off — each from a seized asset with its
reference price, through the real services (ledger entries and audit records included)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.inquiry.models import Asset, Partner

from . import services
from .models import Bidder, Lot
from .services import sandbox_bank

TZ = ZoneInfo("Asia/Shanghai")


def _id(birth: date, seq: int) -> str:
    body = f"440106{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=TZ)


def _asset(case: EnforcementCase, kind: str, ref: str, value: str, seized_on: date) -> Asset:
    partner = Partner.objects.get(code="REG-ESTATE" if kind == "house" else "MPS-VEHICLE")
    return Asset.objects.create(
        case=case,
        party=case.parties.filter(role="debtor").order_by("pk")[0],
        partner=partner,
        category=partner.category,
        kind=kind,
        ref=ref,
        description="演示拍卖财产",
        value=Decimal(value),
        divisible=False,
        state=Asset.State.SEIZED,
        seizure_rank=1,
        registered_on=seized_on,
        effective_on=seized_on,
        control_start=seized_on,
        control_expires=seized_on + timedelta(days=3 * 365 if kind == "house" else 2 * 365),
        found_at=_at(seized_on),
    )


def _lot(
    judge: Any,
    asset: Asset,
    title: str,
    start_on: date,
    *,
    value: Decimal,
    previous: Lot | None = None,
    hours: int = 24,
    start_at: datetime | None = None,
    publish: bool = True,
) -> Lot:
    house = asset.kind == "house"
    notice = (15 if house else 7) if previous else (30 if house else 15)
    starts = start_at or _at(start_on)
    announced = starts.date() - timedelta(days=notice)
    start_price = (
        (previous.start_price * Decimal("0.8")).quantize(Decimal("1")) if previous else value * Decimal("0.7")
    )
    lot = services.create_lot(
        judge,
        asset.pk,
        services.LotInput(
            title=title,
            description="现状交付，过户税费按法律规定各自承担。演示数据。",
            start_price=f"{start_price:.2f}",
            increment=f"{max(start_price / 100, Decimal('500')).quantize(Decimal('1')):.2f}",
            deposit=f"{(start_price / 10).quantize(Decimal('1')):.2f}",
            notified_on=announced - timedelta(days=3),
            announced_on=announced,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            panel=["审判长 " + judge.get_full_name(), "审判员 李明", "审判员 周红"],
        ),
        previous=previous,
    )
    return services.publish_lot(judge, lot.pk) if publish else lot


def _bidders() -> list[Bidder]:
    out = []
    for i, number in enumerate([_id(date(1980 + i, 3, 1 + i), 400 + i) for i in range(4)]):
        bidder = Bidder.objects.filter(id_number=number).first()
        out.append(bidder or services.register_bidder(f"演示竞买人{'甲乙丙丁'[i]}", number)[0])
    return out


def _bid_round(lot: Lot, bidders: list[Bidder], steps: int, first_at: datetime) -> None:
    regs = []
    for b in bidders:
        reg = services.join_lot(b, lot.pk, now=first_at - timedelta(hours=1))
        regs.append(
            sandbox_bank.transfer_deposit(
                reg.pk, bank_txn=f"DEMO-DEP-{lot.pk}-{b.pk}", amount=reg.deposit_due
            )
        )
    price = lot.start_price
    for i in range(steps):
        services.place_bid(
            bidders[i % len(bidders)], lot.pk, price, arrived_at=first_at + timedelta(minutes=7 * i)
        )
        price += lot.increment


def seed(judge: Any) -> int:
    """The demo lots of `judge`'s court; returns how many lots were made."""
    today = timezone.localdate()
    cases = list(
        EnforcementCase.objects.filter(court=judge.court, status__in=OPEN_STATUSES).order_by("filed_on")[:7]
    )
    if len(cases) < 7:
        return 0
    bidders = _bidders()
    made = 0
    seized = today - timedelta(days=100)
    specs = [
        ("house", "天河区某花园3栋1202房", "2400000"),
        ("house", "天河区某大厦15层商铺", "1800000"),
        ("vehicle", "粤A·D2345 小型轿车", "160000"),
        ("house", "白云区某小区6栋302房", "1200000"),
        ("vehicle", "粤A·F7788 小型普通客车", "90000"),
        ("house", "番禺区某苑9栋701房", "950000"),
        ("house", "海珠区某路办公楼一层", "3200000"),
    ]
    assets = []
    for (kind, name, worth), case in zip(specs, cases, strict=True):
        a = _asset(case, kind, f"演示-{case.pk}-{kind}", worth, seized)
        _online_price(judge, a.pk, worth, seized)
        assets.append((a, name, Decimal(worth)))
    now = timezone.now()
    # 1. Announced, bidding not yet started: one bidder registered, its deposit transfer has reached
    # the custody account (不明款) and waits for the finance officer to record it by its bank txn id.
    a, title, value = assets[0]
    upcoming = _lot(judge, a, title, today + timedelta(days=28), value=value)
    waiting = services.join_lot(bidders[3], upcoming.pk)
    sandbox_bank.bank_notice(
        upcoming.court_id,
        f"DEMO-DEP-{upcoming.pk}-{bidders[3].pk}",
        waiting.deposit_due,
        today,
        bidders[3].name,
        f"拍卖保证金 标的{upcoming.pk} 竞买号{waiting.code}",
    )
    # 2. Bidding now: started 22 hours ago, ends in two hours, with bids.
    a, title, value = assets[1]
    lot = _lot(judge, a, title, today, value=value, start_at=now - timedelta(hours=22), hours=24)
    _bid_round(lot, bidders[:3], 5, now - timedelta(hours=20))
    # 3. Sold three days ago, the balance not yet due.
    a, title, value = assets[2]
    lot = _lot(judge, a, title, today - timedelta(days=4), value=value)
    _bid_round(lot, bidders[:2], 4, lot.starts_at + timedelta(hours=2))
    lot = services.close_lot(lot.pk, lot.ends_at + timedelta(minutes=1))
    # The buyer's balance transfer has reached the custody account (不明款 in the inbox): the finance
    # officer records it on the lot page by its bank txn id (bank_money.pay_balance).
    if lot.leader is not None and lot.current_price is not None:
        sandbox_bank.bank_notice(
            lot.court_id,
            f"DEMO-BAL-{lot.pk}",
            lot.current_price - lot.leader.deposit_paid,
            today,
            lot.leader.bidder.name,
            f"拍卖成交尾款 标的{lot.pk}",
        )
    # 4. Sold, paid, the ruling made and served.
    a, title, value = assets[3]
    lot = _lot(judge, a, title, today - timedelta(days=20), value=value)
    _bid_round(lot, bidders, 9, lot.starts_at + timedelta(hours=3))
    lot = services.close_lot(lot.pk, lot.ends_at + timedelta(minutes=1))
    winner = lot.leader
    assert winner is not None and lot.current_price is not None
    sandbox_bank.transfer_balance(  # the sandbox bank's notice, matched to the lot
        lot.pk,
        bank_txn=f"DEMO-BAL-{lot.pk}",
        amount=lot.current_price - winner.deposit_paid,
        value_date=today - timedelta(days=12),
    )
    services.confirm_sale(judge, lot.pk)
    services.serve_ruling(judge, lot.pk, today - timedelta(days=8))
    # 5. Failed, then re-auctioned (bidding opens in 10 days).
    a, title, value = assets[4]
    lot = _lot(judge, a, title, today - timedelta(days=8), value=value)
    failed = services.close_lot(lot.pk, lot.ends_at + timedelta(minutes=1))
    _lot(judge, a, title, today + timedelta(days=10), value=value, previous=failed)
    # 6. Defaulted (悔拍): sold, the balance unpaid past its deadline.
    a, title, value = assets[5]
    lot = _lot(judge, a, title, today - timedelta(days=16), value=value)
    _bid_round(lot, bidders[2:], 2, lot.starts_at + timedelta(hours=1))
    lot = services.close_lot(lot.pk, lot.ends_at + timedelta(minutes=1))
    assert lot.balance_due_on is not None
    services.record_default(judge, lot.pk, today=lot.balance_due_on + timedelta(days=1))
    # 7. Failed twice, then set off to the applicant at the last reserve price (以物抵债).
    a, title, value = assets[6]
    first = _lot(judge, a, title, today - timedelta(days=60), value=value)
    first = services.close_lot(first.pk, first.ends_at + timedelta(minutes=1))
    second = _lot(judge, a, title, today - timedelta(days=30), value=value, previous=first)
    second = services.close_lot(second.pk, second.ends_at + timedelta(minutes=1))
    services.set_off(judge, second.pk, a.case.parties.filter(role="applicant").order_by("pk")[0].name)
    made = Lot.objects.filter(court=judge.court).count()
    return made


def announced_lot(judge: Any, case: EnforcementCase, title: str, ref: str, worth: str) -> Lot:
    """A seized house of `case` whose online-inquiry report was served three days ago (its objection
    window still open, 参考价规定 Art 22) and a lot announced two days ago from that price, bidding in
    four weeks, two bidders' deposits paid: what the objections demo suspends on a price objection."""
    today = timezone.localdate()
    asset = _asset(case, "house", ref, worth, today - timedelta(days=40))
    services.set_reference_price(
        judge,
        asset.pk,
        method="online",
        amount=worth,
        started_on=today - timedelta(days=6),
        reported_on=today - timedelta(days=3),
        tried=["agreement", "directed"],
        note="网络询价：三家平台结果平均（演示）",
    )
    lot = _lot(judge, asset, title, today + timedelta(days=28), value=Decimal(worth))
    for b in _bidders()[2:]:
        reg = services.join_lot(b, lot.pk)
        sandbox_bank.transfer_deposit(reg.pk, bank_txn=f"DEMO-DEP-{lot.pk}-{b.pk}", amount=reg.deposit_due)
    lot.refresh_from_db()
    return lot


def _online_price(judge: Any, asset_id: int, worth: str, seized: date) -> None:
    """The demo's reference price: a network inquiry started 10 days after seizure, reported 3 days later."""
    services.set_reference_price(
        judge,
        asset_id,
        method="online",
        amount=worth,
        started_on=seized + timedelta(days=10),
        reported_on=seized + timedelta(days=13),
        tried=["agreement", "directed"],
        note="网络询价：三家平台结果平均（演示）",
    )


def live_lot(judge: Any, case: EnforcementCase, title: str, ref: str, worth: str) -> Lot:
    """A seized house of `case` with its reference price and a lot in bidding now (started 22 hours ago,
    two hours left) with bids and paid deposits: what the objections demo suspends (issue 19)."""
    today = timezone.localdate()
    seized = today - timedelta(days=100)
    asset = _asset(case, "house", ref, worth, seized)
    _online_price(judge, asset.pk, worth, seized)
    now = timezone.now()
    lot = _lot(judge, asset, title, today, value=Decimal(worth), start_at=now - timedelta(hours=22), hours=24)
    _bid_round(lot, _bidders()[:2], 3, now - timedelta(hours=20))
    lot.refresh_from_db()
    return lot
