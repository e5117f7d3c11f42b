"""Control characters in the partners' signed callbacks: refused naming the field, nothing stored.

The callbacks (the custody bank's notices, an institution's answers and 轮候 notices, a recipient's
acknowledgements, a media partner's impressions) read their raw JSON bodies themselves, so neither the
form guard nor ninja's `control_text_refused` sees them. Every string of a body each callback would
accept is spoiled in turn with a NUL or an ESC (``"\\u0000"`` in the JSON text, which `json.loads`
turns into the character), the body signed properly with the partner's own secret: the answer must be
a 4xx naming that field (a NUL is a 500 on PostgreSQL, a stored value on SQLite), and nothing stored.
The unspoiled body is sent last and accepted, so the samples are bodies the callbacks take.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from tests import factories
from tests.credit.art8_fake import recipient
from tests.credit.conftest import debtor, debtor_case, listing_data
from zhixing.core import partner_protocol as protocol
from zhixing.credit import services as credit
from zhixing.credit.models import ListingNotice
from zhixing.credit.models import Partner as MediaPartner
from zhixing.credit.services import notices as art8
from zhixing.funds import services as funds
from zhixing.funds.models import BankNotice, Receipt
from zhixing.inquiry import services as inquiry
from zhixing.inquiry.models import Asset, CallbackLog, InquiryRequest
from zhixing.partners.sandbox.holdings import partner_secret

from . import json_bodies

pytestmark = pytest.mark.django_db

CONTROL_TEXTS = ["甲\x00乙", "甲\x1b乙"]
NOW = "2026-03-10 10:00:00+08:00"


def post(path: str, partner: str, secret: str, payload: Any, key: str) -> Any:
    body = protocol.encode_body(payload)
    headers = protocol.sign_headers(partner, secret, "POST", path, body, key)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"}
    return Client(raise_request_exception=False).post(
        path, data=body, content_type="application/json", **extra
    )


def _funds(people: dict[str, Any], courts: dict[str, Any]) -> dict[str, Any]:
    funds.set_custody_account(
        None,
        courts["th"],
        bank_name="沙箱托管银行",
        account_name="广州市天河区人民法院",
        account_no="44001000106",
        sub_prefix="880106",
    )
    account = funds.case_account(factories.case(people["clerk"])).number
    notice = {
        "txn_id": "T-0001",
        "amount": "100.00",
        "value_date": "2026-03-10",
        "to_account": account,
        "payer_name": "张三",
        "payer_account": "6222000011112222",
        "memo": "执行款",
    }
    return {
        "single": notice,
        "batch": {"batch_id": "B-1", "custody_account_no": "44001000106", "notices": [notice]},
    }


def _waiting(people: dict[str, Any]) -> InquiryRequest:
    case = factories.case(people["clerk"])
    inquiry.start_inquiry(people["judge"], case, ["deposit"])
    req = InquiryRequest.objects.get(case=case, partner__code="BANK-ICBC")
    InquiryRequest.objects.filter(pk=req.pk).update(status=InquiryRequest.Status.WAITING)
    return req


def _answer(key: str) -> dict[str, Any]:
    deposit = {"kind": "deposit", "ref": "6222-0001", "description": "工商银行活期账户", "value": "1000.00"}
    return {
        "key": key,
        "status": "done",
        "result": {"assets": [deposit], "info": {"户名": "张三", "开户行": "工商银行天河支行"}},
    }


def _art8_notice(people: dict[str, Any]) -> ListingNotice:
    employer = recipient("EMP-GZTAX")
    recipient("PBOC-CRC")
    c = debtor_case(people["clerk"])
    art8.record_profile(people["clerk"], c, debtor(c), state_functionary=True, employer=employer)
    listing = credit.list_debtor(people["judge"], c, debtor(c), listing_data())
    n = ListingNotice.objects.get(listing=listing, recipient=employer)
    ListingNotice.objects.filter(pk=n.pk).update(status=ListingNotice.Status.SENT)
    return n


Check = Callable[[], Any]


def _cases(people: dict[str, Any], courts: dict[str, Any]) -> list[tuple[str, str, str, Any, Check]]:
    """(path, partner, secret, accepted body, what a stored value would show) of each callback."""
    money = _funds(people, courts)
    bank = "dev-custody-secret"
    req = _waiting(people)
    n = _art8_notice(people)
    media, _key = credit.create_partner(None, name="广州电视台", kind="media", rate_per_minute=60)
    MediaPartner.objects.filter(pk=media.pk).update(
        code="MEDIA-GZTV", shared_secret=partner_secret("MEDIA-GZTV")
    )

    def notice_rows() -> Any:
        return sorted(BankNotice.objects.values_list("txn_id", "payer_name", "payer_account", "memo"))

    def receipt_rows() -> Any:
        return sorted(Receipt.objects.values_list("bank_txn_id", "payer_name", "memo"))

    def assets() -> Any:
        return sorted(Asset.objects.filter(case=req.case).values_list("ref", "description", "details"))

    def acks() -> Any:
        return ListingNotice.objects.filter(pk=n.pk).values_list("status", "partner_ref").get()

    return [
        ("/api/v1/funds/bank/notices", "custody-bank", bank, money["single"], notice_rows),
        ("/api/v1/funds/bank/notices/batch", "custody-bank", bank, money["batch"], receipt_rows),
        (
            "/api/v1/inquiry/callback",
            "BANK-ICBC",
            partner_secret("BANK-ICBC"),
            {"partner": "BANK-ICBC", "results": [_answer(req.idempotency_key)]},
            assets,
        ),
        (
            "/api/v1/credit/notices/callback",
            "EMP-GZTAX",
            partner_secret("EMP-GZTAX"),
            {
                "partner": "EMP-GZTAX",
                "results": [{"key": n.idempotency_key, "status": "done", "result": {"ref": "R-1"}}],
            },
            acks,
        ),
    ]


def test_control_characters_in_signed_callbacks_are_refused_naming_the_field(
    people: dict[str, Any], courts: dict[str, Any], settings: Any
) -> None:
    settings.ZHIXING_INQUIRY = {"kick_on_commit": False}
    failures: list[str] = []
    checked = 0
    with time_machine.travel(NOW, tick=True):
        cases = _cases(people, courts)
        for path, partner, secret, body, stored in cases:
            before = stored()
            for i, field in enumerate(json_bodies.string_fields(body)):
                for j, text in enumerate(CONTROL_TEXTS):
                    r = post(path, partner, secret, json_bodies.spoiled(body, field, text), f"fuzz-{i}-{j}")
                    checked += 1
                    named = r.status_code == 422 and r.json().get("field") == field
                    if not named or stored() != before:
                        failures.append(f"{path} {field}={text!r} → {r.status_code} {r.content[:160]!r}")
            accepted = post(path, partner, secret, body, "fuzz-clean")
            assert accepted.status_code == 200, (path, accepted.content)
            assert stored() != before, path  # the clean body is taken: the samples are real ones
    assert checked == 58
    assert failures == [], f"{len(failures)} of {checked} bodies not refused on the field:\n" + "\n".join(
        failures
    )


def test_a_refused_inquiry_answer_is_logged_and_leaves_the_request_waiting(people: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=True):
        req = _waiting(people)
        answer = _answer(req.idempotency_key)
        answer["result"]["info"]["户名"] = "张\x00三"
        r = post(
            "/api/v1/inquiry/callback", "BANK-ICBC", partner_secret("BANK-ICBC"), {"results": [answer]}, "k-1"
        )
    assert (r.status_code, r.json()["field"]) == (422, "results[0].result.info.户名")
    assert r.json()["detail"] == "参数“results[0].result.info.户名”含有不允许的控制字符（U+0000）"
    log = CallbackLog.objects.order_by("-pk").first()
    assert log is not None and (log.accepted, log.status) == (False, 422)
    req.refresh_from_db()
    assert req.status == InquiryRequest.Status.WAITING
    assert not Asset.objects.filter(case=req.case).exists()


def test_a_control_character_in_a_media_report_is_refused_naming_it(people: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=True):
        media, _key = credit.create_partner(None, name="广州电视台", kind="media", rate_per_minute=60)
        MediaPartner.objects.filter(pk=media.pk).update(
            code="MEDIA-GZTV", shared_secret=partner_secret("MEDIA-GZTV")
        )
        payload = {"partner": "MEDIA\x1b", "reports": [{"notice": 1, "impressions": 5}]}
        r = post("/api/v1/credit/exposure/callback", "MEDIA-GZTV", partner_secret("MEDIA-GZTV"), payload, "k")
    assert (r.status_code, r.json()["field"]) == (422, "partner")


def test_a_control_character_in_a_key_names_the_object_holding_it(people: dict[str, Any]) -> None:
    with time_machine.travel(NOW, tick=True):
        req = _waiting(people)
        answer = _answer(req.idempotency_key)
        answer["result"]["info"] = {"户\x00名": "张三"}
        r = post(
            "/api/v1/inquiry/callback", "BANK-ICBC", partner_secret("BANK-ICBC"), {"results": [answer]}, "k-2"
        )
    assert (r.status_code, r.json()["field"]) == (422, "results[0].result.info")


def test_funds_notice_through_the_fast_path_names_the_field(
    people: dict[str, Any], courts: dict[str, Any]
) -> None:
    from zhixing.funds.notice_gateway import _answer as gateway_answer

    with time_machine.travel(NOW, tick=True):
        notice = {**_funds(people, courts)["single"], "memo": "执行\x00款"}
        body = protocol.encode_body(notice)
        path = "/api/v1/funds/bank/notices"
        headers = protocol.sign_headers("custody-bank", "dev-custody-secret", "POST", path, body, "k-3")
        status, answer = gateway_answer(path, body, headers)
    assert (status, answer["field"], answer["code"]) == (422, "memo", "invalid")
    assert not BankNotice.objects.exists()
