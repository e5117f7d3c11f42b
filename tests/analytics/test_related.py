"""Related parties found in the court's cases, rule-set versions, and the evidence bundle."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.analytics import queries, services
from zhixing.analytics.models import RuleSet
from zhixing.analytics.ruleconfig import DEFAULT_CONFIG
from zhixing.cases.services import PartyData

from .conftest import load
from .test_indicators import GENERIC, STATEMENT

ADDRESS = "广州市天河区某路1号"


def test_related_names_from_cases_and_declarations(people: dict[str, Any], presets: Any) -> None:
    clerk = people["clerk"]
    case = factories.case(
        clerk,
        parties=[
            PartyData(
                role="applicant", kind="organisation", name="某银行", credit_code=factories.VALID_CREDIT
            ),
            PartyData(
                role="debtor", kind="person", name="张三", id_number=factories.VALID_IDS[2], address=ADDRESS
            ),
        ],
    )
    factories.case(
        clerk,
        parties=[
            PartyData(role="applicant", kind="person", name="李四", id_number=factories.VALID_IDS[0]),
            PartyData(
                role="debtor", kind="person", name="张小明", id_number=factories.VALID_IDS[1], address=ADDRESS
            ),
            PartyData(
                role="debtor",
                kind="organisation",
                name="广州张氏贸易有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="张三",
            ),
        ],
    )
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(people["judge"], case.pk, party.pk)
    assert ref is not None
    services.add_related_person(people["judge"], ref, name="王芳", relation="spouse")
    names = dict(queries.related_names(people["judge"], ref))
    assert names == {"王芳": "配偶", "张小明": "同姓同住址", "广州张氏贸易有限公司": "担任法定代表人的单位"}


def test_a_new_ruleset_version_is_used_and_recorded(
    debtor: Any, people: dict[str, Any], presets: Any
) -> None:
    generic = services.save_preset(people["judge"], dict(GENERIC))
    load(debtor, people["judge"], generic, STATEMENT.encode())
    first = services.compute_profile(people["judge"], debtor, start=date(2026, 1, 1), end=date(2026, 6, 30))
    config = {
        **DEFAULT_CONFIG,
        "weights": {**DEFAULT_CONFIG["weights"], "regular_income": 1, "hidden_salary": 2},
    }
    RuleSet.objects.update(active=False)
    RuleSet.objects.create(version=2, name="试行", config=config, active=True)
    second = services.compute_profile(people["judge"], debtor, start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert (first.ruleset.version, second.ruleset.version) == (1, 2)
    assert first.score == 35 and second.score == 3  # same findings, new weights


def test_evidence_bundle_csv(debtor: Any, people: dict[str, Any], presets: Any) -> None:
    generic = services.save_preset(people["judge"], dict(GENERIC))
    load(debtor, people["judge"], generic, STATEMENT.encode())
    prof = services.compute_profile(
        people["judge"], debtor, start=date(2026, 1, 1), end=date(2026, 6, 30), freezes=[date(2026, 5, 10)]
    )
    c = Client()
    c.force_login(people["judge"])
    r = c.get(reverse("analytics:bundle", args=[prof.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["规则", "交易时间", "金额"]
    assert {row[0] for row in rows[1:]} >= {"冻结前或执行通知后集中取现、转出", "存在稳定的类工资收入"}
    client = Client()
    client.force_login(people["yx_director"])
    assert client.get(reverse("analytics:bundle", args=[prof.pk])).status_code == 404
