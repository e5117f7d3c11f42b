"""E-service (电子送达): confirmed addresses, serving by the first channel that works, the delivery proof
(sent, delivered, opened), retries with the same key, fallback to the next channel, and the service date
starting the enforcement notice's period (CPL Art 90; R-2.2.24)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.documents.eservice_fixtures import sandbox_call
from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementNotice, Node
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.documents import dispatch, eservice, services
from zhixing.documents.models import Delivery, Service, ServiceAddress

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


@pytest.fixture
def case(people: dict[str, Any]) -> Any:
    """A money case with its notice issued (not served) and the notice document made."""
    c = factories.case(people["clerk"])
    case_services.issue_notice(people["clerk"], c, on=date(2026, 3, 5))
    return c


def _debtor(case: Any) -> Any:
    return case.parties.get(role="debtor")


def _notice_doc(case: Any, judge: Any) -> Any:
    return services.generate(judge, case, "enforcement_notice")


def test_a_bad_address_names_its_field_and_writes_nothing(case: Any, people: dict[str, Any]) -> None:
    debtor = _debtor(case)
    for kw, field in (
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"portal": True}, "phone"),
        ({"electronic_consent": True}, "electronic_consent"),
    ):
        with pytest.raises(ServiceError) as err:
            eservice.confirm_address(people["judge"], case, debtor.pk, **kw)
        assert err.value.field == field
    with pytest.raises(ServiceError) as err:
        eservice.confirm_address(people["judge"], case, 999999, phone=PHONE)
    assert err.value.field == "party"
    with pytest.raises(NotPermitted):
        eservice.confirm_address(people["yx_judge"], case, debtor.pk, phone=PHONE)
    assert not ServiceAddress.objects.exists()


def test_serving_by_the_portal_serves_the_notice_on_the_delivery_day_and_starts_its_period(
    case: Any, people: dict[str, Any], gateways: Any
) -> None:
    debtor = _debtor(case)
    addr = eservice.confirm_address(
        people["judge"],
        case,
        debtor.pk,
        phone=PHONE,
        email="zs@example.cn",
        portal=True,
        electronic_consent=True,
    )
    assert eservice.channels_of(addr) == ["portal", "sms", "email"]
    doc = _notice_doc(case, people["judge"])
    svc = eservice.serve(people["judge"], doc, debtor.pk)
    assert eservice.serve(people["judge"], doc, debtor.pk) == svc  # idempotent
    r = dispatch.drain()
    assert (r.claimed, r.counts["delivered"]) == (1, 1)
    svc.refresh_from_db()
    assert (svc.status, svc.served_on, svc.served_channel) == ("served", date(2026, 3, 10), "portal")
    [d] = svc.deliveries.all()
    assert d.sent_at is not None and d.delivered_at is not None and d.opened_at is None
    notice = EnforcementNotice.objects.get(case=case)
    # rule: — served electronically on the day it reached the debtor's system.
    assert (notice.service_method, notice.service_act_on, notice.served_on) == (
        "electronic",
        date(2026, 3, 10),
        date(2026, 3, 10),
    )
    assert notice.period_ends_on is not None and notice.period_ends_on > date(2026, 3, 10)
    assert Node.objects.get(case=case, node_type__code="notice").status == Node.Status.DONE
    assert eservice.record_opened(d) is True and eservice.record_opened(d) is False
    svc.refresh_from_db()
    assert svc.opened_at is not None
    assert AuditRecord.objects.filter(action="document.opened", case_id=case.pk).count() == 1
    assert set(
        AuditRecord.objects.filter(case_id=case.pk, action__startswith="document.").values_list(
            "action", flat=True
        )
    ) >= {"document.address_confirm", "document.serve", "document.served", "document.opened"}


def test_an_unreachable_phone_falls_back_to_e_mail_with_the_proof_of_each_channel(
    case: Any, people: dict[str, Any], gateways: Any
) -> None:
    debtor = _debtor(case)
    eservice.confirm_address(
        people["judge"], case, debtor.pk, phone=PHONE, email="zs@example.cn", electronic_consent=True
    )
    sandbox_call("/_sandbox/sms/config", {"unreachable": [PHONE]})
    svc = eservice.serve(people["judge"], _notice_doc(case, people["judge"]), debtor.pk)
    r = dispatch.drain()
    assert (r.counts["failed"], r.counts["fallback"], r.counts["delivered"]) == (1, 1, 1)
    sms, email = svc.deliveries.order_by("id")
    assert (sms.channel, sms.status, sms.error, sms.delivered_at) == ("sms", "failed", "空号或停机", None)
    assert (email.channel, email.status) == ("email", "delivered")
    svc.refresh_from_db()
    assert (svc.status, svc.served_channel) == ("served", "email")
    [mail] = gateways.box.messages
    assert mail["To"] == "zs@example.cn" and f"/party/d/{email.token}/" in mail.get_content()
    assert AuditRecord.objects.filter(action="document.serve_fallback", case_id=case.pk).count() == 1


def test_a_busy_gateway_is_retried_under_the_same_key_and_sends_once(
    case: Any, people: dict[str, Any], gateways: Any
) -> None:
    debtor = _debtor(case)
    eservice.confirm_address(people["judge"], case, debtor.pk, phone=PHONE, electronic_consent=True)
    sandbox_call("/_sandbox/sms/config", {"fail_every": 1})
    svc = eservice.serve(people["judge"], _notice_doc(case, people["judge"]), debtor.pk)
    r1 = dispatch.run_once()
    [d] = svc.deliveries.all()
    assert (r1.counts["retry"], d.status, d.tries, d.error) == (1, "queued", 1, "网关繁忙")
    sandbox_call("/_sandbox/sms/config", {"fail_every": 0})
    dispatch.run_once()
    d.refresh_from_db()
    assert (d.status, d.tries) == ("delivered", 1)
    outbox = sandbox_call(f"/_sandbox/sms?phone={PHONE}")["outbox"]
    assert [m["key"] for m in outbox] == [d.key]
    assert f"/party/d/{d.token}/" in outbox[0]["text"]


def test_every_channel_failing_fails_the_service_and_leaves_the_notice_unserved(
    case: Any, people: dict[str, Any], gateways: Any, settings: Any
) -> None:
    debtor = _debtor(case)
    eservice.confirm_address(
        people["judge"], case, debtor.pk, phone=PHONE, email="refuse@example.cn", electronic_consent=True
    )
    settings.ZHIXING_ESERVICE = {**settings.ZHIXING_ESERVICE, "sms_url": "http://127.0.0.1:8879"}  # nobody
    svc = eservice.serve(people["judge"], _notice_doc(case, people["judge"]), debtor.pk)
    dispatch.drain()
    svc.refresh_from_db()
    assert (svc.status, svc.failure) == ("failed", "收件地址被拒收")
    sms, email = svc.deliveries.order_by("id")
    assert (sms.status, sms.tries, email.status) == ("failed", 2, "failed")
    assert sms.error.startswith("连接失败或超时")
    assert EnforcementNotice.objects.get(case=case).served_on is None


def test_serving_needs_a_consenting_address(case: Any, people: dict[str, Any]) -> None:
    debtor = _debtor(case)
    doc = _notice_doc(case, people["judge"])
    with pytest.raises(ServiceError, match="尚未签署送达地址确认书"):
        eservice.serve(people["judge"], doc, debtor.pk)
    eservice.confirm_address(people["judge"], case, debtor.pk, phone=PHONE, electronic_consent=False)
    with pytest.raises(ServiceError, match="未同意电子送达"):
        eservice.serve(people["judge"], doc, debtor.pk)
    assert not Service.objects.exists() and not Delivery.objects.exists()
