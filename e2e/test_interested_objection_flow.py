"""Issue 19: an interested person (利害关系人, not a party) — the mortgagee of a seized flat — objects to the
seizure online. From the third party's public form they follow the link to the interested person's form,
first give a registration number that matches nothing (the page names the field, nothing is filed), then
the number printed on the seizure notice; the answer shows the 执异 number, the masked ID number and the
15-day deadline across the National Day holiday. The judge opens the objection: an act objection to that
seizure, filed online, the parties still to be told.

Then the flat's third-party objection, rejected and served, takes the retrial route on its page: the judge
records the application, the page shows it and the block it keeps.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from e2e.conftest import login
from tests import factories
from tests.conftest import _fast_password_hashing, courts, people  # noqa: F401 - fixtures
from tests.inquiry.expiry_support import seized
from zhixing.core import disposal_guards
from zhixing.objections import services
from zhixing.objections.models import Objection
from zhixing.objections.services import ObjectorData

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TZ = ZoneInfo("Asia/Shanghai")
FLAT = "粤(2024)广州市不动产权第0106889号"
MORTGAGEE_ID = factories.make_id(date(1979, 6, 1), seq=614)
OWNER_ID = factories.make_id(date(1985, 3, 15), seq=606)


def test_interested_person_objects_online_and_the_judge_records_a_retrial(
    page: Any,
    people: dict[str, Any],  # noqa: F811
) -> None:
    with time_machine.travel(datetime(2026, 9, 21, 10, tzinfo=TZ), tick=True):
        case = factories.case(people["clerk"])
        flat = seized(case, date(2026, 3, 5), ref=FLAT)

        # 1. From the third party's form to the interested person's (no login).
        page.goto("/public/objections/")
        page.click("#public-act-link")
        page.wait_for_selector("#public-act-objection-form")
        page.fill("#id_objector_name", "黄志明")
        page.fill("#id_objector_id_number", MORTGAGEE_ID)
        page.fill("#id_objector_phone", "13800000012")
        page.fill("#id_case_number", case.number)
        page.fill("#id_asset_ref", "粤(2024)广州市不动产权第0000000号")
        page.fill("#id_claim", "本人系该房屋的抵押权人")
        page.fill("#id_grounds", "查封时未通知抵押权人，损害本人优先受偿权")
        page.click("#public-act-submit")
        page.wait_for_selector("#public-error")
        assert page.get_attribute("#public-error", "data-field") == "asset_ref"
        assert "请核对执行案号和财产证号" in page.inner_text("#public-error")
        assert not Objection.objects.exists()

        # 2. The number on the seizure notice: filed; the answer masks the ID number.
        page.fill("#id_asset_ref", FLAT)
        page.click("#public-act-submit")
        page.wait_for_selector("#objection-done")
        o = Objection.objects.get()
        assert page.inner_text("#done-number") == o.number
        assert page.inner_text("#done-id") == MORTGAGEE_ID[:4] + "*" * 10 + MORTGAGEE_ID[-4:]
        assert page.inner_text("#done-due") == "2026-10-08"  # 10-06 falls in the holiday
        assert (o.kind, o.channel, o.act_type, o.act_id, o.objector_party_id) == (
            "act",
            "online",
            "seizure",
            flat.pk,
            None,
        )

        # 3. The judge opens it: the act, the online channel, the parties still to be told.
        login(page, "th_judge", factories.PASSWORD)
        page.goto(f"/objections/{o.pk}/")
        body = page.inner_text("main")
        assert page.inner_text("#objection-target").startswith("查封、扣押")
        assert "执行行为异议" in body and "网上提交" in body and "本人系该房屋的抵押权人" in body
        assert page.is_visible("#notice")

        # 4. A third party's objection to the same flat, rejected and served: the retrial route.
        claim = ObjectorData("李秀英", OWNER_ID, "该房屋系本人购买", "购房合同", "13800000000")
        third = services.file_third_party(None, case, flat.pk, claim)
        panel = [people["judge"].pk, people["judge2"].pk, people["director"].pk]
        third = services.decide(people["judge"], third, upheld=False, panel_ids=panel, reason="证据不足")
        services.record_service(people["judge"], third, "2026-09-21")
        page.goto(f"/objections/{third.pk}/")
        page.fill("#id_retrial_filed_on", "2026-09-21")
        page.fill("#id_retrial_court", "广东省广州市中级人民法院")
        page.fill("#id_retrial_number", "（2026）粤01民申88号")
        page.click("#retrial-submit")
        page.wait_for_selector("#retrial-state")
        assert "再审申请审查中" in page.inner_text("#retrial-state")
        assert "再审审查期间不得处分该财产" in page.inner_text("#disposal-block")
        assert page.is_visible("#retrial-decide") and not page.is_visible("#suit")
        assert any("再审审查期间" in r for r in disposal_guards.refusals(flat.pk))
