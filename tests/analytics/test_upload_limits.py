"""Per-file upload limits (core.upload_limits) on the statement imports and previews, page and API: a file
over the statement limit is refused naming the field and the limit; no job, no preview, no audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhixing.analytics.models import ImportJob
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024
REFUSED = "过大（2.0 MB）：每个文件不超过2 MB，未保存"


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    settings.ZHIXING_UPLOAD_MAX_MB = {"statement": 2, "spreadsheet": 1, "evidence": 1, "document": 1}


def big() -> SimpleUploadedFile:
    return SimpleUploadedFile("flow.csv", b"x" * (2 * MIB + 1))


def test_statement_over_the_limit_is_refused_everywhere(
    people: dict[str, Any], debtor: Any, presets: Any
) -> None:
    c = Client()
    c.force_login(people["judge"])
    last = AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first()
    case_id, party_id = debtor.case.pk, debtor.party.pk
    page = c.post(
        reverse("analytics:upload", args=[case_id, party_id]),
        {"kind": "statement", "preset": presets["alipay"].pk, "mode": "strict", "file": big()},
        follow=True,
    )
    assert f"导入文件{REFUSED}" in page.content.decode()
    api = c.post(
        f"/api/v1/analytics/cases/{case_id}/debtors/{party_id}/imports",
        {"file": big(), "preset": "alipay", "mode": "strict"},
    )
    assert api.status_code == 422
    assert (api.json()["field"], api.json()["detail"]) == ("file", f"导入文件{REFUSED}")
    preview = c.post(
        reverse("analytics:preview_upload", args=[case_id, party_id]), {"file": big()}, follow=True
    )
    assert f"流水文件{REFUSED}" in preview.content.decode()
    api = c.post(f"/api/v1/analytics/cases/{case_id}/debtors/{party_id}/previews", {"file": big()})
    assert api.status_code == 422
    assert (api.json()["field"], api.json()["detail"]) == ("file", f"流水文件{REFUSED}")
    assert ImportJob.objects.count() == 0
    assert AuditRecord.objects.order_by("-pk").values_list("pk", flat=True).first() == last
