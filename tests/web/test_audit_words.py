"""The case's audit trail and the audit admin read as Chinese words; a user's views of a page collapse."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from tests.web.test_pages import html, section
from zhixing.cases import queries_audit
from zhixing.core import audit
from zhixing.core.models import AuditRecord


def _views(case: Any, user: Any, n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            audit.record(
                user,
                "inquiry.view.register",
                object_type="EnforcementCase",
                object_id=case.pk,
                case_id=case.pk,
                after={"via": "web", "day": f"2026-03-{i % 28 + 1:02d}"},
            )


def test_register_views_of_one_user_collapse_into_one_line(people, assigned, login):
    _views(assigned, people["judge"], 12)
    _views(assigned, people["clerk"], 1)
    trail = section(html(login(people["judge"]).get(f"/cases/{assigned.pk}/")), "audit-trail")
    rows = re.findall(r'<tr data-action="([a-z_.]+)"(?: data-count="(\d+)")?>', trail)
    assert sorted(rows) == sorted(
        [
            ("case.file", ""),
            ("case.assign", ""),
            ("inquiry.view.register", "12"),
            ("inquiry.view.register", ""),
        ]
    )
    assert "查看财产登记信息 ×12" in trail
    assert "共12次，最近 " in trail
    assert "inquiry.view.register</td>" not in trail and "via" not in trail


def test_views_never_push_the_real_actions_out_of_the_trail(people, assigned):
    _views(assigned, people["judge"], 30)
    entries = queries_audit.case_audit_trail(assigned, limit=2)
    assert [(e.action, e.count) for e in entries] == [
        ("case.file", 1),
        ("case.assign", 1),
        ("inquiry.view.register", 30),
    ]


def test_trail_shows_closing_details_as_labelled_fields(people, assigned, login):
    with transaction.atomic():
        audit.record(
            people["judge"],
            "case.close",
            object_type="EnforcementCase",
            object_id=assigned.pk,
            case_id=assigned.pk,
            before={"status": "in_progress"},
            after={"status": "closed", "mode": "performed", "details": {"how": "voluntary"}},
        )
    trail = section(html(login(people["judge"]).get(f"/cases/{assigned.pk}/")), "audit-trail")
    assert "<td>结案</td>" in trail
    assert "状态：执行中 → 已结案；结案方式：执行完毕；结案信息：履行方式：自动履行" in trail
    assert "voluntary" not in trail and "{" not in trail


def test_audit_admin_lists_words_and_collapses_nothing_it_must_keep(people, assigned, admin_client):
    _views(assigned, people["judge"], 2)
    AuditRecord.objects.filter(action="inquiry.view.register").update(at=timezone.now() - timedelta(days=1))
    page = admin_client.get("/admin/core/auditrecord/").content.decode()
    assert "查看财产登记信息" in page and "分案" in page and "立案" in page
    assert "操作留痕" in page
    record = AuditRecord.objects.get(action="case.assign")
    detail = admin_client.get(f"/admin/core/auditrecord/{record.pk}/change/").content.decode()
    assert f"承办人：— → {people['judge'].full_name}" in detail


def test_admin_index_lists_every_app_and_model_in_chinese(admin_client):
    page = admin_client.get("/admin/").content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", page)
    rows = re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>([^<]*)</a>', page)
    assert "登录安全" in captions and "基础设施" in captions
    assert rows and not [t for t in captions + rows if re.search(r"[A-Za-z]", t)]
    assert "<h1>后台数据管理</h1>" in page


def test_trail_names_the_ids_records_hold_in_one_query_per_kind(
    people, assigned, django_assert_max_num_queries
):
    """Ids read as names (a party, a supervision order's node and addressee, an asset, a network-inquiry
    category, nested in a consequence's subject or listed); the case's trail asks once per kind of id."""
    from tests.web.test_progress_confirm import account
    from zhixing.cases.models import Node

    debtor = assigned.parties.get(role="debtor")
    asset = account(assigned)
    node = Node.objects.filter(case=assigned).select_related("node_type").first()
    assert node is not None
    writes = [
        ("credit.list", {"party": debtor.pk, "ground": 4}),
        ("inquiry.start", {"debtors": [debtor.pk], "categories": ["deposit", "real_estate"], "requests": 2}),
        ("case.supervision_order.issue", {"addressee": people["judge"].pk, "node": node.pk}),
        ("auctions.reference_price", {"asset": asset.pk}),
        ("measures.consequence", {"targets": [{"asset": asset.pk, "lot": 999_999}], "event": "sale"}),
        ("document.serve", {"party": 999_999}),  # a party since deleted: its id, as before
    ]
    with transaction.atomic():
        for action, after in writes:
            audit.record(
                people["judge"],
                action,
                object_type="EnforcementCase",
                object_id=assigned.pk,
                case_id=assigned.pk,
                after=after,
            )
    # 2 reads of the trail + parties, staff, teams, nodes, categories, assets, lots (one each).
    with django_assert_max_num_queries(9):
        entries = queries_audit.case_audit_trail(assigned)
    # PostgreSQL's jsonb keeps a record's keys in its own order: the fields are compared as a set.
    fields = {e.action: set(e.summary.split("；")) for e in entries}
    assert f"被执行人：{debtor.name}" in fields["credit.list"]
    assert fields["inquiry.start"] == {f"被执行人：{debtor.name}", "查询类别：银行存款、不动产", "请求数：2"}
    assert fields["case.supervision_order.issue"] == {
        f"被督办人：{people['judge'].full_name}",
        f"节点：{node.node_type.name}",
    }
    assert fields["auctions.reference_price"] == {"财产：账户 ICBC015388343998"}
    (targets,) = (
        fields["measures.consequence"]
        - {"触发事件：sale"}
        - {f for f in fields["measures.consequence"] if not f.startswith("对象：")}
    )
    assert set(targets.removeprefix("对象：").split("，")) == {
        "财产：账户 ICBC015388343998",
        "拍卖标的：999999",
    }
    assert fields["document.serve"] == {"当事人：999999"}


def test_the_audit_list_names_its_rows_ids_in_one_query_per_kind(
    people, assigned, admin_client, django_assert_max_num_queries
):
    debtor = assigned.parties.get(role="debtor")
    with transaction.atomic():
        for _ in range(30):
            audit.record(
                people["judge"],
                "credit.list",
                object_type="Listing",
                object_id=1,
                case_id=assigned.pk,
                after={"party": debtor.pk},
            )
    admin_client.get("/admin/core/auditrecord/")  # warm: sessions, content types
    with django_assert_max_num_queries(12):
        page = admin_client.get("/admin/core/auditrecord/").content.decode()
    assert page.count(f"被执行人：{debtor.name}") == 30
