"""Enforcement settlement agreements (执行和解): pure rules and the instalment matching arithmetic.

No ORM. CPL-2023 Art 241: the parties' settlement in enforcement is recorded by the court; when it was
procured by fraud or duress, or a party does not perform it, the court may resume enforcement of the
original instrument on a party's application. 执行和解规定 (法释〔2018〕3号) fixes the details this module
encodes as data (`EFFECTS`) and arithmetic (`validate`, `match`).

Matching: the money performed on the case from the signing day on (net of reversals, in date order) is
applied to the instalments in due order, oldest first (a payment goes to the earliest instalment still
owed, the way a creditor's ledger is read; the agreement's own order of application, if any, is the
case's `PaymentOrderAgreement`, which concerns interest buckets, not instalments).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CENT = Decimal("0.01")
MAX_INSTALMENTS = 60
GROUNDS_MAX = 2000  # the applicant's facts and reasons, the judge's reasons for a refusal


@dataclass(frozen=True)
class Effect:
    """One legal consequence of a settlement event, with its article."""

    key: str
    label: str
    article: str


# rule: … — what a settlement does to the case, row by row (as data, shown on the page).
EFFECTS: tuple[Effect, ...] = (
    Effect(
        "record",
        "执行中双方自行和解达成协议的，执行员将协议内容记入笔录，由双方当事人签名或者盖章",
        "民事诉讼法（2023）第241条第1款",
    ),
    Effect(
        "suspend",
        "和解协议达成后，各方共同提交书面和解协议或执行人员记入笔录的，人民法院可以裁定中止执行"
        "（本平台：申请执行人申请时登记中止，事由为申请人表示可以延期执行）",
        "执行和解规定第2条；民事诉讼法（2023）第267条第1款第1项",
    ),
    Effect(
        "controls_kept",
        "中止执行后，查封、扣押、冻结措施继续有效；申请执行人申请解除的，人民法院可以准许",
        "执行和解规定第3条",
    ),
    Effect(
        "resume",
        "被执行人一方不履行执行和解协议的，申请执行人可以申请恢复执行原生效法律文书；已履行部分应当扣除",
        "民事诉讼法（2023）第241条第2款；执行和解规定第9条、第11条（条号待核实）",
    ),
    Effect(
        "no_resume",
        "和解协议履行完毕、约定履行期限尚未届至或被执行人正在按约履行的，不予恢复执行",
        "执行和解规定第11条（条号待核实）",
    ),
    Effect(
        "resume_request",
        "申请执行人可以在当事人门户在线申请恢复执行（写明事实和理由）；被执行人不能申请。人民法院审查后，"
        "理由成立的恢复执行原生效法律文书，不符合条件的裁定不予恢复执行并写明理由；"
        "当事人、利害关系人不服的，可以提出执行异议",
        "执行和解规定第9条、第11条、第12条（条号待核实）；民事诉讼法（2023）第236条",
    ),
    Effect(
        "performed",
        "执行和解协议履行完毕的，人民法院作执行结案处理（执行完毕，履行方式：和解协议履行完毕）",
        "执行和解规定第8条",
    ),
)
EFFECT_BY_KEY = {e.key: e for e in EFFECTS}


class SettlementError(ValueError):
    """Bad agreement input: `field` names the form field (or instalment row) at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Due:
    """One instalment as agreed: `amount` due by `due_on` (inclusive)."""

    seq: int
    due_on: date
    amount: Decimal


def validate(signed_on: date, today: date, instalments: Sequence[Due], owed: Decimal | None = None) -> None:
    """Raise SettlementError naming the field or row when the agreement cannot be recorded.

    Rules: signed no later than today; 1..MAX_INSTALMENTS rows; each amount positive with at most two
    decimals; each due date on or after the signing day; due dates strictly increasing (one instalment
    per day, in order); and — when `owed` (what the case still claims) is given — the agreed total may
    not exceed it: a settlement may forgive part of the debt, never add to what the instrument awards
    (new obligations belong in a separate contract, 执行和解规定 Art 14 UNCONFIRMED).
    """
    if signed_on > today:
        raise SettlementError("签订日期不能晚于今天", "signed_on")
    if not instalments:
        raise SettlementError("请至少填写一期履行安排", "instalments")
    if len(instalments) > MAX_INSTALMENTS:
        raise SettlementError(f"履行安排不能超过{MAX_INSTALMENTS}期", "instalments")
    previous: date | None = None
    for i, row in enumerate(instalments, start=1):
        where = f"instalments[{i}]"
        if row.amount <= 0:
            raise SettlementError(f"第{i}期金额须大于0", f"{where}.amount")
        if row.amount != row.amount.quantize(CENT):
            raise SettlementError(f"第{i}期金额最多两位小数", f"{where}.amount")
        if row.due_on < signed_on:
            raise SettlementError(f"第{i}期履行期限不能早于签订日期", f"{where}.due_on")
        if previous is not None and row.due_on <= previous:
            raise SettlementError(f"第{i}期履行期限须晚于上一期", f"{where}.due_on")
        previous = row.due_on
    total = sum((r.amount for r in instalments), Decimal("0"))
    if owed is not None and total > owed:
        raise SettlementError(f"和解协议约定的总额 {total} 元超过案件尚欠金额 {owed} 元", "instalments")


PAID = "paid"  # fully paid by its due date
PAID_LATE = "paid_late"  # fully paid, but after its due date
PARTLY = "partly"  # not yet due, partly paid
PENDING = "pending"  # not yet due, nothing paid
MISSED = "missed"  # due date passed, not fully paid (a breach)

STATE_LABELS = {
    PAID: "按期履行",
    PAID_LATE: "逾期后已补足",
    PARTLY: "部分履行",
    PENDING: "未到期",
    MISSED: "逾期未履行",
}


@dataclass(frozen=True)
class Matched:
    """An instalment after matching: `paid` applied to it, `paid_on` the day it was covered (or None)."""

    seq: int
    due_on: date
    amount: Decimal
    paid: Decimal
    paid_on: date | None
    state: str

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


def match(
    instalments: Sequence[Due], payments: Iterable[tuple[date, Decimal]], signed_on: date, today: date
) -> list[Matched]:
    """Apply the net dated `payments` made on or after `signed_on` and no later than `today` to the
    instalments in due order; returns each instalment's paid amount, covering day and state.

    Payments before signing were performed under the instrument, not the agreement, and are ignored.
    An instalment is missed when its due day has passed (`due_on < today`) and it is not covered.
    """
    ordered = sorted(instalments, key=lambda r: (r.due_on, r.seq))
    paid = [Decimal("0")] * len(ordered)
    covered: list[date | None] = [None] * len(ordered)
    i = 0
    for paid_on, amount in sorted(payments, key=lambda p: p[0]):
        if paid_on < signed_on or paid_on > today or amount <= 0:
            continue
        left = amount
        while left > 0 and i < len(ordered):
            take = min(left, ordered[i].amount - paid[i])
            paid[i] += take
            left -= take
            if paid[i] == ordered[i].amount:
                covered[i] = paid_on
                i += 1
    out: list[Matched] = []
    for k, row in enumerate(ordered):
        done = covered[k]
        if done is not None:
            state = PAID if done <= row.due_on else PAID_LATE
        elif row.due_on < today:
            state = MISSED
        else:
            state = PARTLY if paid[k] > 0 else PENDING
        out.append(Matched(row.seq, row.due_on, row.amount, paid[k], done, state))
    return out


def first_missed(matched: Sequence[Matched]) -> Matched | None:
    """The earliest instalment in breach, if any."""
    return next((m for m in matched if m.state == MISSED), None)


def ever_missed(matched: Sequence[Matched]) -> Matched | None:
    """The earliest instalment not covered by its due day (missed now, or paid only late)."""
    return next((m for m in matched if m.state in (MISSED, PAID_LATE)), None)


def performed(matched: Sequence[Matched]) -> bool:
    """Every instalment fully paid (执行和解规定 Art 8: the case is closed as performed)."""
    return bool(matched) and all(m.state in (PAID, PAID_LATE) for m in matched)


def resume_refusal(matched: Sequence[Matched]) -> str:
    """Why the applicant's request to resume enforcement must be refused ("" when it may be granted).

    执行和解规定 Art 11 (UNCONFIRMED no.): no resumption once the agreement is performed, or while no
    instalment is in breach (the periods have not come, or the debtor is performing as agreed).
    """
    if performed(matched):
        return "和解协议已履行完毕，不予恢复执行"
    if first_missed(matched) is None:
        return "尚无逾期未履行的一期（履行期限未届至或被执行人正在按约履行），不予恢复执行"
    return ""


def total(instalments: Iterable[Due]) -> Decimal:
    return sum((r.amount for r in instalments), Decimal("0"))
