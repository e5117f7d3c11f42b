"""Income withholding (扣留、提取收入, rule R-0.9): CPL-2023 Art 254 — after the debtor has not performed as
the served enforcement notice ordered, the court rules that the income payer withhold each month the
income beyond the living necessities of the debtor and the dependants (the local minimum living standard,
查封扣押冻结规定 Art 3(2)), never more than is owed; the payer's transfers to the case sub-account are
booked as any receipt and counted to the order."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests import factories
from zhixing.core.audit import AuditRecord
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.funds import conf, queries_withholding, services
from zhixing.funds.models import IncomeWithholding
from zhixing.funds.services import withholding
from zhixing.funds.services.fees import claim_outstanding
from zhixing.funds.withholding_rules import (
    WithholdingProblem,
    living_reserve,
    monthly_withholding,
    notice_refusal,
    order_problem,
    remaining,
)

TZ = ZoneInfo("Asia/Shanghai")
D = Decimal
# The factory case: applied 2026-03-02, filed 2026-03-04; a notice served on the filing day with the
# default 3-day period runs out on Monday 2026-03-09 (factories.serve_notice).
LAST_DAY = datetime(2026, 3, 9, 10, 0, tzinfo=TZ)
DAY_AFTER = datetime(2026, 3, 10, 10, 0, tzinfo=TZ)


# -- the pure rule ------------------------------------------------------------------------------------


def test_living_reserve_is_the_standard_for_the_debtor_and_each_dependant():
    assert living_reserve(D("1200.00"), 0) == D("1200.00")
    assert living_reserve(D("1200.00"), 2) == D("3600.00")


def test_monthly_amount_is_the_income_beyond_the_reserve_capped_by_what_is_owed():
    assert monthly_withholding(D("8000.00"), D("1200.00"), 2, D("100000.00")) == D("4400.00")
    assert monthly_withholding(D("3600.01"), D("1200.00"), 2, D("100000.00")) == D("0.01")
    assert monthly_withholding(D("3600.00"), D("1200.00"), 2, D("100000.00")) == D("0.00")
    assert monthly_withholding(D("8000.00"), D("1200.00"), 2, D("1000.00")) == D("1000.00")
    # Rounded down: the debtor keeps the part of a fen.
    assert monthly_withholding(D("5000.009"), D("1000.00"), 0, D("99999")) == D("4000.00")


def test_order_problems_name_their_field():
    order_problem(D("3600.01"), D("1200.00"), 2, D("1.00"))  # one fen beyond the reserve: allowed
    cases = [
        (
            (D("3600.00"), D("1200.00"), 2, D("1.00")),
            "monthly_income",
            "不超过被执行人及2名所扶养家属的生活必需费用3,600.00元",
        ),
        ((D("0"), D("1200.00"), 0, D("1.00")), "monthly_income", "每月收入须大于0元"),
        ((D("5000"), D("0"), 0, D("1.00")), "living_standard", "当地最低生活保障标准须大于0元"),
        ((D("5000"), D("1000"), 21, D("1.00")), "dependants", "所扶养家属人数应在0至20人之间"),
        ((D("5000"), D("1000"), -1, D("1.00")), "dependants", "所扶养家属人数应在0至20人之间"),
        ((D("5000"), D("1000"), 0, D("0.00")), "case", "被执行人已无尚未履行的金钱义务"),
    ]
    for args, field, words in cases:
        with pytest.raises(WithholdingProblem) as exc:
            order_problem(*args)
        assert exc.value.field == field and words in exc.value.message


def test_notice_refusal_on_the_last_day_of_the_period_and_not_the_day_after():
    assert "尚未送达" in (notice_refusal(None, None, date(2026, 3, 10)) or "")
    assert notice_refusal(date(2026, 3, 4), date(2026, 3, 9), date(2026, 3, 9)) == (
        "执行通知书指定的履行期间至2026年03月09日届满，期满仍未履行的方可扣留收入（民事诉讼法第254条）"
    )
    assert notice_refusal(date(2026, 3, 4), date(2026, 3, 9), date(2026, 3, 10)) is None


def test_remaining_never_below_zero():
    assert remaining(D("100.00"), D("40.00")) == D("60.00")
    assert remaining(D("100.00"), D("140.00")) == D("0.00")


# -- services, receipts, page, API ----------------------------------------------------------------------


def _order(people: dict[str, Any], case: Any, **kw: Any) -> IncomeWithholding:
    data: dict[str, Any] = {
        "debtor": case.parties.get(role="debtor").pk,
        "payer_name": "广州某科技有限公司",
        "income_kind": "wages",
        "monthly_income": "8000.00",
        "living_standard": "1200.00",
        "dependants": 2,
        "ruling_number": "（2026）粤0106执1号之一",
        "start_on": "2026-03-10",
    }
    data.update(kw)
    return withholding.order_withholding(people["judge"], case, **data)


def _pay(case: Any, amount: str, txn: str, on: date, payer: str = "广州某科技有限公司") -> Any:
    acc = services.case_account(case)
    return services.book_incoming(
        services.Incoming(txn_id=txn, amount=amount, value_date=on, to_account=acc.number, payer_name=payer),
        source="notice",
    )


@pytest.mark.django_db
def test_refused_before_the_notice_period_ran_out_and_nothing_is_written(people, case):
    with time_machine.travel(DAY_AFTER, tick=False):
        with pytest.raises(Conflict, match="执行通知书尚未送达") as exc:
            _order(people, case)
        assert exc.value.field == "notice"
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(LAST_DAY, tick=False), pytest.raises(Conflict, match="至2026年03月09日届满"):
        _order(people, case, start_on="2026-03-09")
    assert not IncomeWithholding.objects.exists()
    assert not AuditRecord.objects.filter(action="funds.withholding_order").exists()


@pytest.mark.django_db
def test_the_day_after_the_period_the_order_is_made_and_the_payers_money_counts_to_it(people, case):
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(DAY_AFTER, tick=False):
        owed = claim_outstanding(case, date(2026, 3, 10))
        o = _order(people, case)
        # 100,000 principal + doubled interest 16 Dec 2025 – 10 Mar 2026 (85 days × 0.0175 %).
        assert owed == D("101487.50")
        assert (o.monthly_amount, o.limit, o.notice_number) == (D("4400.00"), owed, f"{case.number}之扣1")
        rec = AuditRecord.objects.get(action="funds.withholding_order", object_id=str(o.pk))
        assert rec.case_id == case.pk
        assert rec.after["monthly_amount"] == "4400.00"
        # The payer's transfers reach the case account like any payment; another payer's do not count.
        _pay(case, "4400.00", "W-1", date(2026, 3, 10))
        _pay(case, "500.00", "OTHER-1", date(2026, 3, 10), payer="张三")
    with time_machine.travel(datetime(2026, 4, 10, 10, 0, tzinfo=TZ), tick=False):
        _pay(case, "4400.00", "W-2", date(2026, 4, 10))
        [row] = queries_withholding.case_withholdings(case)
    assert (row.received, row.receipts, row.remaining) == (D("8800.00"), 2, owed - D("8800.00"))
    assert row.state_label == "扣留中"
    case.refresh_from_db()
    assert case.paid_amount == D("9300.00")


@pytest.mark.django_db
def test_bad_input_names_the_field_and_writes_nothing(people, case):
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(DAY_AFTER, tick=False):
        for kw, field in [
            ({"monthly_income": "3600.00"}, "monthly_income"),
            ({"monthly_income": "abc"}, "monthly_income"),
            ({"payer_name": ""}, "payer_name"),
            ({"income_kind": "lottery"}, "income_kind"),
            ({"dependants": "两"}, "dependants"),
            ({"debtor": case.parties.get(role="applicant").pk}, "debtor"),
            ({"start_on": "2026-03-09"}, "start_on"),
            ({"ruling_number": ""}, "ruling_number"),
        ]:
            with pytest.raises(ServiceError) as exc:
                _order(people, case, **kw)
            assert exc.value.field == field, kw
        with pytest.raises(NotPermitted):
            withholding.order_withholding(
                people["clerk"],
                case,
                debtor=0,
                payer_name="x",
                income_kind="wages",
                monthly_income="1",
                ruling_number="x",
                start_on="2026-03-10",
            )
    assert not IncomeWithholding.objects.exists()


@pytest.mark.django_db
def test_the_living_standard_defaults_to_configuration(people, case, settings):
    settings.FUNDS_WITHHOLDING_LIVING_STANDARD = "1500"
    assert conf.withholding_living_standard() == D("1500.00")
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(DAY_AFTER, tick=False):
        o = _order(people, case, living_standard="", dependants=1)
    assert (o.living_standard, o.monthly_amount) == (D("1500.00"), D("5000.00"))


@pytest.mark.django_db
def test_lifting_stops_the_count_and_is_audited(people, case):
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(DAY_AFTER, tick=False):
        o = _order(people, case)
        _pay(case, "4400.00", "W-1", date(2026, 3, 10))
    with time_machine.travel(datetime(2026, 4, 1, 10, 0, tzinfo=TZ), tick=False):
        with pytest.raises(ServiceError) as exc:
            withholding.lift_withholding(people["judge"], o.pk, reason="")
        assert exc.value.field == "reason"
        withholding.lift_withholding(people["judge"], o.pk, reason="被执行人已离职")
        with pytest.raises(Conflict):
            withholding.lift_withholding(people["judge"], o.pk, reason="再次")
    with time_machine.travel(datetime(2026, 4, 10, 10, 0, tzinfo=TZ), tick=False):
        _pay(case, "4400.00", "W-2", date(2026, 4, 10))  # after the lifting: not the order's
    [row] = queries_withholding.case_withholdings(case)
    assert (row.order.status, row.order.lifted_on, row.received, row.state_label) == (
        "lifted",
        date(2026, 4, 1),
        D("4400.00"),
        "已解除",
    )
    assert AuditRecord.objects.get(action="funds.withholding_lift").after["reason"] == "被执行人已离职"


@pytest.mark.django_db
def test_page_form_notice_and_lift(people, case):
    factories.serve_notice(case, on=date(2026, 3, 4))
    client = Client()
    client.force_login(people["judge"])
    url = reverse("funds_withholding", args=[case.pk])
    with time_machine.travel(DAY_AFTER, tick=False):
        assert 'data-testid="no-withholding"' in client.get(url).content.decode()
        form = {
            "debtor": case.parties.get(role="debtor").pk,
            "payer_name": "广州某科技有限公司",
            "income_kind": "wages",
            "monthly_income": "3000.00",
            "living_standard": "1200.00",
            "dependants": "2",
            "ruling_number": "（2026）粤0106执1号之一",
            "start_on": "2026-03-10",
        }
        r = client.post(reverse("funds_withholding_order", args=[case.pk]), form, follow=True)
        html = r.content.decode()
        assert 'data-testid="error-monthly_income"' in html and "不能扣留" in html
        assert 'value="3000.00"' in html  # what was typed comes back
        assert not IncomeWithholding.objects.exists()
        form["monthly_income"] = "8000.00"
        r = client.post(reverse("funds_withholding_order", args=[case.pk]), form, follow=True)
        o = IncomeWithholding.objects.get()
        html = r.content.decode()
        assert f'data-testid="monthly-{o.pk}">4,400.00' in html
        notice = client.get(reverse("funds_withholding_notice", args=[o.pk])).content.decode()
        assert "每月扣留被执行人张三的工资、奖金人民币4,400.00元" in notice
        assert "生活必需费用3,600.00元" in notice
        assert services.case_account(case).number in notice
        r = client.post(reverse("funds_withholding_lift", args=[o.pk]), {"reason": "已履行完毕"}, follow=True)
        assert f'data-testid="state-{o.pk}">已解除' in r.content.decode()


@pytest.mark.django_db
def test_permissions_pages_and_api(people, case):
    factories.serve_notice(case, on=date(2026, 3, 4))
    with time_machine.travel(DAY_AFTER, tick=False):
        o = _order(people, case)
        page = reverse("funds_withholding", args=[case.pk])
        notice = reverse("funds_withholding_notice", args=[o.pk])
        lift = reverse("funds_withholding_lift", args=[o.pk])
        order = reverse("funds_withholding_order", args=[case.pk])
        api_list = f"/api/v1/funds/cases/{case.pk}/withholdings"
        api_lift = f"/api/v1/funds/withholdings/{o.pk}/lift"
        c = Client()
        c.force_login(people["yx_judge"])  # another court: nothing exists
        assert [c.get(page).status_code, c.get(notice).status_code] == [404, 404]
        assert c.post(lift, {"reason": "x"}).status_code == 404
        assert c.post(order, {}).status_code == 404
        assert c.get(api_list).status_code == 404
        assert c.post(api_lift, {"reason": "x"}, content_type="application/json").status_code == 404
        c.force_login(people["clerk"])  # same court, may read, may not order or lift
        assert (
            c.get(page).status_code == 200
            and 'data-testid="withholding-form"' not in c.get(page).content.decode()
        )
        assert c.post(lift, {"reason": "x"}).status_code == 403
        assert c.post(api_lift, {"reason": "x"}, content_type="application/json").status_code == 403
        c.force_login(people["gz_director"])  # the higher court reads
        assert c.get(page).status_code == 200 and c.get(notice).status_code == 200
        c.force_login(people["director"])
        r = c.post(
            api_list,
            {
                "debtor": case.parties.get(role="debtor").pk,
                "payer_name": "广州市某区社会保险基金",
                "income_kind": "pension",
                "monthly_income": "5000",
                "ruling_number": "（2026）粤0106执1号之二",
                "start_on": "2026-03-10",
            },
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
        body = r.json()
        assert (body["living_standard"], body["monthly_amount"], body["notice_number"]) == (
            str(conf.withholding_living_standard()),
            "4000.00",
            f"{case.number}之扣2",
        )
        bad = c.post(
            api_list,
            {
                **{"debtor": 0, "payer_name": "x", "income_kind": "wages"},
                "monthly_income": "1",
                "ruling_number": "x",
                "start_on": "2026-03-10",
            },
            content_type="application/json",
        )
        assert bad.status_code == 422
        rows = c.get(api_list).json()
        assert [x["notice_number"] for x in rows] == [f"{case.number}之扣2", f"{case.number}之扣1"]
        r = c.post(api_lift, {"reason": "申请执行人同意"}, content_type="application/json")
        assert r.status_code == 200 and r.json()["state"] == "已解除"
