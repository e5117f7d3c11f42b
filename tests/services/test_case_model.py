"""Issue 11 item 9 through the services: act-performance cases, party ID documents, excluded periods of
the term, and the 2-year application period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from tests import factories
from zhixing.cases import queries, queries_term, services
from zhixing.cases.models import Alert, CaseStatus, EnforcementCase, ExcludedPeriod, Node, Party
from zhixing.cases.services.deadlines import case_pauses, scan_due_nodes
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.models import AuditRecord
from zhixing.credit.services.listing import subject_of
from zhixing.credit.services.partners import normalise_subject
from zhixing.inquiry.queries import case_claim
from zhixing.inquiry.rules import headroom

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PASSPORT = services.PartyData(
    role="debtor",
    kind="person",
    name="John Smith",
    id_type="passport",
    id_number="E12345678",
    nationality="usa",
    birth_date=date(1980, 5, 4),
)


def hk_residence() -> str:
    body = "81000019900101002"
    w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * x for c, x in zip(body, w, strict=True)) % 11]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _act(clerk, **kw):
    kw.setdefault("obligation", "vacate")
    kw.setdefault("obligation_detail", "迁出广州市天河区体育西路1号101房")
    kw.setdefault("principal", "0")
    return factories.case(clerk, **kw)


# -- act-performance cases ---------------------------------------------------------------------------


def test_act_case_files_with_no_money_and_the_flat_fee(people):
    case = _act(people["clerk"])
    assert (case.obligation, case.obligation_detail) == ("vacate", "迁出广州市天河区体育西路1号101房")
    assert case.principal == Decimal("0.00") and case.claim_amount == Decimal("0.00")
    assert case.application_fee == Decimal("50.00")  # the configured default within 50–500
    record = AuditRecord.objects.filter(action="case.file", case_id=case.pk).get()
    assert record.after["obligation"] == "vacate"


def test_act_case_fee_configured_and_per_case(people, settings):
    settings.ZHIXING_CASES = {"no_money_application_fee": "300"}
    assert _act(people["clerk"]).application_fee == Decimal("300.00")
    assert _act(people["clerk"], application_fee="500").application_fee == Decimal("500.00")
    with pytest.raises(ServiceError) as err:
        _act(people["clerk"], application_fee="501")
    assert err.value.field == "application_fee"
    assert err.value.message == "无执行金额案件的申请执行费须在50至500元之间（诉讼费用交纳办法第14条）"
    settings.ZHIXING_CASES = {"no_money_application_fee": "600"}
    with pytest.raises(ImproperlyConfigured, match=r"须在50.00至500.00元之间"):
        _act(people["clerk"])


def test_act_case_with_a_payment_uses_the_bands(people):
    case = _act(people["clerk"], principal="20000")
    assert case.application_fee == Decimal("200.00")  # 50 + 10,000 × 1.5 %


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"obligation_detail": "  "}, "obligation_detail", "行为履行案件（迁出房屋、退出土地）须写明"),
        ({"obligation": "dance"}, "obligation", "请选择执行内容"),
        ({"obligation_detail": "屋" * 201}, "obligation_detail", "履行内容不能超过200字"),
    ],
)
def test_act_case_refusals(people, overrides, field, message):
    before = EnforcementCase.objects.count()
    with pytest.raises(ServiceError) as err:
        _act(people["clerk"], **overrides)
    assert err.value.field == field and message in err.value.message
    assert EnforcementCase.objects.count() == before


def test_money_case_needs_a_principal(people):
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], principal="0", litigation_costs="100")
    assert (err.value.field, err.value.message) == (
        "principal",
        "金钱给付案件的本金须大于0（执行标的额须大于0）",
    )


def test_act_case_owes_no_interest_and_other_domains_do_not_crash(people):
    case = _act(people["clerk"])
    kind = queries_term.claim_kind(case)
    assert (kind.money, kind.interest, kind.label) == (False, False, "迁出房屋、退出土地")
    assert "民诉法解释第505条" in kind.delay_charge_note
    claim = case_claim(case)  # inquiry: no interest on nothing; costs = the 50 yuan fee
    assert (claim.delay_interest, claim.outstanding) == (Decimal("0.00"), Decimal("50.00"))
    assert headroom(claim.outstanding, Decimal("0")) == Decimal("50.00")
    assert headroom(claim.outstanding, Decimal("80")) == Decimal("0")


def test_act_case_closes_as_performed_without_an_amount(people):
    case = services.assign_case(people["director"], _act(people["clerk"]), people["judge"])
    closed = services.close_case(
        people["judge"],
        case,
        mode="performed",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "结案通知书", "how": "voluntary"},
    )
    assert (closed.status, closed.closing_details) == (
        CaseStatus.CLOSED,
        {"document_ref": "结案通知书", "how": "voluntary"},
    )
    # A money case still needs the amount.
    money = services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])
    with pytest.raises(ServiceError) as err:
        services.close_case(
            people["judge"],
            money,
            mode="performed",
            closed_on=date(2026, 3, 10),
            details={"how": "voluntary"},
        )
    assert err.value.field == "document_ref"


def test_resumed_act_case_keeps_its_obligation(people):
    case = services.assign_case(people["director"], _act(people["clerk"]), people["judge"])
    services.close_case(
        people["judge"],
        case,
        mode="terminated",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "终结裁定", "ground": "other", "served_on": "2026-03-10"},
    )
    resumed = services.resume_case(people["judge"], case, applied_on=date(2026, 3, 10), reason="拒不迁出")
    # no second application fee for 执恢 (no rule in rules.md charges one; docs/rules-additions.md)
    assert (resumed.obligation, resumed.principal, resumed.application_fee) == (
        "vacate",
        Decimal("0.00"),
        Decimal("0.00"),
    )


# -- parties with other documents --------------------------------------------------------------------


def test_parties_with_every_document(people):
    parties = [
        services.PartyData(
            role="applicant",
            kind="organisation",
            name="某有限公司",
            id_type="org_code",
            id_number="60003734-1",
        ),
        PASSPORT,
        services.PartyData(
            role="debtor", kind="person", name="陈大文", id_type="hmt_residence", id_number=hk_residence()
        ),
        services.PartyData(
            role="debtor", kind="person", name="李小明", id_type="hk_macao_permit", id_number="h12345678"
        ),
        services.PartyData(
            role="debtor", kind="person", name="林志强", id_type="taiwan_permit", id_number="12345678"
        ),
        services.PartyData(
            role="debtor",
            kind="organisation",
            name="Acme (HK) Limited",
            id_type="foreign_registration",
            id_number="1234567",
            nationality="HKG",
        ),
    ]
    case = factories.case(people["clerk"], parties=parties)
    rows = {p.name: p for p in case.parties.all()}
    assert (rows["某有限公司"].id_type, rows["某有限公司"].id_number, rows["某有限公司"].credit_code) == (
        "org_code",
        "600037341",
        "",
    )
    smith = rows["John Smith"]
    assert (smith.id_number, smith.nationality, smith.birth_date, smith.is_minor) == (
        "E12345678",
        "USA",
        date(1980, 5, 4),
        False,
    )
    chan = rows["陈大文"]
    assert (chan.sex, chan.birth_date, chan.nationality) == ("F", date(1990, 1, 1), "")
    assert rows["李小明"].id_warnings == "证件号码不含出生日期且未填写出生日期，无法判断是否未成年，请补充"
    assert rows["Acme (HK) Limited"].nationality == "HKG"
    # Credit screening keys: one per subject, the same the partners send.
    today = date(2026, 3, 10)
    assert subject_of(smith, today) == normalise_subject("pusa:e12345678") == "PUSA:E12345678"
    assert subject_of(chan, today) == normalise_subject(hk_residence())
    assert subject_of(rows["李小明"], today) == normalise_subject("H12345678")
    assert subject_of(rows["Acme (HK) Limited"], today) == normalise_subject("RHKG:1234567")
    # Name search by any of the numbers, typed as on the document.
    for term in ("E12345678", "h12345678", "12345678", "RHKG:1234567", hk_residence()):
        assert queries.debtor_case_ids(term) == {case.pk}
    assert queries.debtor_case_ids("E12345679") == set()


def test_minor_passport_holder_is_never_listed(people):
    child = services.PartyData(**{**PASSPORT.__dict__, "birth_date": date(2015, 1, 1)})
    case = factories.case(people["clerk"], parties=[factories.filing().parties[0], child])
    party = case.parties.get(role="debtor")
    assert party.is_minor
    with pytest.raises(Conflict, match="未成年人"):
        subject_of(party, date(2026, 3, 10))


@pytest.mark.parametrize(
    ("party", "field", "message"),
    [
        ({"id_type": "passport", "id_number": "E12345678"}, "parties[1].nationality", "护照须填写国籍或地区"),
        (
            {"id_type": "passport", "id_number": "E12345678", "nationality": "ZZZ"},
            "parties[1].nationality",
            "不是ISO 3166三位字母代码",
        ),
        ({"id_type": "uscc", "id_number": "E12345678"}, "parties[1].id_type", "的证件类型应为：居民身份证"),
        (
            {"id_type": "hk_macao_permit", "id_number": "X1"},
            "parties[1].id_number",
            "港澳居民来往内地通行证号码有误",
        ),
        (
            {"id_type": "taiwan_permit", "id_number": ""},
            "parties[1].id_number",
            "须填写台湾居民来往大陆通行证号码",
        ),
        (
            {"id_type": "hmt_residence", "id_number": hk_residence(), "birth_date": date(1991, 1, 1)},
            "parties[1].birth_date",
            "与证件号码中的出生日期1990-01-01不一致",
        ),
        (
            {"id_type": "passport", "id_number": "E1", "nationality": "USA", "birth_date": date(2027, 1, 1)},
            "parties[1].birth_date",
            "出生日期不能晚于今天",
        ),
    ],
)
def test_party_document_errors_name_the_field(people, party, field, message):
    data = services.PartyData(role="debtor", kind="person", name="某人", **party)
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], parties=[factories.filing().parties[0], data])
    assert err.value.field == field and message in err.value.message


def test_organisation_code_errors(people):
    org = services.PartyData(
        role="debtor", kind="organisation", name="某厂", id_type="org_code", id_number="600037342"
    )
    with pytest.raises(ServiceError) as err:
        factories.case(people["clerk"], parties=[factories.filing().parties[1], org])
    assert err.value.field == "parties[1].id_number"
    assert (
        err.value.message
        == "第2位当事人组织机构代码号码有误：组织机构代码校验码错误：末位校验码与前8位不符，请核对代码"
    )


def test_same_passport_twice_is_refused_but_not_across_nationalities(people):
    applicant = factories.filing().parties[0]
    twin = services.PartyData(**{**PASSPORT.__dict__, "name": "J. Smith", "role": "debtor"})
    with pytest.raises(ServiceError, match="同一身份号码重复出现：PUSA:E12345678"):
        factories.case(people["clerk"], parties=[applicant, PASSPORT, twin])
    other = services.PartyData(**{**PASSPORT.__dict__, "nationality": "GBR"})
    assert factories.case(people["clerk"], parties=[applicant, PASSPORT, other]).parties.count() == 3


# -- excluded periods --------------------------------------------------------------------------------


def _running(people):
    return services.assign_case(people["director"], factories.case(people["clerk"]), people["judge"])


def test_excluded_period_pauses_the_term_and_moves_it(people):
    case = _running(people)
    assert case.term_due == date(2026, 9, 4)
    period = services.start_excluded_period(
        people["judge"],
        case,
        kind="deferral",
        start=date(2026, 3, 5),
        document_ref="暂缓执行决定书",
        note="提供担保",
    )
    case.refresh_from_db()
    assert case.term_due is None and case.status == CaseStatus.IN_PROGRESS
    assert list(case_pauses(case)) == []  # delay interest is not paused (only suspensions)
    with pytest.raises(Conflict, match="已有未结束的“暂缓执行（执行和解或提供担保）”期间"):
        services.start_excluded_period(
            people["judge"], case, kind="deferral", start=date(2026, 3, 6), document_ref="又一份"
        )
    ended = services.end_excluded_period(
        people["judge"], period, end=date(2026, 3, 10), document_ref="恢复通知"
    )
    case.refresh_from_db()
    assert (ended.days, case.term_due) == (5, date(2026, 9, 9))
    trail = list(AuditRecord.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert trail[-2:] == ["case.exclude_start", "case.exclude_end"]
    end_record = AuditRecord.objects.filter(action="case.exclude_end").get()
    assert end_record.before == {"term_due": None}
    assert end_record.after["days"] == 5 and end_record.after["term_due"] == "2026-09-09"
    with pytest.raises(Conflict, match="已于2026-03-10结束"):
        services.end_excluded_period(people["judge"], period, end=date(2026, 3, 10))


def test_running_period_stops_red_warnings(people):
    case = _running(people)
    overdue = (
        Node.objects.filter(case=case, status="pending", due_on__isnull=False).order_by("due_on").first()
    )
    services.start_excluded_period(
        people["judge"], case, kind="appraisal", start=date(2026, 3, 5), document_ref="委托评估书"
    )
    pending = Node.objects.filter(case=case, status="pending", node_type__pausable=True)
    assert pending.exists() and all(n.due_on is None for n in pending)
    scan_due_nodes(today=date(2026, 12, 31))
    assert not Alert.objects.filter(case=case, node__node_type__pausable=True).exists()
    assert overdue is not None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "nap"}, "kind"),
        ({"document_ref": " "}, "document_ref"),
        ({"start": date(2026, 3, 11)}, "start"),
        ({"start": date(2026, 3, 1)}, "start"),
    ],
)
def test_excluded_period_bad_input(people, kwargs, field):
    case = _running(people)
    args = {"kind": "auction", "start": date(2026, 3, 5), "document_ref": "拍卖公告", **kwargs}
    with pytest.raises(ServiceError) as err:
        services.start_excluded_period(people["judge"], case, **args)
    assert err.value.field == field
    assert not ExcludedPeriod.objects.exists()


def test_excluded_period_permissions_and_closing(people):
    case = _running(people)
    for who in ("clerk", "gz_director", "yx_director"):
        with pytest.raises(NotPermitted):
            services.start_excluded_period(
                people[who], case, kind="auction", start=date(2026, 3, 5), document_ref="拍卖公告"
            )
    period = services.start_excluded_period(
        people["judge"], case, kind="auction", start=date(2026, 3, 5), document_ref="拍卖公告"
    )
    with pytest.raises(ServiceError) as err:
        services.end_excluded_period(people["judge"], period, end=date(2026, 3, 4))
    assert err.value.field == "end"
    services.close_case(
        people["judge"],
        case,
        mode="terminated",
        closed_on=date(2026, 3, 10),
        details={"document_ref": "终结裁定", "ground": "other", "served_on": "2026-03-10"},
    )
    period.refresh_from_db()
    assert period.end == date(2026, 3, 10)
    with pytest.raises(Conflict, match="已结案"):
        services.start_excluded_period(
            people["judge"], case, kind="auction", start=date(2026, 3, 6), document_ref="拍卖公告"
        )


# -- the 2-year application period ------------------------------------------------------------------


def test_late_application_is_filed_with_a_warning(people):
    case = factories.case(
        people["clerk"],
        effective_on=date(2023, 12, 1),
        performance_deadline=date(2023, 12, 31),
        applied_on=date(2026, 3, 2),
    )
    limitation = queries_term.limitation_of(case)
    assert (limitation.last_day, limitation.expired, limitation.days_late) == (date(2025, 12, 31), True, 61)
    assert AuditRecord.objects.get(action="case.file", case_id=case.pk).after["limitation_expired"] is True
    in_time = factories.case(people["clerk"], applied_on=date(2026, 3, 2))
    assert not queries_term.limitation_of(in_time).expired


def test_no_division_by_a_zero_claim_over_time(people):
    case = _act(people["clerk"])
    for days in (0, 30, 400):
        claim = case_claim(case, today=date(2026, 3, 10) + timedelta(days=days))
        assert claim.delay_interest == Decimal("0.00")
    assert Party.objects.filter(case=case).count() == 2
