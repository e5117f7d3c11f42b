"""Walk finding 5: an audit record's words leave out internal keys, addresses and storage paths."""

from __future__ import annotations

import pytest

from zhixing.core.audit_catalogue.detail import describe, is_internal
from zhixing.inquiry.models import Partner, PartnerCategory


def test_internal_values_are_recognised() -> None:
    for v in (
        "node:2869:overdue",
        "funds.receipt:DEMO-M-N-4-004",
        "auction-deposit:1:DEMO-DEP-1-1",
        "/cases/300/credit/#restriction-3",
        "/inquiry/cases/401/?batch=8#requests",
        "documents/3f/3ff9b3925006d933c8b915fd5358023394d089740a47a4c82cb546453c5bac71.docx",
    ):
        assert is_internal(v), v
    for v in ("控制措施#14", "（2024）粤0106执1号", "2026-12-07 10:00", "王建国", "12:30"):
        assert not is_internal(v), v


def test_describe_leaves_them_out() -> None:
    fields = describe(
        "documents.generate",
        None,
        {
            "path": "documents/3f/3ff9b3925006d933c8b915fd5358023394d089740a47a4c82cb546453c5bac71.docx",
            "x": "王建国",
        },
    )
    text = "；".join(str(f) for f in fields)
    assert "documents/3f" not in text and "王建国" in text


def test_restriction_items_read_as_the_items() -> None:
    text = "；".join(str(f) for f in describe("credit.restrict", None, {"items": [1, 9]}))
    assert "乘坐交通工具时" in text and "1、9" not in text


@pytest.mark.django_db
def test_partner_code_reads_as_its_name() -> None:
    category = PartnerCategory.objects.first() or PartnerCategory.objects.create(
        code="walk-info", name="仅信息", asset_kind="info"
    )
    Partner.objects.update_or_create(
        code="WALK-SI", defaults={"name": "人力资源和社会保障部", "category": category}
    )
    text = "；".join(str(f) for f in describe("inquiry.request", None, {"partner": "WALK-SI"}))
    assert "协助单位：人力资源和社会保障部" in text
