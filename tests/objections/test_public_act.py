"""An interested person (利害关系人, not a party) objects to a freeze or seizure online, on the public portal
(CPL-2023 Art 236, R-0.14): filed as an 执异 case linked to the case and the act exactly as at the
counter (same clocks, notices and consequences); bad input names the field and writes nothing; the form
is rate-limited with the third party's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.inquiry.expiry_support import frozen, seized
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.inquiry.models import InquiryRequest
from zhixing.objections import acts, services
from zhixing.objections.models import Objection
from zhixing.objections.services import ObjectorData

from .conftest import FLAT, at

pytestmark = pytest.mark.django_db

MORTGAGEE_ID = factories.make_id(date(1979, 6, 1), seq=612)
ACCOUNT = "6222000011118888"
BAD_CHECK_DIGIT = MORTGAGEE_ID[:-1] + ("1" if MORTGAGEE_ID[-1] == "0" else "0")


def _outsider(**kw: Any) -> ObjectorData:
    data = {
        "name": "黄志明",
        "id_number": MORTGAGEE_ID,
        "claim": "本人系该房屋的抵押权人",
        "phone": "13800000012",
    }
    data.update(kw)
    return ObjectorData(data["name"], data["id_number"], data["claim"], "", data["phone"])


def _form(case: Any, **kw: Any) -> dict[str, str]:
    data = {
        "objector_name": "黄志明",
        "objector_id_number": MORTGAGEE_ID,
        "objector_phone": "13800000012",
        "case_number": case.number,
        "asset_ref": FLAT,
        "claim": "本人系该房屋的抵押权人",
        "grounds": "查封时未通知抵押权人，损害本人优先受偿权",
    }
    data.update(kw)
    return data


def test_service_files_online_only_against_a_freeze_or_seizure(people: dict[str, Any]) -> None:
    case = factories.case(people["clerk"])
    flat = seized(case, date(2026, 3, 5), ref=FLAT)
    with at(date(2026, 9, 21)):
        # A listing, a reference price or a plan is not for the public form: the field is named.
        with pytest.raises(ServiceError) as exc:
            acts.file_act_objection(
                None, case, act_type="listing", act_id=1, grounds="错误", interested=_outsider()
            )
        assert exc.value.field == "act_type" and "窗口" in exc.value.message
        o = acts.file_act_objection(
            None, case, act_type="seizure", act_id=flat.pk, grounds="损害优先受偿权", interested=_outsider()
        )
        # The same person, the same act, still pending: refused.
        with pytest.raises(Conflict):
            acts.file_act_objection(
                None, case, act_type="seizure", act_id=flat.pk, grounds="再次提交", interested=_outsider()
            )
    assert (o.kind, o.channel, o.filed_by_id, o.objector_party_id, o.act_type, o.act_id) == (
        "act",
        "online",
        None,
        None,
        "seizure",
        flat.pk,
    )
    assert o.number == "（2026）粤0106执异1号"
    # Same clocks as the counter: 15 days to decide (10-06 falls in the National Day holiday → 10-08),
    # 3 days to tell the parties.
    assert (o.received_on, o.decision_due, o.notify_due) == (
        date(2026, 9, 21),
        date(2026, 10, 8),
        date(2026, 9, 24),
    )
    assert o.claim == "本人系该房屋的抵押权人" and o.act_label.startswith("查封、扣押")
    rec = AuditRecord.objects.filter(action="objections.file").get()
    assert rec.actor_id is None and rec.after["interested"] is True and rec.after["channel"] == "online"
    assert Objection.objects.count() == 1


def test_upheld_online_objection_releases_the_freeze_as_at_the_counter(
    people: dict[str, Any], panel: list[int]
) -> None:
    case = factories.case(people["clerk"])
    account = frozen(case, ACCOUNT, date(2026, 3, 5), amount="3000.00")
    c = Client()
    with at(date(2026, 9, 21)):
        r = c.post(reverse("objections_public_act"), _form(case, asset_ref=ACCOUNT, claim="账户内系本人工资"))
        assert r.status_code == 200, r.content.decode()
        o = Objection.objects.get()
        assert o.act_type == "freeze" and o.act_id == account.pk
        services.decide(people["judge"], o, upheld=True, panel_ids=panel, reason="账户内系案外人工资")
    assert InquiryRequest.objects.filter(asset=account, action="release").count() == 1


def test_public_form_files_masks_and_names_the_field_of_bad_input(
    people: dict[str, Any], settings: Any
) -> None:
    case = factories.case(people["clerk"])
    seized(case, date(2026, 3, 5), ref=FLAT)
    released = seized(case, date(2026, 3, 5), ref="粤B12345")
    released.state = "released"
    released.save(update_fields=["state"])
    debtor = case.parties.get(role="debtor")
    settings.ZHIXING_OBJECTIONS = {"public_per_window": 9, "public_window_seconds": 600}
    url = reverse("objections_public_act")
    c = Client()
    with at(date(2026, 9, 21)):
        page = c.get(url)
        assert page.status_code == 200 and 'id="public-act-objection-form"' in page.content.decode()
        bad = [
            (_form(case, case_number="（2026）粤0106执99999号"), "asset_ref", "未找到"),
            (_form(case, asset_ref="粤(2024)不存在"), "asset_ref", "未找到"),
            (_form(case, asset_ref="粤B12345"), "asset_ref", "没有该项生效的查封、扣押措施"),
            (_form(case, objector_id_number=BAD_CHECK_DIGIT), "objector_id_number", ""),
            (_form(case, objector_id_number=debtor.identity_number), "objector_id_number", "当事人"),
            (_form(case, claim=""), "claim", "主张的利害关系"),
            (_form(case, objector_name=""), "objector_name", "利害关系人姓名或名称"),
        ]
        for data, field, words in bad:
            r = c.post(url, data)
            body = r.content.decode()
            assert r.status_code == 400 and f'data-field="{field}"' in body, (field, body)
            assert words in body, (field, words)
        assert not Objection.objects.exists()
        ok = c.post(url, _form(case))
        body = ok.content.decode()
        o = Objection.objects.get()
        assert ok.status_code == 200 and f'id="done-number">{o.number}<' in body
        assert MORTGAGEE_ID not in body and MORTGAGEE_ID[:4] + "*" * 10 + MORTGAGEE_ID[-4:] in body
        assert "2026-10-08" in body and debtor.name not in body
        # Eight posts so far in the window of nine: the ninth is admitted, the tenth refused.
        assert c.post(url, _form(case)).status_code == 400  # the duplicate
        assert c.post(url, _form(case)).status_code == 429
    assert Objection.objects.count() == 1


def test_both_public_forms_share_one_rate_limit(people: dict[str, Any], settings: Any) -> None:
    case = factories.case(people["clerk"])
    settings.ZHIXING_OBJECTIONS = {"public_per_window": 2, "public_window_seconds": 600}
    c = Client()
    with at(date(2026, 9, 21)):
        assert c.post(reverse("objections_public"), {"case_number": "x"}).status_code == 200
        assert c.post(reverse("objections_public_act"), _form(case)).status_code == 400
        assert c.post(reverse("objections_public_act"), _form(case)).status_code == 429
    assert not Objection.objects.exists()


def test_an_empty_post_is_refused_naming_a_field_not_a_500(people: dict[str, Any]) -> None:
    r = Client().post(reverse("objections_public_act"), {})
    body = r.content.decode()
    assert r.status_code == 400 and "请正确填写" in body and 'data-field="' in body
    assert not Objection.objects.exists()
