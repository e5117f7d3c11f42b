"""A distribution plan among the acts a party may object to (issue 19): the objections desk lists a
plan in its objection period and routes the filing into the funds procedure (SPC-CPL-Interp 509–510
(2022)) — counter page, API and party portal — with the 15-day clocks across the National Day holiday;
bad input names the field and writes nothing; the disputed amount is kept from every payout path (the
money page, the API, `propose`, the sending of an approved payout)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.funds.conftest import receive
from tests.funds.test_payouts import approve_all
from tests.funds.test_payouts import propose as propose_payout
from zhixing.cases.parties import Party
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds import payable
from zhixing.funds import services as funds
from zhixing.funds.disputed import refuse_disputed
from zhixing.funds.models import DistributionObjection, DistributionPlan, Payout
from zhixing.objections import distribution, queries
from zhixing.objections.models import Objection

from .conftest import at

pytestmark = pytest.mark.django_db
SERVED = date(2026, 9, 20)  # + 15 days = 5 Oct, in the National Day holiday: the period ends 8 Oct
LAST_DAY = date(2026, 10, 8)


@pytest.fixture
def plan(people: dict[str, Any], custody: Any) -> DistributionPlan:
    """1,000 yuan distributed: the applicant 600, an outside creditor 400; served on 20 Sep."""
    case = factories.case(people["clerk"])
    judge = people["judge"]
    with at(SERVED):
        receive(case, "1000.00", f"DIST-{case.pk}", on=SERVED)
        p = funds.create_plan(judge, case, costs="0", first_seizing_court=case.court.name)
        funds.add_claim(judge, p, {"party_id": case.parties.get(role="applicant").pk, "amount": "600.00"})
        funds.add_claim(
            judge,
            p,
            {
                "creditor_name": "案外某公司",
                "creditor_id_number": factories.VALID_CREDIT,
                "amount": "400.00",
                "applied_on": "2026-09-19",
                "basis": "（2025）粤0104民初5号",
            },
        )
        return funds.serve_plan(judge, p, SERVED.isoformat())


def _claim(plan: DistributionPlan) -> Any:
    return plan.claims.get(party__role="applicant")


def _file(people: dict[str, Any], plan: DistributionPlan, **kw: Any) -> DistributionObjection:
    data: dict[str, Any] = {
        "plan_id": plan.pk,
        "party_id": plan.case.parties.get(role="debtor").pk,
        "claim_id": _claim(plan).pk,
        "proposed_amount": "0",
        "grounds": "申请执行人的债权已经清偿",
    }
    data.update(kw)
    return distribution.file(people["clerk"], plan.case, **data)


def test_plan_is_an_act_until_its_objection_period_ends_across_the_holiday(
    people: dict[str, Any], plan: DistributionPlan
) -> None:
    assert plan.objection_due == LAST_DAY
    with at(LAST_DAY):
        acts = [a.value for a in queries.objectable_acts(plan.case) if a.act_type == "distribution"]
        assert acts == [f"distribution:{plan.pk}"]
        o = _file(people, plan)
    # Routed into the plan's own procedure: no 执异 case, the funds objection with its clocks.
    assert not Objection.objects.exists()
    assert (o.plan_id, o.by_name, o.by_debtor, o.received_on) == (plan.pk, "张三", True, LAST_DAY)
    assert o.counter_due == date(2026, 10, 23) and o.disputed == Decimal("600.00")
    plan.refresh_from_db()
    assert plan.status == DistributionPlan.Status.OBJECTED
    audit = AuditRecord.objects.order_by("-pk").filter(action="funds.plan_objection").first()
    assert audit.after["objection"] == o.pk and audit.actor_id == people["clerk"].pk
    with at(date(2026, 10, 9)):
        assert [a for a in queries.objectable_acts(plan.case) if a.act_type == "distribution"] == []


def test_bad_input_names_the_field_and_writes_nothing(people: dict[str, Any], plan: DistributionPlan) -> None:
    other = factories.case(people["clerk"])
    with at(date(2026, 10, 9)):
        with pytest.raises(ServiceError) as late:
            _file(people, plan)
        assert late.value.field == "received_on" and "2026-10-08届满" in late.value.message
    bad = [
        ({"plan_id": 999999}, "act_id"),
        ({"plan_id": "x"}, "act_id"),
        ({"party_id": other.parties.get(role="debtor").pk}, "party_id"),  # not a party of this case
        ({"claim_id": 999999}, "claim_id"),
        ({"proposed_amount": "600.00"}, "proposed_amount"),  # what the plan already says
        ({"proposed_amount": "-1"}, "proposed_amount"),
        ({"grounds": " "}, "reason"),
    ]
    with at(date(2026, 10, 2)):
        for kw, field in bad:
            with pytest.raises(ServiceError) as exc:
                _file(people, plan, **kw)
            assert exc.value.field == field, (kw, exc.value.message)
        with pytest.raises(ServiceError) as exc:  # a plan of another case is not this case's act
            distribution.file(
                people["clerk"],
                other,
                plan_id=plan.pk,
                party_id=other.parties.get(role="debtor").pk,
                claim_id=_claim(plan).pk,
                proposed_amount="0",
                grounds="x",
            )
        assert exc.value.field == "act_id"
        with pytest.raises(NotPermitted):
            distribution.file(
                people["bailiff"],
                plan.case,
                plan_id=plan.pk,
                party_id=plan.case.parties.get(role="debtor").pk,
                claim_id=_claim(plan).pk,
                proposed_amount="0",
                grounds="x",
            )
    assert not DistributionObjection.objects.exists()
    assert not AuditRecord.objects.filter(action="funds.plan_objection").exists()


def test_disputed_amount_is_kept_from_every_payout_path(
    people: dict[str, Any], plan: DistributionPlan
) -> None:
    case = plan.case
    # A payout proposed and approved before the objection (the plan set back to a draft meanwhile so the
    # plan's own guard lets it through): 2,000 more received, 1,600 payable after the 1,400 fee.
    DistributionPlan.objects.filter(pk=plan.pk).update(status=DistributionPlan.Status.DRAFT)
    with at(date(2026, 10, 2)):
        receive(case, "2000.00", f"MORE-{case.pk}", on=date(2026, 10, 2))
        approved = approve_all(propose_payout(case, people, "1600.00"), people)
    DistributionPlan.objects.filter(pk=plan.pk).update(status=DistributionPlan.Status.SERVED)
    with at(date(2026, 10, 2)):
        o = _file(people, plan)
        b = payable.payable_breakdown(case)
        line = [r for r in b.reserved if r.code == "distribution"]
        assert [(r.amount, r.ref) for r in line] == [(Decimal("600.00"), f"objection:{o.pk}")]
        assert line[0].reason == (
            f"分配方案#{plan.pk}异议（张三提出，反对意见期内）的争议金额，异议处理完毕前不得发放"
        )
        # The money page and the API show the same line.
        c = Client()
        c.force_login(people["judge"])
        page = c.get(reverse("funds_case_money", args=[case.pk]))
        assert f'data-ref="objection:{o.pk}"' in page.content.decode()
        api = c.get(f"/api/v1/funds/cases/{case.pk}/payable").json()
        assert {"code": "distribution", "amount": "600.00"}.items() <= next(
            r for r in api["reserved"] if r["code"] == "distribution"
        ).items()
        # propose refuses (the plan in force is not final).
        with pytest.raises(Conflict) as exc:
            propose_payout(case, people, "100.00")
        assert exc.value.field == "amount"
        # The check sending makes: only what is not disputed may leave.
        with pytest.raises(Conflict) as refused:
            refuse_disputed(case, Decimal("2400.01"))
        assert refused.value.field == "payout" and "600.00元为分配方案异议的争议金额" in refused.value.message
        refuse_disputed(case, Decimal("2400.00"))
        # Sending the approved 1,600: once the fee is settled only 1,600 is left, 600 of it disputed.
        with pytest.raises(Conflict) as sent:
            funds.send(people["finance"], approved.pk)
    assert sent.value.field == "payout" and "本笔发款1,600.00元不能发送" in sent.value.message
    assert Payout.objects.get(pk=approved.pk).status == Payout.Status.APPROVED
    assert payable.case_balance(case.pk) == Decimal("3000.00")  # nothing settled or reserved


def test_counter_page_lists_the_plan_and_routes_the_filing(
    people: dict[str, Any], plan: DistributionPlan
) -> None:
    c = Client()
    c.force_login(people["clerk"])
    url = reverse("objections_case", args=[plan.case_id])
    debtor = plan.case.parties.get(role="debtor")
    with at(date(2026, 10, 2)):
        page = c.get(url).content.decode()
        assert (
            f'<option value="distribution:{plan.pk}">财产分配方案#{plan.pk}（第1版，异议期至2026-10-08）'
            in page
        )
        assert 'id="distribution-objection"' in page and f'<option value="{_claim(plan).pk}"' in page
        bad = c.post(
            url,
            {
                "kind": "act",
                "act": f"distribution:{plan.pk}",
                "party_id": debtor.pk,
                "claim_id": _claim(plan).pk,
                "proposed_amount": "600.00",
                "grounds": "债权已清偿",
            },
        )
        assert bad.status_code == 400 and "异议主张的金额与方案认定的债权金额相同" in bad.content.decode()
        assert not DistributionObjection.objects.exists()
        r = c.post(
            url,
            {
                "kind": "act",
                "act": f"distribution:{plan.pk}",
                "party_id": debtor.pk,
                "claim_id": _claim(plan).pk,
                "proposed_amount": "0",
                "grounds": "债权已清偿",
            },
        )
    assert r.status_code == 302 and r["Location"] == url
    o = DistributionObjection.objects.get()
    assert (o.by_name, o.disputed, o.received_on) == ("张三", Decimal("600.00"), date(2026, 10, 2))
    assert not Objection.objects.exists()


def test_api_routes_the_filing_and_refuses_a_stranger(people: dict[str, Any], plan: DistributionPlan) -> None:
    base = f"/api/v1/objections/cases/{plan.case_id}/distribution"
    body = {
        "plan_id": plan.pk,
        "party_id": plan.case.parties.get(role="debtor").pk,
        "claim_id": _claim(plan).pk,
        "proposed_amount": "0",
        "grounds": "债权已清偿",
    }
    bailiff, clerk, elsewhere = Client(), Client(), Client()
    bailiff.force_login(people["bailiff"])
    clerk.force_login(people["clerk"])
    elsewhere.force_login(people["yx_director"])
    with at(date(2026, 10, 9)):
        late = clerk.post(base, json.dumps(body), content_type="application/json")
        assert late.status_code == 409 and late.json()["field"] == "received_on"
    with at(date(2026, 10, 2)):
        assert bailiff.post(base, json.dumps(body), content_type="application/json").status_code == 403
        assert elsewhere.post(base, json.dumps(body), content_type="application/json").status_code == 404
        assert not DistributionObjection.objects.exists()
        r = clerk.post(base, json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    o = DistributionObjection.objects.get()
    assert r.json() == {
        "plan_id": plan.pk,
        "objection_id": o.pk,
        "by_name": "张三",
        "received_on": "2026-10-02",
        "counter_due": "2026-10-19",
        "disputed": "600.00",
        "state": "open",
    }


def test_party_portal_lists_the_plan_and_files_into_the_funds_procedure(
    people: dict[str, Any], plan: DistributionPlan
) -> None:
    debtor = plan.case.parties.get(role="debtor")
    Party.objects.filter(pk=debtor.pk).update(phone="13900002222")
    c = Client()
    session = c.session
    session["party_portal_phone"] = "13900002222"
    session.save()
    url = reverse("party_objection", args=[plan.case_id])
    with at(date(2026, 10, 8)):
        page = c.get(url).content.decode()
        assert f'value="distribution:{plan.pk}"' in page and 'id="distribution-objection"' in page
        bad = c.post(
            url, {"act": f"distribution:{plan.pk}", "claim_id": _claim(plan).pk, "grounds": "已清偿"}
        )
        assert bad.status_code == 422 and 'data-field="proposed_amount"' in bad.content.decode()
        assert not DistributionObjection.objects.exists()
        r = c.post(
            url,
            {
                "act": f"distribution:{plan.pk}",
                "claim_id": _claim(plan).pk,
                "proposed_amount": "0",
                "grounds": "申请执行人的债权已清偿",
            },
        )
    o = DistributionObjection.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{url}?plan_objection={o.pk}"
    assert (o.by_name, o.by_debtor, o.received_on, o.counter_due) == (
        "张三",
        True,
        LAST_DAY,
        date(2026, 10, 23),
    )
    assert not Objection.objects.exists()
    assert AuditRecord.objects.order_by("-pk").filter(action="funds.plan_objection").first().actor_id is None
    with at(date(2026, 10, 8)):
        assert "您对财产分配方案的异议已登记" in c.get(r["Location"]).content.decode()


USERS = ["clerk", "judge", "bailiff", "director", "president", "gz_director", "yx_director", "anon"]


def test_permission_matrix_of_the_new_filings(people: dict[str, Any], plan: DistributionPlan) -> None:
    """The counter filing of a distribution objection and its API endpoint: the case's court's filing
    staff only (as every act objection); another court's staff do not see the case."""
    debtor = plan.case.parties.get(role="debtor")
    form = {
        "kind": "act",
        "act": f"distribution:{plan.pk}",
        "party_id": debtor.pk,
        "claim_id": _claim(plan).pk,
        "proposed_amount": "0",
        "grounds": "已清偿",
    }
    body = {k: form[k] for k in ("party_id", "claim_id", "proposed_amount", "grounds")} | {"plan_id": plan.pk}
    got_page, got_api = [], []
    with at(date(2026, 10, 2)):
        for who in USERS:
            c = Client()
            if who != "anon":
                c.force_login(people[who])
            with transaction.atomic():
                r = c.post(reverse("objections_case", args=[plan.case_id]), form)
                got_page.append("L" if r.status_code == 302 and "/login/" in r["Location"] else r.status_code)
                transaction.set_rollback(True)
            with transaction.atomic():
                r = c.post(
                    f"/api/v1/objections/cases/{plan.case_id}/distribution",
                    json.dumps(body),
                    content_type="application/json",
                )
                got_api.append(r.status_code)
                transaction.set_rollback(True)
    #                 clerk judge bailiff director president gz_dir yx_dir anon
    assert got_page == [302, 302, 403, 302, 403, 403, 404, "L"]
    assert got_api == [201, 201, 403, 201, 403, 403, 404, 401]
    assert not DistributionObjection.objects.exists()
