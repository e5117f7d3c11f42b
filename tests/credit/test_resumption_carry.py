"""Resumption (执恢) carries the dormant case's credit measures (issue 20 item 2): the dishonest listing and
the consumption restriction stay in force without a gap — same rows, same decision numbers, never revoked
and issued again — and now belong to the resumed case, which screening partners are told of; lifted
measures stay with the original as its history, and the consequence table does not fire on the original."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests.credit.conftest import ADULT_ID, debtor, open_listing_data
from tests.credit.test_gateway import RAILWAY, check
from tests.credit.test_removal_triggers import go_dormant
from zhixing.cases import events
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.credit import queries, services
from zhixing.credit.dormant_facts import facts
from zhixing.credit.models import ChangeEvent, Listing, RestrictedSubject, Restriction
from zhixing.measures.models import Consequence

from .conftest import make_partner

pytestmark = pytest.mark.django_db


def _numbers(key: str) -> list[tuple[str, str]]:
    return sorted((c["measure"], c["case_number"]) for c in check(key, ADULT_ID).json()["cases"])


def test_listing_and_restriction_move_to_the_resumed_case_without_a_gap(
    case: EnforcementCase, people: dict[str, Any]
) -> None:
    judge = people["judge"]
    lifted = services.restrict_consumption(judge, case, debtor(case), items=[2], bound_persons=[])[0]
    services.lift_restriction(judge, Restriction.objects.get(pk=lifted.pk), trigger="performed")
    listing = services.list_debtor(judge, case, debtor(case), open_listing_data())
    # The listed debtor's consumption restriction (限消规定 Art 1(2)).
    consumption = Restriction.objects.get(case=case, status="active")
    _, key = make_partner("railway", "国铁集团")
    before = _numbers(key)
    assert before == [("限制消费", case.number)]  # the railway's business: the consumption order
    assert {m["case_number"] for m in queries.subject_details([ADULT_ID])[ADULT_ID]} == {case.number}
    mask = RestrictedSubject.objects.get(subject_key=ADULT_ID).mask
    assert check(key, ADULT_ID).json()["restricted"] is True
    cursor = ChangeEvent.objects.order_by("-id").values_list("id", flat=True)[0]
    go_dormant(case, date(2026, 3, 10))
    consequences = Consequence.objects.count()

    resumed = case_services.resume_case(judge, case, applied_on=date(2026, 3, 10), reason="发现财产线索")

    x, r, old = (m.__class__.objects.get(pk=m.pk) for m in (listing, consumption, lifted))
    new_debtor = resumed.parties.get(role="debtor")
    # The same rows, now the resumed case's, on its copy of the debtor; the original kept for history.
    assert (x.case_id, x.party_id, x.carried_from_id) == (resumed.pk, new_debtor.pk, case.pk)
    assert (r.case_id, r.party_id, r.carried_from_id) == (resumed.pk, new_debtor.pk, case.pk)
    assert (x.status, x.document_number, x.publish_on, x.removed_on) == (
        "active",
        listing.document_number,
        listing.publish_on,
        None,
    )
    assert (r.status, r.document_number, r.effective_on, r.lifted_on) == (
        "active",
        consumption.document_number,
        consumption.effective_on,
        None,
    )
    # A lifted restriction stays behind with the original.
    assert (old.case_id, old.carried_from_id, old.status) == (case.pk, None, "lifted")
    # Screening: no gap, the same mask, the partner now told the resumed case; partners' feeds see no change.
    assert RestrictedSubject.objects.get(subject_key=ADULT_ID).mask == mask
    assert check(key, ADULT_ID).json()["restricted"] is True
    assert _numbers(key) == [("限制消费", resumed.number)]
    assert {m["case_number"] for m in queries.subject_details([ADULT_ID])[ADULT_ID]} == {resumed.number}
    events_after = list(ChangeEvent.objects.filter(id__gt=cursor).values_list("old_mask", "new_mask"))
    assert events_after == [(mask, mask)]
    assert queries.change_feed(cursor, RAILWAY)[0] == []
    # Audited, one record per measure, naming both cases.
    carried = list(AuditRecord.objects.filter(action="credit.carry_over").order_by("pk"))
    assert [(a.object_type, a.object_id, a.case_id) for a in carried] == [
        ("Listing", str(listing.pk), resumed.pk),
        ("Restriction", str(consumption.pk), resumed.pk),
    ]
    assert carried[0].before == {"case": case.number}
    assert carried[0].after["case"] == resumed.number and carried[0].after["carried_from"] == case.number
    # Nothing was revoked, removed or lifted, and no consequence ran on the original's transition.
    assert not AuditRecord.objects.filter(
        action__in=["credit.remove", "credit.lift"], object_id=str(listing.pk), object_type="Listing"
    ).exists()
    assert AuditRecord.objects.filter(action="credit.lift").count() == 1  # the one lifted by hand above
    assert Consequence.objects.count() == consequences
    # The original still answers its 终本 preconditions from the measures it took.
    held = facts(sender=EnforcementCase, case=case)
    assert (held["consumption_restriction"][0], held["listing"][0]) == (True, True)
    assert queries.case_listings(resumed.pk) == [x]
    assert queries.case_listings(case.pk) == []


def test_the_pages_show_where_the_measures_are(case: EnforcementCase, people: dict[str, Any]) -> None:
    judge = people["judge"]
    services.list_debtor(judge, case, debtor(case), open_listing_data())
    go_dormant(case, date(2026, 3, 10))
    resumed = case_services.resume_case(judge, case, applied_on=date(2026, 3, 10), reason="发现财产线索")
    client = Client()
    client.force_login(judge)
    page = client.get(f"/cases/{resumed.pk}/credit/").content.decode()
    assert 'data-testid="listed"' in page
    assert f"原案件 {case.number} 作出，恢复执行后继续有效" in page
    assert f"（承继自{case.number}）" in page
    page = client.get(f"/cases/{case.pk}/credit/").content.decode()
    assert 'data-testid="carried-to"' in page and f"/cases/{resumed.pk}/credit/" in page
    assert 'data-testid="listed"' not in page


def test_a_second_carry_moves_nothing(case: EnforcementCase, people: dict[str, Any]) -> None:
    judge = people["judge"]
    listing = services.list_debtor(judge, case, debtor(case), open_listing_data())
    go_dormant(case, date(2026, 3, 10))
    resumed = case_services.resume_case(judge, case, applied_on=date(2026, 3, 10), reason="发现财产线索")
    # Carrying again (a stray second send) finds nothing active left on the original.
    events.case_refiled.send(sender=EnforcementCase, origin=case, case=resumed, actor=judge)
    x = Listing.objects.get(pk=listing.pk)
    assert (x.case_id, x.status) == (resumed.pk, "active")
    assert AuditRecord.objects.filter(action="credit.carry_over").count() == 2  # the listing, its restriction
