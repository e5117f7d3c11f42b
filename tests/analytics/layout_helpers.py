"""Building layouts in tests: an unsaved StatementPreset with the model's defaults plus the given fields."""

from __future__ import annotations

from typing import Any

from zhixing.analytics.models import StatementPreset
from zhixing.analytics.parsing import Line, iter_lines


def layout(**fields: Any) -> StatementPreset:
    base: dict[str, Any] = {"name": "测试版式", "code": "t", "header_row": 1, "date_column": "日期"}
    return StatementPreset(**{**base, **fields})


def read(data: bytes | str, preset: StatementPreset, **kw: Any) -> list[Line]:
    """Every line of the file, failing the test with the row and reason of the first bad one."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    out = []
    for row_no, _, line, error in iter_lines(raw, preset, **kw):
        assert line is not None, f"row {row_no}: {error}"
        out.append(line)
    return out


def errors(data: str, preset: StatementPreset, **kw: Any) -> list[tuple[int, str]]:
    return [(r, e) for r, _, line, e in iter_lines(data.encode("utf-8"), preset, **kw) if line is None]


def upload_apply_confirm(
    client: Any, ref: Any, data: bytes, file_name: str, copy_name: str, capture: Any
) -> tuple[str, str, Any]:
    """The preview page as a judge uses it on an unknown export: upload, apply the suggestions with one
    click ("按建议填写并重新预览"), confirm as the court's copy named `copy_name`. Returns the first
    page's and the applied page's HTML and the confirm response (`capture`: pytest-django's
    `django_capture_on_commit_callbacks`, so the import runs)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    case_id, party_id = ref.case.pk, ref.party.pk
    resp = client.post(
        reverse("analytics:preview_upload", args=[case_id, party_id]),
        {"file": SimpleUploadedFile(file_name, data, content_type="text/csv")},
    )
    page = client.get(resp["Location"])
    draft = page.context["draft"]
    applied = client.get(
        reverse("analytics:preview", args=[case_id, party_id]),
        {"token": draft.token, "preset": draft.preset.pk, "suggest": "1"},
    )
    with capture(execute=True):
        done = client.post(
            reverse("analytics:preview_confirm", args=[case_id, party_id]),
            {
                "token": draft.token,
                "preset": draft.preset.pk,
                "edits": applied.context["edits_json"],
                "mode": "strict",
                "copy_name": copy_name,
            },
        )
    return page.content.decode().replace("\n", ""), applied.content.decode(), done
