"""Debtor search on the case list: beyond the id-list cap it still finds the newest matching cases."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests import factories
from zhixing.cases import queries, services

pytestmark = pytest.mark.django_db


def debtor(name: str, birth: date, former: list[str] | None = None) -> list[services.PartyData]:
    return [
        services.PartyData(
            role="applicant", kind="organisation", name="某银行", credit_code=factories.VALID_CREDIT
        ),
        services.PartyData(
            role="debtor",
            kind="person",
            name=name,
            id_number=factories.make_id(birth),
            former_names=former or [],
        ),
    ]


@pytest.fixture
def cases(people):
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        return [
            factories.case(
                people["clerk"],
                parties=debtor(name, date(1980, 1, i + 1), former),
                filed_on=date(2026, 3, i + 1),
                applied_on=date(2026, 3, i + 1),
            )
            for i, (name, former) in enumerate(
                [("杨一", None), ("杨二", None), ("王五", ["杨旧名"]), ("杨三", None), ("李四", None)]
            )
        ]


@pytest.mark.parametrize("cap", [100, 2])
def test_surname_search_finds_every_match_newest_first(people, cases, monkeypatch, cap):
    monkeypatch.setattr(queries, "DEBTOR_ID_CAP", cap)
    monkeypatch.setattr(queries.debtor_case_ids, "__defaults__", (cap,))
    page = queries.case_page(people["director"], queries.CaseFilters(debtor="杨"))
    assert [c.pk for c in page.rows] == [cases[3].pk, cases[2].pk, cases[1].pk, cases[0].pk]


def test_exact_id_and_full_name(people, cases):
    number = cases[1].parties.get(role="debtor").id_number
    assert [c.pk for c in queries.case_page(people["director"], queries.CaseFilters(debtor=number)).rows] == [
        cases[1].pk
    ]
    assert [c.pk for c in queries.case_page(people["director"], queries.CaseFilters(debtor="李四")).rows] == [
        cases[4].pk
    ]
