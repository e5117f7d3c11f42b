"""The interest-exclusion table: only what 迟延履行利息解释 Art 3(3) names stops the doubled interest."""

from __future__ import annotations

import pytest

from zhixing.cases.interest_exclusions import EXCLUSIONS, excludes_interest, period_key, suspension_key
from zhixing.cases.models import ExcludedPeriod, Suspension

EXPECTED = {
    "suspension:applicant_agrees": False,
    "suspension:objection": False,
    "suspension:heir_pending": False,
    "suspension:successor_pending": False,
    "suspension:retrial": True,
    "suspension:instrument_review": True,
    "suspension:bankruptcy": False,
    "suspension:other": False,
    "period:deferral": False,
    "period:higher_court_stay": False,
    "period:appraisal": False,
    "period:audit": False,
    "period:auction": False,
    "period:public_notice": False,
    "period:jurisdiction": False,
    "period:coordination": False,  # 执行程序解释 Art 13 only: the doubled interest runs
    "period:review_deferral": True,
}
UNCONFIRMED = {"suspension:bankruptcy", "suspension:other", "period:higher_court_stay"}


def test_every_ground_and_kind_has_a_row():
    keys = {suspension_key(g) for g in Suspension.Ground.values} | {
        period_key(k) for k in ExcludedPeriod.Kind.values
    }
    # a suspension for review of the instrument is an "other" suspension flagged instrument_review
    assert keys | {"suspension:instrument_review"} == set(EXCLUSIONS) == set(EXPECTED)


@pytest.mark.parametrize(("key", "excluded"), sorted(EXPECTED.items()))
def test_each_row(key, excluded):
    row = EXCLUSIONS[key]
    assert (row.excluded, excludes_interest(key)) == (excluded, excluded)
    assert row.article == "迟延履行利息解释第3条第3款"
    assert row.reason
    assert row.confirmed is (key not in UNCONFIRMED)


@pytest.mark.parametrize("key", ["suspension:instrument_review", "period:review_deferral"])
def test_review_at_the_debtors_request_keeps_interest_running(key):
    assert excludes_interest(key, debtor_requested=False) is True
    assert excludes_interest(key, debtor_requested=True) is False


def test_retrial_is_excluded_whoever_asked():
    assert excludes_interest("suspension:retrial", debtor_requested=True) is True


def test_overrides_change_only_unconfirmed_rows():
    overrides = dict.fromkeys(EXPECTED, True) | {"suspension:retrial": False}
    for key in EXPECTED:
        got = excludes_interest(key, overrides=overrides)
        assert got is (True if key in UNCONFIRMED else EXPECTED[key])


def test_unknown_key_keeps_interest_running():
    assert excludes_interest("suspension:nonexistent") is False
    assert excludes_interest("suspension:nonexistent", overrides={"suspension:nonexistent": True}) is False
