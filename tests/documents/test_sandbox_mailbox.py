"""The partner sandbox's mail server (`zhixing.partners.sandbox.mailbox`): the platform's e-mail service
delivers to it, the sandbox lists what arrived, and `make run`'s demo e-mail is delivered, not refused."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.documents.eservice_fixtures import _free_port
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.documents import dispatch, eservice, services
from zhixing.documents.models import Delivery
from zhixing.partners.sandbox import institutions
from zhixing.partners.sandbox.mailbox import SmtpMailbox
from zhixing.partners.sandbox.server import start_mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings: Any) -> Iterator[SmtpMailbox]:
    """The sandbox's own mail server (its `institutions.mail`) on a free port, where the platform sends."""
    institutions.mail.reset()
    server = start_mailbox("127.0.0.1", _free_port())
    assert server is not None and server.box is institutions.mail
    settings.ZHIXING_ESERVICE = {
        **settings.ZHIXING_ESERVICE,
        "smtp_host": "127.0.0.1",
        "smtp_port": server.port,
        "backoff_base": 0,
        "http_timeout": 5,
    }
    yield server
    server.close()
    institutions.mail.reset()


def _case_with_notice(people: dict[str, Any]) -> EnforcementCase:
    c = factories.case(people["clerk"])
    EnforcementCase.objects.filter(pk=c.pk).update(handler=people["judge"])
    c.refresh_from_db()
    case_services.issue_notice(people["clerk"], c, on=date(2026, 3, 5))
    return c


def test_the_e_mail_service_delivers_a_document_to_the_sandbox_mailbox(
    people: dict[str, Any], mailbox: SmtpMailbox, sandbox_server: str
) -> None:
    case = _case_with_notice(people)
    debtor = case.parties.get(role="debtor")
    eservice.confirm_address(people["judge"], case, debtor.pk, email="ls@example.cn", electronic_consent=True)
    doc = services.generate(people["judge"], case, "enforcement_notice")
    svc = eservice.serve(people["judge"], doc, debtor.pk)
    r = dispatch.drain()
    assert r.counts["delivered"] == 1
    [d] = svc.deliveries.all()
    assert (d.channel, d.status, d.tries, d.error) == ("email", "delivered", 0, "")
    svc.refresh_from_db()
    assert (svc.status, svc.served_channel, svc.served_on) == ("served", "email", date(2026, 3, 10))
    # The message arrived: to the party, with the link to the document on the party portal (the
    # platform serves by link, so the party's opening is recorded; it attaches no file).
    [mail] = mailbox.box.messages
    assert (mail["To"], mail["From"], mail["Message-ID"]) == (
        "ls@example.cn",
        "songda@court.example.cn",
        f"<{d.key}@zhixing>",
    )
    assert mail["Subject"] == d.subject and d.subject
    assert f"/party/d/{d.token}/" in mail.get_content()
    # The sandbox's console lists it (recipient, subject, time).
    with urllib.request.urlopen(f"{sandbox_server}/_sandbox/mail?to=ls@example.cn", timeout=5) as resp:
        listed = json.loads(resp.read())
    assert listed == {
        "inbox": [
            {
                "to": "ls@example.cn",
                "from": "songda@court.example.cn",
                "subject": d.subject,
                "at": "2026-03-10T02:00:00+00:00",
                "attachments": [],
            }
        ],
        "received": 1,
    }


def test_the_mailbox_refuses_and_defers_like_a_mail_server(
    people: dict[str, Any], mailbox: SmtpMailbox
) -> None:
    case = _case_with_notice(people)
    debtor = case.parties.get(role="debtor")
    eservice.confirm_address(
        people["judge"], case, debtor.pk, email="refuse@example.cn", electronic_consent=True
    )
    svc = eservice.serve(
        people["judge"], services.generate(people["judge"], case, "enforcement_notice"), debtor.pk
    )
    dispatch.drain()
    [d] = svc.deliveries.all()
    assert (d.status, d.error) == ("failed", "收件地址被拒收")
    assert mailbox.box.messages == []


def test_a_taken_port_is_reported_not_fatal(capsys: pytest.CaptureFixture[str]) -> None:
    first = SmtpMailbox(0)
    try:
        assert start_mailbox("127.0.0.1", first.port) is None
        assert f"邮件服务器未能在 127.0.0.1:{first.port} 启动" in capsys.readouterr().err
    finally:
        first.close()


def test_the_demo_s_queued_e_mail_is_delivered_by_the_queue_and_shown_on_the_documents_page(
    people: dict[str, Any], mailbox: SmtpMailbox, sandbox_server: str, settings: Any, client: Any
) -> None:
    settings.ZHIXING_ESERVICE = {**settings.ZHIXING_ESERVICE, "sms_url": sandbox_server}
    cases = [_case_with_notice(people) for _ in range(3)]
    for c in cases:
        services.generate(people["judge"], c, "enforcement_notice")
    call_command("portal_demo_party", verbosity=0)
    # Demo case 2: its SMS was refused, the e-mail fallback is queued for the worker.
    queued = Delivery.objects.get(case_id=cases[1].pk, channel="email")
    assert (queued.status, queued.address, queued.tries) == ("queued", "debtor2@example.cn", 0)
    dispatch.run_once()  # what the worker's periodic e-service task does
    queued.refresh_from_db()
    assert (queued.status, queued.error, queued.tries) == ("delivered", "", 0)
    assert [m["To"] for m in mailbox.box.messages] == ["debtor2@example.cn"]
    client.force_login(people["judge"])
    page = client.get(reverse("case_documents", args=[cases[1].pk])).content.decode()
    assert 'data-channel="email" data-state="delivered">电子邮件：已送达\n' in page
    assert "邮件服务器连接失败" not in page
