"""The pure auction rules (rules.md §4) at their edges, and the extension and winner rules as
properties over random bid sequences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.auctions import rules as r
from zhixing.auctions.conf import DEFAULT_COMMISSION_SCALE

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def test_pricing_clocks_and_method_order():
    assert r.pricing_start_deadline(date(2026, 1, 31)) == date(2026, 3, 2)
    assert r.next_method(r.PriceMethod.AGREEMENT) == r.PriceMethod.DIRECTED
    assert r.next_method(r.PriceMethod.ONLINE) == r.PriceMethod.APPRAISAL
    assert r.next_method(r.PriceMethod.APPRAISAL) is None
    assert r.method_problem(r.PriceMethod.ONLINE, [r.PriceMethod.AGREEMENT], False) == (
        "须先尝试定向询价（参考价规定第2条规定的顺序），或由双方当事人共同申请"
    )
    assert (
        r.method_problem(r.PriceMethod.ONLINE, [r.PriceMethod.AGREEMENT, r.PriceMethod.DIRECTED], False)
        is None
    )
    assert r.method_problem(r.PriceMethod.APPRAISAL, [], True) is None


def test_online_inquiry_average_of_timely_results_and_appraisal_extensions():
    sent = date(2026, 3, 1)
    assert r.online_inquiry_due(sent) == date(2026, 3, 4)
    assert r.online_inquiry_due(sent, extended=True) == date(2026, 3, 7)
    due = r.online_inquiry_due(sent)
    results = [(D("100"), date(2026, 3, 4)), (D("201"), date(2026, 3, 2)), (D("999"), date(2026, 3, 5))]
    assert r.online_reference_price(results, due) == D("150.50")
    assert r.online_reference_price([(D("1"), date(2026, 3, 5))], due) is None
    assert r.appraisal_due(sent) == date(2026, 3, 31)
    assert r.appraisal_due(sent, 2) == date(2026, 4, 30)
    with pytest.raises(ValueError, match="至多延期2次"):
        r.appraisal_due(sent, 3)
    assert r.objection_deadline(date(2026, 3, 10)) == date(2026, 3, 15)
    assert r.objection_allowed(r.PriceMethod.APPRAISAL) is True
    assert r.objection_allowed(r.PriceMethod.AGREEMENT) is False


def test_reference_price_validity_and_six_month_grace():
    reported = date(2024, 2, 29)
    assert r.price_valid_until(r.PriceMethod.ONLINE, reported) == date(2025, 2, 27)
    assert r.price_valid_until(r.PriceMethod.AGREEMENT, reported) is None
    assert (
        r.price_usable_problem(r.PriceMethod.ONLINE, reported, date(2025, 2, 27), date(2025, 8, 27)) is None
    )
    assert r.price_usable_problem(r.PriceMethod.ONLINE, reported, date(2025, 2, 28), date(2025, 3, 30)) == (
        "参考价有效期至2025-02-27，公告时已过期，须重新确定参考价"
    )
    assert r.price_usable_problem(r.PriceMethod.ONLINE, reported, date(2025, 2, 1), date(2025, 8, 28)) == (
        "参考价有效期至2025-02-27，拍卖须在期满后6个月内进行"
    )


def test_start_price_at_seventy_percent_and_reauction_cut():
    assert r.start_price_problem(D("70000.00"), D("100000"), None) is None
    assert r.start_price_problem(D("69999.99"), D("100000"), None) == (
        "起拍价不得低于参考价的70%，即70000.00元（网拍规定第10条）"
    )
    assert r.start_price_problem(D("56000.00"), D("100000"), D("70000")) is None
    assert r.start_price_problem(D("55999.99"), D("100000"), D("70000")) == (
        "再次拍卖的起拍价降价幅度不得超过前次起拍价的20%，不得低于56000.00元（网拍规定第26条）"
    )


@pytest.mark.parametrize(
    ("start", "reference", "previous", "floor", "refused"),
    [
        # 70 % of 100,000.02 is 70,000.014: the floor is the next fen up, so 70,000.01 is below 70 %
        ("70000.01", "100000.02", None, "70000.02", True),
        ("70000.02", "100000.02", None, "70000.02", False),
        # 80 % of 100,000.03 is 80,000.024: a start of 80,000.02 cuts by more than 20 %
        ("80000.02", None, "100000.03", "80000.03", True),
        ("80000.03", None, "100000.03", "80000.03", False),
        # exactly on the fen: unchanged
        ("70000.00", "100000.00", None, "70000.00", False),
    ],
)
def test_the_start_price_floor_is_rounded_up_to_the_fen(
    start: str, reference: str | None, previous: str | None, floor: str, refused: bool
) -> None:
    """网拍规定 Art 10 (≥ 70 % of the reference) and Art 26 (a cut of at most 20 %) hold to the fen."""
    ref, prev = (D(reference) if reference else None), (D(previous) if previous else None)
    assert r.start_price_floor(ref, prev) == D(floor)
    assert (r.start_price_problem(D(start), ref, prev) is not None) is refused


def test_deposit_between_five_and_twenty_percent():
    assert r.deposit_bounds(D("70000")) == (D("3500.00"), D("14000.00"))
    assert r.deposit_problem(D("3500.00"), D("70000")) is None
    assert r.deposit_problem(D("14000.00"), D("70000")) is None
    msg = "保证金应为起拍价的5%至20%，即3500.00元至14000.00元（网拍规定第17条）"
    assert r.deposit_problem(D("3499.99"), D("70000")) == msg
    assert r.deposit_problem(D("14000.01"), D("70000")) == msg
    assert r.deposit_due(D("5000"), None) == D("5000")
    assert r.deposit_due(D("5000"), D("3000")) == D("2000")
    assert r.deposit_due(D("5000"), D("8000")) == D("0.00")


@pytest.mark.parametrize(
    ("asset_class", "reauction", "days"),
    [
        (r.AssetClass.MOVABLE, False, 15),
        (r.AssetClass.REAL_ESTATE, False, 30),
        (r.AssetClass.MOVABLE, True, 7),
        (r.AssetClass.REAL_ESTATE, True, 15),
    ],
)
def test_announcement_periods_at_their_edges(asset_class, reauction, days):
    announced = date(2026, 1, 1)
    assert r.announcement_problem(announced, announced + timedelta(days=days), asset_class, reauction) is None
    problem = r.announcement_problem(announced, announced + timedelta(days=days - 1), asset_class, reauction)
    assert problem is not None
    assert problem.endswith(
        f"应在竞价开始{days}日前公告，最早于{announced + timedelta(days=days):%Y-%m-%d}开始竞价"
    )


def test_notification_three_days_before_and_bidding_24_hours():
    assert r.notification_problem(date(2026, 1, 1), date(2026, 1, 4)) is None
    assert r.notification_problem(date(2026, 1, 2), date(2026, 1, 4)) == (
        "应在公告3日前通知当事人和已知优先购买权人，公告最早于2026-01-05"
    )
    assert r.notification_problem(None, date(2026, 1, 4)) == "须先通知当事人和已知优先购买权人"
    assert r.bidding_period_problem(T0, T0 + timedelta(hours=24)) is None
    assert r.bidding_period_problem(T0, T0 + timedelta(hours=24) - timedelta(seconds=1)) == (
        "竞价时间不得少于24小时（网拍规定第20条）"
    )


def test_lot_problems_name_every_field():
    terms = r.LotTerms(
        asset_class=r.AssetClass.REAL_ESTATE,
        reference=D("1000000"),
        previous_start=None,
        start_price=D("600000"),
        increment=D("0"),
        deposit=D("10000"),
        notified_on=None,
        announced_on=date(2026, 1, 1),
        starts_at=datetime(2026, 1, 10, tzinfo=UTC),
        ends_at=datetime(2026, 1, 10, 12, tzinfo=UTC),
        panel=("张法官", "李法官"),
    )
    assert sorted(r.lot_problems(terms)) == [
        "deposit",
        "ends_at",
        "increment",
        "notified_on",
        "panel",
        "start_price",
        "starts_at",
    ]
    ok = r.LotTerms(
        asset_class=r.AssetClass.REAL_ESTATE,
        reference=D("1000000"),
        previous_start=None,
        start_price=D("700000"),
        increment=D("5000"),
        deposit=D("70000"),
        notified_on=date(2025, 12, 29),
        announced_on=date(2026, 1, 1),
        starts_at=datetime(2026, 1, 31, 10, tzinfo=UTC),
        ends_at=datetime(2026, 2, 1, 10, tzinfo=UTC),
        panel=("张法官", "李法官", "王法官"),
    )
    assert r.lot_problems(ok) == {}


def test_reauction_chain_clocks():
    assert r.reauction_deadline(date(2026, 1, 1)) == date(2026, 1, 31)
    assert r.after_failure(1, date(2026, 1, 1), 60) == [
        (r.Step.REAUCTION, date(2026, 1, 31)),
        (r.Step.SET_OFF, date(2026, 1, 31)),
    ]
    assert r.after_failure(2, date(2026, 1, 1), 60) == [
        (r.Step.SALE, date(2026, 3, 2)),
        (r.Step.SET_OFF, date(2026, 1, 31)),
    ]


def test_settlement_premium_and_commission():
    assert r.balance_due(D("800000"), D("70000")) == D("730000")
    assert r.refund_deadline(T0) == T0 + timedelta(hours=24)
    assert r.premium_rate([(D("100"), D("154")), (D("100"), D("100"))]) == D("0.2700")
    assert r.premium_rate([]) is None
    assert r.commission(D("1000000"), DEFAULT_COMMISSION_SCALE) == D("50000.00")
    # 2 M at 5 % + 1 M at 3 %
    assert r.commission(D("3000000"), DEFAULT_COMMISSION_SCALE) == D("130000.00")
    # 100 k + 240 k + 800 k + 500 k + 0.5 % of 50 M
    assert r.commission(D("150000000"), DEFAULT_COMMISSION_SCALE) == D("1890000.00")


def _book(ends=T0 + timedelta(hours=24)):
    return r.Book(start_price=D("1000"), increment=D("100"), starts_at=T0, ends_at=ends)


def test_bid_refusals_name_the_reason():
    book = _book()
    assert r.bid_problem(book, "A", D("1000"), T0 - timedelta(seconds=1), None) == "竞价尚未开始"
    assert r.bid_problem(book, "A", D("999.99"), T0, None) == "首次出价不得低于起拍价1000.00元"
    assert r.bid_problem(book, "A", D("1000.001"), T0, None) == "出价须为精确到分的正数金额"
    book, _ = r.apply_bid(book, "A", D("1000"), T0, None)
    assert r.bid_problem(book, "B", D("1099.99"), T0, None) == (
        "出价须不低于当前价1000.00元加一个加价幅度，即1100.00元"
    )
    assert r.bid_problem(book, "A", D("1000"), T0, None) == "您已是当前最高出价人"
    assert r.bid_problem(book, "B", D("1000"), T0, None) is not None  # an ordinary bidder cannot match
    assert r.bid_problem(book, "P", D("1000"), T0, 1) is None  # a pre-emption holder can
    assert r.bid_problem(book, "B", D("1100"), book.ends_at + timedelta(microseconds=1), None) == "竞价已结束"


def test_extension_in_the_last_five_minutes():
    book = _book()
    end = book.ends_at
    book, _ = r.apply_bid(book, "A", D("1000"), end - timedelta(minutes=5), None)
    assert book.ends_at == end  # exactly five minutes before: the end does not move
    book, _ = r.apply_bid(book, "B", D("1100"), end - timedelta(minutes=1), None)
    assert book.ends_at == end + timedelta(minutes=4)
    book, _ = r.apply_bid(book, "A", D("1200"), book.ends_at, None)  # at the (moved) end: still in time
    assert book.ends_at == end + timedelta(minutes=9)


def test_single_bidder_at_start_price_buys_and_pre_emption_ties():
    book, _ = r.apply_bid(_book(), "A", D("1000"), T0, None)
    assert book.best.code == "A"
    book, _ = r.apply_bid(book, "P2", D("1000"), T0 + timedelta(seconds=1), 2)
    assert book.best.code == "P2"
    book, _ = r.apply_bid(book, "P1", D("1000"), T0 + timedelta(seconds=2), 1)
    assert book.best.code == "P1"  # better rank wins at the same price
    assert r.bid_problem(book, "Q1", D("1000"), T0 + timedelta(seconds=3), 1) == (
        "同价出价不优先于当前最高出价人，须至少加价100.00元"
    )  # same rank: the earlier wins
    book, _ = r.apply_bid(book, "A", D("1100"), T0 + timedelta(seconds=4), None)
    assert book.best.code == "A"


BIDDERS = [("A", None), ("B", None), ("C", None), ("P1", 1), ("P2", 2), ("Q1", 1)]

bid_steps = st.lists(
    st.tuples(
        st.sampled_from(BIDDERS),
        st.integers(min_value=-1, max_value=3),  # increments over the current price (-1: below)
        st.integers(min_value=0, max_value=24 * 3600 + 3600),  # seconds since the start
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(bid_steps)
def test_property_extension_and_winner(steps):
    """Whatever bids arrive in whatever order: no accepted bid after the end as it stood, the end never
    moves back and always lies ≥ 5 minutes after the last accepted bid made in the last 5 minutes, the
    leader is the best accepted bid by the Art 21 order, and its price is the highest accepted."""
    book = _book()
    accepted: list[r.Bid] = []
    clock = T0
    for (code, rank), steps_over, seconds in steps:
        # Server arrival times only move forward.
        clock = max(clock, T0 + timedelta(seconds=seconds))
        current = book.best.amount if book.best else book.start_price - book.increment
        amount = current + book.increment * steps_over
        if steps_over == 0 and book.best is None:
            amount = book.start_price
        before = book
        book, problem = r.apply_bid(book, code, amount, clock, rank)
        if problem is None:
            assert clock <= before.ends_at
            assert book.ends_at >= before.ends_at
            assert book.ends_at == max(before.ends_at, clock + r.EXTENSION)
            accepted.append(r.Bid(code, amount, clock, rank, book.count))
        else:
            assert book == before
            if clock > before.ends_at:
                assert problem == "竞价已结束"
    assert book.count == len(accepted)
    if accepted:
        best = book.best
        assert best == r.leader(accepted)
        assert best.amount == max(b.amount for b in accepted)
        for other in accepted:
            assert other == best or r.ahead(best, other)
        same_price = [b for b in accepted if b.amount == best.amount]
        if any(b.rank is not None for b in same_price):
            assert best.rank == min(b.rank for b in same_price if b.rank is not None)
        last = accepted[-1]
        assert book.ends_at >= last.at + r.EXTENSION or book.ends_at == _book().ends_at
    else:
        assert book.best is None and book.ends_at == _book().ends_at


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(BIDDERS), st.integers(1, 5), st.integers(0, 100)), min_size=1, max_size=20
    )
)
def test_property_leader_is_order_independent(raw):
    """`leader` picks the same bid however the accepted bids are listed."""
    bids = [
        r.Bid(code, D(amount * 100), T0 + timedelta(seconds=s), rank, i)
        for i, ((code, rank), amount, s) in enumerate(raw)
    ]
    assert r.leader(bids) == r.leader(list(reversed(bids)))
    assert r.leader(bids) == r.leader(sorted(bids, key=lambda b: (b.at, b.code)))


def test_standing_refusal_at_its_edges():
    def refusal(current, amount, at=T0 + timedelta(hours=1)):
        return r.standing_refusal(
            None if current is None else D(current),
            D("1000"),
            D("100"),
            T0,
            T0 + timedelta(hours=24),
            D(amount),
            at,
        )

    assert refusal(None, "999.99") == "首次出价不得低于起拍价1000.00元"
    assert refusal(None, "1000") is None
    assert refusal("1000", "1099.99") == "出价须不低于当前价1000.00元加一个加价幅度，即1100.00元"
    assert refusal("1000", "999.99") == "出价须不低于当前价1000.00元加一个加价幅度，即1100.00元"
    assert refusal("1000", "1100") is None
    assert refusal("1000", "1000") is None  # a pre-emption holder may match: the locked book decides
    assert refusal("1000", "1050.001") is None  # malformed: the locked path names it
    assert refusal("1000", "0") is None
    assert refusal("1000", "1050", T0 - timedelta(seconds=1)) is None  # the time rules: locked path
    assert refusal("1000", "1050", T0 + timedelta(hours=24, seconds=1)) is None  # the end may have moved


@settings(max_examples=200, deadline=None)
@given(bid_steps, st.integers(min_value=0, max_value=40), st.sampled_from(BIDDERS), st.integers(-3, 3))
def test_property_a_standing_refusal_stands_against_every_later_book(steps, cut, who, over):
    """A refusal given on a state read earlier (without the lock) is the refusal every later state gives
    too: whatever bids were accepted meanwhile, the locked book refuses the same bid."""
    book = _book()
    books = [book]
    clock = T0
    for (code, rank), steps_over, seconds in steps:
        clock = max(clock, T0 + timedelta(seconds=seconds))
        current = book.best.amount if book.best else book.start_price - book.increment
        book, _ = r.apply_bid(book, code, current + book.increment * steps_over, clock, rank)
        books.append(book)
    seen = books[min(cut, len(books) - 1)]
    code, rank = who
    base = seen.best.amount if seen.best else seen.start_price
    amount = base + seen.increment * over + D("0.5") * (over % 2)
    current = seen.best.amount if seen.best else None
    at = seen.starts_at + timedelta(hours=1)
    refusal = r.standing_refusal(
        current, seen.start_price, seen.increment, seen.starts_at, seen.ends_at, amount, at
    )
    if refusal is not None:
        for later in books[books.index(seen) :]:
            if at <= later.ends_at:
                assert r.bid_problem(later, code, amount, at, rank) is not None
