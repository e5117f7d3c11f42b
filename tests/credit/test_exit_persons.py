"""Whom an exit restriction may bind (执行程序解释 Art 24, rules.md §3.5).

A unit: its legal representative, principal person in charge or directly responsible person — never its
actual controller. A minor debtor: the guardian (法定代理人), never the minor. An adult: the debtor.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests import factories
from zhixing.core.errors import ServiceError
from zhixing.credit import rules, services
from zhixing.credit.models import Restriction

from .conftest import ADULT_ID, MINOR_ID, debtor, debtor_case, org_case

GUARDIAN_ID = factories.make_id(date(1985, 2, 3), seq=333)


def person(bound: str, name: str = "王五", id_number: str = GUARDIAN_ID) -> services.BoundPerson:
    return services.BoundPerson(bound=bound, name=name, id_number=id_number)


def test_the_rule() -> None:
    # rule
    assert rules.exit_bound_refusal("organisation", False, ["legal_rep", "principal", "responsible"]) == (
        -2,
        "",
    )
    assert rules.exit_bound_refusal("organisation", False, ["legal_rep", "controller"])[0] == 1
    assert rules.exit_bound_refusal("organisation", False, [])[0] == -1
    assert rules.exit_bound_refusal("person", True, ["guardian"]) == (-2, "")
    assert rules.exit_bound_refusal("person", True, [])[0] == -1
    assert rules.exit_bound_refusal("person", True, ["legal_rep"])[0] == 0
    assert rules.exit_bound_refusal("person", False, []) == (-2, "")
    assert rules.exit_bound_refusal("person", False, ["guardian"])[0] == 0


def test_a_units_actual_controller_is_refused_and_nothing_written(people: dict) -> None:
    c = org_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        services.restrict_exit(
            people["judge"],
            c,
            debtor(c),
            initiation="application",
            bound_persons=[person("legal_rep"), person("controller", "赵六", ADULT_ID)],
        )
    assert e.value.field == "bound_persons[1].bound" and "执行程序解释第24条" in e.value.message
    assert not Restriction.objects.exists()
    rows = services.restrict_exit(
        people["judge"], c, debtor(c), initiation="application", bound_persons=[person("legal_rep")]
    )
    assert [(r.bound, r.subject_key) for r in rows] == [("legal_rep", GUARDIAN_ID)]


def test_a_minor_debtor_is_not_restricted_the_guardian_is(people: dict) -> None:
    c = debtor_case(people["clerk"], name="小明", id_number=MINOR_ID)
    with pytest.raises(ServiceError) as e:
        services.restrict_exit(people["judge"], c, debtor(c), initiation="application", bound_persons=[])
    assert e.value.field == "bound_persons" and "监护人" in e.value.message
    assert not Restriction.objects.exists()
    rows = services.restrict_exit(
        people["judge"],
        c,
        debtor(c),
        initiation="application",
        bound_persons=[person("guardian", "小明之父")],
    )
    assert [(r.bound, r.name, r.subject_key) for r in rows] == [("guardian", "小明之父", GUARDIAN_ID)]
    assert not Restriction.objects.filter(subject_key=MINOR_ID).exists()


def test_an_adult_debtor_is_restricted_personally_and_no_guardian_is_taken(people: dict) -> None:
    c = debtor_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        services.restrict_exit(
            people["judge"], c, debtor(c), initiation="application", bound_persons=[person("guardian")]
        )
    assert e.value.field == "bound_persons[0].bound"
    rows = services.restrict_exit(people["judge"], c, debtor(c), initiation="application", bound_persons=[])
    assert [(r.bound, r.subject_key) for r in rows] == [("debtor", ADULT_ID)]


def test_a_guardian_is_not_a_consumption_bound_person(people: dict) -> None:
    c = org_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        services.restrict_consumption(
            people["judge"], c, debtor(c), items=[1], bound_persons=[person("guardian")]
        )
    assert e.value.field == "bound_persons[0].bound"


def test_the_page_names_the_field(client: Client, people: dict) -> None:
    c = org_case(people["clerk"])
    client.force_login(people["judge"])
    r = client.post(
        f"/cases/{c.pk}/credit/exit/",
        {
            "party": debtor(c).pk,
            "initiation": "application",
            "bound_role": ["controller"],
            "bound_name": ["赵六"],
            "bound_id": [ADULT_ID],
        },
        follow=True,
    )
    html = r.content.decode()
    assert "执行程序解释第24条" in html and not Restriction.objects.exists()
