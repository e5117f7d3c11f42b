"""End to end in Debian's Chromium (issue 13, finder): a clerk files a case and finds it again from the
top-bar search by part of its number (typed with a full-width digit), then exports the list; the bureau
director assigns the found case from the list and sees the judge's caseload in the drop-down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(courts: dict[str, Any]) -> dict[str, Any]:
    th = courts["th"]
    return {
        "clerk": factories.staff(th, "clerk", username="f_clerk", full_name="李书记"),
        "judge": factories.staff(th, "judge", username="f_judge", full_name="张法官"),
        "director": factories.staff(th, "director", username="f_director", full_name="王局长"),
    }


def fill_party(page: Any, row: int, role: str, kind: str, name: str, number: str) -> None:
    page.select_option(f"#id_parties-{row}-role", role)
    page.select_option(f"#id_parties-{row}-kind", kind)
    page.fill(f"#id_parties-{row}-name", name)
    page.fill(f"#id_parties-{row}-{'id_number' if kind == 'person' else 'credit_code'}", number)


def test_clerk_files_and_finds_a_case_from_the_top_bar(page: Any, staff: dict[str, Any]) -> None:
    today = timezone.localdate()
    older = factories.case(
        staff["clerk"], applied_on=today - timedelta(days=3), filed_on=today - timedelta(days=2)
    )
    year = today.year
    assert older.number == f"（{year}）粤0106执1号"

    login(page, "f_clerk", factories.PASSWORD)
    page.goto("/cases/new/")
    page.select_option("#id_case_type", "执")
    page.fill("#id_applied_on", (today - timedelta(days=1)).isoformat())
    page.fill("#id_filed_on", today.isoformat())
    page.select_option("#id_instrument_type", "civil_judgment")
    page.fill("#id_issuing_body", "广州市天河区人民法院")
    page.fill("#id_basis_number", "（2026）粤0106民初7777号")
    page.fill("#id_effective_on", (today - timedelta(days=120)).isoformat())
    page.fill("#id_performance_deadline", (today - timedelta(days=100)).isoformat())
    page.fill("#id_principal", "88000")
    fill_party(page, 0, "applicant", "organisation", "广州某银行股份有限公司", factories.VALID_CREDIT)
    fill_party(page, 1, "debtor", "person", "陈大文", factories.VALID_IDS[1])
    page.click("#submit-filing")
    page.wait_for_selector("#case-number")
    number = f"（{year}）粤0106执2号"
    assert page.inner_text("#case-number") == number
    filed = EnforcementCase.objects.get(number=number)

    # The top bar's search is on every staff page: part of the number, one digit typed full-width.
    page.fill("#quick-q", "0106执２")
    page.press("#quick-q", "Enter")
    page.wait_for_url(lambda url: "/cases/?" in url)
    page.wait_for_selector("#case-table")
    rows = page.locator("#case-table tbody tr[data-case]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-case") == str(filed.pk)
    assert page.inner_text("#case-table tbody tr[data-case] .case-link") == number
    assert page.inner_text("#total-count") == "1"
    assert page.input_value("#id_q") == "0106执２"

    # By the debtor's ID tail, from the same box.
    page.fill("#quick-q", factories.VALID_IDS[1][-4:])
    page.press("#quick-q", "Enter")
    page.wait_for_selector(f"#case-table tr[data-case='{filed.pk}']")
    assert page.locator("#case-table tbody tr[data-case]").count() == 1

    # Export what the list shows.
    with page.expect_download() as dl:
        page.click("a[data-export='cases.list']")
    assert dl.value.suggested_filename.endswith(".xlsx")
    assert dl.value.suggested_filename.startswith("执行案件列表-")
    assert AuditRecord.objects.filter(action="export.xlsx", actor_id=staff["clerk"].pk).count() == 1

    # The director finds it the same way and assigns it from the list.
    page.context.clear_cookies()
    login(page, "f_director", factories.PASSWORD)
    page.fill("#quick-q", "执2号")
    page.press("#quick-q", "Enter")
    page.wait_for_selector(f"#case-table tr[data-case='{filed.pk}']")
    page.check(f"#case-table tr[data-case='{filed.pk}'] input[name=case]")
    assert "张法官（在办 0 件）" in page.inner_text("#batch-handler")
    page.select_option("#batch-handler", label="张法官（在办 0 件）")
    page.click("#batch-submit")
    page.wait_for_selector("#messages")
    assert "已将1件案件分给张法官" in page.inner_text("#messages")
    filed.refresh_from_db()
    assert filed.handler_id == staff["judge"].pk
    assert "张法官（在办 1 件）" in page.inner_text("#batch-handler")
