"""Payment orders reach the bank the launcher started, say so when they cannot, and retry (finding 14).

The embedded setup (`make run`) starts the partner sandbox on its own port and tells the platform
through ZHIXING_SANDBOX_URL; every partner URL follows it. A send that cannot reach the bank stays
`sending` with a visible reason and is re-sent with the same idempotency key, with backoff and a bound
on automatic attempts, until the bank answers — and the bank pays once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from zhixing.core.models import AuditRecord
from zhixing.funds import conf, services
from zhixing.funds.models import Payout, Transaction
from zhixing.funds.services.sending import STOPPED, UNREACHABLE

from .conftest import BankServer, free_port, receive
from .test_payouts import approve_all, propose

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def settings_in_process(env: dict[str, str]) -> dict[str, str]:
    """The URL settings a fresh process computes from `env` (as the launcher's children would)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIXING_", "FUNDS_", "PORT", "HOST"))}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({k: getattr(settings, k) for k in "
        "('FUNDS_BANK_URL', 'ZHIXING_SANDBOX_URL', 'ZHIXING_PLATFORM_URL')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "zhixing.config.settings",
            "PYTHONPATH": str(ROOT / "src"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_settings_derive_partner_urls_from_the_launcher_env():
    # What `make run` sets for its children (launcher: ZHIXING_SANDBOX_URL from HOST and the sandbox port).
    got = settings_in_process({"ZHIXING_SANDBOX_URL": "http://127.0.0.1:9301", "PORT": "9300"})
    assert got == {
        "FUNDS_BANK_URL": "http://127.0.0.1:9301/custody",
        "ZHIXING_SANDBOX_URL": "http://127.0.0.1:9301",
        "ZHIXING_PLATFORM_URL": "http://127.0.0.1:9300",
    }
    # A process started without the launcher's variables applies the launcher's own rule.
    got = settings_in_process({"PORT": "9400", "ZHIXING_SANDBOX_PORT": "9555", "HOST": "0.0.0.0"})
    assert got["FUNDS_BANK_URL"] == "http://127.0.0.1:9555/custody"
    assert got["ZHIXING_PLATFORM_URL"] == "http://127.0.0.1:9400"
    # An explicit custody-bank URL (a real bank) wins.
    got = settings_in_process(
        {"ZHIXING_SANDBOX_URL": "http://127.0.0.1:9301", "FUNDS_BANK_URL": "https://bank/x/"}
    )
    assert got["FUNDS_BANK_URL"] == "https://bank/x/"


def test_conf_derives_the_bank_url_when_unset(settings):
    settings.FUNDS_BANK_URL = ""
    settings.ZHIXING_SANDBOX_URL = "http://127.0.0.1:9701/"
    assert conf.bank_url() == "http://127.0.0.1:9701/custody"
    settings.FUNDS_BANK_URL = "https://bank.example/api/"
    assert conf.bank_url() == "https://bank.example/api"


def test_sandbox_bank_notifies_the_platform_the_launcher_started(monkeypatch):
    from zhixing.partners.sandbox.custody_bank import Bank

    monkeypatch.delenv("CUSTODY_NOTIFY_URL", raising=False)
    monkeypatch.setenv("ZHIXING_PLATFORM_URL", "http://127.0.0.1:9300/")
    assert Bank().notify_url == "http://127.0.0.1:9300/api/v1/funds/bank/notices"
    monkeypatch.setenv("CUSTODY_NOTIFY_URL", "http://elsewhere/notices")
    assert Bank().notify_url == "http://elsewhere/notices"


def test_payout_is_paid_by_the_sandbox_the_launcher_starts(case, people, settings):
    """As in `make run`: the sandbox server on its own port, no FUNDS_BANK_URL, the bank at /custody."""
    from zhixing.partners.sandbox import custody_bank
    from zhixing.partners.sandbox.server import start_in_thread

    port = free_port()
    server = start_in_thread("127.0.0.1", port)
    try:
        settings.FUNDS_BANK_URL = ""
        settings.ZHIXING_SANDBOX_URL = f"http://127.0.0.1:{port}"
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/custody/transfers",
            data=json.dumps({"amount": "90000.00", "txn_id": f"EMB-{port}"}).encode(),
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=5):
            pass
        receive(case, "90000.00", "EMB1")
        p = services.send(people["finance"], approve_all(propose(case, people, "100.00"), people).pk)
        assert (p.status, p.last_error) == ("paid", "")
        assert p.order_key in custody_bank.app.bank.payments
    finally:
        server.should_exit = True


def test_unreachable_bank_is_visible_retried_and_pays_once_when_back(client, case, people, settings):
    receive(case, "90000.00", "U1")
    p = approve_all(propose(case, people, "100.00"), people)
    bank = BankServer()  # its port is chosen but nothing listens yet
    settings.FUNDS_BANK_URL = bank.url
    bank.app.bank.add_transfer({"amount": "1000000.00", "txn_id": "OPENING"})
    client.force_login(people["finance"])
    r = client.post(reverse("funds_send", args=[p.pk]), follow=True)
    page = r.content.decode()
    assert r.status_code == 200
    assert f"支付指令未获银行确认：{UNREACHABLE}" in page  # the answer to the click
    assert "已发送银行" in page and "已尝试1次" in page  # the row in the queue
    p.refresh_from_db()
    assert (p.status, p.send_attempts, p.last_error) == ("sending", 1, UNREACHABLE)
    first_retry = p.next_attempt_at
    assert first_retry is not None
    key = p.order_key

    # The party's portal shows the same state instead of failing.
    a = case.parties.get(role="applicant")
    tok = services.issue_token(people["judge"], case, a.pk)
    portal = client.get(reverse("funds_portal", args=[tok.token]))
    assert portal.status_code == 200 and UNREACHABLE in portal.content.decode()

    assert services.resume_sending() == 0  # not due yet: backoff
    with time_machine.travel(first_retry + timedelta(seconds=1)):
        assert services.resume_sending() == 0  # still unreachable: counted again, later retry
    p.refresh_from_db()
    assert p.send_attempts == 2 and p.next_attempt_at > first_retry

    bank.start()
    try:
        with time_machine.travel(p.next_attempt_at + timedelta(seconds=1)):
            assert services.resume_sending() == 1
        p.refresh_from_db()
        assert (p.status, p.order_key, p.last_error, p.next_attempt_at) == ("paid", key, "", None)
        assert list(bank.app.bank.payments) == [key]  # one order key, one payment
        with time_machine.travel(p.sent_at + timedelta(days=1)):
            assert services.resume_sending() == 0
        assert Transaction.objects.filter(idempotency_key=f"payout-paid:{p.pk}").count() == 1
        assert len(bank.app.bank.payments) == 1
        assert AuditRecord.objects.filter(action="funds.payout_unanswered", object_id=str(p.pk)).count() == 2
    finally:
        bank.stop()


def test_automatic_retries_are_bounded_then_finance_resends_by_hand(case, people, settings):
    settings.FUNDS_SEND_MAX_ATTEMPTS = 3
    receive(case, "90000.00", "U2")
    p = approve_all(propose(case, people, "100.00"), people)
    bank = BankServer()
    settings.FUNDS_BANK_URL = bank.url
    bank.app.bank.add_transfer({"amount": "1000000.00", "txn_id": "OPENING"})
    p = services.send(people["finance"], p.pk)
    for _ in range(5):
        if p.next_attempt_at is None:
            break
        with time_machine.travel(p.next_attempt_at + timedelta(seconds=1)):
            services.resume_sending()
        p.refresh_from_db()
    assert (p.status, p.send_attempts, p.next_attempt_at, p.last_error) == ("sending", 3, None, STOPPED)
    with time_machine.travel(p.sent_at + timedelta(days=30)):
        assert services.resume_sending() == 0
    p.refresh_from_db()
    assert p.send_attempts == 3  # nothing is attempted automatically any more
    bank.start()
    try:
        p = services.send(people["finance"], p.pk)  # "重发" on the finance page: the same key
        assert p.status == "paid" and list(bank.app.bank.payments) == [p.order_key]
    finally:
        bank.stop()


def test_unreachable_face_check_is_an_error_on_the_page_not_a_500(client, case, people, settings):
    settings.FUNDS_BANK_URL = f"http://127.0.0.1:{free_port()}/custody"
    a = case.parties.get(role="applicant")
    tok = services.issue_token(people["judge"], case, a.pk)
    r = client.post(
        reverse("funds_portal", args=[tok.token]),
        {"step": "verify", "id_number": a.credit_code, "photo": "live"},
    )
    assert r.status_code == 200
    assert "暂时无法连接" in r.content.decode()
    tok.refresh_from_db()
    assert (tok.failed_checks, tok.verified_at) == (0, None)  # the bank's outage is not the party's failure


def test_unreachable_return_order_is_visible_on_the_finance_page(client, case, people, settings):
    rec = services.book_receipt(
        idempotency_key="UR1",
        amount="50.00",
        value_date=case.filed_on,
        court=case.court,
        to_account="123",
        payer_name="李四",
        payer_account="6222020200001234",
    )
    settings.FUNDS_BANK_URL = f"http://127.0.0.1:{free_port()}/custody"
    rec = services.return_receipt(people["finance"], rec.pk, "付款人汇错")
    assert (rec.status, rec.return_attempts) == ("returning", 1)
    client.force_login(people["finance"])
    page = client.get(reverse("funds_finance")).content.decode()
    assert f"{UNREACHABLE}（已尝试1次" in page
    assert Payout.objects.count() == 0
