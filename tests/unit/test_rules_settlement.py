"""Settlement agreements (执行和解): validation and instalment matching, pure (rules.md §2.6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.cases import rules_settlement as r

D = Decimal
SIGNED = date(2026, 3, 1)
TODAY = date(2026, 3, 10)
PLAN = [r.Due(1, date(2026, 3, 31), D("1000.00")), r.Due(2, date(2026, 4, 30), D("2000.00"))]


def _err(**kw: object) -> tuple[str, str]:
    args = {"signed_on": SIGNED, "today": TODAY, "instalments": PLAN, "owed": None} | kw
    with pytest.raises(r.SettlementError) as exc:
        r.validate(**args)  # type: ignore[arg-type]
    return exc.value.field, exc.value.message


def test_validate_accepts_a_sensible_plan():
    assert r.validate(SIGNED, TODAY, PLAN, D("3000.00")) is None
    assert r.validate(SIGNED, TODAY, [r.Due(1, SIGNED, D("0.01"))]) is None  # due on the signing day


def test_validate_names_the_field_or_row():
    assert _err(signed_on=date(2026, 3, 11)) == ("signed_on", "签订日期不能晚于今天")
    assert _err(instalments=[]) == ("instalments", "请至少填写一期履行安排")
    assert _err(instalments=[r.Due(1, SIGNED, D("1"))] * 61) == ("instalments", "履行安排不能超过60期")
    assert _err(instalments=[PLAN[0], r.Due(2, date(2026, 4, 30), D("0"))]) == (
        "instalments[2].amount",
        "第2期金额须大于0",
    )
    assert _err(instalments=[r.Due(1, SIGNED, D("1.005"))]) == (
        "instalments[1].amount",
        "第1期金额最多两位小数",
    )
    assert _err(instalments=[r.Due(1, date(2026, 2, 28), D("1"))]) == (
        "instalments[1].due_on",
        "第1期履行期限不能早于签订日期",
    )
    assert _err(instalments=[PLAN[1], PLAN[0]]) == ("instalments[2].due_on", "第2期履行期限须晚于上一期")
    assert _err(instalments=[PLAN[0], r.Due(2, PLAN[0].due_on, D("1"))])[0] == "instalments[2].due_on"
    assert _err(owed=D("2999.99")) == (
        "instalments",
        "和解协议约定的总额 3000.00 元超过案件尚欠金额 2999.99 元",
    )


def _states(payments, today):
    return [(m.paid, m.paid_on, m.state) for m in r.match(PLAN, payments, SIGNED, today)]


def test_match_nothing_paid_before_and_after_the_due_day():
    assert _states([], date(2026, 3, 31)) == [(0, None, r.PENDING), (0, None, r.PENDING)]
    # the due day is inclusive: missed only from the day after
    assert _states([], date(2026, 4, 1)) == [(0, None, r.MISSED), (0, None, r.PENDING)]


def test_match_applies_oldest_first_and_records_the_covering_day():
    pays = [(date(2026, 3, 20), D("600")), (date(2026, 3, 31), D("900")), (date(2026, 4, 30), D("1500"))]
    assert _states(pays, date(2026, 5, 1)) == [
        (D("1000"), date(2026, 3, 31), r.PAID),
        (D("2000"), date(2026, 4, 30), r.PAID),
    ]
    assert r.performed(r.match(PLAN, pays, SIGNED, date(2026, 5, 1)))


def test_match_partial_late_and_ignored_payments():
    pays = [
        (date(2026, 2, 28), D("5000")),  # before signing: under the instrument, not the agreement
        (date(2026, 3, 5), D("400")),
        (date(2026, 4, 3), D("600")),  # covers instalment 1 late
        (date(2026, 4, 10), D("-50")),  # a reversal row is never matched (callers pass net payments)
        (date(2026, 6, 1), D("9999")),  # after today: not yet
    ]
    got = r.match(PLAN, pays, SIGNED, date(2026, 4, 20))
    assert [(m.paid, m.paid_on, m.state) for m in got] == [
        (D("1000"), date(2026, 4, 3), r.PAID_LATE),
        (D("0"), None, r.PENDING),
    ]
    assert r.first_missed(got) is None and r.ever_missed(got).seq == 1
    part = r.match(PLAN, [(date(2026, 3, 5), D("1500"))], SIGNED, date(2026, 4, 20))
    assert [(m.paid, m.state, m.outstanding) for m in part] == [
        (D("1000"), r.PAID, D("0")),
        (D("500"), r.PARTLY, D("1500")),
    ]


def test_resume_refusal_follows_the_breach():
    assert r.resume_refusal(r.match(PLAN, [], SIGNED, TODAY)).startswith("尚无逾期未履行的一期")
    assert r.resume_refusal(r.match(PLAN, [], SIGNED, date(2026, 4, 1))) == ""
    paid = [(date(2026, 3, 2), D("3000"))]
    assert (
        r.resume_refusal(r.match(PLAN, paid, SIGNED, date(2026, 6, 1))) == "和解协议已履行完毕，不予恢复执行"
    )
    assert not r.performed([])


def test_effects_table_cites_an_article_for_every_row():
    assert [e.key for e in r.EFFECTS] == [
        "record",
        "suspend",
        "controls_kept",
        "resume",
        "no_resume",
        "resume_request",
        "performed",
    ]
    assert all(e.article and e.label for e in r.EFFECTS)
    assert r.EFFECT_BY_KEY["performed"].article == "执行和解规定第8条"
    assert r.EFFECT_BY_KEY["resume_request"].article.startswith("执行和解规定第9条、第11条、第12条")


amounts = st.decimals(min_value=D("0.01"), max_value=D("5000"), places=2)


@settings(max_examples=150, deadline=None)
@given(
    plan=st.lists(amounts, min_size=1, max_size=6),
    pays=st.lists(st.tuples(st.integers(-5, 200), amounts), max_size=8),
    day=st.integers(0, 200),
)
def test_match_invariants(plan, pays, day):
    dues = [r.Due(i + 1, SIGNED + timedelta(days=30 * (i + 1)), a) for i, a in enumerate(plan)]
    payments = [(SIGNED + timedelta(days=d), a) for d, a in pays]
    today = SIGNED + timedelta(days=day)
    got = r.match(dues, payments, SIGNED, today)
    counted = sum((a for d, a in payments if SIGNED <= d <= today), D("0"))
    assert sum((m.paid for m in got), D("0")) == min(counted, r.total(dues))
    assert all(D("0") <= m.paid <= m.amount for m in got)
    # oldest first: once an instalment is not fully paid, every later one is unpaid
    open_ = [i for i, m in enumerate(got) if m.paid < m.amount]
    assert all(got[i].paid == 0 for i in open_[1:])
    assert all((m.state == r.MISSED) == (m.paid < m.amount and m.due_on < today) for m in got)
