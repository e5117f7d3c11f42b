"""Third-party objections through the services: filing, the block on disposal, ruling, service, suit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from zhixing.core import disposal_guards
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.documents.models import Document
from zhixing.inquiry.models import Asset, InquiryRequest
from zhixing.inquiry.services.controls import request_control
from zhixing.objections import services
from zhixing.objections.models import Objection

from .conftest import at, objector

pytestmark = pytest.mark.django_db


def test_filing_blocks_disposal_at_once_and_numbers_an_execution_objection_case(
    people: dict[str, Any], case: Any, flat: Asset
) -> None:
    assert disposal_guards.refusals(flat.pk) == []
    with at(date(2026, 9, 21)):
        o = services.file_third_party(people["clerk"], case, flat.pk, objector())
        assert o.number == "（2026）粤0106执异1号"
        assert o.channel == Objection.Channel.COUNTER and o.status == Objection.Status.PENDING
        # Received Mon 2026-09-21: 15 days end Tue 10-06, inside the National Day holiday (10-01..10-07)
        # → the first working day after it, Thu 10-08 (CPL Art 85).
        assert o.decision_due == date(2026, 10, 8)
        assert o.notify_due == date(2026, 9, 24)
        assert disposal_guards.refusals(flat.pk) == [f"案外人异议{o.number}正在审查，不得处分该财产"]
    assert AuditRecord.objects.filter(action="objections.file", object_id=str(o.pk)).count() == 1


def test_a_pending_objection_stops_the_deduction_of_a_frozen_account(
    people: dict[str, Any], case: Any, account: Asset
) -> None:
    with at(date(2026, 9, 20)):
        waiting = request_control(people["judge"], account, "deduct", amount="50.00")
    with at(date(2026, 9, 21)):
        services.file_third_party(None, case, account.pk, objector(claim="账户资金系本人货款"))
        waiting.refresh_from_db()
        assert waiting.status == InquiryRequest.Status.CANCELLED  # called back before it reached the bank
        with pytest.raises(Conflict) as exc:
            request_control(people["judge"], account, "deduct", amount="100.00")
    assert exc.value.field == "asset" and "正在审查" in exc.value.message
    assert list(InquiryRequest.objects.filter(asset=account, action="deduct")) == [waiting]


def test_bad_input_names_the_field_and_writes_nothing(
    people: dict[str, Any], case: Any, flat: Asset, account: Asset
) -> None:
    debtor_id = case.parties.get(role="debtor").id_number
    other = factories.case(people["clerk"])
    Asset.objects.filter(pk=account.pk).update(state=Asset.State.DEDUCTED)
    cases = [
        ("x", {}, "asset"),
        (account.pk, {}, "asset"),  # already deducted: its execution has ended
        (flat.pk, {"id_number": "440106198503150000"}, "objector_id_number"),
        (flat.pk, {"id_number": debtor_id}, "objector_id_number"),  # a party
        (flat.pk, {"name": " "}, "objector_name"),
        (flat.pk, {"claim": ""}, "claim"),
        (flat.pk, {"grounds": ""}, "grounds"),
    ]
    with at(date(2026, 9, 21)):
        for target, bad, field in cases:
            with pytest.raises(ServiceError) as exc:
                services.file_third_party(people["clerk"], case, target, objector(**bad))
            assert exc.value.field == field, (bad, exc.value.message)
        with pytest.raises(ServiceError) as exc:
            services.file_third_party(people["clerk"], other, flat.pk, objector())
        assert exc.value.field == "asset" and "不是本案" in exc.value.message
        with pytest.raises(ServiceError) as exc:
            services.file_third_party(people["clerk"], case, flat.pk, objector(), received_on="2026-09-22")
        assert exc.value.field == "received_on"
        with pytest.raises(NotPermitted):
            services.file_third_party(people["yx_judge"], case, flat.pk, objector())
    assert Objection.objects.count() == 0
    assert not AuditRecord.objects.filter(action="objections.file").exists()


def test_rejected_ruling_keeps_the_block_through_the_suit_window_and_frees_the_asset_after(
    people: dict[str, Any], case: Any, flat: Asset, panel: list[int]
) -> None:
    with at(date(2026, 9, 21)):
        o = services.file_third_party(None, case, flat.pk, objector())
    with at(date(2026, 9, 28)):
        with pytest.raises(ServiceError) as exc:
            services.decide(people["judge"], o, upheld=False, panel_ids=panel[:2], reason="证据不足")
        assert exc.value.field == "panel"
        with pytest.raises(NotPermitted):
            services.decide(people["clerk"], o, upheld=False, panel_ids=panel, reason="证据不足")
        o = services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="证据不足以排除执行")
        assert o.status == Objection.Status.REJECTED and o.decided_on == date(2026, 9, 28)
        doc = Document.objects.get(pk=o.ruling_document_id)
        assert doc.kind == "objection_ruling" and doc.case_id == case.pk
        # Not yet served: the window has not started, the asset stays blocked.
        assert "尚未送达" in disposal_guards.refusals(flat.pk)[0]
    with at(date(2026, 9, 30)):
        o = services.record_service(people["judge"], o, "2026-09-30")
        # Served Wed 09-30: 15 days end Thu 10-15 (a working day).
        assert o.suit_due == date(2026, 10, 15)
    with at(date(2026, 10, 15), 23):
        assert "2026-10-15前（含当日）" in disposal_guards.refusals(flat.pk)[0]
    with at(date(2026, 10, 16)):
        assert disposal_guards.refusals(flat.pk) == []
        with pytest.raises(ServiceError) as exc:
            services.record_suit(people["judge"], o, filed_on="2026-10-16", number="（2026）粤0106民初1号")
        assert exc.value.field == "suit_filed_on"


def test_a_suit_filed_in_time_blocks_until_it_ends(
    people: dict[str, Any], case: Any, flat: Asset, panel: list[int]
) -> None:
    with at(date(2026, 9, 21)):
        o = services.file_third_party(None, case, flat.pk, objector())
        o = services.decide(people["director"], o, upheld=False, panel_ids=panel, reason="证据不足")
        o = services.record_service(people["judge"], o, "2026-09-21")
    with at(date(2026, 10, 6)):
        o = services.record_suit(people["judge"], o, filed_on="2026-10-06", number="（2026）粤0106民初9号")
    with at(date(2027, 3, 1)):
        assert "执行异议之诉正在审理" in disposal_guards.refusals(flat.pk)[0]
        services.end_suit(people["judge"], o, ended_on="2027-03-01")
        assert disposal_guards.refusals(flat.pk) == []


def test_upheld_objection_suspends_enforcement_against_the_asset(
    people: dict[str, Any], case: Any, flat: Asset, panel: list[int]
) -> None:
    with at(date(2026, 9, 21)):
        o = services.file_third_party(None, case, flat.pk, objector())
        o = services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="已付清价款并占有")
        with pytest.raises(Conflict):
            services.decide(people["judge"], o, upheld=False, panel_ids=panel, reason="再议")
    with at(date(2027, 1, 4)):
        assert "成立" in disposal_guards.refusals(flat.pk)[0]


def test_withdrawal_lifts_the_block(people: dict[str, Any], case: Any, flat: Asset) -> None:
    with at(date(2026, 9, 21)):
        o = services.file_third_party(None, case, flat.pk, objector())
        services.withdraw(people["judge"], o, "异议人申请撤回")
        assert disposal_guards.refusals(flat.pk) == []
