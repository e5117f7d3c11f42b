"""The enforcement notice page, its Word file and its API: contents (Art 480 warning, 失信规定 Art 5(1)
warning, 财产调查规定 Art 3 order), issuing and recording service through the page, and who may do what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from tests import factories
from tests.web.conftest import node
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, EnforcementNotice
from zhixing.core.models import AuditRecord
from zhixing.courts.services import issue_token

pytestmark = pytest.mark.django_db

DELAY = "应当加倍支付迟延履行期间的债务利息"
DELAY_ART = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十条"
LISTING = "本院将依法将其纳入失信被执行人名单"
LISTING_ART = "该规定第五条第一款"
ASSET = (
    "报告财产令：依照《中华人民共和国民事诉讼法》第二百五十二条"
    "和《最高人民法院关于民事执行中财产调查若干问题的规定》第三条"
)


def test_page_issue_and_serve_through_the_forms(case: EnforcementCase, people: dict[str, Any], login) -> None:
    client = login(people["judge"])
    page = client.get(reverse("case_notice", args=[case.pk])).content.decode()
    assert 'data-testid="notice-none"' in page and 'id="form-notice-issue"' in page
    assert "自送达之日起3日内履行义务" in page
    assert 'data-testid="notice-link"' in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    r = client.post(reverse("case_notice_issue", args=[case.pk]), follow=True)
    html = r.content.decode()
    assert f"已制作执行通知书 {case.number}之通知" in html
    assert 'data-served="no"' in html and 'id="form-notice-service"' in html
    for text in (DELAY, DELAY_ART, LISTING, LISTING_ART, ASSET, "自本通知送达之日起3日内履行"):
        assert text in html
    r = client.post(
        reverse("case_notice_service", args=[case.pk]),
        {"method": "post", "act_on": "2026-03-10"},
        follow=True,
    )
    html = r.content.decode()
    # Tuesday 03-10 + 3 = Friday 03-13.
    assert "已登记送达（2026-03-10视为送达），履行期间至2026-03-13届满" in html
    assert "邮寄送达，2026年03月10日（2026年03月10日视为送达）" in html
    assert "履行期间至2026年03月13日届满" in html and 'id="form-notice-service"' not in html
    n = node(case, "notice")
    assert (n.status, n.completed_on, n.event) == ("done", date(2026, 3, 10), "case.notice_serve")
    flow = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert f'href="/cases/{case.pk}/notice/">执行通知书</a>' in flow  # a link: the judge may open it


def test_a_refused_service_shows_the_reason_and_writes_nothing(
    case: EnforcementCase, people: dict[str, Any], login
) -> None:
    services.issue_notice(people["judge"], case)
    client = login(people["judge"])
    before = AuditRecord.objects.count()
    for data, reason in (
        ({"method": "personal", "act_on": "2026-03-11"}, "送达日期不能晚于今天"),
        ({"method": "fax", "act_on": "2026-03-10"}, "请选择送达方式"),
        ({"method": "personal", "act_on": "昨天"}, "送达日期应为YYYY-MM-DD格式"),
    ):
        r = client.post(reverse("case_notice_service", args=[case.pk]), data, follow=True)
        assert f"办理未成功，未作任何更改：{reason}" in r.content.decode()
    assert AuditRecord.objects.count() == before
    assert EnforcementNotice.objects.get(case=case).served_on is None


@pytest.mark.parametrize("back", ["abc", "99999999999999999999", "https://evil.example/", "//evil.example/"])
def test_a_next_that_is_no_path_on_the_site_returns_to_the_documents_page(
    case: EnforcementCase, people: dict[str, Any], login, settings, tmp_path, back: str
) -> None:
    """Found by the web-form fuzzer: a bare word in `next` was taken for a view name (NoReverseMatch, a
    500); a host of its own would be an open redirect."""
    settings.MEDIA_ROOT = tmp_path / "media"
    factories.serve_notice(case)
    made = login(people["judge"]).post(
        f"/cases/{case.pk}/documents/generate/", {"kind": "enforcement_notice", "source": "", "next": back}
    )
    assert made.status_code == 302 and made["Location"] == reverse("case_documents", args=[case.pk])


@pytest.mark.parametrize("source", ["²", "١", "99999999999999999999"])
def test_a_source_that_names_no_id_is_refused_for_every_kind(
    case: EnforcementCase, people: dict[str, Any], login, source: str
) -> None:
    """ "²" passes str.isdigit() and then failed as a primary key (ValueError, a 500) in eleven kinds."""
    from zhixing.documents import kinds
    from zhixing.documents.models import Document as Stored

    client = login(people["judge"])
    for kind in kinds.all_kinds():
        made = client.post(f"/cases/{case.pk}/documents/generate/", {"kind": kind.code, "source": source})
        assert made.status_code == 302, kind.code
    assert not Stored.objects.filter(case=case).exclude(source="").exists()


def test_word_document_opens_with_the_warnings(
    case: EnforcementCase, people: dict[str, Any], login, settings, tmp_path
) -> None:
    """The notice's Word file is a stored document (documents capability, ADR 0021): made once from the
    page, kept with its template version and hash, and read by every reader of the case."""
    from zhixing.documents.models import Document as Stored

    settings.MEDIA_ROOT = tmp_path / "media"
    factories.serve_notice(case)
    page = reverse("case_notice", args=[case.pk])
    reader = login(people["bailiff"])
    assert 'data-testid="stored-none"' in reader.get(page).content.decode()
    made = login(people["judge"]).post(
        f"/cases/{case.pk}/documents/generate/", {"kind": "enforcement_notice", "source": "", "next": page}
    )
    assert made.status_code == 302 and made["Location"] == page
    doc = Stored.objects.get(case=case, kind="enforcement_notice")
    assert doc.title == "执行通知书" and len(doc.sha256) == 64
    reader = login(people["bailiff"])  # readers may download
    assert f'href="/documents/{doc.pk}/word/"' in reader.get(page).content.decode()
    r = reader.get(f"/documents/{doc.pk}/word/")
    assert r.status_code == 200
    body = b"".join(r.streaming_content) if r.streaming else r.content
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    for part in (
        "执 行 通 知 书",
        f"{case.number}之通知",
        "被执行人：张三",
        "责令被执行人自本通知送达之日起3日内履行（履行期间至2026年03月09日届满）下列义务",
        "给付人民币100000.00元",
        DELAY,
        DELAY_ART,
        LISTING,
        LISTING_ART,
        ASSET,
        "收到执行通知之日前一年的财产情况",
        "送达：直接送达，2026年03月04日（2026年03月04日视为送达）",
    ):
        assert part in text, part


def test_a_non_money_case_has_no_asset_report_order(people: dict[str, Any], frozen, login) -> None:
    case = factories.case(
        people["clerk"], obligation="act", obligation_detail="迁出某路1号房屋", principal="0"
    )
    services.issue_notice(people["judge"], case)
    html = login(people["judge"]).get(reverse("case_notice", args=[case.pk])).content.decode()
    assert "迁出某路1号房屋" in html and LISTING in html and "报告财产令" not in html


# -- who may do what -------------------------------------------------------------------------------------


def test_permissions(case: EnforcementCase, people: dict[str, Any], login) -> None:
    page = reverse("case_notice", args=[case.pk])
    issue = reverse("case_notice_issue", args=[case.pk])
    serve = reverse("case_notice_service", args=[case.pk])
    anon = login(None)
    for url in (page,):
        assert anon.get(url)["Location"].startswith("/login/")
    assert anon.post(issue)["Location"].startswith("/login/")
    other = login(people["yx_director"])  # another court, not above 天河
    assert other.get(page).status_code == 404
    assert other.post(issue).status_code == 404
    assert login(people["bailiff"]).get(page).status_code == 200  # a reader sees it, no form
    assert 'id="form-notice-issue"' not in login(people["bailiff"]).get(page).content.decode()
    assert login(people["bailiff"]).post(issue).status_code == 403  # wrong role
    assert login(people["gz_director"]).post(issue).status_code == 403  # the higher court reads only
    assert not EnforcementNotice.objects.exists()
    assert login(people["clerk"]).post(issue).status_code == 302
    assert (
        login(people["bailiff"]).post(serve, {"method": "personal", "act_on": "2026-03-10"}).status_code
        == 403
    )
    assert other.post(serve, {"method": "personal", "act_on": "2026-03-10"}).status_code == 404
    assert EnforcementNotice.objects.get(case=case).served_on is None


def _api(staff: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(None, staff, 't')}"}


def test_api_issue_serve_and_read(case: EnforcementCase, people: dict[str, Any], client) -> None:
    url = f"/api/v1/cases/{case.pk}/notice"
    assert client.get(url, headers=_api(people["judge"])).status_code == 404
    assert client.post(url, headers=_api(people["bailiff"])).status_code == 403
    assert client.post(url, headers=_api(people["yx_director"])).status_code == 404
    assert client.get(url).status_code == 401
    r = client.post(url, headers=_api(people["judge"]))
    assert r.status_code == 201
    assert r.json()["served_on"] is None and r.json()["performance_days"] == 3
    bad = client.post(
        f"{url}/service",
        {"method": "personal", "act_on": "2026-03-11"},
        content_type="application/json",
        headers=_api(people["judge"]),
    )
    assert bad.status_code == 422 and bad.json()["field"] == "act_on"
    r = client.post(
        f"{url}/service",
        {"method": "publication", "act_on": "2026-03-10"},
        content_type="application/json",
        headers=_api(people["judge"]),
    )
    assert r.status_code == 200
    body = r.json()
    # Published 03-10 → deemed served 04-09 (Thursday) + 3 days = Sunday 04-12 → Monday 04-13.
    assert (body["service_method"], body["service_act_on"], body["served_on"], body["period_ends_on"]) == (
        "publication",
        "2026-03-10",
        "2026-04-09",
        "2026-04-13",
    )
    assert body["listing_warning"] is True and body["asset_report_order"] is True
    assert DELAY_ART in body["delay_warning"] and LISTING_ART in body["listing_warning_text"]
    assert ASSET in body["asset_report_text"]
    assert client.get(url, headers=_api(people["bailiff"])).json()["served_on"] == "2026-04-09"
    assert client.get(url, headers=_api(people["yx_director"])).status_code == 404
