"""Case funds and distribution rules of rules.md §7 not tested elsewhere (issue 15): cash handling under
the 2006 rules, the 10-day follow-up after a permitted delay ends, the 3-working-day claim of unmatched
money, the direct application of secured and priority creditors, ownership/security-based claims before
money claims and several creditors under one instrument sharing pro rata (执行工作规定 Art 55)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhixing.core.workdays import WorkCalendar
from zhixing.funds import distribution_rules as dr
from zhixing.funds import rules
from zhixing.funds.rules_clocks import FollowUp, followup_due

CAL = WorkCalendar()
D = Decimal


def test_cash_needs_two_officers_and_is_handed_over_within_one_working_day():
    assert rules.cash_handling_refusal([7]) is not None
    assert rules.cash_handling_refusal([7, 7]) is not None  # the same officer twice is one officer
    assert rules.cash_handling_refusal([7, 9]) is None
    assert rules.cash_handover_due(date(2026, 3, 13), CAL) == date(2026, 3, 16)  # Friday → Monday
    assert rules.cash_handover_due(date(2026, 3, 14), CAL) == date(2026, 3, 16)  # Saturday → Monday
    assert rules.cash_handover_due(date(2026, 9, 30), CAL) == date(2026, 10, 8)  # past National Day
    assert rules.cash_handover_due(date(2026, 4, 30), CAL) == date(2026, 5, 6)  # past Labour Day


def test_unmatched_money_is_claimed_within_three_working_days_by_default():
    from zhixing.funds import conf

    assert conf.claim_workdays() == 3
    assert rules.claim_due(date(2026, 4, 30), conf.claim_workdays(), CAL) == date(2026, 5, 8)


def test_payout_within_ten_days_after_the_delays_cause_ends_by_default():
    from zhixing.funds import conf

    follow = conf.follow_up()
    assert (follow.days, follow.workdays) == (10, False)
    assert followup_due(date(2026, 3, 20), follow, CAL) == date(2026, 3, 30)
    assert followup_due(date(2026, 9, 30), FollowUp(10, False), CAL) == date(2026, 10, 10)


def test_secured_and_priority_creditors_may_apply_without_a_basis():
    assert dr.basis_refusal(dr.ORDINARY, "", case_party=False) is not None
    assert dr.basis_refusal(dr.ORDINARY, "  ", case_party=False) is not None
    assert dr.basis_refusal(dr.ORDINARY, "（2025）粤0104民初5号", case_party=False) is None
    assert dr.basis_refusal(dr.ORDINARY, "", case_party=True) is None  # the case's own applicant
    assert dr.basis_refusal(dr.SECURED, "", case_party=False) is None
    assert dr.basis_refusal(dr.PRIORITY, "", case_party=False) is None


def test_claims_based_on_ownership_or_security_before_money_claims():
    # an enterprise debtor: the ordinary creditor seized first, yet the secured and priority claims
    # (based on a right in the thing) are paid before any money claim (Art 55 para 2)
    claims = [
        dr.ClaimIn("money", dr.ORDINARY, D("500.00"), seized_on=date(2025, 1, 1)),
        dr.ClaimIn("mortgage", dr.SECURED, D("300.00"), security_date=date(2025, 6, 1)),
        dr.ClaimIn("priority", dr.PRIORITY, D("200.00")),
    ]
    a = dr.allocate(D("600.00"), D("0"), claims, enterprise_debtor=True)
    assert [(ln.ref, ln.paid, ln.tier) for ln in a.lines] == [
        ("money", D("100.00"), 3),
        ("mortgage", D("300.00"), 2),
        ("priority", D("200.00"), 1),
    ]


def test_several_creditors_under_one_instrument_share_pro_rata():
    # enterprise debtor, ordinary claims by seizure date — but the two creditors of one judgment share
    # pro rata even though only one of them is recorded with the (earlier) seizure
    one = "（2025）粤0106民初1号"
    claims = [
        dr.ClaimIn("a1", dr.ORDINARY, D("300.00"), seized_on=date(2025, 3, 1), instrument=one),
        dr.ClaimIn(
            "other", dr.ORDINARY, D("400.00"), seized_on=date(2025, 4, 1), instrument="（2025）粤0104民初9号"
        ),
        dr.ClaimIn("a2", dr.ORDINARY, D("100.00"), seized_on=date(2025, 5, 1), instrument=one),
    ]
    a = dr.allocate(D("200.00"), D("0"), claims, enterprise_debtor=True)
    assert (a.paid("a1"), a.paid("a2"), a.paid("other")) == (D("150.00"), D("50.00"), D("0.00"))
    # without the shared instrument a2 would come last, after "other"
    alone = [dr.ClaimIn(c.ref, c.kind, c.amount, seized_on=c.seized_on) for c in claims]
    b = dr.allocate(D("200.00"), D("0"), alone, enterprise_debtor=True)
    assert (b.paid("a1"), b.paid("a2"), b.paid("other")) == (D("200.00"), D("0.00"), D("0.00"))
