"""End to end in Debian's Chromium (issue 16): a judge describes a credit card layout on the 流水版式 page
— positive amounts are spending, dates without a year, the file's own totals — imports a statement with
its period, and sees the transactions' years, the footer kept as notes and the totals check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import login
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

CARD = """某银行信用卡对账单
交易日,记账日,交易摘要,人民币金额
12/29,12/30,超市消费,"CNY 1,131.77(已退款89.84)"
01/03,01/04,还款,-500.00
"本期合计 本期消费 1,131.77 本期还款 500.00"
"""


@pytest.fixture
def setup(courts: dict[str, Any], settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.DATA_DIR = tmp_path / "data"
    th = courts["th"]
    clerk = factories.staff(th, "clerk", username="e2e_card_clerk", full_name="李书记")
    factories.staff(th, "judge", username="e2e_card_judge", full_name="张法官")
    case = factories.case(clerk)
    debtor = next(p for p in case.parties.all() if p.role == "debtor")
    return {"case": case, "debtor": debtor}


def test_define_a_credit_card_layout_and_import_with_it(
    page: Any, setup: dict[str, Any], tmp_path: Path
) -> None:
    login(page, "e2e_card_judge", factories.PASSWORD)
    page.goto("/analytics/presets/")
    form = page.locator("#preset-form")
    for field, value in {
        "name": "某银行信用卡",
        "code": "card",
        "header_marker": "交易日",
        "date_column": "交易日",
        "date_format": "MM/DD",
        "amount_column": "人民币金额",
        "summary_column": "交易摘要",
        "footer_prefixes": "本期合计",
        "total_out_pattern": r"本期消费\s*([\d,.]+)",
        "total_in_pattern": r"本期还款\s*([\d,.]+)",
        "refund_markers": "",
    }.items():
        form.locator(f"#id_{field}").fill(value)
    form.locator("#id_amount_sign").select_option("out_positive")
    form.locator("button[type=submit]").click()
    page.locator("#preset-table", has_text="某银行信用卡").wait_for()

    case, debtor = setup["case"], setup["debtor"]
    page.goto(f"/analytics/case/{case.pk}/debtor/{debtor.pk}/")
    page.select_option("#id_kind", "statement")
    page.select_option("#id_preset", label="某银行信用卡")
    page.select_option("#id_mode", "strict")
    page.fill("#id_period_start", "2023-12-15")
    page.fill("#id_period_end", "2024-01-14")
    statement = tmp_path / "card.csv"
    statement.write_text(CARD, encoding="utf-8")
    page.set_input_files("#id_file", str(statement))
    page.click("#import-form button[type=submit]")
    job = page.locator(".job").first
    job.locator("text=已完成").wait_for()
    text = job.inner_text()
    assert "导入2行" in text and "账单期间 2023-12-15 至 2024-01-14" in text
    assert job.locator(".totals-warning").count() == 0
    job.locator("details.file-notes summary").click()
    notes = job.locator("details.file-notes").inner_text()
    assert "第1行（前言）：某银行信用卡对账单" in notes
    assert "第5行（表尾/合计）：本期合计 本期消费 1,131.77 本期还款 500.00" in notes
    assert "合计核对：文件自身的合计与导入结果一致" in notes
