"""Demo analytics for `make run` (`manage.py analytics_demo`, run by `seed_demo`): two debtors of the
天河 judge th_judge1 with imported statements, computed profiles and leads in every state.

The partner sandbox derives a debtor's holdings from the ID number (`partners.sandbox.holdings`), so the
demo writes the ETC tolls of a car the vehicle register really holds for that debtor: following that
lead, the register finds the car (FOUND) and the judge can seize it on the case's inquiry page. The
parking fees of a plate the debtor does not hold come back NOT_FOUND; rent paid to a landlord has no
register and goes to field verification (FIELD, and VERIFIED for the second debtor); an employer lead
is left NEW, and the second debtor's employer query is filed last and left for the worker (REQUESTED
until `make run`'s worker sends it). The queries of the seeding are answered by a sandbox started on a
free loopback port for the duration of the command, over the same signed protocol.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.inquiry import services as inquiry_services
from zhixing.partners.sandbox.holdings import holdings

from . import queries, services
from .models import PropertyLead

JUDGE = "th_judge1"
HEADER = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要"
STRANGER_PLATE = "粤A99999"
OPEN = ("registered", "in_progress")


@dataclass
class Demo:
    profiles: list[int]
    states: dict[str, int]


def statement(today: date, plate: str, employer: str, months: int = 5) -> bytes:
    """Monthly salary, rent, ETC tolls of `plate` and parking fees of a stranger's plate."""
    rows = [HEADER]
    balance = 42000
    for back in range(months, 0, -1):
        first = (today.replace(day=1) - timedelta(days=31 * back)).replace(day=1)
        for day, amount, summary, cp, note in (
            (5, 15000, "代发工资", f"{employer}6222000011110000", "工资"),
            (8, -3500, "转账汇款", "房东李某 6222000099998888", "房租"),
            (12, -85, f"ETC通行费 {plate}", "广东联合电子收费股份有限公司", "高速通行费"),
            (20, -40, f"停车费 {STRANGER_PLATE}", "某停车场管理有限公司", "停车"),
        ):
            balance += amount
            rows.append(
                f"{first.replace(day=day).isoformat()},CNY,{amount:.2f},{balance:.2f},{summary},{cp},{note}"
            )
    return ("\n".join(rows) + "\n").encode()


def _debtors(user: Any) -> list[queries.DebtorRef]:
    """Open cases of the judge whose person debtor holds a car in the sandbox (deterministic by ID)."""
    out = []
    for case in case_queries.scoped_cases(user).filter(handler=user, status__in=OPEN).order_by("id"):
        for p in case_queries.case_parties(case):
            if (
                p.role == "debtor"
                and p.kind == "person"
                and p.id_number
                and holdings("MPS-VEHICLE", p.id_number)
            ):
                out.append(queries.DebtorRef(case, p))
                break
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _sandbox() -> Iterator[None]:
    """The partner sandbox on a free loopback port; requests are sent explicitly (no post-commit kick)."""
    from zhixing.partners.sandbox.server import start_in_thread

    port = _free_port()
    server = start_in_thread("127.0.0.1", port)
    merged = {**getattr(settings, "ZHIXING_INQUIRY", {}), "kick_on_commit": False}
    try:
        with override_settings(ZHIXING_SANDBOX_URL=f"http://127.0.0.1:{port}", ZHIXING_INQUIRY=merged):
            yield
    finally:
        server.should_exit = True


def _profile(user: Any, ref: queries.DebtorRef, today: date, employer: str) -> Any:
    plate = holdings("MPS-VEHICLE", ref.party.id_number)[0].ref
    preset = queries.preset_by_code(user, "cmb")
    data = statement(today, plate, employer)
    job = services.create_import(
        user, ref, kind="statement", file_name="招商银行流水（演示）.csv", data=data, preset=preset
    )
    services.run_import(job.pk)
    return services.compute_profile(user, ref, start=today - timedelta(days=400), end=today)


# Rates the demo's finance officer keeps (分析 › 折算汇率): a currency with a correction, and others.
DEMO_RATES = (
    ("USD", 1, "7.1000", "年初中间价"),
    ("USD", 0, "7.1884", "年中更正"),
    ("HKD", 1, "0.9100", ""),
    ("EUR", 1, "7.8000", ""),
    ("GBP", 1, "9.0500", ""),
    ("JPY", 1, "0.0480", ""),
    ("SGD", 1, "5.3500", ""),
)


def exchange_rates(today: date, finance: str = "th_finance") -> int:
    """The rate table as the court's finance officer keeps it, through the service (audited): from the
    first day of last year, and USD corrected from the first of this year."""
    keeper = get_user_model().objects.filter(username=finance).first()
    if keeper is None:
        return 0
    for currency, years_back, rate, note in DEMO_RATES:
        start = date(today.year - years_back, 1, 1)
        services.set_exchange_rate(keeper, currency=currency, valid_from=start, rate=rate, note=note)
    return len(DEMO_RATES)


def rejected_import(user: Any, ref: queries.DebtorRef, today: date) -> Any:
    """A statement the judge uploaded with two broken rows: rejected whole, each row with its reason."""
    good = statement(today, "粤A00000", "广州某科技有限公司", months=2).decode().splitlines()
    broken = [*good[:3], "2024-13-45,CNY,100.00,100.00,转账,某人,日期错误", *good[3:], "不是日期,CNY,abc,,,,"]
    job = services.create_import(
        user,
        ref,
        kind="statement",
        file_name="工商银行流水（演示，含错误行）.csv",
        data=("\n".join(broken) + "\n").encode(),
        preset=queries.preset_by_code(user, "cmb"),
    )
    return services.run_import(job.pk)


def corrected_row(user: Any, ref: queries.DebtorRef) -> int | None:
    """The latest parking fee of the stranger's plate, left out of the indicators (kept, audited)."""
    from zhixing.core.errors import ServiceError

    from .models import Transaction

    row = (
        Transaction.objects.filter(party_id=ref.party.pk, summary__contains=STRANGER_PLATE)
        .order_by("-occurred_at")
        .first()
    )
    if row is None:
        return None
    with suppress(ServiceError):  # already corrected by an earlier seeding
        services.correct_transaction(
            user,
            row,
            direction="out",
            amount=abs(row.amount),
            counterparty=row.counterparty,
            category="停车（他人车辆）",
            excluded=True,
            reason="该车牌非被执行人所有，停车费系为他人代付，不计入消费",
        )
    return row.pk


def court_layout(user: Any) -> str:
    """A copy of the built-in CMB layout adapted to the "对方户名" variant (the sample file's)."""
    from .models import StatementPreset

    name = "招商银行明细（对方户名列）"
    existing = StatementPreset.objects.filter(court=user.court, name=name).first()
    if existing is not None:
        return existing.code
    cmb = queries.preset_by_code(user, "cmb")
    if cmb is None:
        return ""
    changes = {"counterparty_column": "对方户名", "encoding": "gbk", "header_row": 3}
    return services.copy_preset(user, cmb, changes=changes, name=name, code="cmb-payee").code


def overlapping_import(user: Any, ref: queries.DebtorRef, today: date) -> Any:
    """A second export overlapping the first (its last two months again) that also lists two real
    refunds of the same amount on the same day: the repeated months are duplicates of the stored lines,
    the second refund is counted as another transaction, each decision listed with its reason."""
    plate = holdings("MPS-VEHICLE", ref.party.id_number)[0].ref
    lines = statement(today, plate, "广州某科技有限公司", months=2).decode().splitlines()
    day = (today.replace(day=1) - timedelta(days=1)).replace(day=25).isoformat()
    refund = f"{day},CNY,50.00,0.00,退款,某电商平台有限公司,退货退款"
    data = "\n".join([*lines, refund, refund]) + "\n"
    job = services.create_import(
        user,
        ref,
        kind="statement",
        file_name="招商银行流水（演示，与上次导入重叠）.csv",
        data=data.encode(),
        preset=queries.preset_by_code(user, "cmb"),
    )
    return services.run_import(job.pk)


CARD_LAYOUT = {
    "name": "信用卡对账单（演示）",
    "code": "democard",
    "institution": "某银行信用卡中心",
    "header_marker": "交易日",
    "date_column": "交易日",
    "date_format": "MM/DD",
    "amount_column": "人民币金额",
    "amount_sign": "out_positive",
    "summary_column": "交易摘要",
    "refund_markers": "",
    "footer_prefixes": "本期合计",
    "period_pattern": r"账单周期：(\S+)至(\S+)",
    "total_out_pattern": r"本期消费\s*([\d,.]+)",
    "total_in_pattern": r"本期还款\s*([\d,.]+)",
}


def card_statement(today: date, claimed_spending: str | None = None, months_back: int = 1) -> bytes:
    """A credit card statement: yearless dates, positive spending, a bracketed note, totals in the footer."""
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months_back - 1):
        end = end.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    rows = [
        "某银行信用卡对账单",
        f"账单周期：{start.isoformat()}至{end.isoformat()}",
        "交易日,记账日,交易摘要,人民币金额",
        f'{start:%m/%d},{start:%m/%d},某商场消费,"CNY 2,131.77(已退款89.84)"',
        f"{start + timedelta(days=9):%m/%d},{start + timedelta(days=9):%m/%d},还款,-1000.00",
        f"{end:%m/%d},{end:%m/%d},餐饮消费,318.20",
        f'"本期合计 本期消费 {claimed_spending or "2,449.97"} 本期还款 1,000.00"',
    ]
    return ("\n".join(rows) + "\n").encode()


def card_imports(user: Any, ref: queries.DebtorRef, today: date) -> list[Any]:
    """A court's own credit card layout and two months imported with it: totals agreeing, then not."""
    layout = queries.preset_by_code(user, CARD_LAYOUT["code"]) or services.save_preset(
        user, dict(CARD_LAYOUT)
    )
    jobs = []
    for name, data in (
        ("信用卡账单（演示）.csv", card_statement(today)),
        (
            "信用卡账单（演示，表尾合计不符）.csv",
            card_statement(today, claimed_spending="2,500.00", months_back=2),
        ),
    ):
        job = services.create_import(user, ref, kind="statement", file_name=name, data=data, preset=layout)
        jobs.append(services.run_import(job.pk))
    return jobs


def _pick(prof: Any, kind: str, target: str | None = None) -> PropertyLead | None:
    for lead in queries.leads_of(prof):
        if lead.kind == kind and (target is None or lead.target == target):
            return lead
    return None


def seed(out: Callable[[str], None] = print, judge: str = JUDGE) -> Demo | None:
    user = get_user_model().objects.filter(username=judge).first()
    if user is None:
        out(f"没有演示账号 {judge}，跳过履行能力分析演示数据")
        return None
    refs = _debtors(user)[:2]
    if len(refs) < 2:
        out("演示法官名下可供分析的案件不足两件，跳过履行能力分析演示数据")
        return None
    today = timezone.localdate()
    with _sandbox():
        first = _profile(user, refs[0], today, "广州某科技有限公司")
        second = _profile(user, refs[1], today, "深圳某贸易有限公司")
        plate = holdings("MPS-VEHICLE", refs[0].party.id_number)[0].ref
        for lead in (
            _pick(first, "vehicle", plate),
            _pick(first, "vehicle", STRANGER_PLATE),
            _pick(first, "rent"),
        ):
            if lead is not None:
                services.follow_lead(user, lead)
        rent = _pick(second, "rent")
        if rent is not None:
            rent = services.follow_lead(user, rent, urgent=True)
            services.record_field_result(
                user,
                rent,
                found=True,
                document_ref=f"{refs[1].case.number}核查1",
                note="房东证实被执行人在此居住",
            )
        inquiry_services.dispatch_due()
        employer = _pick(second, "employer")
        if employer is not None:  # filed last: the worker of `make run` sends it
            services.follow_lead(user, employer)
    exchange_rates(today)
    rejected_import(user, refs[1], today)
    corrected = corrected_row(user, refs[0])
    copy = court_layout(user)
    overlapping_import(user, refs[0], today)
    card_imports(user, refs[1], today)
    states: dict[str, int] = {}
    for prof in (first, second):
        for lead in queries.leads_of(prof):
            states[lead.state] = states.get(lead.state, 0) + 1
    out(
        f"履行能力分析演示：画像 {first.pk}、{second.pk}；线索状态 {states}；"
        f"更正流水 {corrected}；本院版式 {copy}"
    )
    return Demo([first.pk, second.pk], states)
