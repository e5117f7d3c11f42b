"""`queries.vehicle_lines`: the lines of a period that write a licence plate, read through the (party,
time) index; on SQLite narrowed by GLOB and checked against the plate pattern (core.glob_lookup)."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhixing.analytics import queries

from .conftest import load
from .leadflows import HEADER

LINES = [
    ("2025-06-30", -10, "ETC通行费 粤C08775", "广东联合电子收费股份有限公司"),  # the day before the period
    ("2025-07-01", -20, "ETC通行费 粤C08775", "广东联合电子收费股份有限公司"),  # first day, local midnight
    ("2025-07-02", -30, "京A店超市购物", "某超市"),  # province + letter, but no plate: not a vehicle line
    ("2025-07-03", -40, "停车费", "停车场 浙B12345"),  # the plate in the counterparty
    ("2025-07-04", 500, "工资", "广州某科技有限公司"),  # no plate at all
    ("2025-07-31", -50, "加油 苏E6D789", "中石化"),  # last day
    ("2025-08-01", -60, "ETC通行费 粤C08775", "广东联合电子收费股份有限公司"),  # the day after the period
]


def _statement() -> bytes:
    rows, balance = [HEADER], 10000
    for day, amount, summary, cp in LINES:
        balance += amount
        rows.append(f"{day},CNY,{amount:.2f},{balance:.2f},{summary},{cp},")
    return ("\n".join(rows) + "\n").encode()


def test_the_period_s_plate_lines_in_local_months(
    debtor: queries.DebtorRef, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    load(debtor, people["judge"], presets["cmb"], _statement())
    got = queries.vehicle_lines(debtor.party.pk, date(2025, 7, 1), date(2025, 7, 31))
    # 1 July 00:00 in Beijing is 30 June in UTC: its month is the statement's, July
    assert [(line.month, line.amount, line.texts[0]) for line in got] == [
        ("2025-07", -20, "ETC通行费 粤C08775"),
        ("2025-07", -40, "停车费"),
        ("2025-07", -50, "加油 苏E6D789"),
    ]
    assert got[1].texts[2] == "停车场 浙B12345"


def test_the_limit_counts_plate_lines_only(
    debtor: queries.DebtorRef, people: dict[str, Any], presets: dict[str, Any]
) -> None:
    load(debtor, people["judge"], presets["cmb"], _statement())
    got = queries.vehicle_lines(debtor.party.pk, date(2025, 7, 1), date(2025, 7, 31), limit=2)
    assert [line.amount for line in got] == [-20, -40]  # the 京A line before them takes no place
