"""The adapter against the sandbox over real HTTP: signatures, idempotency, retries, timeouts, callbacks."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from zhixing.core import partner_protocol as protocol
from zhixing.inquiry import services
from zhixing.inquiry.adapters import PartnerClient, TransportError, client_for
from zhixing.inquiry.models import CallbackLog, InquiryRequest, Partner
from zhixing.partners.sandbox.holdings import partner_secret

pytestmark = pytest.mark.django_db
S = InquiryRequest.Status
SUBJECT = "360426199101010071"


def item(key: str, action: str = "query", **kw: Any) -> dict[str, Any]:
    return {"key": key, "action": action, "subject": SUBJECT, "name": "张三", "holder": "案1", **kw}


def test_signed_batch_is_answered(sandbox: Any) -> None:
    client = PartnerClient("BANK-ICBC", partner_secret("BANK-ICBC"), sandbox.url, 5)
    answers = client.send([item("k1"), item("k2")], "")
    assert [a["status"] for a in answers] == ["done", "done"]
    assert "assets" in answers[0]["result"]


def test_wrong_secret_is_refused(sandbox: Any) -> None:
    client = PartnerClient("BANK-ICBC", "not-the-secret", sandbox.url, 5)
    with pytest.raises(TransportError, match="401"):
        client.send([item("k1")], "")
    assert sandbox.stats()["performed"] == 0


def test_a_retried_key_acts_once(sandbox: Any) -> None:
    client = PartnerClient("BANK-ICBC", partner_secret("BANK-ICBC"), sandbox.url, 5)
    ref = client.send([item("q")], "")[0]["result"]["assets"]
    if not ref or ref[0]["closed"]:
        pytest.skip("no open account for this subject")
    freeze = item("f1", "freeze", asset_ref=ref[0]["ref"], amount="1.00")
    first = client.send([freeze], "")[0]
    second = client.send([freeze], "")[0]
    assert first == second
    assert sandbox.executions()["f1"] == 1


def test_transient_5xx_is_retried_with_the_same_keys(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    sandbox.configure(**{"BANK-ICBC": {"fail_first": 2}})
    services.start_inquiry(people["judge"], case, ["deposit"])
    services.dispatch_due()
    req = InquiryRequest.objects.get(case=case)
    assert req.status == S.DONE and req.attempts == 3
    assert sandbox.executions() == {req.idempotency_key: 1}


def test_lost_response_does_not_act_twice(people: dict[str, Any], case: Any, sandbox: Any) -> None:
    sandbox.configure(**{"BANK-ICBC": {"lose_response_every": 1}})
    services.start_inquiry(people["judge"], case, ["deposit"])
    services.dispatch_once()
    req = InquiryRequest.objects.get(case=case)
    assert req.status == S.PENDING and "500" in req.last_error
    sandbox.configure(**{"BANK-ICBC": {}})
    services.dispatch_due()
    req.refresh_from_db()
    assert req.status == S.DONE
    assert sandbox.executions()[req.idempotency_key] == 1


def test_bounded_retries_end_in_failed(
    people: dict[str, Any], case: Any, sandbox: Any, settings: Any
) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "max_attempts": 2}
    sandbox.configure(**{"BANK-ICBC": {"fail_first": 10}})
    services.start_inquiry(people["judge"], case, ["deposit"])
    services.dispatch_due()
    req = InquiryRequest.objects.get(case=case)
    assert req.status == S.FAILED and req.attempts == 2 and "已重试2次" in req.last_error


def test_a_hanging_partner_does_not_block_others(
    people: dict[str, Any], case: Any, sandbox: Any, settings: Any
) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "http_timeout": 1, "backoff_base": 60}
    sandbox.configure(**{"REG-ESTATE": {"hang": True}})
    services.start_inquiry(people["judge"], case, ["deposit", "real_estate", "vehicle"])
    started = time.monotonic()
    services.dispatch_due()
    assert time.monotonic() - started < 5
    rows = {r.partner.code: r for r in InquiryRequest.objects.filter(case=case).select_related("partner")}
    assert rows["BANK-ICBC"].status == S.DONE and rows["MPS-VEHICLE"].status == S.DONE
    assert rows["REG-ESTATE"].status == S.PENDING and "超时" in rows["REG-ESTATE"].last_error


def test_delayed_answers_are_polled(people: dict[str, Any], case: Any, sandbox: Any, settings: Any) -> None:
    settings.ZHIXING_INQUIRY = {**settings.ZHIXING_INQUIRY, "poll_after": 0}
    settings.ZHIXING_PLATFORM_URL = "http://127.0.0.1:9"  # callbacks cannot arrive: polling must
    sandbox.configure(**{"BANK-ICBC": {"delay": 30}})
    services.start_inquiry(people["judge"], case, ["deposit"])
    services.dispatch_once()
    req = InquiryRequest.objects.get(case=case)
    assert req.status == S.WAITING
    services.dispatch_once()
    req.refresh_from_db()
    assert req.status == S.DONE


# -- callbacks ----------------------------------------------------------------------------------------

PATH = "/api/v1/inquiry/callback"


def post(body: bytes, headers: dict[str, str]) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return Client().post(PATH, data=body, content_type="application/json", **extra)


def signed(
    code: str, payload: Any, key: str = "cb-1", secret: str | None = None
) -> tuple[bytes, dict[str, str]]:
    body = protocol.encode_body(payload)
    return body, protocol.sign_headers(code, secret or partner_secret(code), "POST", PATH, body, key)


def waiting_request(people: dict[str, Any], case: Any) -> InquiryRequest:
    services.start_inquiry(people["judge"], case, ["deposit"])
    req = InquiryRequest.objects.get(case=case)
    InquiryRequest.objects.filter(pk=req.pk).update(status=S.WAITING)
    return req


def test_signed_callback_is_applied_once(people: dict[str, Any], case: Any) -> None:
    req = waiting_request(people, case)
    answer = {"key": req.idempotency_key, "status": "done", "result": {"assets": [], "info": {}}}
    body, headers = signed("BANK-ICBC", {"partner": "BANK-ICBC", "results": [answer]})
    assert post(body, headers).status_code == 200
    assert post(body, headers).status_code == 200  # a repeated callback is harmless
    req.refresh_from_db()
    assert req.status == S.DONE
    assert CallbackLog.objects.filter(accepted=True).count() == 2


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        ("unsigned", 401),
        ("wrong_secret", 401),
        ("unknown_partner", 401),
        ("malformed", 400),
        ("unknown_request", 404),
    ],
)
def test_bad_callbacks_are_refused_and_logged(
    people: dict[str, Any], case: Any, mutate: str, status: int
) -> None:
    req = waiting_request(people, case)
    answer = {"key": req.idempotency_key, "status": "done", "result": {"assets": []}}
    payload: Any = {"results": [answer]}
    code, secret = "BANK-ICBC", None
    if mutate == "wrong_secret":
        secret = "x" * 40
    if mutate == "unknown_partner":
        code = "NOBODY"
    if mutate == "unknown_request":
        payload = {"results": [{**answer, "key": "never-sent"}]}
    body, headers = signed(code, payload, secret=secret)
    if mutate == "unsigned":
        headers = {"X-ZX-Partner": code}
    if mutate == "malformed":
        body = b'{"results": "nope"'
        headers = protocol.sign_headers(code, partner_secret(code), "POST", PATH, body, "k")
    resp = post(body, headers)
    assert resp.status_code == status
    assert CallbackLog.objects.filter(accepted=False, status=status).count() == 1
    req.refresh_from_db()
    assert req.status == S.WAITING


def test_client_for_uses_the_sandbox_url_for_seeded_partners(sandbox: Any) -> None:
    client = client_for(Partner.objects.get(code="BANK-ICBC"))
    assert f"{client.host}:{client.port}" in sandbox.url


def test_custody_bank_is_mounted_under_its_prefix(sandbox: Any) -> None:
    """`/custody/...` goes to the custody-bank simulator when it is installed (another team's module)."""
    import importlib.util
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(sandbox.url + "/custody/no-such-route", timeout=5) as resp:
            body = resp.read()
    except urllib.error.HTTPError as exc:
        body = exc.read()
    installed = importlib.util.find_spec("zhixing.partners.sandbox.custody_bank") is not None
    assert (b"custody_bank_not_installed" in body) is not installed
