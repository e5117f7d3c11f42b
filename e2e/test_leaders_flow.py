"""End to end in Debian's Chromium: the high court's president sees the province charts drawn by the
platform's own ECharts, opens the overdue nodes of one court from the supervision table (the list
holds exactly as many nodes as the figure said), and issues a 督办 that the handling judge answers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from e2e.conftest import login
from tests import factories
from zhixing.cases import services
from zhixing.cases.models import Node, SupervisionOrder

pytestmark = pytest.mark.django_db(transaction=True)


def _file(clerk: Any, days_ago: int) -> Any:
    today = timezone.localdate()
    return factories.case(
        clerk,
        applied_on=today - timedelta(days=days_ago + 2),
        filed_on=today - timedelta(days=days_ago),
        effective_on=today - timedelta(days=days_ago + 90),
        performance_deadline=today - timedelta(days=days_ago + 60),
    )


def test_president_sees_province_charts_and_opens_one_courts_overdue_nodes(
    page: Any, people: dict[str, Any], courts: dict[str, Any]
) -> None:
    th_case = _file(people["clerk"], 40)
    services.assign_case(people["director"], th_case, people["judge"], on=th_case.filed_on)
    _file(people["clerk"], 3)
    _file(factories.staff(courts["yx"], "clerk"), 20)
    today = timezone.localdate()
    th_overdue = Node.objects.filter(court=courts["th"], status="pending", due_on__lt=today).count()
    assert th_overdue > 0

    login(page, "gd_president", factories.PASSWORD)
    page.goto("/supervision/")
    for name in ("trend", "courts", "age"):
        box = page.locator(f'[data-testid="chart-{name}"]')
        box.locator("canvas").first.wait_for(state="attached")
        assert box.get_attribute("data-chart-drawn") == "done"
        assert box.locator("canvas, svg").count() >= 1
    # The data table under the courts chart carries the same province figures as the supervision table.
    province = page.locator('tr[data-court="粤"] a[data-count="overdue-nodes"]').inner_text()
    courts_table = page.locator('[data-testid="chart-courts"] table.chart-table')
    gz_cell = courts_table.locator("tbody tr", has_text="广州市中级人民法院").locator("td").nth(1)
    assert gz_cell.text_content() == province  # 广州中院 is the province's only branch with cases
    page.screenshot(path="test-artifacts/leaders_president_supervision.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator('[data-testid="chart-age"] canvas').first.wait_for(state="attached")
    page.screenshot(path="test-artifacts/leaders_president_supervision_390.png", full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # The 天河 row's 超期节点 figure opens exactly that many overdue nodes.
    link = page.locator('tr[data-court="粤0106"] a[data-count="overdue-nodes"]')
    assert link.inner_text() == str(th_overdue)
    link.click()
    page.wait_for_selector('[data-testid="overdue-nodes"]')
    assert page.inner_text('[data-testid="list-count"]') == str(th_overdue)
    assert page.locator("tr[data-node-id]").count() == th_overdue
    assert "超期节点" in page.inner_text("h1")

    # 督办 from the list's case: the panel on the case page (loaded by HTMX) offers the form.
    page.goto(f"/cases/{th_case.pk}/")
    page.wait_for_selector('[data-testid="issue-order"]', state="attached")
    page.locator(".order-issue summary").click()
    page.fill("#id_order_text", "请于三日内完成超期节点并说明原因")
    page.fill("#id_order_due_on", (today + timedelta(days=3)).isoformat())
    page.click('[data-testid="issue-order"]')
    page.wait_for_selector('li[data-order] [data-testid="order-status"]')
    assert page.inner_text('[data-testid="order-status"]') == "待回复"
    order = SupervisionOrder.objects.get()
    assert order.addressee == people["judge"] and order.issued_by == people["gd_president"]

    page.context.clear_cookies()
    login(page, people["judge"].username, factories.PASSWORD)
    page.wait_for_selector('[data-testid="orders-open"]')
    assert page.inner_text('[data-testid="orders-open"]') == "1"
    page.goto(f"/cases/{th_case.pk}/")
    page.wait_for_selector('[data-testid="reply-order"]')
    page.fill(f"#id_reply{order.pk}_reply", "已完成网络查控，正在办理财产调查")
    page.click('[data-testid="reply-order"]')
    page.wait_for_selector(".order-reply")
    assert re.search(r"回复：\s*已完成网络查控", page.inner_text(".order-reply"))
    assert page.inner_text('[data-testid="order-status"]') == "已回复"
