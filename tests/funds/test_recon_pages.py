"""Reconciliation pages and API: permission matrix, court scoping, query budgets, the finance page,
confirming and booking through the UI and the API, the workbench alert panel (the demo's
reconciliations: tests/services/test_demo_world.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from zhixing.funds import services
from zhixing.funds import statement_layouts as sl
from zhixing.funds.models import Reconciliation, ReconciliationAlert, ReconciliationItem

from .conftest import receive

pytestmark = pytest.mark.django_db
D10 = date(2026, 3, 10)
HEAD = "交易流水号,交易日期,金额,对方户名,对方账号,收款子账号,摘要,余额\n"

# Who reads reconciliations: finance and the court's leaders, and the higher courts' leaders.
READERS = {
    "finance": 200,
    "director": 200,
    "president": 200,
    "gz_director": 200,
    "gd_president": 200,
    "judge": 403,
    "clerk": 403,
    "assistant": 403,
    "operator": 403,
    "yx_director": 404,  # another court's reconciliation is as absent as none
    "ft_director": 404,
}


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def with_differences(case: Any, people: dict[str, Any]) -> Reconciliation:
    """One ledger-only deduction (DED-1, 450.00) and its bank twin CB77, plus a lost notice LOST."""
    acc = services.case_account(case).number
    services.book_receipt(
        idempotency_key="DED-1",
        amount="450.00",
        value_date=D10,
        case=case,
        payer_name="某公司",
        source="deduction",
    )
    content = (
        HEAD
        + f"CB77,2026-03-10,450.00,某公司,,{acc},扣划,450.00\n"
        + f"LOST,2026-03-10,1234567.80,王五,,{acc},,1235017.80\n"
    )
    imp = services.import_statement(people["finance"], case.court, content.encode(), "s.csv")
    return Reconciliation.objects.get(statement=imp)


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_detail_page_matrix(client, people, case, who, status):
    rec = with_differences(case, people)
    r = as_user(client, people[who]).get(reverse("funds_recon_detail", args=[rec.pk]))
    assert r.status_code == status
    if status == 200:
        html = r.content.decode()
        assert "1,234,567.80" in html and 'data-side="bank_only"' in html and 'data-candidate="DED-1"' in html
        # Only the court's own finance staff see the buttons.
        assert ("确认匹配</button>" in html) is (who == "finance")


@pytest.mark.parametrize(("who", "status"), READERS.items())
def test_api_matrix(client, people, case, who, status):
    rec = with_differences(case, people)
    as_user(client, people[who])
    r = client.get(f"/api/v1/funds/reconciliations/{rec.pk}")
    assert r.status_code == status
    listed = client.get("/api/v1/funds/reconciliations")
    assert listed.status_code == (403 if status == 403 else 200)
    if status == 200:
        body = r.json()
        assert body["status"] == "differences" and body["balance_difference"] == "-1234567.80"
        sides = {(i["side"], i["ref"]): [c["ref"] for c in i["candidates"]] for i in body["items"]}
        assert sides == {
            ("bank_only", "CB77"): ["DED-1"],
            ("bank_only", "LOST"): [],
            ("ledger_only", "DED-1"): ["CB77"],
        }
    if status == 404:
        assert listed.json() == []


@pytest.mark.parametrize("who", ["director", "gz_director", "judge", "yx_director"])
def test_only_own_finance_confirms(client, people, case, who):
    rec = with_differences(case, people)
    item = rec.items.get(ref="CB77")
    r = as_user(client, people[who]).post(
        f"/api/v1/funds/reconciliation-items/{item.pk}/confirm",
        {"ref": "DED-1"},
        content_type="application/json",
    )
    assert r.status_code == {"yx_director": 404, "judge": 403}.get(who, 403)
    assert ReconciliationItem.objects.get(pk=item.pk).status == "open"
    page = as_user(client, people[who]).post(reverse("funds_recon_confirm", args=[item.pk]), {"ref": "DED-1"})
    assert page.status_code in (403, 404)
    assert ReconciliationItem.objects.get(pk=item.pk).status == "open"


def test_finance_confirms_and_books_through_the_api(client, people, case):
    rec = with_differences(case, people)
    as_user(client, people["finance"])
    cb77, lost = rec.items.get(ref="CB77"), rec.items.get(ref="LOST")
    bad = client.post(
        f"/api/v1/funds/reconciliation-items/{cb77.pk}/confirm",
        {"ref": "NOPE"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and ReconciliationItem.objects.get(pk=cb77.pk).status == "open"
    r = client.post(
        f"/api/v1/funds/reconciliation-items/{cb77.pk}/confirm",
        {"ref": "DED-1"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["open_count"] == 1
    again = client.post(
        f"/api/v1/funds/reconciliation-items/{cb77.pk}/confirm",
        {"ref": "DED-1"},
        content_type="application/json",
    )
    assert again.status_code == 409
    r = client.post(f"/api/v1/funds/reconciliation-items/{lost.pk}/book")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "confirmed" and body["balance_difference"] == "0.00" and body["open_count"] == 0
    from zhixing.core.models import AuditRecord

    assert (
        AuditRecord.objects.filter(action__in=["funds.reconcile_match", "funds.reconcile_book"]).count() == 2
    )


def test_finance_confirms_and_books_through_the_page(client, people, case):
    rec = with_differences(case, people)
    as_user(client, people["finance"])
    cb77, lost = rec.items.get(ref="CB77"), rec.items.get(ref="LOST")
    r = client.post(reverse("funds_recon_confirm", args=[cb77.pk]), {"ref": "DED-1"})
    assert r.status_code == 302 and r["Location"] == reverse("funds_recon_detail", args=[rec.pk])
    client.post(reverse("funds_recon_book", args=[lost.pk]))
    html = client.get(reverse("funds_recon_detail", args=[rec.pk])).content.decode()
    assert 'data-status="confirmed"' in html and "已补记入账" in html and "已确认匹配" in html
    finance = client.get(reverse("funds_finance")).content.decode()
    assert f'data-recon="{rec.pk}"' in finance and "差异已确认" in finance


def test_clean_upload_is_balanced_and_the_finance_page_lists_it(client, people, case):
    receive(case, "2500000.00", "OK1")
    acc = services.case_account(case).number
    content = HEAD + f"OK1,2026-03-10,2500000.00,张三,,{acc},,2500000.00\n"
    as_user(client, people["finance"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client.post(
        reverse("funds_upload_statement"),
        {"file": SimpleUploadedFile("s.csv", content.encode()), "layout": sl.SANDBOX},
    )
    rec = Reconciliation.objects.get(court=case.court)
    assert r.status_code == 302 and r["Location"] == reverse("funds_recon_detail", args=[rec.pk])
    assert (rec.status, rec.balance_difference, rec.difference_count) == ("balanced", Decimal("0.00"), 0)
    page = client.get(reverse("funds_finance")).content.decode()
    assert "2,500,000.00" in page and 'data-status="balanced"' in page and "列映射" not in page


def test_bad_upload_changes_nothing_and_names_the_row(client, people, case):
    content = HEAD + "A1,2026-03-10,1.00,,,,,1.00\nA2,2026-13-40,2.00,,,,,3.00\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    as_user(client, people["finance"])
    r = client.post(
        reverse("funds_upload_statement"), {"file": SimpleUploadedFile("s.csv", content.encode())}
    )
    assert r.status_code == 302
    page = client.get(reverse("funds_finance")).content.decode()
    assert "第3行" in page and "未作任何更改" in page
    assert not Reconciliation.objects.exists()


def test_finance_page_query_budget(client, people, case, django_assert_max_num_queries):
    as_user(client, people["finance"])
    with_differences(case, people)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("funds_finance"))
    for n in range(8):
        content = HEAD + f"X{n},2026-03-0{n + 1},{n + 1}.00,,,,,{n + 1}.00\n"
        services.import_statement(people["finance"], case.court, content.encode(), f"s{n}.csv")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("funds_finance")).status_code == 200


def test_detail_page_query_budget(client, people, case, django_assert_max_num_queries):
    rec = with_differences(case, people)
    as_user(client, people["finance"])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("funds_recon_detail", args=[rec.pk])).status_code == 200


def test_alert_panel_on_the_workbench(client, people, case):
    with_differences(case, people)
    assert ReconciliationAlert.objects.filter(court=case.court, resolved_at__isnull=True).count() == 1
    panel = as_user(client, people["finance"]).get(reverse("funds_recon_alerts")).content.decode()
    assert 'id="recon-alert-badge">1<' in panel and "3笔差异未处理" in panel
    home = client.get(reverse("home")).content.decode()
    assert reverse("funds_recon_alerts") in home
    assert as_user(client, people["judge"]).get(reverse("funds_recon_alerts")).content == b""
    other = as_user(client, people["yx_director"]).get(reverse("funds_recon_alerts")).content.decode()
    assert "暂无对账预警" in other and "差异未处理" not in other


def test_old_statement_url_leads_to_its_reconciliation(client, people, case):
    rec = with_differences(case, people)
    r = as_user(client, people["finance"]).get(reverse("funds_reconciliation", args=[rec.statement_id]))
    assert r.status_code == 302 and r["Location"] == reverse("funds_recon_detail", args=[rec.pk])
    x = client.get(reverse("funds_reconciliation", args=[rec.statement_id]) + "?format=xlsx")
    assert x.status_code == 200 and x.content[:2] == b"PK"
