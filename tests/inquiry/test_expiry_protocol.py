"""Renewals and 轮候 notices with the partner sandbox over the signed HTTP protocol.

The sandbox runs in its own process; its signed callbacks go to a small recorder standing in for the
platform's address, and each recorded message is handed to the platform's callback service exactly as
the endpoint would (`services.receive`: the signature is checked there).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from tests.inquiry.conftest import open_case
from zhixing.cases.models import Party
from zhixing.inquiry import rules, services
from zhixing.inquiry.models import Action, Asset, CallbackLog, ControlAlert, InquiryRequest, Partner

pytestmark = pytest.mark.django_db
S = InquiryRequest.Status
# A debtor whose sandbox holdings include an account and a house another court already seized.
SUBJECT = "360426199101010018"
ACCOUNT = "ICBC970606969686"
HOUSE = "粤(2021)不动产权第9085919号"

Message = tuple[str, dict[str, str], bytes]


class Recorder:
    def __init__(self) -> None:
        self.inbox: queue.Queue[Message] = queue.Queue()
        inbox = self.inbox

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                inbox.put((self.path, dict(self.headers.items()), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout: float = 15) -> Message:
        return self.inbox.get(timeout=timeout)


@pytest.fixture
def recorder(sandbox: Any, settings: Any) -> Iterator[Recorder]:
    rec = Recorder()
    settings.ZHIXING_PLATFORM_URL = rec.url
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


def debtor_case(people: dict[str, Any]) -> Any:
    case = open_case(people)
    Party.objects.filter(case=case, role="debtor").update(id_number=SUBJECT)
    return case


def register(case: Any, partner: str, ref: str, kind: str, value: str) -> Asset:
    p = Partner.objects.get(code=partner)
    return Asset.objects.create(
        case=case,
        party=case.parties.get(role="debtor"),
        partner=p,
        category=p.category,
        kind=kind,
        ref=ref,
        value=Decimal(value),
        divisible=kind == "account",
        found_at=timezone.now(),
    )


def control(people: dict[str, Any], asset: Asset, action: str, **kw: Any) -> InquiryRequest:
    req = services.request_control(people["judge"], asset, action, **kw)
    if req.status == S.AWAITING_APPROVAL:
        req = services.approve(people["director"], req)
    services.dispatch_due()
    req.refresh_from_db()
    asset.refresh_from_db()
    return req


def deliver(message: Message) -> services.CallbackResult:
    path, headers, body = message
    return services.receive(path, body, headers)


def test_bulk_renewal_is_answered_over_the_protocol(people: dict[str, Any], sandbox: Any) -> None:
    case = debtor_case(people)
    account = register(case, "BANK-ICBC", ACCOUNT, "account", "10046.85")
    control(people, account, Action.FREEZE, amount="500.00")
    today = timezone.localdate()
    assert (account.state, account.effective_on, account.control_expires) == (
        Asset.State.FROZEN,
        today,
        rules.control_expiry(today, "funds"),
    )
    result = services.renew_controls(people["judge"], [account.pk])
    services.dispatch_due()
    renewal = InquiryRequest.objects.get(pk=result.rows[0].request_id)
    account.refresh_from_db()
    assert renewal.status == S.DONE and renewal.outcome == {"renewed": True, "held": True}
    assert account.control_expires == rules.renewal_expiry(rules.control_expiry(today, "funds"), "funds")
    assert sandbox.executions()[renewal.idempotency_key] == 1


def test_the_registry_tells_a_queued_seizure_it_took_effect(
    people: dict[str, Any], recorder: Recorder, sandbox: Any
) -> None:
    case = debtor_case(people)
    house = register(case, "REG-ESTATE", HOUSE, "house", "800000")
    seize = control(people, house, Action.SEIZE, reason="不可分物，无其他财产")
    today = timezone.localdate()
    assert seize.status == S.DONE
    assert (house.state, house.seizure_rank, house.registered_on, house.effective_on) == (
        Asset.State.QUEUED,
        2,
        today,
        None,
    )  # behind another court's seizure at the registry
    lift = sandbox._call("/_sandbox/lift", {"partner": "REG-ESTATE", "ref": HOUSE})
    assert lift == {"lifted": 1}
    message = recorder.next()
    assert message[0] == "/api/v1/inquiry/callback"
    result = deliver(message)
    assert (result.status, result.applied) == (200, 1)
    house.refresh_from_db()
    assert (house.state, house.seizure_rank, house.effective_on, house.control_start) == (
        Asset.State.SEIZED,
        1,
        today,
        today,
    )
    assert house.control_expires == rules.control_expiry(today, "real_estate")
    assert ControlAlert.objects.filter(asset=house, level=ControlAlert.Level.EFFECTIVE).count() == 1
    assert CallbackLog.objects.filter(accepted=True, reason="轮候通知1条").count() == 1
    assert deliver(message).applied == 0  # the same notice again: no news
    path, headers, body = message
    tampered = services.receive(path, body.replace(b'"rank":1', b'"rank":2'), headers)
    assert tampered.status == 401
    assert sandbox.stats()["notices_delivered"] == 1


def test_release_moves_the_queue_in_the_platform_and_at_the_registry(
    people: dict[str, Any], recorder: Recorder, sandbox: Any
) -> None:
    first = register(debtor_case(people), "REG-ESTATE", HOUSE, "house", "800000")
    second = register(debtor_case(people), "REG-ESTATE", HOUSE, "house", "800000")
    control(people, first, Action.SEIZE, reason="不可分物")
    control(people, second, Action.SEIZE, reason="不可分物")
    assert (first.seizure_rank, second.seizure_rank) == (2, 3)
    release = control(people, first, Action.RELEASE)
    second.refresh_from_db()
    assert release.status == S.DONE and first.state == Asset.State.RELEASED
    assert (second.state, second.seizure_rank) == (Asset.State.QUEUED, 2)  # moved up in the platform at once
    notice = deliver(recorder.next())  # the registry says the same: nothing more to do
    assert (notice.status, notice.applied) == (200, 0)
    sandbox._call("/_sandbox/lift", {"partner": "REG-ESTATE", "ref": HOUSE})
    assert deliver(recorder.next()).applied == 1
    second.refresh_from_db()
    assert (second.state, second.seizure_rank, second.effective_on) == (
        Asset.State.SEIZED,
        1,
        timezone.localdate(),
    )
