"""Per-file upload limits (core.upload_limits) on the funds uploads: a statement, a claims list and a
claim's evidence over their kind's limit are refused naming the field and the limit; nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from zhixing.core.models import AuditRecord
from zhixing.funds import services
from zhixing.funds import statement_layouts as sl
from zhixing.funds.models import DistributionClaim, DistributionPlan, Reconciliation

from .conftest import receive

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    settings.ZHIXING_UPLOAD_MAX_MB = {"statement": 1, "spreadsheet": 1, "evidence": 1, "document": 1}


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=SH), tick=False) as t:
        yield t


def big(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * (MIB + 1))


@pytest.fixture
def plan(case: Any, people: Any) -> DistributionPlan:
    receive(case, "1000.00", "V1")
    return services.create_plan(people["judge"], case, costs="0", first_seizing_court=case.court.name)


def test_statement_over_the_limit_is_refused_on_the_page_and_the_api(client, people, case) -> None:
    client.force_login(people["finance"])
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    r = client.post(
        reverse("funds_upload_statement"), {"file": big("s.csv"), "layout": sl.SANDBOX}, follow=True
    )
    assert "对账单文件过大（1.0 MB）：每个文件不超过1 MB，未保存" in r.content.decode()
    api = client.post("/api/v1/funds/statements", {"file": big("s.csv"), "layout": sl.SANDBOX})
    assert api.status_code == 422
    assert api.json()["field"] == "file"
    assert api.json()["detail"] == "对账单文件过大（1.0 MB）：每个文件不超过1 MB，未保存"
    assert not Reconciliation.objects.exists()
    assert AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() == last
    # at the limit it is read (and refused for its content, not its size)
    ok = client.post("/api/v1/funds/statements", {"file": SimpleUploadedFile("s.csv", b"x" * MIB)})
    assert ok.status_code == 422 and "过大" not in ok.json()["detail"]


def test_claims_list_and_claim_evidence_over_the_limit_are_refused(client, people, plan) -> None:
    client.force_login(people["judge"])
    r = client.post(reverse("funds_plan_import", args=[plan.pk]), {"file": big("c.xlsx")}, follow=True)
    assert "债权清单文件过大（1.0 MB）：每个文件不超过1 MB，未保存" in r.content.decode()
    api = client.post(f"/api/v1/funds/plans/{plan.pk}/claims/import", {"file": big("c.xlsx")})
    assert api.status_code == 422
    assert (api.json()["field"], api.json()["detail"]) == (
        "file",
        "债权清单文件过大（1.0 MB）：每个文件不超过1 MB，未保存",
    )
    r = client.post(
        reverse("funds_plan_claim", args=[plan.pk]),
        {
            "creditor_name": "案外甲",
            "creditor_id_number": factories.VALID_CREDIT,
            "amount": "100.00",
            "basis": "（2025）粤0104民初5号",
            "kind": "ordinary",
            "rank": "1",
            "applied_on": "2026-03-10",
            "evidence_file": big("e.jpg"),
        },
        follow=True,
    )
    assert "证据材料过大（1.0 MB）：每个文件不超过1 MB，未保存" in r.content.decode()
    assert DistributionClaim.objects.filter(plan=plan).count() == 0
