"""失信规定 Art 8 notices: who is told, delivery over the protocol with retry, acknowledgements, the API."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from tests import factories
from zhixing.cases import services as case_services
from zhixing.core import partner_protocol as protocol
from zhixing.core.errors import ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import ListingNotice
from zhixing.credit.services import notices
from zhixing.partners.sandbox.holdings import partner_secret

from .art8_fake import FakeRecipients, recipient
from .conftest import debtor, debtor_case, listing_data, open_listing_data

pytestmark = pytest.mark.django_db
S = ListingNotice.Status
CALLBACK = "/api/v1/credit/notices/callback"


@pytest.fixture
def fake(monkeypatch: Any, settings: Any) -> FakeRecipients:
    f = FakeRecipients()
    monkeypatch.setattr(notices, "client_for", f.client_for)
    settings.ZHIXING_PLATFORM_URL = "http://platform.test"
    settings.ZHIXING_CREDIT_NOTICES = {"backoff_base": 0, "max_attempts": 3}
    return f


@pytest.fixture
def recipients(db: Any) -> dict[str, Any]:
    return {c: recipient(c) for c in ("PBOC-CRC", "EMP-GZTAX", "SUP-GZSASAC")}


def unit_case(clerk: Any) -> Any:
    case = factories.case(
        clerk,
        parties=[
            case_services.PartyData(
                role="applicant",
                kind="person",
                name="李四",
                id_number=factories.make_id(date(1975, 1, 2), area="110105", seq=222),
            ),
            case_services.PartyData(
                role="debtor",
                kind="organisation",
                name="广州某国有投资有限公司",
                credit_code=factories.VALID_CREDIT,
                legal_representative="王五",
            ),
        ],
    )
    factories.serve_notice(case)  # 失信规定 Art 5(1): the notice first
    return case


def states(listing: Any) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (n.recipient.code, n.event): (n.status, n.attempts)
        for n in ListingNotice.objects.filter(listing=listing).select_related("recipient")
    }


def signed(code: str, payload: Any, secret: str | None = None) -> tuple[bytes, dict[str, str]]:
    body = protocol.encode_body(payload)
    return body, protocol.sign_headers(code, secret or partner_secret(code), "POST", CALLBACK, body, "ack-1")


def post_callback(body: bytes, headers: dict[str, str]) -> Any:
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return Client().post(CALLBACK, data=body, content_type="application/json", **extra)


# -- who is told ------------------------------------------------------------------------------------------
def test_person_is_notified_to_the_credit_bureau_only(people: dict, recipients: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert states(x) == {("PBOC-CRC", "listed"): ("queued", 0)}
    assert AuditRecord.objects.filter(action="credit.art8_queue", object_id=str(x.pk)).count() == 1


def test_state_functionary_employer_is_notified(people: dict, recipients: dict) -> None:
    c = debtor_case(people["clerk"])
    notices.record_profile(
        people["clerk"], c, debtor(c), state_functionary=True, employer=recipients["EMP-GZTAX"]
    )
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert states(x) == {("PBOC-CRC", "listed"): ("queued", 0), ("EMP-GZTAX", "listed"): ("queued", 0)}


def test_soe_superior_is_notified(people: dict, recipients: dict) -> None:
    c = unit_case(people["clerk"])
    notices.record_profile(
        people["judge"], c, debtor(c), unit_nature="soe", superior=recipients["SUP-GZSASAC"]
    )
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert states(x) == {("PBOC-CRC", "listed"): ("queued", 0), ("SUP-GZSASAC", "listed"): ("queued", 0)}


def test_grace_period_notifies_on_publication(people: dict, recipients: dict) -> None:
    import time_machine

    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data(grace_months=1))
    assert states(x) == {}  # not published yet: nobody is told
    with time_machine.travel(date(2026, 4, 10), tick=False):
        services.scan_credit()
    assert states(x) == {("PBOC-CRC", "listed"): ("queued", 0)}


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"state_functionary": True}, "employer"),
        ({"unit_nature": "soe"}, "unit_nature"),  # a person has no unit nature
        ({"employer": "SUP-GZSASAC", "state_functionary": True}, "employer"),  # wrong kind of recipient
    ],
)
def test_profile_validation(people: dict, recipients: dict, kw: dict, field: str) -> None:
    c = debtor_case(people["clerk"])
    if "employer" in kw:
        kw["employer"] = recipients[kw["employer"]]
    with pytest.raises(ServiceError) as e:
        notices.record_profile(people["clerk"], c, debtor(c), **kw)
    assert e.value.field == field


def test_unit_without_superior_is_refused(people: dict, recipients: dict) -> None:
    c = unit_case(people["clerk"])
    with pytest.raises(ServiceError) as e:
        notices.record_profile(people["clerk"], c, debtor(c), unit_nature="state_organ")
    assert e.value.field == "superior"


# -- delivery -----------------------------------------------------------------------------------------------
def listed_functionary(people: dict, recipients: dict) -> Any:
    c = debtor_case(people["clerk"])
    notices.record_profile(
        people["clerk"], c, debtor(c), state_functionary=True, employer=recipients["EMP-GZTAX"]
    )
    return services.list_debtor(people["judge"], c, debtor(c), listing_data())


def test_bureau_acknowledges_at_once_employer_acknowledges_by_signed_callback(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    x = listed_functionary(people, recipients)
    r = notices.dispatch_due()
    assert (r.claimed, dict(r.counts)) == (2, {"acknowledged": 1, "sent": 1})
    assert states(x) == {("PBOC-CRC", "listed"): ("acknowledged", 1), ("EMP-GZTAX", "listed"): ("sent", 1)}
    crc = ListingNotice.objects.get(listing=x, recipient__code="PBOC-CRC")
    assert crc.partner_ref == "PBOC-CRC-000001" and crc.acknowledged_at is not None
    [rec, emp] = fake.registry.records
    assert (rec["partner"], rec["action"], emp["partner"]) == ("PBOC-CRC", "listed", "EMP-GZTAX")
    # The employer's acknowledgement, signed, to the callback the notice named.
    [((code, url), acks)] = fake.registry.drain().items()
    assert (code, url) == ("EMP-GZTAX", "http://platform.test" + CALLBACK)
    body, headers = signed(code, {"partner": code, "results": acks})
    r1 = post_callback(body, headers)
    assert (r1.status_code, r1.json()) == (200, {"detail": "ok", "applied": 1})
    emp_notice = ListingNotice.objects.get(listing=x, recipient__code="EMP-GZTAX")
    assert (emp_notice.status, emp_notice.partner_ref) == ("acknowledged", "EMP-GZTAX-000002")
    assert post_callback(body, headers).json() == {"detail": "ok", "applied": 0}  # a repeat changes nothing


def test_callback_refusals(people: dict, recipients: dict, fake: FakeRecipients) -> None:
    listed_functionary(people, recipients)
    notices.dispatch_due()
    [((code, _), acks)] = fake.registry.drain().items()
    body, headers = signed(code, {"partner": code, "results": acks}, secret="x" * 40)
    assert post_callback(body, headers).status_code == 401
    body, headers = signed("EMP-NOPE", {"partner": "EMP-NOPE", "results": acks})
    assert post_callback(body, headers).status_code == 401
    body, headers = signed(code, {"partner": code, "results": "no"})
    assert post_callback(body, headers).status_code == 400
    body, headers = signed(code, {"partner": code, "results": [{"key": "art8-never", "status": "done"}]})
    assert post_callback(body, headers).status_code == 404
    assert ListingNotice.objects.get(recipient__code="EMP-GZTAX").status == "sent"


def test_failed_sends_are_retried_with_the_same_key_then_failed_then_resent(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    n = ListingNotice.objects.get(listing=x)
    key = n.idempotency_key
    fake.fail["PBOC-CRC"] = 2
    notices.dispatch_due()
    n.refresh_from_db()
    assert (n.status, n.attempts, n.idempotency_key) == ("acknowledged", 3, key)
    assert fake.registry.executions == {key: 1}
    # A recipient down for longer: failed after max_attempts, with the reason, and re-sendable.
    c2 = debtor_case(people["clerk"], name="李四", id_number=factories.make_id(date(1970, 2, 3), seq=333))
    x2 = services.list_debtor(people["judge"], c2, debtor(c2), listing_data())
    fake.fail["PBOC-CRC"] = 10
    notices.dispatch_due()
    n2 = ListingNotice.objects.get(listing=x2)
    assert (n2.status, n2.attempts) == ("failed", 3)
    assert n2.reason == "已发送3次均未成功：对方返回 HTTP 503"
    fake.fail["PBOC-CRC"] = 0
    n2 = notices.resend_notice(people["judge"], n2)
    assert (n2.status, n2.attempts) == ("queued", 0) and n2.idempotency_key != key
    notices.dispatch_due()
    n2.refresh_from_db()
    assert (n2.status, n2.attempts) == ("acknowledged", 1)
    with pytest.raises(ServiceError):
        notices.resend_notice(people["judge"], n2)  # only a failed notice


def test_removal_is_told_to_the_same_recipients(people: dict, recipients: dict, fake: FakeRecipients) -> None:
    x = listed_functionary(people, recipients)
    notices.dispatch_due()
    services.remove_listing(people["judge"], x, trigger="early")  # fixed term: Art 2(2)
    assert states(x)[("PBOC-CRC", "removed")] == ("queued", 0)
    assert states(x)[("EMP-GZTAX", "removed")] == ("queued", 0)
    notices.dispatch_due()
    removed = [r for r in fake.registry.records if r["action"] == "removed"]
    assert sorted(r["partner"] for r in removed) == ["EMP-GZTAX", "PBOC-CRC"]


def test_removal_notice_is_configurable(people: dict, recipients: dict, settings: Any) -> None:
    settings.ZHIXING_CREDIT_NOTICES = {"notify_removal": False}
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), open_listing_data())
    services.remove_listing(people["judge"], x, trigger="early")  # fixed term: Art 2(2)
    assert set(states(x)) == {("PBOC-CRC", "listed")}


def test_item_carries_what_art6_publishes(people: dict, recipients: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    n = ListingNotice.objects.select_related("listing__case", "listing__court").get(listing=x)
    it = notices.item(n)
    assert (it["action"], it["id"], it["name"], it["case_number"]) == (
        "listed",
        x.subject_key,
        "张三",
        c.number,
    )
    assert it["dishonest_act"] == "违反财产报告制度：拒不报告财产" and it["performance"] == "全部未履行"


def test_api_lists_notices_with_delivery(
    client: Client, people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    x = listed_functionary(people, recipients)
    notices.dispatch_due()
    client.force_login(people["clerk"])
    rows = {r["recipient_code"]: r for r in client.get(f"/api/v1/credit/cases/{x.case_id}/notices").json()}
    assert (rows["PBOC-CRC"]["status"], rows["PBOC-CRC"]["attempts"]) == ("acknowledged", 1)
    assert (rows["EMP-GZTAX"]["status_label"], rows["EMP-GZTAX"]["recipient_kind"]) == (
        "已送达待确认",
        "employer",
    )
    page = client.get(f"/cases/{x.case_id}/credit/").content.decode()
    assert page.count('data-testid="art8-notice"') == 2 and 'data-status="acknowledged"' in page
    r = client.put(
        f"/api/v1/credit/cases/{x.case_id}/parties/{x.party_id}/profile",
        data=json.dumps({"state_functionary": False}),
        content_type="application/json",
    )
    assert (r.status_code, r.json()["employer"]) == (200, None)


def test_profile_recorded_after_publication_notifies_the_employer_now(people: dict, recipients: dict) -> None:
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    notices.record_profile(
        people["clerk"], c, debtor(c), state_functionary=True, employer=recipients["EMP-GZTAX"]
    )
    notices.record_profile(
        people["clerk"], c, debtor(c), state_functionary=True, employer=recipients["EMP-GZTAX"]
    )
    assert states(x) == {("PBOC-CRC", "listed"): ("queued", 0), ("EMP-GZTAX", "listed"): ("queued", 0)}


def test_periodic_task_sends_due_notices(people: dict, recipients: dict, fake: FakeRecipients) -> None:
    from zhixing.credit import tasks

    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    tasks.art8_notice_delivery_task()
    assert states(x) == {("PBOC-CRC", "listed"): ("acknowledged", 1)}


# -- a change of the published 履行情况 --------------------------------------------------------------------
def _updated(x: Any) -> list[tuple[str, int, str]]:
    return sorted(
        (n.recipient.code, n.sequence, n.status)
        for n in ListingNotice.objects.filter(listing=x, event="updated").select_related("recipient")
    )


def test_a_payment_tells_the_recipients_the_new_performance_once_per_change(
    people: dict, recipients: dict, fake: FakeRecipients
) -> None:
    from decimal import Decimal

    from zhixing.cases.services.performance import record_payment

    x = listed_functionary(people, recipients)
    notices.dispatch_due()
    record_payment(x.case_id, Decimal("20000.00"), date(2026, 3, 1), source="direct", reference="p-1")
    assert _updated(x) == [("EMP-GZTAX", 1, "queued"), ("PBOC-CRC", 1, "queued")]
    # A second change before sending is not told twice: the queued notice carries the latest figure.
    record_payment(x.case_id, Decimal("10000.00"), date(2026, 3, 2), source="direct", reference="p-2")
    assert _updated(x) == [("EMP-GZTAX", 1, "queued"), ("PBOC-CRC", 1, "queued")]
    n = ListingNotice.objects.select_related("listing__case", "listing__court").get(
        listing=x, event="updated", recipient__code="PBOC-CRC"
    )
    it = notices.item(n)
    assert (it["action"], it["sequence"], it["performance"]) == (
        "updated",
        1,
        "部分履行（已履行30,000.00元，未履行70,000.00元）",
    )
    notices.dispatch_due()
    assert _updated(x) == [("EMP-GZTAX", 1, "sent"), ("PBOC-CRC", 1, "acknowledged")]
    assert sorted(r["partner"] for r in fake.registry.records if r["action"] == "updated") == [
        "EMP-GZTAX",
        "PBOC-CRC",
    ]
    # A change after the first was sent is a new notice.
    record_payment(x.case_id, Decimal("5000.00"), date(2026, 3, 3), source="direct", reference="p-3")
    assert _updated(x) == [
        ("EMP-GZTAX", 1, "sent"),
        ("EMP-GZTAX", 2, "queued"),
        ("PBOC-CRC", 1, "acknowledged"),
        ("PBOC-CRC", 2, "queued"),
    ]


def test_performance_notices_are_configurable_and_follow_the_listed_ones(
    people: dict, recipients: dict, settings: Any
) -> None:
    from decimal import Decimal

    from zhixing.cases.services.performance import record_payment

    settings.ZHIXING_CREDIT_NOTICES = {"notify_performance": False}
    x = listed_functionary(people, recipients)
    record_payment(x.case_id, Decimal("20000.00"), date(2026, 3, 1), source="direct", reference="p-1")
    x.refresh_from_db()
    assert x.performance == "部分履行（已履行20,000.00元，未履行80,000.00元）"
    assert _updated(x) == []
