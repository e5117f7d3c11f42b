"""Costs the debtor bears, recorded on the case (rule R-3.5.7): media publication of the non-performance
(执行程序解释 Art 26) or of a 限制消费令 (限制消费规定 Art 7) — the applicant who asked for it advances the
cost; the debtor owes it with the enforcement costs, first in the payment order; what the applicant
advanced is repaid to it (the surplus refund keeps it back) and the seizure ceiling includes it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.cases import services
from zhixing.cases.cost_rules import applicant_advanced, cost_problem, costs_owed
from zhixing.cases.models import EnforcementCost
from zhixing.cases.queries_schedule import case_schedule
from zhixing.cases.schedule import Bucket
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.funds.services.fees import claim_outstanding
from zhixing.inquiry.queries import case_claim

TZ = ZoneInfo("Asia/Shanghai")
D = Decimal
FILED = date(2026, 3, 4)  # the factory case's filing day
TODAY = datetime(2026, 3, 20, 10, 0, tzinfo=TZ)


def _problem(**kw):
    args = {
        "kind": "media_publication",
        "amount": D("800.00"),
        "incurred_on": FILED,
        "filed_on": FILED,
        "today": date(2026, 3, 20),
        "applicant_requested": False,
        "advanced_by": "court",
    }
    args.update(kw)
    return cost_problem(**args)


def test_the_rule_at_its_edges():
    assert _problem() is None  # on the filing day
    assert _problem(incurred_on=date(2026, 3, 20)) is None  # today
    assert _problem(incurred_on=date(2026, 3, 3)) == ("incurred_on", "支出日期不能早于立案日期2026-03-04")
    assert _problem(incurred_on=date(2026, 3, 21)) == ("incurred_on", "支出日期不能晚于今天")
    assert _problem(amount=D("0")) == ("amount", "费用金额须大于0元")
    assert _problem(kind="fine") == ("kind", "请选择费用种类")
    assert _problem(advanced_by="debtor") == ("advanced_by", "请选择费用由谁支付")
    # The applicant asked for the publication: it advances the cost (执行程序解释 Art 26).
    assert _problem(applicant_requested=True, advanced_by="court") == (
        "advanced_by",
        "申请执行人申请在媒体公布的，应当由申请执行人垫付有关费用（执行程序解释第26条）",
    )
    assert _problem(applicant_requested=True, advanced_by="applicant") is None
    assert _problem(kind="other", applicant_requested=True, advanced_by="court") is None
    assert costs_owed([D("800.00"), D("200.50")]) == D("1000.50")
    assert applicant_advanced([("applicant", D("800.00")), ("court", D("200.50"))]) == D("800.00")


def _record(people, case, **kw):
    data = {
        "kind": "media_publication",
        "amount": "800.00",
        "incurred_on": "2026-03-16",
        "advanced_by": "applicant",
        "applicant_requested": True,
        "document_ref": "广州日报公告费发票No.001",
        "note": "广州日报A12版",
    }
    data.update(kw)
    return services.record_cost(people["judge"], case, **data)


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_recorded_cost_is_owed_first_repaid_to_the_applicant_and_in_the_ceiling(people):
    case = factories.case(people["clerk"])
    before = case_schedule(case, date(2026, 3, 20))
    owed_before = claim_outstanding(case, date(2026, 3, 20), before)
    claim_before = case_claim(case, date(2026, 3, 20))
    cost = _record(people, case)
    rec = AuditRecord.objects.get(action="case.cost")
    assert (rec.object_id, rec.case_id, rec.after["advanced_by"], rec.after["amount"]) == (
        str(cost.pk),
        case.pk,
        "applicant",
        "800.00",
    )
    assert cost.article == "执行程序解释第26条；限制消费规定第7条"
    after = case_schedule(case, date(2026, 3, 20))
    assert after.schedule.owed[Bucket.COSTS] == before.schedule.owed[Bucket.COSTS] + D("800.00")
    assert (after.recorded_costs, after.applicant_advanced) == (D("800.00"), D("800.00"))
    assert claim_outstanding(case, date(2026, 3, 20), after) == owed_before + D("800.00")
    assert case_claim(case, date(2026, 3, 20)).costs == claim_before.costs + D("800.00")
    # A payment goes to the costs first (application fee and the publication), then to the principal.
    services.record_payment(case.pk, D("1000.00"), date(2026, 3, 18), source="receipt", reference="P-1")
    paid = case_schedule(case, date(2026, 3, 20)).schedule.paid
    fee = before.schedule.owed[Bucket.COSTS]
    assert paid[Bucket.COSTS] == min(D("1000.00"), fee + D("800.00"))
    assert paid[Bucket.PRINCIPAL] == D("1000.00") - paid[Bucket.COSTS]


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_a_court_paid_cost_is_owed_but_not_to_the_applicant(people):
    case = factories.case(people["clerk"])
    _record(people, case, advanced_by="court", applicant_requested=False, kind="other", amount="120.00")
    cs = case_schedule(case, date(2026, 3, 20))
    assert (cs.recorded_costs, cs.applicant_advanced) == (D("120.00"), D("0.00"))


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_refusals_name_the_field_and_write_nothing(people):
    case = factories.case(people["clerk"])
    for kw, field in [
        ({"advanced_by": "court"}, "advanced_by"),
        ({"amount": "八百"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "1e309"}, "amount"),  # quantized to the fen: InvalidOperation, once a server error
        ({"amount": "-1e309"}, "amount"),
        ({"incurred_on": "2026-03-03"}, "incurred_on"),
        ({"incurred_on": "16/03/2026"}, "incurred_on"),
        ({"document_ref": ""}, "document_ref"),
        ({"kind": "fine"}, "kind"),
    ]:
        with pytest.raises(ServiceError) as exc:
            _record(people, case, **kw)
        assert exc.value.field == field, kw
    with pytest.raises(NotPermitted):
        services.record_cost(
            people["finance"],
            case,
            kind="other",
            amount="1",
            incurred_on="2026-03-16",
            advanced_by="court",
            document_ref="x",
        )
    assert not EnforcementCost.objects.exists()
    assert not AuditRecord.objects.filter(action="case.cost").exists()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_case_page_section_form_and_api(people):
    case = factories.case(people["clerk"])
    client = Client()
    client.force_login(people["judge"])
    assert (
        f'hx-get="{reverse("case_costs", args=[case.pk])}"'
        in client.get(reverse("case_detail", args=[case.pk])).content.decode()
    )
    panel = client.get(reverse("case_costs", args=[case.pk])).content.decode()
    assert 'data-testid="cost-none"' in panel and 'data-testid="form-cost"' in panel
    form = {
        "kind": "media_publication",
        "amount": "800.00",
        "incurred_on": "2026-03-16",
        "advanced_by": "court",
        "applicant_requested": "on",
        "document_ref": "广州日报公告费发票No.001",
    }
    r = client.post(reverse("case_cost_add", args=[case.pk]), form, follow=True)
    assert (
        "执行费用未登记，未作任何更改：申请执行人申请在媒体公布的，应当由申请执行人垫付有关费用"
        in r.content.decode()
    )
    assert not EnforcementCost.objects.exists()
    form["advanced_by"] = "applicant"
    client.post(reverse("case_cost_add", args=[case.pk]), form)
    panel = client.get(reverse("case_costs", args=[case.pk])).content.decode()
    assert "合计800.00元，其中申请执行人垫付800.00元。" in panel
    api = f"/api/v1/cases/{case.pk}/costs"
    r = client.post(
        api,
        {
            "kind": "other",
            "amount": "50.00",
            "incurred_on": "2026-03-17",
            "advanced_by": "court",
            "document_ref": "邮寄费收据",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["kind_display"] == "其他实际支出费用"
    body = client.get(api).json()
    assert (body["total"], body["applicant_advanced"], len(body["costs"])) == ("850.00", "800.00", 2)
    bad = client.post(
        api,
        {
            "kind": "media_publication",
            "amount": "10",
            "incurred_on": "2026-03-17",
            "advanced_by": "court",
            "applicant_requested": True,
            "document_ref": "x",
        },
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "advanced_by" and "垫付" in bad.json()["detail"]
    other = Client()
    other.force_login(people["yx_director"])
    assert other.get(api).status_code == 404
    higher = Client()
    higher.force_login(people["gz_director"])
    assert higher.get(api).status_code == 200
    assert (
        higher.post(
            api,
            {
                "kind": "other",
                "amount": "1",
                "incurred_on": "2026-03-17",
                "advanced_by": "court",
                "document_ref": "x",
            },
            content_type="application/json",
        ).status_code
        == 403
    )
    assert EnforcementCost.objects.count() == 2
