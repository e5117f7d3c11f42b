"""Each indicator on small hand-made statements with exact expected values.

The statements use a preset a court user defines on the preset page (no code), so this also covers
"a new layout without code".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhixing.analytics import services

from .conftest import load, load_travel

GENERIC = {
    "name": "某农商行流水（自定义）",
    "code": "generic",
    "institution": "某农村商业银行",
    "file_format": "csv",
    "encoding": "utf-8",
    "delimiter": ",",
    "header_row": 1,
    "header_marker": "",
    "date_column": "时间",
    "amount_column": "金额",
    "counterparty_column": "对方",
    "counterparty_account_column": "对方账号",
    "summary_column": "摘要",
    "currency_column": "币种",
    "balance_column": "余额",
    "txn_id_column": "流水号",
    "default_currency": "CNY",
    "direction_in": "收入",
    "direction_out": "支出",
    "refund_markers": "退款",
    "reversal_markers": "冲正|撤销",
}
HEADER = "时间,金额,对方,对方账号,摘要,币种,余额,流水号\n"

STATEMENT = (
    HEADER
    + """2026-01-10 09:00:00,8000.00,张某华,,转账,CNY,,T01
2026-02-10 09:00:00,8000.00,张某华,,转账,CNY,,T02
2026-03-12 09:00:00,8100.00,张某华,,转账,CNY,,T03
2026-04-11 09:00:00,7900.00,张某华,,转账,CNY,,T04
2026-03-01 10:00:00,-2000.00,中国东方航空,,机票,CNY,,T05
2026-03-02 10:00:00,500.00,中国东方航空,,退款-机票,CNY,,T06
2026-03-05 10:00:00,-3000.00,某商场,,消费,CNY,,T07
2026-03-05 10:05:00,3000.00,某商场,,消费冲正,CNY,,T08
2026-03-20 20:00:00,-100.00,DFS,,境外消费,USD,,T09
2026-03-20 20:00:00,-100.00,DFS,,境外消费,USD,,T09
2026-05-01 12:00:00,-6000.00,李某,,转账,CNY,,T10
2026-05-05 12:00:00,-5000.00,,,ATM取款,CNY,,T11
2026-05-06 12:00:00,-5000.00,,,ATM取款,CNY,,T12
"""
)

TRAVEL = """类型,开始时间,结束时间,出发地,目的地,航班车次或酒店,舱位座席或星级,金额,国家或地区
酒店,2026-02-14 23:30:00,2026-02-16 11:00:00,,广州,希尔顿酒店,五星,1600.00,中国
酒店,2026-02-10 22:00:00,2026-02-11 10:00:00,,广州,如家酒店,五星,500.00,中国
火车,2026-04-01 08:00:00,2026-04-01 12:00:00,广州,长沙,G1002,二等座,300.00,中国
火车,2026-04-03 08:00:00,2026-04-03 20:00:00,长沙,广州,K512,硬卧,150.00,中国
"""


@pytest.fixture
def generic(people: dict[str, Any], presets: dict[str, Any]) -> Any:
    return services.save_preset(people["judge"], dict(GENERIC))


@pytest.fixture
def profile(debtor: Any, people: dict[str, Any], generic: Any) -> Any:
    judge = people["judge"]
    job = load(debtor, judge, generic, STATEMENT.encode())
    assert (job.status, job.imported, job.duplicates) == ("done", 12, 1)
    travel = load_travel(debtor, judge, TRAVEL)
    assert (travel.status, travel.imported) == ("done", 4)
    services.add_related_person(judge, debtor, name="李某", relation="spouse")
    return services.compute_profile(
        judge,
        debtor,
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        restrictions=[(date(2026, 2, 15), None)],
        freezes=[date(2026, 5, 10)],
    )


def test_totals_exclude_refunds_reversals_duplicates_and_convert_foreign_currency(profile: Any) -> None:
    t = profile.indicators["totals"]
    assert Decimal(t["total_in"]) == Decimal("32000.00")
    # out: 2000 flight + 6000 spouse + 10000 cash + USD 100 × 7.1234 = 712.34 (the rate in force on
    # 2026-03-20; 7.2 applies only from 03-21); the 3000 purchase is reversed; minus the 500 refund
    assert Decimal(t["total_out"]) == Decimal("18212.34")
    assert Decimal(t["refunds"]) == Decimal("500.00")
    assert t["foreign_lines"] == 1  # the duplicate USD line is not counted


def test_monthly_in_out(profile: Any) -> None:
    got = {
        m["month"]: (Decimal(m["amount_in"]), Decimal(m["amount_out"])) for m in profile.indicators["monthly"]
    }
    assert got["2026-01"] == (Decimal("8000.00"), Decimal("0"))
    assert got["2026-03"] == (Decimal("8100.00"), Decimal("2212.34"))
    assert got["2026-05"] == (Decimal("0"), Decimal("16000.00"))


def test_categories_net_of_refunds_and_foreign_lines_as_abroad(profile: Any) -> None:
    cats = profile.indicators["categories"]
    assert Decimal(cats["air"]["net"]) == Decimal("1500.00")
    assert Decimal(cats["abroad"]["net"]) == Decimal("712.34")
    travel = profile.indicators["travel"]
    assert travel["star_hotel"]["trips"] == 2
    assert travel["star_hotel"]["nights"] == 3  # 2 nights across midnight + 1
    assert travel["rail"]["trips"] == 1  # G train; the K train sleeper is not restricted


def test_regular_income_payer_amount_and_period(profile: Any) -> None:
    (reg,) = profile.indicators["regular_income"]
    assert reg["counterparty"] == "张某华"
    assert reg["months"] == 4 and reg["n"] == 4
    assert Decimal(str(reg["avg_amount"])) == Decimal("8000")
    assert round(float(reg["period_days"]), 1) == 30.3


def test_violations_while_restricted(profile: Any) -> None:
    v = sorted((x["src"], x["cat"], x["day"]) for x in profile.indicators["violations"])
    assert v == [
        ("travel", "rail", "2026-04-01"),
        ("travel", "star_hotel", "2026-02-14"),  # the stay crosses into the restriction
        ("tx", "abroad", "2026-03-20"),
        ("tx", "air", "2026-03-01"),
    ]


def test_related_transfers_and_evasion(profile: Any) -> None:
    (rel,) = profile.indicators["related"]
    assert (rel["counterparty"], Decimal(str(rel["total"]))) == ("李某", Decimal("6000.00"))
    ev = profile.indicators["evasion"]
    assert ev["anchors"] == ["freeze"]
    assert Decimal(str(ev["total"])) == Decimal("16000.00") and ev["n"] == 3


def test_findings_weights_score_and_recommendations(profile: Any) -> None:
    rules = {f["rule"]: f for f in profile.findings}
    assert set(rules) == {
        "regular_income",
        "hidden_salary",
        "luxury_spending",
        "restriction_violation",
        "related_transfers",
        "evasion",
    }
    assert profile.score == 100  # 20 + 15 + 15 + 30 + 20 + 25, capped
    assert len(rules["restriction_violation"]["evidence"]) == 2
    assert len(rules["restriction_violation"]["travel_evidence"]) == 2
    codes = [r["code"] for r in profile.recommendations]
    assert codes == ["list_able", "list_violation", "fine_detention", "list_hide", "crime_referral"]
    assert profile.ruleset.version == 1


BALANCES = (
    HEADER
    + """2026-01-05 10:00:00,-3000.00,某房屋租赁公司,6222111,房租,CNY,49500.00,R1
2026-02-05 10:00:00,-3000.00,某房屋租赁公司,6222111,房租,CNY,49800.00,R2
2026-03-05 10:00:00,-3000.00,某房屋租赁公司,6222111,房租,CNY,19900.00,R3
2026-04-05 10:00:00,-3000.00,某房屋租赁公司,6222111,房租,CNY,9600.00,R4
2026-02-01 10:00:00,-20000.00,王某,,转账,CNY,30000.00,R5
2026-02-05 10:00:00,19800.00,王某,,转账,CNY,99000.00,R6
"""
)


def test_balance_thresholds_round_trips_and_leads(debtor: Any, people: dict[str, Any], generic: Any) -> None:
    load(debtor, people["judge"], generic, BALANCES.encode())
    p = services.compute_profile(people["judge"], debtor, start=date(2026, 1, 1), end=date(2026, 6, 30))
    bal = p.indicators["balance"]
    assert (bal["observations"], bal["hits"]) == (6, 5)
    assert p.indicators["round_trips"]["n"] == 1
    assert Decimal(str(p.indicators["round_trips"]["total"])) == Decimal("20000.00")
    (payee,) = p.indicators["payees"]
    assert payee["counterparty"] == "某房屋租赁公司" and payee["months"] == 4
    (lead,) = list(p.leads.all())
    assert (lead.lead_type, lead.total, lead.account) == ("房租", Decimal("12000.00"), "6222111")
    assert {f["rule"] for f in p.findings} == {"balance_threshold", "round_tripping", "regular_payees"}
    assert "leads" in [r["code"] for r in p.recommendations]


def test_reimport_of_the_same_file_is_all_duplicates(
    debtor: Any, people: dict[str, Any], generic: Any
) -> None:
    load(debtor, people["judge"], generic, STATEMENT.encode())
    again = load(debtor, people["judge"], generic, STATEMENT.encode())
    assert (again.imported, again.duplicates) == (0, 13)
