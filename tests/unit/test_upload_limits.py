"""`core.upload_limits`: the per-kind limits, their setting and the refusal's words."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhixing.core import upload_limits
from zhixing.core.errors import ServiceError

MIB = 1024 * 1024


def test_defaults_are_below_the_request_cap_and_statements_are_larger(settings: Any) -> None:
    del settings.ZHIXING_UPLOAD_MAX_MB
    assert {k: upload_limits.limit_bytes(k) // MIB for k in upload_limits.KINDS} == {
        "document": 50,
        "evidence": 10,
        "spreadsheet": 50,
        "statement": 150,
    }


def test_the_setting_changes_one_kind(settings: Any) -> None:
    settings.ZHIXING_UPLOAD_MAX_MB = {"statement": 3}
    assert upload_limits.limit_bytes("statement") == 3 * MIB
    assert upload_limits.limit_bytes("document") == 50 * MIB


def test_a_file_over_the_limit_is_refused_naming_the_field_and_the_limit(settings: Any) -> None:
    settings.ZHIXING_UPLOAD_MAX_MB = {"evidence": 1}
    upload_limits.check(None, "evidence", field="f", label="证据材料")
    upload_limits.check(SimpleUploadedFile("a.jpg", b"x" * MIB), "evidence", field="f", label="证据材料")
    with pytest.raises(ServiceError) as exc:
        upload_limits.check(
            SimpleUploadedFile("a.jpg", b"x" * (3 * MIB // 2)), "evidence", field="evidence", label="证据材料"
        )
    assert (exc.value.field, exc.value.code, exc.value.message) == (
        "evidence",
        "too_large",
        "证据材料过大（1.5 MB）：每个文件不超过1 MB，未保存",
    )
