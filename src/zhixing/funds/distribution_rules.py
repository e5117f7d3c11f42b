"""Pure arithmetic of participation in distribution (参与分配) and its plan (财产分配方案), rules.md §7.2.

No ORM. Amounts are `Decimal` yuan with 2 places; every pro-rata split goes through
`rules.largest_remainder` (integer fen, largest remainder, ties to the earlier claim), so the parts of a
plan always add up to the money distributed, to the fen.

Order (SPC-CPL-Interp 508 (2015/2020 numbering 510); 执行工作规定 Arts 31, 55):

1. enforcement costs (执行费用) first;
2. statutory priority claims (法定优先权, e.g. construction-price priority), by their rank;
3. security interests (担保物权: mortgage, pledge, lien), by rank, then by the date the interest was
   created (执行工作规定 Art 55: "several security interests by date of creation"); claims of the same
   rank and the same date share **pro rata** — 民法典 Art 414(1) "顺序相同的，按照债权比例清偿"
   (not yet in rules.md §7.2; cited here, to be added there);
4. ordinary claims: for a natural-person or other-organisation debtor (其他组织: partnerships, sole
   proprietorships, branches, SPC-CPL-Interp 52 (2022)), **pro rata** to the claims participating
   (SPC-CPL-Interp 506, 508 (2022) / 508, 510); for an enterprise legal person not transferred to
   bankruptcy, **in order of seizure date** (SPC-CPL-Interp 514/516), same date pro rata; for another
   legal person (机关, 事业单位, 社会团体), which neither article names, in order of the enforcement
   measures (执行工作规定 Art 55) — the seizure date again. `DEBTOR_FORMS` says which; the plan names
   the debtor whose property is distributed and its form (`infer_form` proposes one);
5. what is left (surplus) is returned to the debtor (执行工作规定 Art 34).

Periods: the 15-day objection, counter-objection and suit periods (SPC-CPL-Interp 509–510 / 511–512;
执行程序解释 Arts 17–18) end on a working day: a last day that is a statutory holiday or rest day moves
to the first working day after it (CPL Art 85 para 3, as `cases.rules` applies it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhixing.core.workdays import WorkCalendar

from .rules import ZERO, largest_remainder

# Claim kinds, in the order they are paid after costs.
PRIORITY = "priority"  # 法定优先权
SECURED = "secured"  # 担保物权（抵押、质押、留置）
ORDINARY = "ordinary"  # 普通债权
KINDS = (PRIORITY, SECURED, ORDINARY)
KIND_LABELS = {PRIORITY: "法定优先权", SECURED: "担保物权", ORDINARY: "普通债权"}

OBJECTION_DAYS = 15  # SPC-CPL-Interp 509 (2022) / 511; 执行程序解释 Art 17
COUNTER_DAYS = 15  # SPC-CPL-Interp 510 (2022) / 512; 执行程序解释 Art 18
SUIT_DAYS = 15  # same


# The debtor's legal form decides how ordinary claims share (rule ids in docs/rules-coverage.md).
PERSON = "person"  # 自然人 (个体工商户: its operator, SPC-CPL-Interp 59 (2022))
OTHER_ORG = "other_org"  # 其他组织
ENTERPRISE = "enterprise"  # 企业法人
OTHER_LEGAL = "other_legal"  # 机关、事业单位、社会团体等非企业法人
LEGACY_ORGANISATION = "organisation"  # plans made before issue 15: treated as an enterprise

# form → (label, pro rata?, article)
DEBTOR_FORMS: dict[str, tuple[str, bool, str]] = {
    # rule
    PERSON: ("自然人", True, "民诉法解释第506条、第508条（2022）：按债权比例清偿"),
    OTHER_ORG: (
        "其他组织（合伙企业、个人独资企业、分支机构等）",
        True,
        "民诉法解释第506条、第508条（2022）：按债权比例清偿",
    ),
    # rule
    ENTERPRISE: (
        "企业法人",
        False,
        "民诉法解释第514条（2022）：按财产保全和执行中查封、扣押、冻结的先后顺序清偿",
    ),
    OTHER_LEGAL: (
        "机关、事业单位、社会团体等非企业法人",
        False,
        "执行工作规定第55条：按执行措施的先后顺序清偿",
    ),
}
FORM_CHOICES = [(k, v[0]) for k, v in DEBTOR_FORMS.items()]

_BRANCH_SUFFIXES = ("分公司", "分行", "支行", "分店", "分厂", "分部", "办事处", "分所", "分中心")


def pro_rata(form: str) -> bool:
    """Whether ordinary claims share pro rata (True) or by seizure date (False) for a debtor of `form`."""
    if form == LEGACY_ORGANISATION:
        return False
    if form not in DEBTOR_FORMS:
        raise ValueError(f"被执行人类型无效：{form}")
    return DEBTOR_FORMS[form][1]


def infer_form(kind: str, name: str, credit_code: str = "") -> str:
    """A proposal for the debtor's legal form from what the case records; the judge confirms or changes it.

    * a natural person → PERSON; a 个体工商户 (credit code "92…", GB 32100: 9 market regulation, 2
      individual business) → PERSON (its operator is the party, SPC-CPL-Interp 59 (2022));
    * a name with "合伙" (a partnership must say 普通合伙/有限合伙 in its name, 合伙企业法 Arts 15, 62) or
      a branch's name (分公司, 分行, 办事处…) → OTHER_ORG;
    * a credit code registered by 机构编制 (1) or 民政 (5) → OTHER_LEGAL;
    * anything else → ENTERPRISE.
    """
    if kind != "organisation":
        return PERSON
    code = (credit_code or "").strip().upper()
    if code.startswith("92"):
        return PERSON
    clean = (name or "").strip()
    if "合伙" in clean or clean.endswith(_BRANCH_SUFFIXES):
        return OTHER_ORG
    if code[:1] in ("1", "5"):
        return OTHER_LEGAL
    return ENTERPRISE


@dataclass(frozen=True)
class ClaimIn:
    """One claim taking part. `rank` orders claims within their kind (1 first); `security_date` is the
    date a security interest was created (registered); `seized_on` the creditor's seizure date."""

    ref: str
    kind: str
    amount: Decimal
    rank: int = 1
    security_date: date | None = None
    seized_on: date | None = None
    instrument: str = ""  # the enforcement basis the claim rests on (执行依据文书号); "" unknown


@dataclass(frozen=True)
class Line:
    ref: str
    kind: str
    claimed: Decimal
    paid: Decimal
    tier: int  # 1-based position of the claim's group in the paying order (same tier: pro rata)


@dataclass(frozen=True)
class Allocation:
    proceeds: Decimal
    costs: Decimal
    lines: tuple[Line, ...]
    surplus: Decimal

    @property
    def total(self) -> Decimal:
        return self.costs + sum((ln.paid for ln in self.lines), ZERO) + self.surplus

    def paid(self, ref: str) -> Decimal:
        return next((ln.paid for ln in self.lines if ln.ref == ref), ZERO)


def _tier_key(
    c: ClaimIn, enterprise_debtor: bool, seized: dict[str, date] | None = None
) -> tuple[int, int, date]:
    far = date.max
    if c.kind == PRIORITY:
        return (0, c.rank, far)
    if c.kind == SECURED:
        return (1, c.rank, c.security_date or far)
    if enterprise_debtor:
        # rule
        # several creditors under ONE instrument share pro rata (执行工作规定 Art 55 para 3): they take
        # the earliest seizure date any of them holds, so they fall in one group.
        if c.instrument and seized and c.instrument in seized:
            return (2, 0, seized[c.instrument])
        return (2, 0, c.seized_on or far)
    return (2, 0, far)  # one pro-rata group for a natural-person / other-organisation debtor


# rule
# rule
def tiers(claims: Sequence[ClaimIn], enterprise_debtor: bool) -> list[list[ClaimIn]]:
    """The claims grouped in paying order; claims in one group share pro rata when money runs short."""
    for c in claims:
        if c.kind not in KINDS:
            raise ValueError(f"债权种类无效：{c.kind}")
        if c.amount < 0:
            raise ValueError("金额不能为负数")
        if c.rank < 1:
            raise ValueError("顺位应为正整数")
    seized: dict[str, date] = {}
    for c in claims:
        if c.kind == ORDINARY and c.instrument:
            seized[c.instrument] = min(seized.get(c.instrument, date.max), c.seized_on or date.max)
    groups: dict[tuple[int, int, date], list[ClaimIn]] = {}
    for c in claims:
        groups.setdefault(_tier_key(c, enterprise_debtor, seized), []).append(c)
    return [groups[k] for k in sorted(groups)]


def allocate(
    proceeds: Decimal, costs: Decimal, claims: Sequence[ClaimIn], *, enterprise_debtor: bool
) -> Allocation:
    """Share `proceeds`: costs, then each group in order, in full while money lasts; the group where it
    runs out shares what is left pro rata (to the fen); later groups get nothing; the rest is surplus."""
    if proceeds < 0 or costs < 0:
        raise ValueError("金额不能为负数")
    paid_costs = min(proceeds, costs)
    left = proceeds - paid_costs
    paid: dict[str, tuple[Decimal, int]] = {}
    for n, group in enumerate(tiers(claims, enterprise_debtor), start=1):
        need = sum((c.amount for c in group), ZERO)
        if left >= need:
            shares = [c.amount for c in group]
        else:
            shares = largest_remainder(left, [c.amount for c in group])
        for c, s in zip(group, shares, strict=True):
            paid[c.ref] = (s, n)
        left -= sum(shares, ZERO)
    lines = tuple(Line(c.ref, c.kind, c.amount, paid[c.ref][0], paid[c.ref][1]) for c in claims)
    return Allocation(proceeds=proceeds, costs=paid_costs, lines=lines, surplus=left)


def disputed_amount(before: Allocation, after: Allocation) -> Decimal:
    """The money an objection would move: what the lines that would get less stand to lose (the amount
    deposited (提存) while the objection suit runs, SPC-CPL-Interp 510/512). Surplus counts as a line."""
    refs = {ln.ref for ln in before.lines} | {ln.ref for ln in after.lines}
    lost = sum((max(before.paid(r) - after.paid(r), ZERO) for r in refs), ZERO)
    return lost + max(before.surplus - after.surplus, ZERO)


def period_end(start: date, days: int, cal: WorkCalendar) -> date:
    """Last day of a period of `days` days counted from the day after `start` (so start + days), moved to
    the next working day when it falls on a holiday or rest day (CPL Art 85 para 3)."""
    if days < 0:
        raise ValueError("期间天数不能为负数")
    return cal.next_workday(start + timedelta(days=days))


def joining_refusal(applied_on: date, case_filed_on: date, cutoff: date | None) -> str | None:
    """Why an application to participate is out of time, or None. It must come after enforcement began
    and before the enforcement of the property ended (SPC-CPL-Interp 507 (2022) / 509)."""
    if applied_on < case_filed_on:
        return f"申请参与分配应在执行程序开始后提出（本案立案日{case_filed_on:%Y-%m-%d}）"
    if cutoff is not None and applied_on > cutoff:
        return f"申请参与分配应在被执行财产执行终结前提出（截止日{cutoff:%Y-%m-%d}）"
    return None


# rule
def basis_refusal(kind: str, basis: str, case_party: bool) -> str | None:
    """Why a claim may not join, or None: an ordinary creditor must hold an enforcement basis (执行依据);
    a creditor with a priority right or a security interest over the seized property may apply directly,
    without one (民诉解释 Art 506 (2022) / 508). The case's own applicant holds the case's basis."""
    if case_party or kind in (PRIORITY, SECURED) or (basis or "").strip():
        return None
    return "普通债权人申请参与分配须已取得执行依据，请填写执行依据文书号（民诉法解释第506条）"


def seizure_refusal(this_court: str, first_court: str | None) -> str | None:
    """Why this court may not distribute, or None: distribution is conducted by the court that first
    seized the property (执行工作规定 Art 56)."""
    if not first_court:
        return "请登记首先查封该财产的法院（执行工作规定第五十六条：由首先查封的法院主持分配）"
    if first_court != this_court:
        return f"该财产由{first_court}首先查封，应由该院主持分配（执行工作规定第五十六条）"
    return None
