"""The documents capability's writes: stored files with template version and hash, template versions that
never replace older ones, refusals that write nothing, the batch path, and the case page's query budget."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document as WordFile

from tests import factories
from tests.documents.reading import word_text
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.documents import queries, render, services
from zhixing.documents.kinds import NotApplicable
from zhixing.documents.models import Document, TemplateVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(people: dict[str, Any]) -> Any:
    case = factories.case(people["clerk"])
    factories.serve_notice(case)
    return case


@pytest.fixture
def admin(people: dict[str, Any]) -> Any:
    u = factories.staff(people["judge"].court, "judge", username="th_admin")
    u.is_superuser = True
    u.save()
    return u


def _edited(code: str, extra: str) -> bytes:
    doc = WordFile(io.BytesIO(services.default_file(code).read_bytes()))
    doc.add_paragraph(extra)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_generated_document_is_stored_with_its_template_version_hash_and_audit(
    served: Any, people: dict[str, Any]
) -> None:
    doc = services.generate(people["judge"], served, "enforcement_notice")
    data = queries.content(doc)
    assert doc.sha256 == render.sha256(data) and doc.size == len(data)
    assert doc.path == f"documents/{doc.sha256[:2]}/{doc.sha256}.docx"
    assert (doc.version.number, doc.kind, doc.title, doc.created_by) == (
        1,
        "enforcement_notice",
        "执行通知书",
        people["judge"],
    )
    rec = AuditRecord.objects.get(action="document.generate", object_id=str(doc.pk))
    assert rec.case_id == served.pk
    assert rec.after == {
        "kind": "enforcement_notice",
        "title": "执行通知书",
        "source": "",
        "version": 1,
        "sha256": doc.sha256,
        "path": doc.path,
    }
    assert queries.for_case(served) == [doc]


def test_a_changed_file_on_disk_is_detected(served: Any, people: dict[str, Any], settings: Any) -> None:
    doc = services.generate(people["judge"], served, "enforcement_notice")
    (settings.MEDIA_ROOT / doc.path).write_bytes(b"PK-tampered")
    with pytest.raises(queries.Tampered):
        queries.content(doc)


def test_a_new_template_version_keeps_the_old_one_and_old_documents_name_theirs(
    served: Any, people: dict[str, Any], admin: Any
) -> None:
    first = services.generate(people["judge"], served, "enforcement_notice")
    v2 = services.upload_version(
        admin,
        "enforcement_notice",
        _edited("enforcement_notice", "附：{{ case_number }}的缴款说明"),
        "增加缴款说明",
    )
    assert (v2.number, v2.note, v2.uploaded_by) == (2, "增加缴款说明", admin)
    second = services.generate(people["judge"], served, "enforcement_notice")
    assert (first.version.number, second.version.number) == (1, 2)
    assert f"附：{served.number}的缴款说明" in word_text(queries.content(second))
    assert "缴款说明" not in word_text(queries.content(first))
    assert list(
        TemplateVersion.objects.filter(template__kind="enforcement_notice")
        .values_list("number", flat=True)
        .order_by("number")
    ) == [1, 2]
    services.set_current(admin, "enforcement_notice", 1)
    assert services.current_version("enforcement_notice").number == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "请选择模板文件"),
        (b"not a word file", "不是有效的 Word（.docx）文件"),
        (b"PK\x03\x04broken", "不是有效的 Word（.docx）文件"),
        ("unknown", "模板使用了本文书没有的字段“salary”"),
        ("syntax", "模板占位符写法有误"),
    ],
)
def test_a_bad_template_names_the_problem_and_changes_nothing(admin: Any, data: Any, message: str) -> None:
    if data == "unknown":
        data = _edited("closing_notice", "{{ salary }}")
    elif data == "syntax":
        data = _edited("closing_notice", "{{ case_number ")
    services.current_version("closing_notice")
    before = (TemplateVersion.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ServiceError) as exc:
        services.upload_version(admin, "closing_notice", data, "")
    assert message in exc.value.message and exc.value.field == "file"
    assert (TemplateVersion.objects.count(), AuditRecord.objects.count()) == before


def test_only_administrators_change_templates(people: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        services.upload_version(
            people["director"], "closing_notice", services.default_file("closing_notice").read_bytes()
        )


def test_a_document_the_case_has_no_data_for_writes_nothing(people: dict[str, Any]) -> None:
    case = factories.case(people["clerk"])  # no notice issued, not closed
    before = (Document.objects.count(), AuditRecord.objects.count())
    for code, message in (
        ("enforcement_notice", "本案尚未制作执行通知书"),
        ("closing_notice", "本案尚未结案"),
    ):
        with pytest.raises(NotApplicable) as exc:
            services.generate(people["judge"], case, code)
        assert message in exc.value.message
    with pytest.raises(ServiceError) as missing:
        services.generate(
            people["judge"], case, "fine_decision", str(case.parties.get(role="debtor").pk), {"act": "x"}
        )
    assert missing.value.message == "请填写“罚款金额（元）”" and missing.value.field == "amount"
    assert (Document.objects.count(), AuditRecord.objects.count()) == before


def test_fines_and_detention_stay_within_the_statutory_limits(served: Any, people: dict[str, Any]) -> None:
    debtor = str(served.parties.get(role="debtor").pk)
    with pytest.raises(NotApplicable) as fine:
        services.generate(
            people["judge"], served, "fine_decision", debtor, {"act": "拒不报告", "amount": "100000.01"}
        )
    assert fine.value.message == "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）"
    with pytest.raises(NotApplicable) as days:
        services.generate(
            people["judge"],
            served,
            "detention_decision",
            debtor,
            {"act": "隐匿财产", "days": "16", "custody": "拘留所"},
        )
    assert days.value.message == "拘留的期限为十五日以下（民事诉讼法第一百一十八条）"
    doc = services.generate(
        people["judge"], served, "fine_decision", debtor, {"act": "拒不报告", "amount": "100000"}
    )
    assert "对张三罚款人民币100000.00元" in word_text(queries.content(doc))


def test_the_batch_path_writes_the_same_documents_with_one_audit_per_document(
    served: Any, people: dict[str, Any]
) -> None:
    one = services.generate(people["judge"], served, "enforcement_notice")
    before = AuditRecord.objects.filter(action="document.generate").count()
    batch = services.generate_many(
        people["judge"],
        [
            services.Request(served, "enforcement_notice"),
            services.Request(served, "asset_report_order"),
            services.Request(served, "closing_notice"),
        ],
    )
    assert [d.kind for d in batch] == ["enforcement_notice", "asset_report_order"]  # not closed: skipped
    assert word_text(queries.content(batch[0])) == word_text(queries.content(one))
    assert AuditRecord.objects.filter(action="document.generate").count() == before + 2
    assert all(d.pk for d in batch)


def test_the_batch_path_refuses_another_court(served: Any, people: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        services.generate_many(people["yx_judge"], [services.Request(served, "enforcement_notice")])
    assert Document.objects.count() == 0


def test_case_documents_page_lists_documents_within_a_query_budget(
    client: Any, served: Any, people: dict[str, Any]
) -> None:
    services.generate_many(people["judge"], [services.Request(served, "enforcement_notice")] * 30)
    client.force_login(people["judge"])
    url = reverse("case_documents", args=[served.pk])
    client.get(url)  # templates installed, caches warm
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    html = r.content.decode()
    assert html.count('data-testid="document-row"') == 30
    assert "共30份" in html and 'id="make-enforcement_notice"' in html
    assert len(q.captured_queries) <= 25, [x["sql"] for x in q.captured_queries]
