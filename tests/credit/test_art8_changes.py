"""失信规定 Art 8 recipients are told when what they hold changes (issue 14 items 7, 9, 10).

A correction of inaccurate published information (Arts 9, 11–12) and a unit's new legal representative
(Art 6(1)) change what the credit-reporting centre, the employer or the superior department recorded:
each recipient told of the listing gets an ``updated`` notice once per change, with the ID it knows
the record under when the ID itself was corrected; delivered over the protocol like the others. A
correction of something never published to it (a listing not yet published) tells nobody. Configurable
(`notify_changes`, UNCONFIRMED).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import Correction, Listing, ListingNotice
from zhixing.credit.services import notices, repair

from .art8_fake import FakeRecipients, recipient
from .conftest import debtor, debtor_case, listing_data, org_case

pytestmark = pytest.mark.django_db
NEW_ID = factories.make_id(date(1980, 5, 6), seq=113)
NEW_REP = factories.make_id(date(1985, 7, 8), seq=555)
OLD_REP = factories.make_id(date(1970, 1, 1), seq=444)


@pytest.fixture
def fake(monkeypatch: Any, settings: Any) -> FakeRecipients:
    f = FakeRecipients()
    monkeypatch.setattr(notices, "client_for", f.client_for)
    settings.ZHIXING_PLATFORM_URL = "http://platform.test"
    settings.ZHIXING_CREDIT_NOTICES = {"backoff_base": 0, "max_attempts": 3}
    return f


@pytest.fixture
def recipients(db: Any) -> dict[str, Any]:
    return {c: recipient(c) for c in ("PBOC-CRC", "EMP-GZTAX")}


def listed_functionary(people: dict, recipients: dict, **kw: Any) -> Listing:
    c = debtor_case(people["clerk"])
    notices.record_profile(
        people["clerk"], c, debtor(c), state_functionary=True, employer=recipients["EMP-GZTAX"]
    )
    return services.list_debtor(people["judge"], c, debtor(c), listing_data(**kw))


def updated(x: Listing) -> list[tuple[str, int, str, str]]:
    return sorted(
        (n.recipient.code, n.sequence, n.status, n.previous_id)
        for n in ListingNotice.objects.filter(listing=x, event="updated").select_related("recipient")
    )


def upheld(x: Listing, people: dict) -> Correction:
    c = services.file_correction(
        people["judge"], x, ground="inaccurate", detail="公布信息有误", received_on=date(2026, 3, 10)
    )
    return services.decide_correction(people["judge"], c, upheld=True)


def test_a_corrected_id_is_told_with_the_id_the_recipients_know(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    x = listed_functionary(people, recipients)
    old = x.subject_key
    notices.dispatch_due()  # both were told of the listing
    n = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.apply_correction(
        people["judge"], upheld(x, people), changes={"subject_key": NEW_ID, "age": "46"}
    )
    assert updated(x) == [("EMP-GZTAX", 1, "queued", old), ("PBOC-CRC", 1, "queued", old)]
    rec = AuditRecord.objects.filter(pk__gt=n, action="credit.art8_queue").get()
    assert (rec.after["event"], rec.after["cause"]) == ("updated", "correction")
    it = notices.item(ListingNotice.objects.get(listing=x, event="updated", recipient__code="PBOC-CRC"))
    assert (it["action"], it["sequence"], it["id"], it["previous_id"]) == ("updated", 1, NEW_ID, old)
    notices.dispatch_due()
    assert updated(x) == [("EMP-GZTAX", 1, "sent", old), ("PBOC-CRC", 1, "acknowledged", old)]
    assert sorted(r["partner"] for r in fake.registry.records if r["action"] == "updated") == [
        "EMP-GZTAX",
        "PBOC-CRC",
    ]


def test_a_second_change_before_sending_is_carried_by_the_waiting_notice(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    x = listed_functionary(people, recipients)
    old = x.subject_key
    notices.dispatch_due()
    services.apply_correction(people["judge"], upheld(x, people), changes={"dishonest_act": "隐匿财产"})
    assert updated(x) == [("EMP-GZTAX", 1, "queued", ""), ("PBOC-CRC", 1, "queued", "")]
    services.apply_correction(people["judge"], upheld(x, people), changes={"subject_key": NEW_ID})
    # Not doubled; the waiting notice now names the ID the recipients hold.
    assert updated(x) == [("EMP-GZTAX", 1, "queued", old), ("PBOC-CRC", 1, "queued", old)]
    it = notices.item(ListingNotice.objects.get(listing=x, event="updated", recipient__code="PBOC-CRC"))
    assert (it["id"], it["dishonest_act"].endswith("隐匿财产")) == (NEW_ID, True)


def test_a_correction_told_to_nobody_before_publication_and_when_switched_off(
    people: dict, recipients: dict, settings: Any
) -> None:
    x = listed_functionary(people, recipients, grace_months=1)  # not published yet: nobody was told
    services.apply_correction(people["judge"], upheld(x, people), changes={"dishonest_act": "隐匿财产"})
    assert updated(x) == [] and not ListingNotice.objects.filter(listing=x).exists()
    settings.ZHIXING_CREDIT_NOTICES = {"notify_changes": False}
    y = listed_functionary(people, recipients)
    services.apply_correction(people["judge"], upheld(y, people), changes={"dishonest_act": "隐匿财产"})
    assert updated(y) == []
    assert Listing.objects.get(pk=y.pk).dishonest_act == "隐匿财产"  # the correction itself is made


def test_a_revocation_or_deletion_on_correction_is_told_as_removed(people: dict, recipients: dict) -> None:
    x = listed_functionary(people, recipients)
    c = services.file_correction(
        people["judge"], x, ground="should_not_list", detail="不应纳入", received_on=date(2026, 3, 10)
    )
    services.apply_correction(people["judge"], services.decide_correction(people["judge"], c, upheld=True))
    events = sorted(ListingNotice.objects.filter(listing=x).values_list("recipient__code", "event"))
    assert events == [
        ("EMP-GZTAX", "listed"),
        ("EMP-GZTAX", "removed"),
        ("PBOC-CRC", "listed"),
        ("PBOC-CRC", "removed"),
    ]


def test_a_units_new_legal_representative_is_told(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    c = org_case(people["clerk"])
    bound = [services.BoundPerson(bound="legal_rep", name="王五", id_number=OLD_REP)]
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data(bound_persons=bound))
    notices.dispatch_due()
    repair.record_legal_rep_change(
        people["judge"],
        c,
        debtor(c),
        new_name="赵六",
        new_id_number=NEW_REP,
        changed_on=date(2026, 3, 9),
        former_released=True,
    )
    assert updated(x) == [("PBOC-CRC", 1, "queued", "")]  # a unit: the credit bureau only
    it = notices.item(ListingNotice.objects.get(listing=x, event="updated"))
    assert (it["legal_representative"], "previous_id" in it) == ("赵六", False)
    notices.dispatch_due()
    assert updated(x) == [("PBOC-CRC", 1, "acknowledged", "")]
