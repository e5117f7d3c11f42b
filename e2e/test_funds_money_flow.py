"""Case money from the first start (issue 12), in the browser, on the platform as `make run` starts it: the
launcher (web server, Huey worker and the partner sandbox with its custody bank) over a database seeded
by `seed_demo`.

First half: finance sees the demo's custody account; a debtor's transfer arrives from the sandbox bank
(its HTTP protocol: the bank posts the signed notice to the platform); a judge proposes a payout of the
payable amount the page offers; the approvers find it on their home page and in their queue and approve;
finance sends it; the sandbox bank pays; the case shows it paid.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from e2e.conftest import accept_confirm, login
from tests.live_asgi import LiveASGI, free_port, manage, migrated_data_dir

PASSWORD = "zhixing2026"  # the demo's published password


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = migrated_data_dir(tmp_path_factory.mktemp("money") / "data")
    manage(data, "seed_demo", "--cases", "100")
    case_id = manage(
        data,
        "shell",
        "-c",
        "from zhixing.funds import demo_money, payable\n"
        "from zhixing.funds.models import Receipt\n"
        "court = demo_money.demo_court()\n"
        "fresh = [c for c in demo_money.demo_cases(court)\n"
        "         if payable.case_balance(c.pk) == 0 and not Receipt.objects.filter(case=c).exists()]\n"
        "print('CASE', fresh[0].pk, court.pk)",
    )
    found = re.search(r"CASE (\d+) (\d+)", case_id)
    assert found, case_id
    sandbox_port = free_port()
    srv = LiveASGI(
        data, entry="launcher", env={"ZHIXING_SANDBOX": "1", "ZHIXING_SANDBOX_PORT": str(sandbox_port)}
    )
    with srv:
        yield {
            "url": srv.url,
            "sandbox": f"http://127.0.0.1:{sandbox_port}",
            "case": int(found.group(1)),
            "court": int(found.group(2)),
            "server": srv,
        }


def as_user(browser: Any, base: str, username: str) -> Any:
    ctx = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(30000)
    pg = ctx.new_page()
    login(pg, username, PASSWORD)
    return pg


def money(text: str) -> str:
    """ "118,600.00" → "118600.00"."""
    return text.strip().replace(",", "")


def shot(pg: Any, name: str) -> None:
    out = Path(__file__).resolve().parent.parent / "test-artifacts"
    out.mkdir(exist_ok=True)
    pg.screenshot(path=str(out / f"funds-money-{name}.png"), full_page=True)


def test_receipt_to_payout_paid_on_the_demo(browser: Any, platform: dict[str, Any]) -> None:
    base, case = platform["url"], platform["case"]

    # Finance sees the demo's custody account, and what waits for them on the home page.
    fin = as_user(browser, base, "th_finance")
    fin.wait_for_selector("#funds-todo [data-todo='unidentified']")
    fin.goto("/funds/custody/")
    assert fin.inner_text("#custody-account-no") == f"4400{platform['court']:08d}"
    assert fin.inner_text("#custody-prefix") == f"88{platform['court']:04d}"

    # The judge opens the case's money page: its sub-account, nothing received yet.
    judge = as_user(browser, base, "th_judge1")
    judge.goto(f"/funds/cases/{case}/")
    sub = judge.inner_text("#sub-account")
    assert money(judge.inner_text("#m-received")) == "0.00"

    # A debtor transfers to the case's sub-account at the sandbox bank; the bank notifies the platform.
    req = urllib.request.Request(
        platform["sandbox"] + "/custody/transfers",
        data=json.dumps({"to_account": sub, "amount": "200000.00", "payer_name": "被执行人"}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 201
    for _ in range(100):
        judge.reload()
        if money(judge.inner_text("#m-received")) == "200000.00":
            break
        time.sleep(0.2)
    assert money(judge.inner_text("#m-received")) == "200000.00"
    assert judge.inner_text("#m-received") == "200,000.00"  # thousands separators
    assert "银行来款通知" in judge.inner_text("#receipts")

    # The page offers the payable amount (the balance less the fee it names); the judge proposes exactly that.
    payable = money(judge.inner_text("#m-payable"))
    assert judge.locator("#payable-breakdown [data-code='fee']").count() == 1
    assert judge.input_value("#id_amount") == payable
    applicant = judge.inner_text("#id_party_id option:first-child").split("（")[0]
    judge.fill("#id_account_name", applicant)
    judge.fill("#id_account_no", "6222020000008888")
    judge.fill("#id_bank_name", "中国工商银行广州天河支行")
    judge.click("#propose-submit")
    judge.wait_for_selector("text=发款申请已提交审批")
    payout = judge.get_attribute("#payouts [data-payout]", "data-payout")
    assert "待执行法官审批" in judge.inner_text(f"#payouts [data-payout='{payout}']")
    assert money(judge.inner_text("#m-payable")) == "0.00"
    shot(judge, "proposed")

    # Each approver finds it on the home page and in the queue (account, amount, history, next) and approves.
    for who, label in (("th_judge2", "执行法官"), ("th_director", "执行局局长"), ("th_president", "院长")):
        pg = as_user(browser, base, who)
        pg.wait_for_selector("#funds-todo [data-todo='approvals']")
        assert int(pg.inner_text("#funds-todo [data-todo='approvals'] b")) >= 1
        pg.click("#funds-todo [data-todo='approvals']")
        row = pg.locator(f"#approval-list [data-payout='{payout}']")
        text = row.inner_text()
        assert "6222020000008888" in text and applicant in text and f"待{label}审批（您）" in text
        assert money(row.locator(".amount").inner_text()) == payable
        row.locator(".approve-btn").click()
        accept_confirm(pg, "发款")
        pg.wait_for_selector("text=已审批")
        pg.context.close()

    # Finance sends the payment order; the sandbox bank pays it.
    fin.goto("/funds/finance/")
    fin.locator(f"#to-send [data-payout='{payout}'] .send-btn").click()
    accept_confirm(fin, "不可撤销")
    fin.wait_for_selector("text=支付指令已发送，银行已支付")
    fin.context.close()

    # The case shows it paid.
    judge.reload()
    assert "已支付" in judge.inner_text(f"#payouts [data-payout='{payout}']")
    assert money(judge.inner_text("#m-paid")) == payable
    assert money(judge.inner_text("#m-balance")) == "0.00"
    shot(judge, "paid")
    judge.context.close()
