"""Fixtures for the staff work screens: frozen business date, signed-in clients, cases in each state."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, Extension, Node, NodeType

NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = date(2026, 3, 10)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def login() -> Callable[[Any], Client]:
    """`login(user)` → a test client signed in as `user` (None → anonymous)."""

    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def case(people: dict[str, Any], frozen: None) -> EnforcementCase:
    """（2026）粤0106执1号: filed by the 天河 clerk on 2026-03-04, not yet assigned."""
    return factories.case(people["clerk"])


@pytest.fixture
def assigned(case: EnforcementCase, people: dict[str, Any]) -> EnforcementCase:
    """The case assigned to the 天河 judge (in progress)."""
    return services.assign_case(people["director"], case, people["judge"], on=date(2026, 3, 5))


def node(case: EnforcementCase, code: str) -> Node:
    return Node.objects.get(case=case, node_type__code=code)


def suspend(case: EnforcementCase, actor: Any) -> EnforcementCase:
    services.suspend_case(
        actor, case, ground="applicant_agrees", start=date(2026, 3, 9), document_ref="（2026）粤0106执1号之一"
    )
    return EnforcementCase.objects.get(pk=case.pk)


def close_withdrawn(case: EnforcementCase, actor: Any) -> EnforcementCase:
    return services.close_case(
        actor,
        case,
        mode="withdrawn",
        closed_on=TODAY,
        details={"document_ref": "（2026）粤0106执1号销案通知", "ground": "other"},
    )


def request_extension(case: EnforcementCase, actor: Any) -> Extension:
    return services.request_extension(actor, case, reason="被执行人房产正在评估拍卖")


def verify_lead_type() -> NodeType:
    return NodeType.objects.get(code="verify_lead")


# -- the filing form --------------------------------------------------------------------------------

DEBTOR_ID = factories.VALID_IDS[2]  # 360426199101010071, 张三
DEBTOR_ID_MASKED = "3604**********0071"
ORG_DEBTOR_CREDIT = "91440106MA5CXK8L2X"

PARTY_FIELDS = (
    "role",
    "kind",
    "name",
    "id_type",
    "id_number",
    "nationality",
    "birth_date",
    "credit_code",
    "legal_representative",
    "address",
    "phone",
    "former_names",
)


def party_rows(rows: list[dict[str, str]]) -> dict[str, str]:
    """Formset fields for `rows` (management form included)."""
    data = {
        "parties-TOTAL_FORMS": str(len(rows)),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        for name in PARTY_FIELDS:
            data[f"parties-{i}-{name}"] = row.get(name, "")
    return data


APPLICANT = {
    "role": "applicant",
    "kind": "organisation",
    "name": "广州某银行股份有限公司",
    "credit_code": factories.VALID_CREDIT,
    "legal_representative": "陈行长",
    "address": "广州市天河区珠江新城1号",
}
PERSON_DEBTOR = {
    "role": "debtor",
    "kind": "person",
    "name": "张三",
    "id_number": DEBTOR_ID,
    "address": "广州市天河区体育西路2号",
    "phone": "13800000000",
    "former_names": "张叁、张仨",
}
ORG_DEBTOR = {
    "role": "debtor",
    "kind": "organisation",
    "name": "广州某贸易有限公司",
    "credit_code": ORG_DEBTOR_CREDIT,
    "legal_representative": "李四",
}


def filing_post(parties: list[dict[str, str]] | None = None, **fields: str) -> dict[str, str]:
    """A valid filing-form POST: one applicant and two debtors (a person and a company)."""
    data = {
        "case_type": "执",
        "applied_on": "2026-03-02",
        "filed_on": "2026-03-04",
        "instrument_type": "civil_judgment",
        "issuing_body": "广州市天河区人民法院",
        "basis_number": "（2025）粤0106民初888号",
        "effective_on": "2025-12-01",
        "performance_deadline": "2025-12-15",
        "principal": "100,000.00",
        "adjudged_interest": "5000",
        "litigation_costs": "2300",
    }
    data.update(fields)
    data.update(party_rows(parties if parties is not None else [APPLICANT, PERSON_DEBTOR, ORG_DEBTOR]))
    return data
