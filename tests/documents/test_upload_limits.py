"""Per-file upload limit (core.upload_limits) on the template upload: over the document limit it is refused
naming the field and the limit; no version stored."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhixing.documents.models import TemplateVersion

pytestmark = pytest.mark.django_db
MIB = 1024 * 1024


def test_template_over_the_document_limit_is_refused(admin_client: Any, settings: Any) -> None:
    settings.ZHIXING_UPLOAD_MAX_MB = {"document": 1}
    r = admin_client.post(
        reverse("document_template_upload", args=["closing_notice"]),
        {"file": SimpleUploadedFile("t.docx", b"PK" + b"x" * MIB), "note": "调整措辞"},
        follow=True,
    )
    refused = "模板未上传，未作任何更改：模板文件过大（1.0 MB）：每个文件不超过1 MB，未保存"
    assert refused in r.content.decode()
    assert not TemplateVersion.objects.filter(number__gt=1).exists()  # only the shipped version 1
