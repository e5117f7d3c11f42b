"""失信规定 Art 10(2): fixed-term listings (grounds 2–6) are not deleted on the Art 10(1) triggers.

Ground 1 has no term and is deleted on each Art 10(1) trigger; grounds 2–6 stay until the scan deletes
them after their term expires, or a judge deletes them early (Art 2(2), trigger ``early``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhixing.cases import services as case_services
from zhixing.core.errors import ServiceError
from zhixing.credit import queries, rules, services
from zhixing.credit.models import Listing

from .conftest import ADULT_ID, debtor, listing_data, open_listing_data
from .test_services import close_performed

SH = ZoneInfo("Asia/Shanghai")
ART10_1 = sorted(rules.ART10_1_TRIGGERS)


def test_the_rule_by_ground_and_trigger() -> None:
    # rule
    for trigger in ART10_1:
        assert rules.art10_1_applies(1, trigger) is True
        for ground in (2, 3, 4, 5, 6):
            assert rules.art10_1_applies(ground, trigger) is False
    for trigger in ("expired", "wrongful", "early", "case_cancelled"):
        assert all(rules.art10_1_applies(g, trigger) for g in range(1, 7))
    assert set(rules.ART10_1_TRIGGERS) < set(rules.REMOVAL_TRIGGERS)


@pytest.mark.parametrize("ground", [2, 3, 4, 5, 6])
def test_closing_as_performed_keeps_a_fixed_term_listing_until_expiry(
    case: Any, people: dict, ground: int
) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), listing_data(ground=ground))
    close_performed(people["judge"], case)
    assert services.scan_credit().removed == 0
    x.refresh_from_db()
    assert (x.status, x.removal_trigger, x.expires_on) == ("active", "", date(2028, 3, 9))
    assert queries.current_index().mask_of(ADULT_ID) & rules.CODE_BITS["blacklist"]
    # Last day of the term: still listed; the day after: the scan deletes it (due 3 working days later).
    with time_machine.travel(datetime(2028, 3, 9, 23, tzinfo=SH), tick=False):
        assert services.scan_credit().removed == 0
    with time_machine.travel(datetime(2028, 3, 10, 9, tzinfo=SH), tick=False):
        assert services.scan_credit().removed == 1
    x.refresh_from_db()
    assert (x.status, x.removal_trigger, x.removal_due) == ("removed", "expired", date(2028, 3, 14))


def test_ground_one_is_deleted_when_the_case_is_performed(case: Any, people: dict) -> None:
    x = services.list_debtor(people["judge"], case, debtor(case), open_listing_data())
    close_performed(people["judge"], case)
    x.refresh_from_db()
    assert (x.status, x.removal_trigger, x.expires_on) == ("removed", "performed", None)


@pytest.mark.parametrize("trigger", ART10_1)
def test_a_judge_cannot_record_or_remove_a_fixed_term_listing_on_an_art10_1_trigger(
    listed: Listing, people: dict, trigger: str
) -> None:
    with pytest.raises(ServiceError) as e:
        services.record_trigger(people["judge"], listed, trigger=trigger, trigger_on=date(2026, 3, 10))
    assert e.value.field == "trigger" and "第2条第2款" in e.value.message
    with pytest.raises(ServiceError) as e:
        services.remove_listing(people["judge"], listed, trigger=trigger)
    assert e.value.field == "trigger"
    listed.refresh_from_db()
    assert (listed.status, listed.removal_trigger) == ("active", "")


def test_early_deletion_of_a_fixed_term_listing_stays_possible(listed: Listing, people: dict) -> None:
    services.remove_listing(people["judge"], listed, trigger="early", note="已主动履行")
    listed.refresh_from_db()
    assert (listed.status, listed.removal_trigger) == ("removed", "early")


def test_suspension_for_retrial_keeps_a_fixed_term_listing(listed: Listing, case: Any, people: dict) -> None:
    case_services.suspend_case(
        people["judge"], case, ground="retrial", start=date(2026, 3, 10), document_ref="（2026）粤民再1号"
    )
    with time_machine.travel(datetime(2026, 3, 12, 9, tzinfo=SH), tick=False):
        assert services.scan_credit().removed == 0
    listed.refresh_from_db()
    assert listed.status == "active"


def test_credit_repair_of_a_fixed_term_listing_deletes_it_early(people: dict) -> None:
    """A granted repair of a performed fixed-term listing is an Art 2(2) early deletion, not Art 10(1)."""
    from zhixing.credit.services import repair

    from .conftest import debtor_case
    from .test_repair import pay

    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    r = repair.apply_repair(
        people["judge"], x, applied_on=date(2026, 3, 10), statement="已全部履行", corrected=True
    )
    pay(c, "100000.00", date(2026, 3, 10), "p-all")
    assert repair.decide_repair(people["judge"], r, grant=True).status == "granted"
    x.refresh_from_db()
    assert (x.status, x.removal_trigger) == ("removed", "early")


def test_the_closing_consequences_do_not_name_a_fixed_term_listing(case: Any, people: dict) -> None:
    """The measures table's closing row finds no listing to delete when the only one has a term."""
    from zhixing.measures import models as measure_models

    services.list_debtor(people["judge"], case, debtor(case), listing_data())
    close_performed(people["judge"], case)
    assert not measure_models.Consequence.objects.filter(case_id=case.pk, measure="listing").exists()
    assert not measure_models.Proposal.objects.filter(case_id=case.pk, measure="listing").exists()
    assert Listing.objects.get(case=case).status == "active"
