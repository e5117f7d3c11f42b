"""The party portal: phone + code sign-in (limits, hashing, expiry), a party sees only their own cases
(every URL of another party's case answers the same 404 and leaks nothing), the case page by role,
opening a served document records "opened", messages reach the handler, and node push (定向推送)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tests import factories
from tests.documents.eservice_fixtures import sandbox_call
from zhixing.cases import services as case_services
from zhixing.cases.models import Node
from zhixing.cases.services import node_events
from zhixing.core.models import AuditRecord, Notification
from zhixing.documents import dispatch, eservice, services
from zhixing.documents.models import Delivery
from zhixing.portal import party_rules as rules
from zhixing.portal.models import NodePushRule, PartyMessage, PortalCode

pytestmark = pytest.mark.django_db

A_PHONE, B_PHONE = "13800138001", "13900139002"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _world(people: dict[str, Any]) -> dict[str, Any]:
    """Two cases; debtor A of case 1 and debtor B of case 2 each confirmed an address; the notice of
    case 1 is served on A through the portal."""
    c1, c2 = factories.case(people["clerk"]), factories.case(people["clerk"])
    c1 = case_services.assign_case(people["director"], c1, people["judge"], on=c1.filed_on)
    out: dict[str, Any] = {"c1": c1, "c2": c2}
    for key, case, phone in (("a", c1, A_PHONE), ("b", c2, B_PHONE)):
        debtor = case.parties.get(role="debtor")
        eservice.confirm_address(
            people["judge"], case, debtor.pk, phone=phone, portal=True, electronic_consent=True
        )
        case_services.issue_notice(people["judge"], case, on=case.filed_on)
        doc = services.generate(people["judge"], case, "enforcement_notice")
        out[key] = debtor
        out[f"{key}_service"] = eservice.serve(people["judge"], doc, debtor.pk)
    dispatch.drain()
    out["a_delivery"] = out["a_service"].deliveries.get()
    out["b_delivery"] = out["b_service"].deliveries.get()
    return out


@pytest.fixture
def world(people: dict[str, Any], gateways: Any) -> dict[str, Any]:
    return _world(people)


def _code(phone: str) -> str:
    texts = sandbox_call(f"/_sandbox/sms?phone={phone}")["outbox"]
    return re.search(r"验证码为(\d{6})", texts[-1]["text"]).group(1)  # type: ignore[union-attr]


def signed_in(phone: str) -> Client:
    c = Client()
    r = c.post(reverse("party_login"), {"step": "code", "phone": phone})
    assert r.status_code == 200
    r = c.post(reverse("party_login"), {"step": "verify", "phone": phone, "code": _code(phone)})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def test_sign_in_with_the_code_sent_through_the_sms_partner(world: dict[str, Any]) -> None:
    c = Client()
    c.post(reverse("party_login"), {"step": "code", "phone": "138 0013 8001"})
    code = _code(A_PHONE)
    row = PortalCode.objects.get(phone=A_PHONE)
    assert code not in row.code_hash and len(row.code_hash) == 64  # only the hash is stored
    wrong = "000000" if code != "000000" else "111111"
    r = c.post(reverse("party_login"), {"step": "verify", "phone": A_PHONE, "code": wrong})
    assert r.status_code == 200 and "验证码不正确" in r.content.decode()
    assert c.get(reverse("party_home")).status_code == 302  # still signed out
    r = c.post(reverse("party_login"), {"step": "verify", "phone": A_PHONE, "code": code})
    assert r.status_code == 302 and r["Location"] == reverse("party_home")
    page = c.get(reverse("party_home")).content.decode()
    assert world["c1"].number in page and world["c2"].number not in page
    r = c.post(reverse("party_login"), {"step": "verify", "phone": A_PHONE, "code": code})
    assert "验证码已使用" in r.content.decode()  # a code is good once
    assert AuditRecord.objects.filter(action="portal.sign_in").count() == 1
    assert AuditRecord.objects.filter(action="portal.sign_in_failed").count() == 1


def test_code_requests_and_tries_are_limited_and_codes_expire(world: dict[str, Any], settings: Any) -> None:
    settings.ZHIXING_ESERVICE = {**settings.ZHIXING_ESERVICE, "code_per_phone": 2, "code_tries": 2}
    c = Client()
    for _ in range(2):
        assert c.post(reverse("party_login"), {"step": "code", "phone": A_PHONE}).status_code == 200
    r = c.post(reverse("party_login"), {"step": "code", "phone": A_PHONE})
    assert r.status_code == 429 and PortalCode.objects.filter(phone=A_PHONE).count() == 2
    code = _code(A_PHONE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        c.post(reverse("party_login"), {"step": "verify", "phone": A_PHONE, "code": wrong})
    r = c.post(reverse("party_login"), {"step": "verify", "phone": A_PHONE, "code": code})
    assert "错误次数过多" in r.content.decode()
    # An unknown phone gets the same answer and no text (nothing tells who is a party).
    r = c.post(reverse("party_login"), {"step": "code", "phone": "13700000000"})
    assert r.status_code == 200 and sandbox_call("/_sandbox/sms?phone=13700000000")["outbox"] == []
    c2 = Client()
    c2.post(reverse("party_login"), {"step": "code", "phone": B_PHONE})
    code = _code(B_PHONE)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        r = c2.post(reverse("party_login"), {"step": "verify", "phone": B_PHONE, "code": code})
    assert "验证码已过期" in r.content.decode()


def _other_party_urls(w: dict[str, Any]) -> list[tuple[str, str]]:
    c2, b = w["c2"], w["b_delivery"]
    return [
        ("get", reverse("party_case", args=[c2.pk])),
        ("post", reverse("party_message", args=[c2.pk])),
        ("post", reverse("party_resume", args=[c2.pk])),
        ("get", reverse("party_document", args=[c2.pk, b.pk])),
        ("get", reverse("party_document", args=[w["c1"].pk, b.pk])),  # B's delivery under A's case
        ("get", reverse("party_document_link", args=[b.token])),
        ("get", reverse("party_document_link", args=["forged-token-123"])),
        ("get", reverse("party_case", args=[999999])),
    ]


def test_a_party_never_sees_another_partys_case_by_any_url(world: dict[str, Any]) -> None:
    c = signed_in(A_PHONE)
    for method, url in _other_party_urls(world):
        r = getattr(c, method)(url, {"kind": "message", "text": "x"} if method == "post" else None)
        body = r.content.decode()
        assert r.status_code == 404, url
        assert world["c2"].number not in body and world["b"].name not in body and B_PHONE not in body, url
    assert not PartyMessage.objects.exists()
    assert Delivery.objects.get(pk=world["b_delivery"].pk).opened_at is None
    anon = Client()  # signed out: every page asks to sign in, a forged link says it is invalid
    assert anon.get(reverse("party_case", args=[world["c1"].pk])).status_code == 302
    assert anon.get(reverse("party_document_link", args=["forged"])).status_code == 404


def test_the_debtor_reads_the_notice_with_the_case_account_and_the_judge_sees_opened(
    world: dict[str, Any], people: dict[str, Any], custody: Any
) -> None:
    c = signed_in(A_PHONE)
    with CaptureQueriesContext(connection) as q:
        page = c.get(reverse("party_case", args=[world["c1"].pk]))
    assert page.status_code == 200 and len(q) <= 25, len(q)
    text = page.content.decode()
    assert "执行通知书" in text and 'id="payment"' in text and 'id="controls"' not in text
    assert 'id="case-account">880106' in text  # the case's own sub-account (custody prefix 880106)
    d = world["a_delivery"]
    link = c.get(reverse("party_document_link", args=[d.token]))
    assert link["Location"] == reverse("party_document", args=[world["c1"].pk, d.pk])
    doc = c.get(link["Location"]).content.decode()
    assert "执 行 通 知 书" in doc or "执行通知书" in doc
    d.refresh_from_db()
    assert d.opened_at is not None
    judge = Client()
    judge.force_login(people["judge"])
    staff = judge.get(reverse("case_documents", args=[world["c1"].pk])).content.decode()
    assert "已查阅" in staff


def test_messages_and_leads_reach_the_handler(world: dict[str, Any], people: dict[str, Any]) -> None:
    c = signed_in(A_PHONE)
    url = reverse("party_message", args=[world["c1"].pk])
    r = c.post(url, {"kind": "lead", "text": ""})
    assert r.status_code == 422 and "请填写内容" in r.content.decode()
    r = c.post(url, {"kind": "lead", "text": "被执行人在白云区有一辆白色轿车"})
    assert r.status_code == 302
    m = PartyMessage.objects.get()
    assert (m.case_id, m.party_id, m.kind) == (world["c1"].pk, world["a"].pk, "lead")
    assert Notification.objects.filter(recipient=people["judge"], kind="party_message").count() == 1
    staff = Client()
    staff.force_login(people["judge"])
    page = staff.get(reverse("party_messages_staff", args=[world["c1"].pk]))
    assert page.status_code == 200 and "白色轿车" in page.content.decode()


@pytest.mark.parametrize(
    "who,status", [("judge", 200), ("director", 200), ("yx_judge", 404), ("anonymous", 302)]
)
def test_staff_message_page_permissions(people: dict[str, Any], who: str, status: int) -> None:
    case = factories.case(people["clerk"])
    c = Client()
    if who != "anonymous":
        c.force_login(people[who])
    assert c.get(reverse("party_messages_staff", args=[case.pk])).status_code == status


def test_completed_nodes_are_pushed_as_configured_once(world: dict[str, Any], people: dict[str, Any]) -> None:
    NodePushRule.objects.create(node_code="network_inquiry", channel="sms", audience="debtor")
    NodePushRule.objects.create(node_code="network_inquiry", channel="portal", audience="all")
    case = world["c1"]
    before = Delivery.objects.filter(purpose="node_push").count()  # the notice node, served above
    nodes = node_events.complete_nodes_from_event(
        [node_events.NodeEvent(case.pk, "/x/1", "查控批次#1")], "network_inquiry", event="test.inquiry"
    )
    assert len(nodes) == 1
    pushes = list(Delivery.objects.filter(purpose="node_push", source=f"node:{nodes[0].pk}"))
    assert sorted((p.channel, p.party_id) for p in pushes) == sorted(
        [("sms", world["a"].pk)] + [("portal", p.pk) for p in case.parties.all()]
    )
    assert {p.address for p in pushes if p.channel == "sms"} == {A_PHONE}
    dispatch.drain()
    assert Delivery.objects.filter(purpose="node_push", status="delivered").count() == before + len(pushes)
    assert "网络查控" in sandbox_call(f"/_sandbox/sms?phone={A_PHONE}")["outbox"][-1]["text"]
    from zhixing.portal.party_services import push_nodes

    push_nodes(Node, nodes=nodes)  # a repeated completion event pushes nothing new
    assert Delivery.objects.filter(purpose="node_push", source=f"node:{nodes[0].pk}").count() == len(pushes)


@hsettings(max_examples=40, deadline=None)
@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True), st.sampled_from(["", "+86", "+86 "]))
def test_phone_normalisation_keeps_mainland_mobiles(phone: str, prefix: str) -> None:
    assert rules.normalise_phone(prefix + phone[:3] + " " + phone[3:7] + "-" + phone[7:]) == phone


@pytest.mark.parametrize("raw", ["", "12345678901", "1380013800", "138001380000", "abc", "+1 3800138000"])
def test_phone_normalisation_refuses_non_mobiles(raw: str) -> None:
    assert rules.normalise_phone(raw) == ""


def test_code_rules() -> None:
    now = timezone.now()
    h = rules.code_hash("s", A_PHONE, "123456")
    assert rules.matches("s", A_PHONE, "123456", h) and not rules.matches("s", A_PHONE, "123457", h)
    assert not rules.matches("s", B_PHONE, "123456", h) and not rules.matches("s", A_PHONE, "12345", h)
    ok = {"expires_at": now + timedelta(minutes=1), "used": False, "tries": 0, "max_tries": 5, "now": now}
    assert rules.code_problem(**ok) is None
    assert rules.code_problem(**{**ok, "used": True}) == "验证码已使用，请重新获取"
    assert rules.code_problem(**{**ok, "expires_at": now}) == "验证码已过期，请重新获取"
    assert rules.code_problem(**{**ok, "tries": 5}) == "验证码错误次数过多，请重新获取"
    assert re.fullmatch(r"\d{6}", rules.new_code())
