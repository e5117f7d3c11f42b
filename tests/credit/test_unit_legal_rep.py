"""A unit's consumption restriction binds its legal representative from the case's party record
(限制消费规定 Art 3(2)), not only persons typed in; a recorded change (LegalRepChange) supplies the ID."""

from __future__ import annotations

from datetime import date

from django.test import Client

from tests import factories
from zhixing.credit import queries, services
from zhixing.credit.models import RestrictedSubject, Restriction
from zhixing.credit.services import repair

from .conftest import debtor, org_case

REP_ID = factories.make_id(date(1970, 7, 7), seq=555)


def test_the_party_records_legal_rep_is_bound_and_completed_by_its_id(client: Client, people: dict) -> None:
    # rule
    c = org_case(people["clerk"])  # the party record names 王五 as legal representative, without an ID
    rows = services.restrict_consumption(people["judge"], c, debtor(c), items=[1, 9], bound_persons=[])
    assert [(r.bound, r.name, r.subject_key, r.registered) for r in rows] == [
        ("debtor", "广州某某贸易有限公司", factories.VALID_CREDIT, True),
        ("legal_rep", "王五", "", False),
    ]
    assert not RestrictedSubject.objects.filter(subject_key="").exists()
    client.force_login(people["judge"])
    assert 'data-testid="id-missing"' in client.get(f"/cases/{c.pk}/credit/").content.decode()
    # Recording the same person's ID completes the row: the railway now refuses 王五.
    repair.record_legal_rep_change(
        people["judge"], c, debtor(c), new_name="王五", new_id_number=REP_ID, changed_on=date(2026, 3, 10)
    )
    rep = Restriction.objects.get(bound="legal_rep", status="active")
    assert (rep.subject_key, rep.registered) == (REP_ID, True)
    assert Restriction.objects.filter(bound="legal_rep").count() == 1
    assert queries.current_index().mask_of(REP_ID) != 0


def test_a_recorded_change_binds_the_new_legal_rep_with_its_id(people: dict) -> None:
    c = org_case(people["clerk"])
    repair.record_legal_rep_change(
        people["judge"], c, debtor(c), new_name="钱七", new_id_number=REP_ID, changed_on=date(2026, 3, 1)
    )
    rows = services.restrict_consumption(people["judge"], c, debtor(c), items=[1], bound_persons=[])
    assert [(r.bound, r.name, r.subject_key) for r in rows][1] == ("legal_rep", "钱七", REP_ID)
    assert queries.current_index().mask_of(REP_ID) != 0


def test_a_typed_legal_rep_is_not_doubled(people: dict) -> None:
    c = org_case(people["clerk"])
    rows = services.restrict_consumption(
        people["judge"],
        c,
        debtor(c),
        items=[1],
        bound_persons=[services.BoundPerson(bound="legal_rep", name="王五", id_number=REP_ID)],
    )
    assert [(r.bound, r.subject_key) for r in rows] == [
        ("debtor", factories.VALID_CREDIT),
        ("legal_rep", REP_ID),
    ]


def test_a_person_debtor_binds_no_one_else(people: dict) -> None:
    from .conftest import debtor_case

    c = debtor_case(people["clerk"])
    rows = services.restrict_consumption(people["judge"], c, debtor(c), items=[1], bound_persons=[])
    assert [r.bound for r in rows] == ["debtor"]


def test_a_recorded_change_updates_the_party_record_with_its_audit(people: dict) -> None:
    from zhixing.cases.models import Party
    from zhixing.core.models import AuditRecord

    c = org_case(people["clerk"])
    party = debtor(c)
    repair.record_legal_rep_change(
        people["judge"], c, party, new_name="钱七", new_id_number=REP_ID, changed_on=date(2026, 3, 1)
    )
    assert Party.objects.get(pk=party.pk).legal_representative == "钱七"
    rec = AuditRecord.objects.get(action="party.legal_rep", object_id=str(party.pk))
    assert (rec.before, rec.after) == (
        {"legal_representative": "王五"},
        {"legal_representative": "钱七", "changed_on": "2026-03-01"},
    )
    api = Client()
    api.force_login(people["judge"])
    rows = api.get(f"/api/v1/cases/{c.pk}/parties").json()
    assert [p["legal_representative"] for p in rows if p["role"] == "debtor"] == ["钱七"]
    # The same change recorded again writes no second party record.
    repair.record_legal_rep_change(
        people["judge"], c, party, new_name="钱七", new_id_number=REP_ID, changed_on=date(2026, 3, 1)
    )
    assert AuditRecord.objects.filter(action="party.legal_rep", object_id=str(party.pk)).count() == 1
