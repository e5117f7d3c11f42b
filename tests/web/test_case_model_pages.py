"""Pages of issue 11 item 9: filing an act case with a passport holder, the limitation warning, the
excluded periods on the case page (start, end, errors), and what the claim shows for an act."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.web.conftest import APPLICANT, filing_post
from zhixing.cases import queries_term, services
from zhixing.cases.models import EnforcementCase, ExcludedPeriod

pytestmark = pytest.mark.django_db

PASSPORT_DEBTOR = {
    "role": "debtor",
    "kind": "person",
    "name": "John Smith",
    "id_type": "passport",
    "id_number": "E12345678",
    "nationality": "USA",
    "birth_date": "1980-05-04",
}
ORG_CODE_DEBTOR = {
    "role": "debtor",
    "kind": "organisation",
    "name": "广州某机械厂",
    "id_type": "org_code",
    "id_number": "60003734-1",
}


def test_file_act_case_with_passport_and_organisation_code(people, login, frozen):
    client = login(people["clerk"])
    post = filing_post(
        [APPLICANT, PASSPORT_DEBTOR, ORG_CODE_DEBTOR],
        obligation="deliver",
        obligation_detail="交付粤A12345号小型轿车一辆",
        principal="0",
        adjudged_interest="0",
        litigation_costs="0",
        application_fee="200",
    )
    response = client.post("/cases/new/", post, follow=True)
    assert response.status_code == 200
    case = EnforcementCase.objects.get()
    assert (case.obligation, case.application_fee) == ("deliver", 200)
    page = response.content.decode()
    assert "立案成功" in page and "申请执行费200.00元" in page
    assert 'id="act-obligation"' in page and "交付粤A12345号小型轿车一辆" in page
    assert 'id="claim-delay-charge"' in page and "由法院确定" in page
    assert 'id="claim-delay-interest"' not in page
    assert "护照（USA）" in page and '组织机构代码：<span class="mono">600037341</span>' in page


def test_passport_without_nationality_is_shown_on_its_row(people, login, frozen):
    bad = {**PASSPORT_DEBTOR, "nationality": ""}
    response = login(people["clerk"]).post("/cases/new/", filing_post([APPLICANT, bad]))
    assert response.status_code == 200
    page = response.content.decode()
    block = page.split('name="parties-1-nationality"', 1)[1].split("</div>", 2)
    assert re.findall(r"<li>([^<]+)</li>", block[0] + block[1]) == [
        "第2位当事人护照号码有误：护照须填写国籍或地区（三位字母代码，如USA、HKG）"
    ]
    assert not EnforcementCase.objects.exists()


def test_late_application_warns_at_filing_and_on_the_case(people, login, frozen):
    post = filing_post(effective_on="2023-12-01", performance_deadline="2023-12-31")
    response = login(people["clerk"]).post("/cases/new/", post, follow=True)
    page = response.content.decode()
    warning = (
        "申请执行日期2026-03-02已超过二年申请执行期间（届满日2025-12-31，超过61日，民事诉讼法第250条）。"
        "仍可立案：期间可能因中止、中断而延长；被执行人提出时效抗辩且成立的，裁定不予执行。"
    )
    assert page.count(warning) == 2  # the message after filing and the banner on the case
    assert 'id="limitation-warning"' in page


def test_excluded_period_start_and_end_on_the_case_page(people, login, frozen):
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    client = login(people["judge"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="form-exclude"' in page and "暂缓执行（执行和解或提供担保）" in page
    response = client.post(
        f"/cases/{case.pk}/excluded-periods/",
        {"kind": "auction", "start": "2026-03-06", "document_ref": "拍卖公告", "note": "房产拍卖"},
        follow=True,
    )
    page = response.content.decode()
    assert "已登记“拍卖、变卖被查封扣押财产期间”（自2026-03-06起），执行期限暂停计算" in page
    assert 'id="term-excluded"' in page
    period = ExcludedPeriod.objects.get()
    response = client.post(
        f"/cases/{case.pk}/excluded-periods/{period.pk}/end/",
        {"end": "2026-03-05", "document_ref": ""},
    )
    assert response.status_code == 200  # re-rendered with the error, nothing changed
    assert "结束日期须在开始日期与今天之间" in response.content.decode()
    period.refresh_from_db()
    assert period.end is None
    response = client.post(
        f"/cases/{case.pk}/excluded-periods/{period.pk}/end/",
        {"end": "2026-03-10", "document_ref": "成交确认书"},
        follow=True,
    )
    page = response.content.decode()
    assert "“拍卖、变卖被查封扣押财产期间”已于2026-03-10结束，执行期限顺延4日" in page
    case.refresh_from_db()
    assert case.term_due == date(2026, 9, 8)
    assert "登记不计入执行期限的期间" in page and "不计入执行期限的期间结束" in page  # the audit trail


def test_excluded_period_bad_kind_is_shown_and_nothing_written(people, login, frozen):
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    response = login(people["judge"]).post(
        f"/cases/{case.pk}/excluded-periods/", {"kind": "", "start": "2026-03-06", "document_ref": "x"}
    )
    assert response.status_code == 200
    assert "请选择审限规定第9条所列的期间类型" in response.content.decode()
    assert not ExcludedPeriod.objects.exists()


def test_case_page_query_budget_with_periods(people, login, frozen):
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    client = login(people["judge"])
    with CaptureQueriesContext(connection) as base:
        client.get(f"/cases/{case.pk}/")
    for day in (5, 6, 7):
        period = services.start_excluded_period(
            people["judge"], case, kind="public_notice", start=date(2026, 3, day), document_ref="公告"
        )
        services.end_excluded_period(people["judge"], period, end=date(2026, 3, day + 1))
    with CaptureQueriesContext(connection) as more:
        client.get(f"/cases/{case.pk}/")
    assert len(more) <= len(base) + 1  # the periods are one query however many there are


def test_case_page_shows_when_the_applicant_may_apply_to_the_higher_court(people, login, frozen):
    # rule: received 2 March 2026 → may apply from 3 September (term: 4 September, from filing).
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    page = login(people["judge"]).get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'id="higher-court-date"[^>]*>2026-09-03起</dd>', page)
    services.start_excluded_period(
        people["judge"], case, kind="deferral", start=date(2026, 3, 6), document_ref="暂缓决定书"
    )
    page = login(people["judge"]).get(f"/cases/{case.pk}/").content.decode()
    assert re.search(r'id="higher-court-date"[^>]*><span class="badge paused">', page)


def test_no_performance_period_counts_the_application_period_from_the_effective_date(people, login, frozen):
    # rule R-0.7 (CPL-2023 Art 250): no period stated → the effective date is entered as the last day of
    # performance; 2 years from 10 January 2024 end Saturday 10 January 2026 → Monday 12 January.
    page = login(people["clerk"]).get("/cases/new/").content.decode()
    assert "执行依据未规定履行期间的填生效日期（申请执行期间自生效之日起计算，民事诉讼法第250条）" in page
    case = factories.case(
        people["clerk"], effective_on=date(2024, 1, 10), performance_deadline=date(2024, 1, 10)
    )
    limitation = queries_term.limitation_of(case)
    assert (limitation.last_day, limitation.expired, limitation.days_late) == (date(2026, 1, 12), True, 49)


def test_the_suspension_form_asks_for_the_day_the_ruling_was_served(people, login, frozen):
    # rule R-2.3.4 (CPL-2023 Art 269): a suspension ruling takes effect on service; the term stops then.
    case = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    client = login(people["judge"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "中止执行裁定送达当事人之日（民事诉讼法第269条：送达后立即生效），执行期限自该日停止计算" in page
    client.post(
        f"/cases/{case.pk}/suspend/",
        {"ground": "objection", "start": "2026-03-09", "document_ref": "（2026）粤0106执1号之一"},
    )
    case.refresh_from_db()
    assert (case.status, case.suspensions.get().start, case.term_due) == ("suspended", date(2026, 3, 9), None)
