"""Settlement agreements (执行和解, rules.md §2.6): recording (with the applicant's suspension), matching the
case's payments, the periodic breach sweep and its command-center alert, resuming enforcement after a
breach, closing as performed; the page's and the API's callers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests import factories
from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, SettlementAgreement, Suspension
from zhixing.cases.services import settlement
from zhixing.command import alert_feeds
from zhixing.command.models import Alert
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import AuditRecord

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
PLAN = [("2026-03-31", "30000.00"), ("2026-04-30", "30000.00")]


def at(y: int, m: int, d: int) -> Any:
    return time_machine.travel(datetime(y, m, d, 10, tzinfo=TZ), tick=False)


def _record(judge: Any, case: Any, **kw: Any) -> SettlementAgreement:
    args: dict[str, Any] = {
        "parties": "申请执行人张三；被执行人李四",
        "signed_on": date(2026, 3, 10),
        "document_ref": "和解协议1号",
        "instalments": PLAN,
        "suspend": True,
        "suspension_ref": "（2026）粤0106执1号之一",
    } | kw
    return settlement.record_settlement(judge, case, **args)


def _pay(case: Any, amount: str, on: date, ref: str) -> None:
    services.record_payment(case.pk, Decimal(amount), on, source="direct", reference=ref)


@pytest.fixture
def case(people):
    with at(2026, 3, 10):
        return factories.case(people["clerk"])


def test_record_suspends_on_the_applicants_request_and_keeps_controls(people, case):
    with at(2026, 3, 10):
        a = _record(people["judge"], case)
    case.refresh_from_db()
    assert case.status == "suspended"
    susp = Suspension.objects.get(case=case)
    assert (susp.ground, susp.start, susp.document_ref) == (
        "applicant_agrees",
        date(2026, 3, 10),
        "（2026）粤0106执1号之一",
    )
    assert (a.status, a.suspended, a.keep_controls) == ("active", True, True)
    assert [(i.seq, i.due_on, i.amount) for i in a.instalments.all()] == [
        (1, date(2026, 3, 31), Decimal("30000.00")),
        (2, date(2026, 4, 30), Decimal("30000.00")),
    ]
    rec = AuditRecord.objects.get(action="case.settlement.record")
    assert rec.after["instalments"] == [["2026-03-31", "30000.00"], ["2026-04-30", "30000.00"]]
    assert AuditRecord.objects.filter(action="case.suspend", case_id=case.pk).count() == 1
    with at(2026, 3, 10), pytest.raises(Conflict) as exc:
        _record(people["judge"], case, suspend=False)
    assert exc.value.message == "本案已有正在履行的执行和解协议"


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"parties": " "}, "parties", "请填写和解当事人"),
        ({"signed_on": None}, "signed_on", "请填写有效的签订日期"),
        ({"signed_on": date(2026, 3, 1)}, "signed_on", "签订日期不能早于立案日期"),
        ({"instalments": [("2026-03-09", "1")]}, "instalments[1].due_on", "第1期履行期限不能早于签订日期"),
        ({"instalments": [("2026-03-31", "-5")]}, "instalments[1].amount", None),
        ({"instalments": [("31/03/2026", "5")]}, "instalments[1].due_on", "第1期履行期限不是有效日期"),
        (
            {"instalments": [("2026-03-31", "100000.01")]},
            "instalments",
            "和解协议约定的总额 100000.01 元超过案件尚欠金额 100000.00 元",
        ),
        ({"suspension_ref": ""}, "suspension_ref", "中止执行的，请填写中止执行裁定书文号"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(people, case, kw, field, message):
    audits = AuditRecord.objects.count()
    with at(2026, 3, 10), pytest.raises(ServiceError) as exc:
        _record(people["judge"], case, **kw)
    assert exc.value.field == field
    if message:
        assert exc.value.message == message
    assert SettlementAgreement.objects.count() == 0
    assert AuditRecord.objects.count() == audits
    assert EnforcementCase.objects.get(pk=case.pk).status == "registered"


def test_missed_instalment_breach_alert_and_resume(people, case):
    with at(2026, 3, 10):
        a = _record(people["judge"], case)
    with at(2026, 3, 31):
        _pay(case, "10000", date(2026, 3, 31), "P-1")
        assert settlement.sweep_settlements(date(2026, 3, 31)) == 0  # the due day itself still counts
        with pytest.raises(Conflict) as exc:
            settlement.resume_enforcement(people["judge"], a, on=date(2026, 3, 31), document_ref="恢复1号")
        assert exc.value.field == "agreement"
    assert settlement.sweep_settlements(date(2026, 4, 1)) == 1
    assert settlement.sweep_settlements(date(2026, 4, 2)) == 0  # marked once
    a.refresh_from_db()
    assert (a.status, a.breached_on) == ("breached", date(2026, 4, 1))
    breach = AuditRecord.objects.get(action="case.settlement.breach")
    assert breach.after == {
        "settlement_status": "breached",
        "seq": 1,
        "due_on": "2026-03-31",
        "outstanding": "20000.00",
    }
    # the command center's sweep raises one alert, idempotently
    assert alert_feeds.sweep(date(2026, 4, 1)).get("settlement_missed") == 1
    assert alert_feeds.sweep(date(2026, 4, 2)).get("settlement_missed") is None
    alert = Alert.objects.get(kind="settlement_missed")
    assert (alert.source_key, alert.case_id) == (f"settlement:{a.pk}:missed", case.pk)
    assert "尚欠 20000.00 元" in alert.detail
    # 恢复执行 on the original instrument through the lifecycle's resume
    with at(2026, 4, 3):
        settlement.resume_enforcement(people["judge"], a, on=date(2026, 4, 3), document_ref="恢复1号")
    a.refresh_from_db()
    case.refresh_from_db()
    assert (a.status, a.ended_on, case.status) == ("resumed", date(2026, 4, 3), "registered")
    assert Suspension.objects.get(case=case).end == date(2026, 4, 3)
    assert (
        AuditRecord.objects.filter(action__in=["case.resume_execution", "case.settlement.resume"]).count()
        == 2
    )


def test_full_performance_closes_the_case_as_performed(people, case):
    with at(2026, 3, 10):
        a = _record(people["judge"], case)
        with pytest.raises(Conflict) as exc:
            settlement.close_performed(people["judge"], a, closed_on=date(2026, 3, 10), document_ref="结1号")
        assert exc.value.message == "和解协议尚未履行完毕（尚欠 60000.00 元），不能以执行完毕结案"
    with at(2026, 4, 30):
        _pay(case, "30000", date(2026, 3, 30), "P-1")
        _pay(case, "30000", date(2026, 4, 30), "P-2")
        assert [m.state for m in settlement.matched(a)] == ["paid", "paid"]
        settlement.close_performed(people["judge"], a, closed_on=date(2026, 4, 30), document_ref="结1号")
    case.refresh_from_db()
    a.refresh_from_db()
    assert (case.status, case.closing_mode, case.closing_details["how"]) == (
        "closed",
        "performed",
        "settlement",
    )
    assert case.closing_details["performed_amount"] == "60000.00"
    assert (a.status, a.ended_on) == ("performed", date(2026, 4, 30))
    assert settlement.sweep_settlements(date(2026, 6, 1)) == 0


# who: page GET, record / resume / close POSTs; the API's GET and the same three POSTs.
CALLERS = [
    ("judge", "200 302 302 302", "200 201 200 200"),
    ("assistant", "200 403 403 403", "200 403 403 403"),
    ("clerk", "200 403 403 403", "200 403 403 403"),
    ("finance", "200 403 403 403", "200 403 403 403"),
    ("director", "200 302 302 302", "200 201 200 200"),
    ("gz_director", "200 403 403 403", "200 403 403 403"),
    ("yx_director", "404 404 404 404", "404 404 404 404"),
    ("anon", "L L L L", "401 401 401 401"),
]


def _states(people: Any) -> tuple[Any, SettlementAgreement, SettlementAgreement]:
    """A case with no agreement, a breached agreement (instalment 1 missed), a performed agreement."""
    with at(2026, 3, 10):
        fresh = factories.case(people["clerk"])
        breached = _record(people["judge"], factories.case(people["clerk"]))
        done = _record(people["judge"], factories.case(people["clerk"]), suspend=False)
        _pay(done.case, "60000", date(2026, 3, 10), f"P-{done.pk}")
    return fresh, breached, done


def _status(r: Any) -> str:
    return "L" if r.status_code == 302 and r["Location"].startswith("/login/") else str(r.status_code)


@pytest.mark.parametrize(("who", "page", "api"), CALLERS, ids=[c[0] for c in CALLERS])
def test_page_and_api_permissions(people, who, page, api):
    c = Client()
    if who != "anon":
        c.force_login(people[who])
    body = {
        "parties": "张三；李四",
        "signed_on": "2026-04-01",
        "document_ref": "和解2号",
        "due_on_1": "2026-05-01",
        "amount_1": "1000",
    }
    got_page, got_api = [], []
    fresh, breached, done = _states(people)
    with at(2026, 4, 2):
        got_page.append(_status(c.get(f"/cases/{fresh.pk}/settlement/")))
        got_page.append(_status(c.post(f"/cases/{fresh.pk}/settlement/record/", body)))
        got_page.append(
            _status(
                c.post(
                    f"/cases/{breached.case_id}/settlement/{breached.pk}/resume/",
                    {"on": "2026-04-02", "document_ref": "恢复"},
                )
            )
        )
        got_page.append(
            _status(
                c.post(
                    f"/cases/{done.case_id}/settlement/{done.pk}/close/",
                    {"closed_on": "2026-04-02", "document_ref": "结"},
                )
            )
        )
    fresh, breached, done = _states(people)
    js = "application/json"
    with at(2026, 4, 2):
        r = c.get(f"/api/v1/cases/{breached.case_id}/settlements")
        got_api.append(_status(r))
        if r.status_code == 200:
            row = r.json()["agreements"][0]
            assert (row["may_resume"], row["may_close"], row["total"], row["paid"]) == (
                True,
                False,
                "60000.00",
                "0.00",
            )
            assert [i["state"] for i in row["instalments"]] == ["missed", "pending"]
        api_body = {
            "parties": "张三；李四",
            "signed_on": "2026-04-01",
            "document_ref": "和解2号",
            "instalments": [{"due_on": "2026-05-01", "amount": "1000"}],
        }
        got_api.append(_status(c.post(f"/api/v1/cases/{fresh.pk}/settlements", api_body, content_type=js)))
        resume = {"on": "2026-04-02", "document_ref": "恢复"}
        url = f"/api/v1/cases/{breached.case_id}/settlements/{breached.pk}/resume"
        got_api.append(_status(c.post(url, resume, content_type=js)))
        close = {"closed_on": "2026-04-02", "document_ref": "结"}
        url = f"/api/v1/cases/{done.case_id}/settlements/{done.pk}/close"
        got_api.append(_status(c.post(url, close, content_type=js)))
    assert (" ".join(got_page), " ".join(got_api)) == (page, api)
    written = SettlementAgreement.objects.filter(document_ref="和解2号").count()
    assert written == (2 if page.split()[1] == "302" else 0)


def test_api_bad_instalment_is_a_422_naming_the_row(people, case):
    c = Client()
    c.force_login(people["judge"])
    with at(2026, 3, 10):
        r = c.post(
            f"/api/v1/cases/{case.pk}/settlements",
            {
                "parties": "张三；李四",
                "signed_on": "2026-03-10",
                "document_ref": "和解3号",
                "instalments": [
                    {"due_on": "2026-03-31", "amount": "10"},
                    {"due_on": "2026-03-20", "amount": "10"},
                ],
            },
            content_type="application/json",
        )
    assert r.status_code == 422
    assert (r.json()["field"], r.json()["detail"]) == ("instalments[2].due_on", "第2期履行期限须晚于上一期")
    assert SettlementAgreement.objects.count() == 0


def test_page_shows_the_matched_instalments_and_the_next_step(people, django_assert_max_num_queries):
    _fresh, breached, done = _states(people)
    c = Client()
    c.force_login(people["judge"])
    with at(2026, 4, 2), django_assert_max_num_queries(30):
        page = c.get(f"/cases/{breached.case_id}/settlement/").content.decode()
    assert 'data-status="active"' in page and 'data-seq="1" data-state="missed"' in page
    assert 'id="form-settlement-resume"' in page and 'id="form-settlement-close"' not in page
    assert 'id="form-settlement"' not in page  # one live agreement at a time
    with at(2026, 4, 2):
        page = c.get(f"/cases/{done.case_id}/settlement/").content.decode()
    assert 'id="form-settlement-close"' in page and 'data-seq="2" data-state="paid"' in page
    # a bad row on the form: 422, the field named, the typed values kept
    with at(2026, 4, 2):
        r = c.post(
            f"/cases/{_fresh.pk}/settlement/record/",
            {
                "parties": "张三；李四",
                "signed_on": "2026-04-01",
                "document_ref": "和解9号",
                "due_on_1": "2026-03-01",
                "amount_1": "10",
            },
        )
    body = r.content.decode()
    assert r.status_code == 422 and 'data-field="instalments[1].due_on"' in body and "和解9号" in body
