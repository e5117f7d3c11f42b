"""End to end in Debian's Chromium (issue 16): a judge uploads an export no layout reads as is, sees the
proposed layout with its score and what is missing, fixes one field in the preview, re-previews,
imports (the adapted layout saved as the court's own), then opens the rows behind an indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import login
from tests import factories
from zhixing.analytics import services
from zhixing.analytics.models import StatementPreset
from zhixing.analytics.samples import DATA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setup(courts: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path / "data"
    services.install_builtin_presets()
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_pv_clerk", full_name="李书记")
    judge = factories.staff(th, "judge", username="e2e_pv_judge", full_name="张法官")
    case = factories.case(clerk)
    debtor = next(p for p in case.parties.all() if p.role == "debtor")
    return {"judge": judge, "case": case, "debtor": debtor}


def test_preview_fix_one_field_import_and_open_rows_behind_an_indicator(
    page: Any, setup: dict[str, Any], tmp_path: Path
) -> None:
    case, debtor = setup["case"], setup["debtor"]
    export = tmp_path / "招行导出.csv"
    export.write_bytes(DATA)
    login(page, "e2e_pv_judge", factories.PASSWORD)
    page.goto(f"/analytics/case/{case.pk}/debtor/{debtor.pk}/")
    page.set_input_files("#preview-file", str(export))
    page.click("#preview-submit")
    page.wait_for_url("**/preview/?token=**")
    chosen = page.locator("#proposals tr.chosen")
    assert chosen.get_attribute("data-score") == "49"
    assert "招商银行借记卡明细" in chosen.inner_text() and "缺少必需列：对手信息" in chosen.inner_text()
    assert "表头缺少列“对手信息”" in page.locator("#file-error").inner_text()
    # The page says which of the file's columns is probably meant (applying it is one click, not done here).
    assert "交易对方列“对方户名”" in page.locator("#layout-suggestions").inner_text()

    page.fill("#id_counterparty_column", "对方户名")  # the one field to fix
    page.click("#re-preview")
    page.locator("#preview-table").wait_for()
    assert "共 7 行，可导入 7 行，有问题 0 行" in page.locator("#preview-counts").inner_text()
    first = page.locator("#preview-table tbody tr").first.inner_text()
    assert (
        "2024-01-05" in first and "收入" in first and "8000.00" in first and "深圳某某科技有限公司" in first
    )
    assert "交易对方列“对方户名”" in page.locator("#layout-changes").inner_text()

    page.fill("#copy-name", "招行明细（对方户名）")
    page.click("#confirm-import")
    page.wait_for_url(f"**/analytics/case/{case.pk}/debtor/{debtor.pk}/")
    page.locator(".job").first.locator("text=已完成").wait_for()
    assert "导入7行" in page.locator(".job").first.inner_text()
    copy = StatementPreset.objects.get(name="招行明细（对方户名）")
    assert (copy.court_id, copy.counterparty_column, copy.encoding) == (
        setup["judge"].court_id,
        "对方户名",
        "gbk",
    )

    page.fill("#id_start", "2024-01-01")
    page.fill("#id_end", "2024-03-31")
    page.click("#compute")
    page.wait_for_url("**/analytics/profiles/**")
    assert "24000.00 元" in page.locator("#link-total_in").inner_text()
    page.click("#link-total_in")
    page.wait_for_url("**/rows/**")
    assert "共 3 行" in page.locator("#row-count").inner_text()
    rows = page.locator("#rows-table tbody tr")
    assert rows.count() == 3
    for i in range(3):
        text = rows.nth(i).inner_text()
        assert "收入" in text and "8000.00" in text and "深圳某某科技有限公司" in text
