"""终本 preconditions (终本规定 Arts 1–3, rules.md §5) and the compliance score — pure, exhaustive."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.cases import rules_dormant as r

FILED = date(2026, 1, 31)
KEYS = [p.key for p in r.PRECONDITIONS]
RECORD_KEYS = {"notice_served", "asset_report_order", "consumption_restriction", "listing", "network_inquiry"}


def facts(**kw: object) -> r.Facts:
    base: dict[str, object] = {"filed_on": FILED}
    base.update(kw)
    return r.Facts(**base)  # type: ignore[arg-type]


def all_held() -> r.Facts:
    return facts(
        record=dict.fromkeys(RECORD_KEYS, True),
        confirmed=frozenset(p.key for p in r.PRECONDITIONS if p.kind == r.JUDGE),
    )


def states(checks: list[r.Check]) -> dict[str, str]:
    return {c.key: c.state for c in checks}


def test_the_table_follows_article_1_and_keys_are_unique():
    assert KEYS == [
        "notice_served",
        "asset_report_order",
        "consumption_restriction",
        "listing",
        "network_inquiry",
        "leads_verified",
        "on_site",
        "three_months",
        "missing_debtor_searched",
        "obstruction_punished",
        "interview",
    ]
    assert {p.key for p in r.CONFIRMABLE} == set(KEYS) - {
        "notice_served",
        "asset_report_order",
        "three_months",
    }


def test_everything_held_closes_after_three_months():
    checks = r.evaluate(all_held(), date(2026, 5, 1))
    assert r.missing(checks) == []
    assert r.refusal(checks) == ""
    assert states(checks)["leads_verified"] == r.CONFIRMED
    assert states(checks)["listing"] == r.MET


def test_more_than_three_months_month_end_clipping():
    # filed 31 January: 3 months later is 30 April (clipped); 30 April is not "more than", 1 May is.
    assert states(r.evaluate(all_held(), date(2026, 4, 30)))["three_months"] == r.MISSING
    assert states(r.evaluate(all_held(), date(2026, 5, 1)))["three_months"] == r.MET


def test_nothing_held_names_every_precondition_in_order():
    checks = r.evaluate(facts(), date(2026, 3, 1))
    assert [c.key for c in r.missing(checks)] == KEYS
    msg = r.refusal(checks)
    assert msg.startswith(
        "不符合终结本次执行程序的条件，尚缺：1. 执行通知书已送达（终本规定第1条第1项）；2. 报告财产令"
    )
    assert "11. 已约谈申请执行人并听取意见" in msg


def test_record_only_preconditions_ignore_a_judge_confirmation():
    f = facts(confirmed=frozenset({"notice_served", "asset_report_order", "three_months"}))
    s = states(r.evaluate(f, date(2026, 3, 1)))
    assert (s["notice_served"], s["asset_report_order"], s["three_months"]) == (r.MISSING,) * 3


def test_judge_only_preconditions_ignore_the_record():
    f = facts(record={"on_site": True, "interview": True})
    s = states(r.evaluate(f, date(2026, 6, 1)))
    assert (s["on_site"], s["interview"]) == (r.MISSING, r.MISSING)


def test_either_kind_prefers_the_record_then_the_judge():
    f = facts(record={"listing": True}, confirmed=frozenset({"listing", "consumption_restriction"}))
    s = states(r.evaluate(f, date(2026, 6, 1)))
    assert (s["listing"], s["consumption_restriction"], s["network_inquiry"]) == (
        r.MET,
        r.CONFIRMED,
        r.MISSING,
    )


def test_a_case_without_money_needs_no_asset_report_order_nor_consumption_restriction():
    s = states(r.evaluate(facts(money=False), date(2026, 6, 1)))
    assert (s["asset_report_order"], s["consumption_restriction"]) == (r.NOT_REQUIRED, r.NOT_REQUIRED)
    assert s["notice_served"] == r.MISSING


def test_the_interview_follows_the_configuration():
    s = states(r.evaluate(facts(interview_required=False), date(2026, 6, 1)))
    assert s["interview"] == r.NOT_REQUIRED


def test_explicitly_not_required():
    s = states(r.evaluate(facts(required={"listing": False}), date(2026, 6, 1)))
    assert s["listing"] == r.NOT_REQUIRED


@settings(max_examples=200, deadline=None)
@given(
    record=st.sets(st.sampled_from(KEYS)),
    confirmed=st.sets(st.sampled_from(KEYS)),
    money=st.booleans(),
    days=st.integers(min_value=0, max_value=400),
)
def test_a_check_holds_exactly_when_its_kind_allows(record, confirmed, money, days):
    closed = date.fromordinal(FILED.toordinal() + days)
    f = facts(record=dict.fromkeys(record, True), confirmed=frozenset(confirmed), money=money)
    checks = r.evaluate(f, closed)
    assert [c.key for c in checks] == KEYS
    for c in checks:
        p = r.BY_KEY[c.key]
        if c.key == "three_months":
            assert c.ok == (closed > date(2026, 4, 30))
        elif not money and c.key in ("asset_report_order", "consumption_restriction"):
            assert c.state == r.NOT_REQUIRED
        else:
            by_record = p.kind != r.JUDGE and c.key in record
            by_judge = p.kind != r.RECORD and c.key in confirmed
            assert c.ok == (by_record or by_judge)
    assert (r.refusal(checks) == "") == all(c.ok for c in checks)


def test_score_and_rate():
    full = dict.fromkeys(KEYS, r.MET)
    assert r.score(full, ruling=True) == r.Score(11, 11, True)
    assert r.score(full, ruling=True).compliant is True
    assert r.score(full, ruling=False).compliant is False
    partial = {**full, "on_site": r.MISSING}
    assert r.score(partial, ruling=True).met == 10
    assert r.score({}, ruling=True).met == 0  # unknown counts as missing
    assert r.score({**full, "listing": r.NOT_REQUIRED}, ruling=True).compliant is True
    assert r.rate([]) is None
    assert r.rate([r.score(full, ruling=True), r.score(partial, ruling=True)]) == 0.5
