"""End to end in Debian's Chromium: a clerk files a case with two debtors, sees its deadlines, a judge
completes a node, and the bureau director finds the case's overdue node on the supervision page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from zhixing.cases.models import EnforcementCase, Node

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(courts: dict[str, Any]) -> dict[str, Any]:
    th = courts["th"]
    return {
        "clerk": factories.staff(th, "clerk", username="e2e_clerk", full_name="李书记"),
        "judge": factories.staff(th, "judge", username="e2e_judge", full_name="张法官"),
        "director": factories.staff(th, "director", username="e2e_director", full_name="王局长"),
        "gz_director": factories.staff(courts["gz"], "director", username="e2e_gz", full_name="赵局长"),
    }


def fill_party(page: Any, row: int, role: str, kind: str, name: str, number: str) -> None:
    page.select_option(f"#id_parties-{row}-role", role)
    page.select_option(f"#id_parties-{row}-kind", kind)
    page.fill(f"#id_parties-{row}-name", name)
    page.fill(f"#id_parties-{row}-{'id_number' if kind == 'person' else 'credit_code'}", number)


def test_file_case_see_deadlines_complete_node_and_supervise(page: Any, staff: dict[str, Any]) -> None:
    today = timezone.localdate()
    applied, filed = today - timedelta(days=40), today - timedelta(days=38)

    login(page, "e2e_clerk", factories.PASSWORD)
    page.goto("/cases/new/")
    page.select_option("#id_case_type", "执")
    page.fill("#id_applied_on", applied.isoformat())
    page.fill("#id_filed_on", filed.isoformat())
    page.select_option("#id_instrument_type", "civil_judgment")
    page.fill("#id_issuing_body", "广州市天河区人民法院")
    page.fill("#id_basis_number", "（2026）粤0106民初8888号")
    page.fill("#id_effective_on", (today - timedelta(days=120)).isoformat())
    page.fill("#id_performance_deadline", (today - timedelta(days=100)).isoformat())
    page.fill("#id_principal", "250000")
    fill_party(page, 0, "applicant", "organisation", "广州某银行股份有限公司", factories.VALID_CREDIT)
    fill_party(page, 1, "debtor", "person", "张三", factories.VALID_IDS[2])
    page.click("#add-party")
    fill_party(page, 2, "debtor", "person", "李四", factories.VALID_IDS[1])
    page.click("#submit-filing")

    page.wait_for_selector("#case-number")
    number = f"（{filed.year}）粤0106执1号"
    assert page.inner_text("#case-number") == number
    case = EnforcementCase.objects.get(number=number)
    assert case.parties.filter(role="debtor").count() == 2
    # Every node's computed deadline is on the page, the term among them.
    term = case.nodes.get(node_type__code="term")
    # (followed by a note where the year's holidays are not loaded: issue 13's per-deadline note)
    assert page.inner_text("tr[data-node=term] td.due").startswith(term.due_on.isoformat())
    assert page.get_attribute("tr[data-node=network_inquiry]", "data-color") == "red"
    # The masked debtor ID is shown, never the full one.
    assert factories.VALID_IDS[2] not in page.content()

    page.context.clear_cookies()
    login(page, "e2e_judge", factories.PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    form = page.locator("[data-testid=form-complete-notice]")
    form.locator("input[name=document_ref]").fill("执行通知书（2026）第17号")
    form.locator("input[name=completed_on]").fill(today.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr[data-node=notice][data-color=done]")
    notice = Node.objects.get(case=case, node_type__code="notice")
    assert (notice.status, notice.document_ref) == ("done", "执行通知书（2026）第17号")

    page.context.clear_cookies()
    login(page, "e2e_director", factories.PASSWORD)
    page.goto("/supervision/")
    row = page.locator("tr[data-court='粤0106']")
    overdue = int(row.locator("[data-count=overdue-nodes]").inner_text())
    assert overdue == Node.objects.filter(case=case, status="pending", due_on__lt=today).count() > 0
    row.locator("[data-count=overdue-nodes]").click()
    page.wait_for_selector(f"text={number}")

    # The intermediate court's director reads the same numbers for its subordinate court.
    page.context.clear_cookies()
    login(page, "e2e_gz", factories.PASSWORD)
    page.goto("/supervision/")
    gz_row = page.locator("tr[data-court='粤0106'] [data-count=overdue-nodes]")
    assert int(gz_row.inner_text()) == overdue
