"""Coercive measures and the refusal-crime referral end to end: services, pages, API, permissions.

Frozen at 2026-03-10 10:00 (Tuesday, Asia/Shanghai). The case is filed in 天河 (粤0106); its debtor 张三
is a natural person.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.documents.reading import word_text
from zhixing.cases.models import CoerciveMeasure, Party, RefusalReferral
from zhixing.cases.services import coercion as services
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.services import issue_token
from zhixing.documents import queries
from zhixing.documents.models import Document

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _debtor(case: Any) -> Party:
    return Party.objects.get(case=case, role=Party.Role.DEBTOR)


def _fine(people: dict[str, Any], case: Any, amount: str = "20000") -> CoerciveMeasure:
    return services.propose_measure(
        people["judge"], case, kind="fine", party_id=_debtor(case).pk, act="拒不报告财产", amount=amount
    )


def _detention(people: dict[str, Any], case: Any) -> CoerciveMeasure:
    return services.propose_measure(
        people["judge"],
        case,
        kind="detention",
        party_id=_debtor(case).pk,
        act="违反限制消费令乘坐飞机",
        days="15",
        custody="广州市公安局拘留所",
    )


def test_over_limit_input_is_refused_and_nothing_changes(people, assigned):
    before = (CoerciveMeasure.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ServiceError) as exc:
        _fine(people, assigned, amount="100000.01")
    assert exc.value.field == "amount"
    assert exc.value.message == "对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）"
    with pytest.raises(ServiceError) as exc:
        services.propose_measure(
            people["judge"],
            assigned,
            kind="detention",
            party_id=_debtor(assigned).pk,
            act="x",
            days="16",
            custody="拘留所",
        )
    assert (exc.value.field, exc.value.message) == (
        "days",
        "拘留的期限为十五日以下（民事诉讼法第一百一十八条）",
    )
    with pytest.raises(ServiceError) as exc:
        services.propose_measure(
            people["judge"], assigned, kind="summons", party_id=_debtor(assigned).pk, act="x", hours="9"
        )
    assert exc.value.field == "hours"
    assert (CoerciveMeasure.objects.count(), AuditRecord.objects.count()) == before


def test_fine_needs_the_president_and_makes_its_decision_and_review_clocks(people, assigned):
    m = _fine(people, assigned)
    assert m.status == "proposed" and m.amount == Decimal("20000.00")
    with pytest.raises(NotPermitted):
        services.decide_measure(people["director"], m, approve=True)
    with pytest.raises(NotPermitted):  # a higher court's president is not this court's president
        services.decide_measure(people["gd_president"], m, approve=True)
    m = services.decide_measure(people["president"], m, approve=True)
    doc = Document.objects.get(pk=m.document_id)
    assert (doc.kind, doc.case_id, doc.source, doc.inputs) == (
        "fine_decision",
        assigned.pk,
        str(_debtor(assigned).pk),
        {"act": "拒不报告财产", "amount": "20000.00"},
    )
    with pytest.raises(ServiceError, match="已已批准"):
        services.decide_measure(people["president"], m, approve=True)
    m = services.record_service(people["judge"], m, served_on=date(2026, 3, 10))
    assert m.review_apply_by == date(2026, 3, 13)
    m = services.record_review_application(people["judge"], m, applied_on=date(2026, 3, 10))
    assert m.review_decide_by == date(2026, 3, 16)  # 03-15 is a Sunday → Monday
    actions = list(
        AuditRecord.objects.filter(object_type="CoerciveMeasure", object_id=str(m.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "case.coercion.propose",
        "case.coercion.approve",
        "case.coercion.serve",
        "case.coercion.review",
    ]


def test_review_after_three_days_is_refused(people, assigned, frozen):
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=TZ), tick=False):
        m = services.decide_measure(people["president"], _fine(people, assigned), approve=True)
        services.record_service(people["judge"], m, served_on=date(2026, 3, 2))  # apply by 03-05
    with pytest.raises(ServiceError, match="复议申请已超过期限（2026-03-05届满"):
        services.record_review_application(people["judge"], m, applied_on=date(2026, 3, 6))
    assert CoerciveMeasure.objects.get(pk=m.pk).review_applied_on is None


def test_detention_family_notice_clock(people, assigned, frozen, login):
    m = services.decide_measure(people["president"], _detention(people, assigned), approve=True)
    assert Document.objects.get(pk=m.document_id).kind == "detention_decision"
    start = datetime(2026, 3, 9, 9, 30, tzinfo=TZ)
    m = services.record_start(people["judge"], m, started_at=start)
    assert m.family_notice_due == datetime(2026, 3, 10, 9, 30, tzinfo=TZ)
    # 2026-03-10 10:00 now: the 24 hours have passed with no notice → overdue on the page.
    page = login(people["judge"]).get(reverse("case_coercion", args=[assigned.pk])).content.decode()
    assert "通知家属（24小时内）：2026-03-10 09:30" in page and "已超期" in page
    m = services.record_family_notice(people["judge"], m, notified_at=datetime(2026, 3, 10, 9, 0, tzinfo=TZ))
    assert m.family_notified_at == datetime(2026, 3, 10, 9, 0, tzinfo=TZ)


def test_summons_questioning_limit(people, assigned, frozen):
    m = services.propose_measure(
        people["judge"],
        assigned,
        kind="summons",
        party_id=_debtor(assigned).pk,
        act="传唤拒不到庭",
        hours="24",
        complex_case=True,
    )
    m = services.decide_measure(people["president"], m, approve=True)
    doc = Document.objects.get(pk=m.document_id)  # the president's approval makes the 拘传票
    debtor = _debtor(assigned)
    assert (doc.kind, doc.title, doc.source, doc.created_by_id) == (
        "summons_warrant",
        "拘传票",
        str(debtor.pk),
        people["president"].pk,
    )
    text = word_text(queries.content(doc))
    assert f"被拘传人：{debtor.name}，公民身份号码：{debtor.id_number}，住所地：" in text
    assert "查明：传唤拒不到庭。" in text and "对被拘传人调查询问的时间不得超过24小时。" in text
    assert "经本院院长批准" in text
    m = services.record_start(people["judge"], m, started_at=datetime(2026, 3, 10, 8, 0, tzinfo=TZ))
    assert m.ends_at == datetime(2026, 3, 11, 8, 0, tzinfo=TZ)


def test_search_approval_makes_the_search_warrant(people, assigned, frozen, login):
    m = services.propose_measure(
        people["judge"],
        assigned,
        kind="search",
        party_id=_debtor(assigned).pk,
        act="被执行人将车辆藏匿并拒不交出",
        place="被执行人住所（广州市天河区某路1号）及其车库",
    )
    assert m.document_id is None  # proposed: nothing made before the president signs
    m = services.decide_measure(people["president"], m, approve=True)
    doc = Document.objects.get(pk=m.document_id)
    assert (doc.kind, doc.title) == ("search_warrant", "搜查令")
    text = word_text(queries.content(doc))
    assert f"被搜查人：{_debtor(assigned).name}。" in text
    assert "对下列处所进行搜查：被执行人住所（广州市天河区某路1号）及其车库。" in text
    assert "经本院院长签发本搜查令" in text
    page = login(people["judge"]).get(reverse("case_coercion", args=[assigned.pk])).content.decode()
    assert f'href="{reverse("document_docx", args=[doc.pk])}">搜查令 #{doc.pk}</a>' in page


def test_a_summons_of_a_unit_names_its_representative(people, assigned, frozen):
    debtor = _debtor(assigned)
    # Setup shortcut: the debtor as a company (filing an organisation is the filing tests' concern).
    Party.objects.filter(pk=debtor.pk).update(
        kind=Party.Kind.ORGANISATION,
        name="广州某贸易有限公司",
        id_number="",
        credit_code="91440101MA59XXXX0X",
    )
    with pytest.raises(ServiceError) as exc:  # a unit is not summoned as such
        services.propose_measure(
            people["judge"], assigned, kind="summons", party_id=debtor.pk, act="x", hours="8"
        )
    assert exc.value.field == "party"
    m = services.propose_measure(
        people["judge"],
        assigned,
        kind="summons",
        party_id=debtor.pk,
        person_name="王大明",
        act="法定代表人经两次传唤无正当理由拒不到场",
        hours="8",
    )
    m = services.decide_measure(people["president"], m, approve=True)
    text = word_text(queries.content(Document.objects.get(pk=m.document_id)))
    assert "被拘传人：王大明，系被执行人广州某贸易有限公司的法定代表人、主要负责人或者实际控制人。" in text
    assert "不得超过8小时" in text


def test_refusal_referral_with_evidence_bundle(people, assigned, frozen, login):
    client = login(people["judge"])
    debtor = _debtor(assigned)
    # 3.4 needs an approved fine or detention first: refused, nothing written.
    r = client.post(
        reverse("case_refusal_refer", args=[assigned.pk]),
        {
            "party": debtor.pk,
            "situation": ["3.4"],
            "facts": "拒不报告",
            "receiver": "天河分局",
            "referred_on": "2026-03-10",
        },
    )
    assert r.status_code == 302 and RefusalReferral.objects.count() == 0
    services.decide_measure(people["president"], _fine(people, assigned), approve=True)
    z = client.get(
        reverse("case_refusal_evidence", args=[assigned.pk]), {"party": debtor.pk, "situation": "3.4"}
    )
    assert z.status_code == 200 and z["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert names == [
        "01_案件概况.txt",
        "02_拒不执行情形.txt",
        "03_财产报告.txt",
        "04_强制措施.txt",
        "05_履行能力画像.txt",
        "06_拦截回执.txt",
    ]
    text = zipfile.ZipFile(io.BytesIO(z.content)).read("04_强制措施.txt").decode()
    assert text == "罚款 20000.00 已批准：拒不报告财产\n"
    r = client.post(
        reverse("case_refusal_refer", args=[assigned.pk]),
        {
            "party": debtor.pk,
            "situation": ["3.4"],
            "facts": "拒不报告",
            "receiver": "天河分局",
            "referred_on": "2026-03-10",
        },
    )
    ref = RefusalReferral.objects.get()
    assert (ref.situations, ref.evidence_sha256, ref.evidence_files) == (
        ["3.4"],
        z["X-Evidence-SHA256"],
        names,
    )


def test_api_propose_approve_and_clocks(people, assigned, frozen):
    c = Client()

    def call(staff: Any, path: str, body: dict[str, Any]) -> Any:
        token = issue_token(None, staff, "t")
        return c.post(
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    debtor = _debtor(assigned)
    bad = call(
        people["judge"],
        f"/cases/{assigned.pk}/coercive-measures",
        {"kind": "fine", "party_id": debtor.pk, "act": "x", "amount": "200000"},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "amount"
    ok = call(
        people["judge"],
        f"/cases/{assigned.pk}/coercive-measures",
        {"kind": "fine", "party_id": debtor.pk, "act": "x", "amount": "5000"},
    )
    assert ok.status_code == 201 and ok.json()["status"] == "proposed"
    mid = ok.json()["id"]
    assert call(people["judge"], f"/coercive-measures/{mid}/decision", {"approve": True}).status_code == 403
    assert (
        call(people["president"], f"/coercive-measures/{mid}/decision", {"approve": True}).json()["status"]
        == "approved"
    )
    served = call(people["judge"], f"/coercive-measures/{mid}/service", {"served_on": "2026-03-10"}).json()
    assert served["review_apply_by"] == "2026-03-13"
    assert served["clocks"] == [{"label": "复议申请期限（3日）", "due": "2026-03-13", "met": None}]
    assert (
        call(
            people["yx_director"], f"/coercive-measures/{mid}/service", {"served_on": "2026-03-10"}
        ).status_code
        == 404
    )


# -- permission matrix ---------------------------------------------------------------------------------

USERS = ["clerk", "judge", "assistant", "director", "president", "gd_president", "yx_director", "anon"]


def _proposed(p: dict[str, Any]) -> CoerciveMeasure:
    case = factories.case(p["clerk"])
    return _fine(p, case)


ROWS: list[tuple[str, str, Any, str]] = [
    (
        "case_coercion",
        "GET",
        lambda p: (reverse("case_coercion", args=[factories.case(p["clerk"]).pk]), {}),
        "200 200 200 200 200 200 404 L",
    ),
    (
        "case_coercion_propose",
        "POST",
        lambda p: (
            (c := factories.case(p["clerk"])) and reverse("case_coercion_propose", args=[c.pk]),
            {"kind": "fine", "party": str(_debtor(c).pk), "act": "拒不报告", "amount": "1000"},
        ),
        "403 302 403 302 403 403 404 L",
    ),
    (
        "coercion_act",
        "POST",
        lambda p: (reverse("coercion_act", args=[_proposed(p).pk, "approve"]), {}),
        "403 403 403 403 302 403 404 L",
    ),
    (
        "coercion_approvals",
        "GET",
        lambda p: (reverse("coercion_approvals"), {}),
        "403 403 403 403 200 200 403 L",
    ),
    (
        "case_refusal_evidence",
        "GET",
        lambda p: (
            (c := factories.case(p["clerk"]))
            and reverse("case_refusal_evidence", args=[c.pk]) + f"?party={_debtor(c).pk}",
            {},
        ),
        "403 200 403 200 403 403 404 L",
    ),
    (
        "case_refusal_refer",
        "POST",
        lambda p: (
            (c := factories.case(p["clerk"])) and reverse("case_refusal_refer", args=[c.pk]),
            {
                "party": str(_debtor(c).pk),
                "situation": "3.1",
                "facts": "放弃债权",
                "receiver": "天河分局",
                "referred_on": "2026-03-10",
            },
        ),
        "403 302 403 302 403 403 404 L",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[f"{r[0]}-{r[1]}" for r in ROWS])
def test_permission_matrix(row: tuple[str, str, Any, str], people, login, frozen):
    _name, method, setup, expected_text = row
    expected = dict(zip(USERS, expected_text.split(), strict=True))
    got = {}
    for who in USERS:
        client = login(None if who == "anon" else people[who])
        sid = transaction.savepoint()
        try:
            url, data = setup(people)
            resp = client.post(url, data) if method == "POST" else client.get(url)
            got[who] = (
                "L"
                if resp.status_code == 302 and resp["Location"].startswith("/login/")
                else str(resp.status_code)
            )
        finally:
            transaction.savepoint_rollback(sid)
    assert got == expected


def test_every_coercion_url_has_a_row():
    from zhixing.cases import urls_coercion

    # The 执转破 pages share the module; their matrix is tests/web/test_bankruptcy.py::test_permissions.
    bankruptcy = {"bankruptcy_screening", "bankruptcy_transfer"}
    assert {p.name for p in urls_coercion.urlpatterns} == {r[0] for r in ROWS} | bankruptcy
