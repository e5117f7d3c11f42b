"""Upload → proposed layout → preview → confirm (services, pages, API); copying a layout."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.analytics import detection, queries, services, staging
from zhixing.analytics.models import ImportJob, StatementPreset, Transaction
from zhixing.analytics.samples import DATA as UNKNOWN
from zhixing.analytics.services import layout_copies, previews
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord

from .conftest import REAL

TODAY = date(2026, 12, 3)
FIX = {"counterparty_column": "对方户名"}


def _counts() -> tuple[int, int, int, int]:
    return (
        ImportJob.objects.count(),
        Transaction.objects.count(),
        StatementPreset.objects.count(),
        AuditRecord.objects.count(),
    )


def test_nothing_is_stored_before_confirm(debtor: Any, people: dict[str, Any]) -> None:
    before = _counts()
    draft = previews.start(people["judge"], debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    assert draft.preset is not None and draft.preset.code == "cmb" and draft.score == 49
    assert draft.changes == {"encoding": "gbk", "header_row": 3}
    assert draft.result is not None and draft.result.file_error == (
        "表头缺少列“对手信息”（第3行附近）；表头为：记账日期、货币、交易金额、联机余额、交易摘要、对方户名、客户摘要"
    )
    cmb = draft.preset
    fixed = previews.review(
        people["judge"], debtor, token=draft.token, today=TODAY, preset=cmb, edits={**draft.changes, **FIX}
    )
    assert fixed.result is not None and (fixed.result.total, fixed.result.valid, fixed.result.errors) == (
        7,
        7,
        0,
    )
    assert [(r.direction, str(r.amount), r.counterparty) for r in fixed.result.rows[:2]] == [
        ("in", "8000.00", "深圳某某科技有限公司"),
        ("out", "-120.50", "美团"),
    ]
    assert fixed.result.warnings == []
    assert _counts() == before


def test_confirm_saves_the_adapted_copy_and_imports_with_it(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    judge = people["judge"]
    draft = previews.start(judge, debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    cmb = draft.preset
    assert cmb is not None
    with django_capture_on_commit_callbacks(execute=True):
        job = previews.confirm(
            judge, debtor, token=draft.token, preset=cmb, today=TODAY, edits={**draft.changes, **FIX}
        )
    copy = job.preset
    assert copy is not None and copy.pk != cmb.pk
    assert (copy.name, copy.code, copy.court_id, copy.builtin) == (
        "招商银行借记卡明细（本院副本）",
        "cmb-copy",
        judge.court_id,
        False,
    )
    assert (copy.encoding, copy.header_row, copy.counterparty_column, copy.amount_column) == (
        "gbk",
        3,
        "对方户名",
        "交易金额",
    )
    assert job.total_rows == 7 and job.file_name == "招行.csv"
    done = services.run_import(job.pk)
    assert (done.status, done.imported) == ("done", 7)
    cmb.refresh_from_db()
    assert cmb.counterparty_column == "对手信息"  # the built-in layout is untouched
    copied = AuditRecord.objects.get(action="analytics.preset.copy")
    assert copied.object_id == str(copy.pk) and copied.after["source"] == cmb.pk
    assert copied.after["changes"] == ["counterparty_column", "encoding", "header_row"]
    with pytest.raises(ServiceError):  # the held file is released after the import
        staging.fetch(draft.token, user_id=judge.pk, party_id=debtor.party.pk)


def test_confirm_without_changes_uses_the_layout_itself(debtor: Any, people: dict[str, Any]) -> None:
    draft = previews.start(
        people["clerk"], debtor, data=(REAL / "abc-debit.csv").read_bytes(), file_name="abc.csv", today=TODAY
    )
    assert draft.preset is not None and (draft.preset.code, draft.score, draft.changes) == ("abc", 100, {})
    presets_before = StatementPreset.objects.count()
    job = previews.confirm(people["clerk"], debtor, token=draft.token, preset=draft.preset, today=TODAY)
    assert job.preset_id == draft.preset.pk and StatementPreset.objects.count() == presets_before


def test_token_of_another_user_or_debtor_is_refused(debtor: Any, people: dict[str, Any]) -> None:
    draft = previews.start(people["judge"], debtor, data=UNKNOWN, file_name="x.csv", today=TODAY)
    with pytest.raises(ServiceError, match="预览已过期或无效"):
        previews.review(people["clerk"], debtor, token=draft.token, today=TODAY)
    with pytest.raises(ServiceError, match="预览已过期或无效"):
        previews.review(people["judge"], debtor, token=draft.token + "x", today=TODAY)


def test_preview_needs_the_import_capability(debtor: Any, people: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        previews.start(people["bailiff"], debtor, data=UNKNOWN, file_name="x.csv", today=TODAY)
    with pytest.raises(ServiceError, match="文件为空"):
        previews.start(people["judge"], debtor, data=b"", file_name="x.csv", today=TODAY)


def test_bad_edit_names_the_field(debtor: Any, people: dict[str, Any]) -> None:
    draft = previews.start(people["judge"], debtor, data=UNKNOWN, file_name="x.csv", today=TODAY)
    with pytest.raises(ServiceError, match="表头行号的取值无效"):
        previews.review(
            people["judge"],
            debtor,
            token=draft.token,
            today=TODAY,
            preset=draft.preset,
            edits={"header_row": "三"},
        )


def test_copy_a_builtin_layout(people: dict[str, Any], presets: dict[str, Any]) -> None:
    judge = people["judge"]
    first = layout_copies.copy_preset(judge, presets["alipay"])
    second = layout_copies.copy_preset(judge, presets["alipay"])
    assert (first.name, first.code) == ("支付宝账单（GBK，含前言）（本院副本）", "alipay-copy")
    assert (second.name, second.code) == ("支付宝账单（GBK，含前言）（本院副本）（2）", "alipay-copy-2")
    assert second.header_marker == "交易时间" and second.court_id == judge.court_id and not second.builtin
    assert AuditRecord.objects.filter(action="analytics.preset.copy").count() == 2
    assert AuditRecord.objects.filter(action="analytics.preset.save", object_id=str(first.pk)).count() == 1
    with pytest.raises(NotPermitted):
        layout_copies.copy_preset(people["bailiff"], presets["alipay"])


# -- pages ------------------------------------------------------------------------------------------


def _client(people: dict[str, Any], who: str) -> Client:
    c = Client()
    c.force_login(people[who])
    return c


def test_pages_upload_preview_edit_and_confirm(
    debtor: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    c = _client(people, "judge")
    case_id, party_id = debtor.case.pk, debtor.party.pk
    resp = c.post(
        reverse("analytics:preview_upload", args=[case_id, party_id]),
        {"file": _upload("招行.csv", UNKNOWN)},
    )
    assert resp.status_code == 302 and "/preview/?token=" in resp["Location"]
    page = c.get(resp["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'id="file-error"' in html and "表头缺少列“对手信息”" in html
    token = page.context["draft"].token
    cmb = page.context["draft"].preset
    form_values = {k: v for k, v in page.context["edit_form"].initial.items() if v is not None}
    form_values.update({"token": token, "preset": cmb.pk, "edit": "1", **FIX})
    fixed = c.get(reverse("analytics:preview", args=[case_id, party_id]), form_values)
    html = fixed.content.decode()
    assert 'id="preview-table"' in html and "深圳某某科技有限公司" in html and "共 7 行，可导入 7 行" in html
    edits = json.loads(fixed.context["edits_json"])
    assert edits == {"encoding": "gbk", "header_row": 3, "counterparty_column": "对方户名"}
    with django_capture_on_commit_callbacks(execute=True):
        done = c.post(
            reverse("analytics:preview_confirm", args=[case_id, party_id]),
            {
                "token": token,
                "preset": cmb.pk,
                "edits": fixed.context["edits_json"],
                "mode": "strict",
                "copy_name": "招行（对方户名）",
            },
        )
    assert done.status_code == 302
    job = ImportJob.objects.get()
    assert job.preset is not None and job.preset.name == "招行（对方户名）" and job.status == "done"
    assert Transaction.objects.filter(job=job).count() == 7


def test_page_copy_button(people: dict[str, Any], presets: dict[str, Any]) -> None:
    resp = _client(people, "clerk").post(reverse("analytics:preset_copy", args=[presets["boc"].pk]))
    copy = StatementPreset.objects.get(code="boc-copy")
    assert resp.status_code == 302 and resp["Location"] == reverse("analytics:preset_edit", args=[copy.pk])
    assert (
        _client(people, "bailiff")
        .post(reverse("analytics:preset_copy", args=[presets["boc"].pk]))
        .status_code
        == 403
    )


def _upload(name: str, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


# -- API --------------------------------------------------------------------------------------------


def test_api_preview_review_confirm(debtor: Any, people: dict[str, Any]) -> None:
    c = _client(people, "judge")
    base = f"/api/v1/analytics/cases/{debtor.case.pk}/debtors/{debtor.party.pk}/previews"
    started = c.post(base, {"file": _upload("招行.csv", UNKNOWN)})
    assert started.status_code == 200
    body = started.json()
    assert (body["preset"], body["score"], body["proposals"][0]["missing"]) == ("cmb", 49, ["对手信息"])
    assert body["preview"]["file_error"] == (
        "表头缺少列“对手信息”（第3行附近）；表头为：记账日期、货币、交易金额、联机余额、交易摘要、对方户名、客户摘要"
    )
    edits = {**body["changes"], **FIX}
    reviewed = c.post(
        f"{base}/review",
        {"token": body["token"], "preset": "cmb", "edits": edits},
        content_type="application/json",
    ).json()
    assert reviewed["preview"]["valid"] == 7 and reviewed["preview"]["rows"][0] == {
        "row": 4,
        "date": "2024-01-05 00:00:00",
        "direction": "in",
        "amount": "8000.00",
        "currency": "CNY",
        "counterparty": "深圳某某科技有限公司",
        "summary": "代发工资",
        "kind": "normal",
        "error": "",
    }
    confirmed = c.post(
        f"{base}/confirm",
        {"token": body["token"], "preset": "cmb", "edits": edits, "mode": "strict"},
        content_type="application/json",
    )
    assert confirmed.status_code == 201 and confirmed.json()["total_rows"] == 7


def test_api_copy_preset(people: dict[str, Any], presets: dict[str, Any]) -> None:
    resp = _client(people, "judge").post(
        f"/api/v1/analytics/presets/{presets['icbc'].pk}/copy",
        {"name": "工行（本院）"},
        content_type="application/json",
    )
    assert resp.status_code == 201
    assert (resp.json()["name"], resp.json()["code"], resp.json()["editable"]) == (
        "工行（本院）",
        "icbc-copy",
        True,
    )


def test_the_courts_own_layout_is_proposed_once_saved(debtor: Any, people: dict[str, Any]) -> None:
    judge = people["judge"]
    first = previews.start(judge, debtor, data=UNKNOWN, file_name="招行.csv", today=TODAY)
    assert first.preset is not None
    previews.confirm(
        judge, debtor, token=first.token, preset=first.preset, today=TODAY, edits={**first.changes, **FIX}
    )
    again = previews.start(judge, debtor, data=UNKNOWN, file_name="招行2.csv", today=TODAY)
    top = again.proposals[0]
    assert (top.preset.code, top.score, top.usable, top.adjustments) == ("cmb-copy", 100, True, {})
    assert again.changes == {} and again.result is not None and again.result.valid == 7
    # Another court neither sees nor is offered it.
    other = detection.propose(UNKNOWN, queries.presets(people["yx_judge"]))
    assert "cmb-copy" not in {p.preset.code for p in other}
