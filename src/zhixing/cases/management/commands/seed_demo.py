"""``manage.py seed_demo``: a demo province with staff and enforcement cases in every state.

Builds 广东省高级人民法院, two intermediate and four basic courts, three teams per basic court and staff in
every role with predictable logins (``th_judge1``, ``th_clerk``, ``gz_director``, ``gd_president``, ``admin``;
password ``zhixing2026``), then files cases spread over 2024-01 to today: registered, in progress,
suspended, extended, dormant (终本), closed in each of the six closing modes, resumed 执恢 cases linked to
their origin, overdue nodes, non-litigation cases, persons (valid resident ID numbers, former names, a few
minors) and organisations (valid unified social credit codes).

Two paths share one *plan* per case (what happens to it and when):

* below ``BULK_THRESHOLD`` cases every step runs through the real services (``file_case``,
  ``assign_case``, ``complete_node``, ``suspend_case``, ``request_extension``, ``close_case``,
  ``resume_case``, ...), each with "today" set to the day the step happens, so every rule and audit
  record is exercised. Only the business date is moved (``timezone.localdate``); audit timestamps stay
  real.
* from ``BULK_THRESHOLD`` cases (the 1 M-case benchmark) rows are written directly in batches of 5,000,
  one transaction and one ``demo.bulk_seed`` audit record per batch. Due dates come from the same pure
  ``rules.compute_deadline`` on ``current_calendar()`` (cached per start date and node type), and
  ``term_due``/``next_due_on``/``calendar_uncertain`` follow ``services.deadlines``. Closed cases keep only
  their term and notice nodes (≈3 node rows per case on average). Rows go in through ``executemany`` on
  SQLite and ``COPY`` on PostgreSQL: ``bulk_create`` is capped at 999 parameters per statement on SQLite
  (28 case rows) and loads ~10,000 cases/s, too slow for 1 M cases in 10 minutes.

For the same ``--seed`` on the same day both paths store the same rows (apart from ids, audit records
and the node rows the bulk path leaves out): keep them in step when a service changes what it writes
(``--bulk`` forces the bulk path at any size, for that comparison).
"""

from __future__ import annotations

import bisect
import json
import operator
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import base_user
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from faker import Faker
from faker.providers.company.zh_CN import Provider as CompanyProvider
from faker.providers.person.zh_CN import Provider as PersonProvider
from tqdm import tqdm

from zhixing.cases.closing import add_months
from zhixing.cases.models import (
    CaseNumberCounter,
    CaseStatus,
    CaseType,
    ClosingMode,
    EnforcementCase,
    Extension,
    InstrumentType,
    Node,
    NodeType,
    Party,
    PartyAlias,
    Suspension,
)
from zhixing.cases.rules import Deadline, Pause, Unit, application_fee, compute_deadline
from zhixing.cases.services import (
    FilingData,
    PartyData,
    add_node,
    approve_extension,
    assign_case,
    close_case,
    complete_node,
    file_case,
    reject_extension,
    request_extension,
    resume_case,
    resume_execution,
    suspend_case,
)
from zhixing.cases.services.filing import format_case_number
from zhixing.core import audit
from zhixing.core.holidays import current_calendar
from zhixing.core.identity import check_resident_id, is_minor
from zhixing.core.workdays import WorkCalendar
from zhixing.courts.models import Court, CourtLevel, Staff, Team
from zhixing.courts.roles import Role
from zhixing.courts.services import create_court, create_staff, create_team

DEMO_PASSWORD = "zhixing2026"
BULK_THRESHOLD = 20_000
BATCH = 5_000
FIRST_FILING_DAY = date(2024, 1, 1)
RESUMED_SHARE = 0.03  # expected share of 执恢 cases in the total

# code, name, level, parent code, login prefix
COURTS: tuple[tuple[str, str, str, str | None, str], ...] = (
    ("粤", "广东省高级人民法院", CourtLevel.HIGH, None, "gd"),
    ("粤01", "广州市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "gz"),
    ("粤03", "深圳市中级人民法院", CourtLevel.INTERMEDIATE, "粤", "sz"),
    ("粤0106", "广州市天河区人民法院", CourtLevel.BASIC, "粤01", "th"),
    ("粤0104", "广州市越秀区人民法院", CourtLevel.BASIC, "粤01", "yx"),
    ("粤0304", "深圳市福田区人民法院", CourtLevel.BASIC, "粤03", "ft"),
    ("粤0305", "深圳市南山区人民法院", CourtLevel.BASIC, "粤03", "ns"),
)


@dataclass(frozen=True)
class Locale:
    """Where a basic court sits: its share of cases and the area codes of the people around it."""

    city: str  # 广州市
    short: str  # 穗 (used in arbitral and administrative document numbers)
    district: str  # 天河区
    area: str  # 440106
    neighbours: tuple[str, ...]  # other area codes of the same city
    weight: float


LOCALES: dict[str, Locale] = {
    "粤0106": Locale(
        "广州市", "穗", "天河区", "440106", ("440103", "440105", "440111", "440112", "440113"), 0.31
    ),
    "粤0104": Locale(
        "广州市", "穗", "越秀区", "440104", ("440103", "440105", "440111", "440114", "440118"), 0.21
    ),
    "粤0304": Locale(
        "深圳市", "深", "福田区", "440304", ("440303", "440306", "440307", "440309", "440310"), 0.27
    ),
    "粤0305": Locale(
        "深圳市", "深", "南山区", "440305", ("440303", "440306", "440307", "440309", "440311"), 0.21
    ),
}
OTHER_AREAS = ("440604", "440605", "440106", "441302", "440402", "445102", "440703", "441202")

TEAMS = (
    ("简案快执团队", Team.Kind.FAST),
    ("繁案精办团队", Team.Kind.COMPLEX),
    ("终本案件管理团队", Team.Kind.DORMANT),
)
TEAM_OF_JUDGE = (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.FAST, Team.Kind.DORMANT, Team.Kind.COMPLEX)

# instrument code, weight
INSTRUMENTS = (
    ("civil_judgment", 0.45),
    ("mediation", 0.18),
    ("civil_ruling", 0.05),
    ("payment_order", 0.04),
    ("criminal_property", 0.03),
    ("arbitral_award", 0.08),
    ("notarised_debt", 0.07),
    ("administrative_decision", 0.10),
)
# closing mode, weight, duration sampler (days from filing)
CLOSINGS: tuple[tuple[str, float, Callable[[random.Random], int]], ...] = (
    (
        ClosingMode.PERFORMED,
        0.45,
        lambda r: r.choices((r.randint(10, 120), r.randint(121, 180), r.randint(181, 400)), (6, 3, 1))[0],
    ),
    (ClosingMode.DORMANT, 0.33, lambda r: r.randint(95, 420)),
    (ClosingMode.TERMINATED, 0.08, lambda r: r.randint(30, 300)),
    (ClosingMode.WITHDRAWN, 0.05, lambda r: r.randint(3, 60)),
    (ClosingMode.REFUSED, 0.04, lambda r: r.randint(10, 90)),
    (ClosingMode.DISMISSED, 0.05, lambda r: r.randint(5, 45)),
)
NEVER_CLOSES = 0.04  # long-running cases, mostly overdue by now
SUSPENSION_SHARE = 0.09
LEAD_SHARE = 0.10
EXTENSION_SHARE = 0.35  # of the cases still open a little before their term ends
RESUME_SHARE = 0.3  # of dormant cases (sampled down to RESUMED_SHARE of the total)

INDUSTRIES = (
    "科技",
    "贸易",
    "建筑工程",
    "房地产开发",
    "物流",
    "餐饮管理",
    "电子",
    "投资",
    "装饰工程",
    "商贸",
    "服饰",
    "供应链管理",
    "文化传播",
    "医疗器械",
    "汽车销售",
    "劳务派遣",
    "实业",
    "网络科技",
    "食品",
)
COMPANY_SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
BANKS = (
    "中国工商银行股份有限公司",
    "中国建设银行股份有限公司",
    "中国银行股份有限公司",
    "招商银行股份有限公司",
    "平安银行股份有限公司",
    "中国农业银行股份有限公司",
    "交通银行股份有限公司",
)
SUSPENSION_GROUNDS = ("applicant_agrees", "objection", "heir_pending", "successor_pending", "other")
TERMINATION_GROUNDS = (
    "applicant_withdraws",
    "basis_revoked",
    "debtor_died_no_estate",
    "debtor_bankrupt",
    "other",
)
REFUSAL_REASONS = (
    "裁决的事项不属于仲裁协议的范围",
    "仲裁庭的组成或者仲裁的程序违反法定程序",
    "公证债权文书的内容与事实不符",
    "执行该文书违背社会公共利益",
)
DISMISSAL_REASONS = (
    "申请执行超过法定期间且无中止、中断事由",
    "申请执行人不是执行依据确定的权利人",
    "执行依据的给付内容不明确",
)
LEAD_NOTE = "申请执行人提供财产线索"
INVESTIGATION_SUMMARY = "经网络查控及传统调查，未发现被执行人有可供执行的财产，已限制高消费"


class FastRandom(random.Random):
    """`random.Random` with cheaper `randint`/`randrange`/`choice` (called tens of millions of times at 1 M
    cases); the tiny bias of scaling `random()` does not matter for demo data."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]


# -- identity numbers -------------------------------------------------------------------------------

_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def resident_id(area: str, birth: date, sequence: int) -> str:
    """An 18-digit resident ID number with its ISO 7064 MOD 11-2 check character (GB 11643-1999)."""
    body = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
    total = sum(map(operator.mul, map(int, body), _RIC_WEIGHTS))
    return body + "10X98765432"[total % 11]


_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^i mod 31


def credit_code(authority: str, area: str, entity: str) -> str:
    """A unified social credit code (GB 32100-2015) with its check character (rules.md §12.2)."""
    body = f"{authority}{area}{entity}"
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return body + _USCC_ALPHABET[(31 - total % 31) % 31]


# -- parties ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartySpec:
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    address: str = ""
    phone: str = ""
    legal_representative: str = ""
    former_names: tuple[str, ...] = ()
    birth_date: date | None = None
    sex: str = ""
    id_warnings: str = ""


class People:
    """Names, addresses and identity numbers: Faker zh_CN word lists drawn with one seeded RNG."""

    def __init__(self, rng: random.Random, fake: Faker, today: date) -> None:
        self.rng = rng
        self.today = today
        self.surnames = list(PersonProvider.last_names.keys())
        weights = list(PersonProvider.last_names.values())
        self.surname_cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.given = list(PersonProvider.first_names)
        self.streets = sorted({fake.street_name() for _ in range(3000)})
        self.prefixes = list(CompanyProvider.company_prefixes)
        self.issued: set[str] = set()
        self.recent_debtors: list[PartySpec] = []
        self._warnings: dict[tuple[str, int], str] = {}
        self._banks: dict[str, PartySpec] = {}

    def name(self, surname: str | None = None) -> str:
        r = self.rng
        if surname is None:
            surname = self.surnames[bisect.bisect(self.surname_cum, r.random() * self.surname_cum[-1])]
        given = r.choice(self.given)
        if r.random() < 0.65:
            given += r.choice(self.given)
        return surname + given

    def address(self, locale: Locale) -> str:
        r = self.rng
        return f"广东省{locale.city}{locale.district}{r.choice(self.streets)}{r.randint(1, 999)}号"

    def phone(self) -> str:
        r = self.rng
        return f"1{r.choice('35789')}{r.randrange(10**9):09d}"

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self.issued:
                self.issued.add(value)
                return value

    def person(self, locale: Locale, on: date, minor: bool = False) -> PartySpec:
        r = self.rng
        roll = r.random()
        area = (
            locale.area
            if roll < 0.45
            else r.choice(locale.neighbours)
            if roll < 0.85
            else r.choice(OTHER_AREAS)
        )
        if minor:
            birth = on - timedelta(days=r.randint(8 * 365, 17 * 365))
        else:
            birth = date(r.randint(1952, 2004), r.randint(1, 12), r.randint(1, 28))
        number = self._unique(lambda: resident_id(area, birth, r.randrange(1000)))
        key = (area, birth.year)
        if key not in self._warnings:
            self._warnings[key] = "；".join(check_resident_id(number, self.today).warnings)[:200]
        name = self.name()
        former: tuple[str, ...] = ()
        if r.random() < 0.05:
            former = tuple(self.name(name[0]) for _ in range(r.choice((1, 1, 2))))
        return PartySpec(
            kind=Party.Kind.PERSON,
            name=name,
            id_number=number,
            address=self.address(locale),
            phone=self.phone(),
            former_names=former,
            birth_date=birth,
            sex="M" if int(number[16]) % 2 else "F",
            id_warnings=self._warnings[key],
        )

    def organisation(self, locale: Locale) -> PartySpec:
        r = self.rng
        name = f"{locale.city[:2]}{r.choice(self.prefixes)}{r.choice(INDUSTRIES)}{r.choice(COMPANY_SUFFIXES)}"
        area = locale.area if r.random() < 0.6 else r.choice(locale.neighbours)
        code = self._unique(lambda: credit_code("91", area, "".join(r.choices(_USCC_ALPHABET, k=9))))
        return PartySpec(
            kind=Party.Kind.ORGANISATION,
            name=name,
            credit_code=code,
            address=self.address(locale),
            phone=self.phone(),
            legal_representative=self.name(),
        )

    def bank(self, locale: Locale) -> PartySpec:
        r = self.rng
        name = f"{r.choice(BANKS)}{locale.city[:2]}{r.choice(('分行', locale.district[:2] + '支行'))}"
        if name not in self._banks:
            code = self._unique(
                lambda: credit_code("91", locale.area, "".join(r.choices(_USCC_ALPHABET, k=9)))
            )
            self._banks[name] = PartySpec(
                kind=Party.Kind.ORGANISATION,
                name=name,
                credit_code=code,
                address=self.address(locale),
                phone=f"020-{r.randint(30000000, 89999999)}",
                legal_representative=self.name(),
            )
        return self._banks[name]

    def debtor(self, locale: Locale, on: date) -> PartySpec:
        r = self.rng
        if self.recent_debtors and r.random() < 0.08:
            return r.choice(self.recent_debtors)  # a debtor with several cases
        spec = (
            self.person(locale, on, minor=r.random() < 0.01)
            if r.random() < 0.65
            else self.organisation(locale)
        )
        if len(self.recent_debtors) < 5000:
            self.recent_debtors.append(spec)
        else:
            self.recent_debtors[r.randrange(5000)] = spec
        return spec

    def applicant(self, locale: Locale, on: date) -> PartySpec:
        roll = self.rng.random()
        if roll < 0.25:
            return self.bank(locale)
        return self.organisation(locale) if roll < 0.6 else self.person(locale, on)


# -- the province -----------------------------------------------------------------------------------


@dataclass
class CourtCast:
    """One basic court with the people who work its cases."""

    court: Court
    locale: Locale
    filers: list[Staff] = field(default_factory=list)  # clerks and assistants
    judges: dict[str, list[Staff]] = field(default_factory=lambda: defaultdict(list))  # by team kind
    director: Staff | None = None
    president: Staff | None = None

    def all_judges(self) -> list[Staff]:
        return [
            j for kind in (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.DORMANT) for j in self.judges[kind]
        ]


@dataclass
class Province:
    courts: list[Court]
    basic: list[CourtCast]
    logins: list[tuple[str, str, str]]  # username, role label, court name


@contextmanager
def _one_hash_per_password() -> Iterator[None]:
    """Hash the shared demo password once: Argon2 takes ~0.2 s a call here, and there are 100-200 staff."""
    cache: dict[str, str] = {}
    real = base_user.make_password

    def cached(raw: str | None, *args: Any, **kwargs: Any) -> str:
        if raw is None or args or kwargs:
            return real(raw, *args, **kwargs)
        if raw not in cache:
            cache[raw] = real(raw)
        return cache[raw]

    base_user.make_password = cached  # type: ignore[assignment]
    try:
        yield
    finally:
        base_user.make_password = real  # type: ignore[assignment]


def build_province(fake: Faker, judges_per_court: int) -> Province:
    """Courts, teams and staff, all through the audited court services."""
    logins: list[tuple[str, str, str]] = []
    by_code: dict[str, Court] = {}
    basic: list[CourtCast] = []

    def staff(court: Court | None, username: str, role: str, team: Team | None = None) -> Staff:
        person = create_staff(
            None,
            username=username,
            full_name=fake.name(),
            password=DEMO_PASSWORD,
            court=court,
            role=role,
            team=team,
        )
        logins.append((username, Role(role).label, court.name if court else "—"))
        return person

    with _one_hash_per_password():
        for code, name, level, parent, prefix in COURTS:
            court = create_court(
                None, code=code, name=name, level=level, parent=by_code[parent] if parent else None
            )
            by_code[code] = court
            if level != CourtLevel.BASIC:
                for role in (Role.DIRECTOR, Role.PRESIDENT, Role.OPERATOR):
                    staff(court, f"{prefix}_{role}", role)
                continue
            cast = CourtCast(court=court, locale=LOCALES[code])
            teams = {
                kind: create_team(None, court=court, name=team_name, kind=kind) for team_name, kind in TEAMS
            }
            cast.president = staff(court, f"{prefix}_president", Role.PRESIDENT)
            cast.director = staff(court, f"{prefix}_director", Role.DIRECTOR)
            for i in range(1, judges_per_court + 1):
                kind = TEAM_OF_JUDGE[(i - 1) % len(TEAM_OF_JUDGE)]
                cast.judges[kind].append(staff(court, f"{prefix}_judge{i}", Role.JUDGE, teams[kind]))
            team_cycle = [teams[k] for k in (Team.Kind.FAST, Team.Kind.COMPLEX, Team.Kind.DORMANT)]
            for i in range(1, 4):
                cast.filers.append(staff(court, f"{prefix}_assistant{i}", Role.ASSISTANT, team_cycle[i - 1]))
            for i in range(1, 3):
                name_ = f"{prefix}_clerk" if i == 1 else f"{prefix}_clerk{i}"
                cast.filers.append(staff(court, name_, Role.CLERK, team_cycle[i - 1]))
            for i in range(1, 3):
                staff(court, f"{prefix}_bailiff{i}", Role.BAILIFF, team_cycle[i - 1])
            staff(court, f"{prefix}_operator", Role.OPERATOR)
            staff(court, f"{prefix}_finance", Role.FINANCE)
            basic.append(cast)
        admin = create_staff(
            None,
            username="admin",
            full_name="系统管理员",
            password=DEMO_PASSWORD,
            court=None,
            role=Role.OPERATOR,
            is_superuser=True,
        )
        logins.insert(0, (admin.username, "系统管理员（超级用户）", "—"))
    return Province(courts=list(by_code.values()), basic=basic, logins=logins)


# -- plans ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeKind:
    """What the seeder needs of a NodeType row."""

    pk: int
    code: str
    budget: int
    budget_non_litigation: int | None
    unit: str
    anchor: str
    roll: bool
    pausable: bool
    extendable: bool
    auto_create: bool
    completion: str

    def budget_for(self, non_litigation: bool) -> int:
        if non_litigation and self.budget_non_litigation:
            return self.budget_non_litigation
        return self.budget


@dataclass
class SuspensionPlan:
    start: date
    end: date | None  # None: still suspended today
    ground: str
    resumed: bool  # ended by a resumption order (False: ended by closing the case while suspended)


@dataclass
class CasePlan:
    """Everything that happens to one case, decided up front."""

    cast: CourtCast
    filed_on: date
    applied_on: date
    effective_on: date
    performance_deadline: date
    instrument: str
    issuing_body: str
    basis_number: str
    principal: Decimal
    interest: Decimal
    costs: Decimal
    parties: list[tuple[str, PartySpec]]  # (role, party)
    filer: Staff
    handler: Staff | None = None
    assigned_on: date | None = None
    completions: dict[str, date] = field(default_factory=dict)  # manual node code -> completed on
    lead: tuple[date, date | None] | None = None  # verify_lead started, completed
    suspension: SuspensionPlan | None = None
    extension: tuple[date, str, date | None] | None = None  # requested on, final status, decided on
    closing: tuple[str, date] | None = None  # mode, closed on
    origin: CasePlan | None = None
    resume_on: date | None = None
    choice: int = 0  # a random number for per-case text choices
    # filled in when written
    pk: int | None = None
    number: str = ""

    @property
    def non_litigation(self) -> bool:
        return self.instrument == "administrative_decision"

    @property
    def claim(self) -> Decimal:
        return self.principal + self.interest + self.costs

    def closing_details(self) -> dict[str, str]:
        """The closing mode's required fields (closing.CLOSING_FIELDS)."""
        assert self.closing is not None
        mode, closed_on = self.closing
        c = self.choice
        if mode == ClosingMode.PERFORMED:
            return {
                "document_ref": f"{self.number}结案通知书",
                "performed_amount": str(self.claim),
                "how": ("voluntary", "compulsory", "compulsory", "settlement")[c % 4],
            }
        if mode == ClosingMode.DORMANT:
            return {
                "document_ref": f"{self.number}之二",
                "interview_on": (closed_on - timedelta(days=3 + c % 20)).isoformat(),
                "approval": ("applicant_confirmed", "collegial_panel")[c % 2],
                "investigation_summary": INVESTIGATION_SUMMARY,
            }
        if mode == ClosingMode.TERMINATED:
            return {
                "document_ref": f"{self.number}之二",
                "ground": TERMINATION_GROUNDS[c % len(TERMINATION_GROUNDS)],
            }
        if mode == ClosingMode.WITHDRAWN:
            return {
                "document_ref": f"{self.number}销案",
                "ground": ("entrusted", "jurisdiction", "other")[c % 3],
            }
        if mode == ClosingMode.REFUSED:
            return {"document_ref": f"{self.number}之一", "reason": REFUSAL_REASONS[c % len(REFUSAL_REASONS)]}
        return {"document_ref": f"{self.number}之一", "reason": DISMISSAL_REASONS[c % len(DISMISSAL_REASONS)]}


NODE_DOCUMENTS = {
    "network_inquiry": "网络查控记录",
    "notice": "执行通知书、报告财产令",
    "investigation": "财产调查报告",
    "verify_lead": "财产线索核查记录",
}


class Deadlines:
    """`compute_deadline` with a cache for the common case (no suspension): few distinct start dates."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self._cache: dict[tuple[date, int, bool, int], Deadline] = {}

    def due(
        self, nt: NodeKind, start: date, non_litigation: bool, extra: int = 0, pauses: Sequence[Pause] = ()
    ) -> Deadline:
        extra = extra if nt.extendable else 0
        if pauses and nt.pausable:
            return compute_deadline(
                start,
                nt.budget_for(non_litigation),
                Unit(nt.unit),
                self.cal,
                pauses=pauses,
                extra_months=extra,
                roll_to_workday=nt.roll,
            )
        key = (start, nt.pk, non_litigation, extra)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = compute_deadline(
                start,
                nt.budget_for(non_litigation),
                Unit(nt.unit),
                self.cal,
                extra_months=extra,
                roll_to_workday=nt.roll,
            )
        return hit


class Planner:
    """Decides each case's story: who files and handles it, which nodes are done when, how it ends."""

    def __init__(
        self,
        rng: random.Random,
        people: People,
        province: Province,
        today: date,
        deadlines: Deadlines,
        node_kinds: dict[str, NodeKind],
    ) -> None:
        self.r = rng
        self.people = people
        self.province = province
        self.today = today
        self.deadlines = deadlines
        self.term = next(nk for nk in node_kinds.values() if nk.completion == NodeType.Completion.ON_CLOSING)
        self.cal = deadlines.cal
        self._next_workday: dict[date, date] = {}
        self.workdays = [d for d in _days(FIRST_FILING_DAY, today) if self.cal.is_workday(d)]
        self.instruments = [code for code, _ in INSTRUMENTS]
        self.instrument_cum = _cumulative([w for _, w in INSTRUMENTS])
        self.closing_cum = _cumulative([w for _, w, _ in CLOSINGS])
        self.court_cum = _cumulative([c.locale.weight for c in province.basic])

    def wd(self, d: date) -> date:
        """`d`, or the next working day."""
        hit = self._next_workday.get(d)
        if hit is None:
            hit = self._next_workday[d] = self.cal.next_workday(d)
        return hit

    def prev_wd(self, d: date) -> date:
        while not self.cal.is_workday(d):
            d -= timedelta(days=1)
        return d

    def filing_days(self, n: int) -> list[date]:
        """`n` filing days (working days), a little more recent filings than old ones, ascending."""
        count = len(self.workdays)
        cum = _cumulative([1.0 + 0.4 * i / count for i in range(count)])
        return sorted(self.r.choices(self.workdays, cum_weights=cum, k=n))

    def court(self) -> CourtCast:
        return self.province.basic[bisect.bisect(self.court_cum, self.r.random() * self.court_cum[-1])]

    def plan(self, cast: CourtCast, filed_on: date, origin: CasePlan | None = None) -> CasePlan:
        r, people, loc = self.r, self.people, cast.locale
        if origin is None:
            instrument = self.instruments[
                bisect.bisect(self.instrument_cum, r.random() * self.instrument_cum[-1])
            ]
            applied = filed_on - timedelta(days=r.randint(0, 5))
            deadline = applied - timedelta(days=r.randint(1, 360))
            effective = deadline - timedelta(days=r.choice((10, 15, 15, 30)))
            issuing, basis = self._basis(cast, instrument, effective)
            principal = Decimal(min(max(r.lognormvariate(11.0, 1.3), 500), 50_000_000)).quantize(
                Decimal("0.01")
            )
            interest = (
                (principal * Decimal(r.randint(1, 15)) / 100).quantize(Decimal("0.01"))
                if r.random() < 0.3
                else Decimal("0.00")
            )
            costs = (principal / 100 + 50).quantize(Decimal("0.01")) if r.random() < 0.7 else Decimal("0.00")
            debtors = [people.debtor(loc, filed_on) for _ in range(r.choices((1, 2, 3), (15, 4, 1))[0])]
            parties = [(Party.Role.APPLICANT, people.applicant(loc, filed_on))]
            seen = {parties[0][1].id_number or parties[0][1].credit_code}
            for d in debtors:
                key = d.id_number or d.credit_code
                if key not in seen:
                    seen.add(key)
                    parties.append((Party.Role.DEBTOR, d))
            plan = CasePlan(
                cast=cast,
                filed_on=filed_on,
                applied_on=applied,
                effective_on=effective,
                performance_deadline=deadline,
                instrument=instrument,
                issuing_body=issuing,
                basis_number=basis,
                principal=principal,
                interest=interest,
                costs=costs,
                parties=parties,
                filer=r.choice(cast.filers),
            )
        else:
            plan = CasePlan(
                cast=cast,
                filed_on=filed_on,
                applied_on=max(origin.effective_on, filed_on - timedelta(days=r.randint(0, 3))),
                effective_on=origin.effective_on,
                performance_deadline=origin.performance_deadline,
                instrument=origin.instrument,
                issuing_body=origin.issuing_body,
                basis_number=origin.basis_number,
                principal=origin.principal,
                interest=origin.interest,
                costs=origin.costs,
                parties=origin.parties,
                filer=origin.filer,
                origin=origin,
            )
            plan.handler = origin.handler
        plan.choice = r.randrange(1 << 30)
        self._story(plan)
        return plan

    def _basis(self, cast: CourtCast, instrument: str, effective: date) -> tuple[str, str]:
        r, loc, y, n = self.r, cast.locale, effective.year, self.r.randint(1, 60000)
        code = cast.court.code
        if instrument in (
            "civil_judgment",
            "mediation",
            "civil_ruling",
            "payment_order",
            "criminal_property",
        ):
            if instrument == "civil_judgment" and r.random() < 0.15:
                parent = cast.court.parent
                assert parent is not None
                return parent.name, f"（{y}）{parent.code}民终{n}号"
            kind = {
                "civil_judgment": "民初",
                "mediation": "民初",
                "civil_ruling": "民特",
                "payment_order": "民督",
                "criminal_property": "刑初",
            }[instrument]
            return cast.court.name, f"（{y}）{code}{kind}{n}号"
        if instrument == "arbitral_award":
            if loc.short == "穗":
                return "广州仲裁委员会", f"（{y}）穗仲案字第{n}号"
            return "深圳国际仲裁院", f"（{y}）深国仲裁{n}号"
        if instrument == "notarised_debt":
            if loc.short == "穗":
                return "广东省广州市南方公证处", f"（{y}）粤广南方第{n}号"
            return "广东省深圳市深圳公证处", f"（{y}）深证字第{n}号"
        body = r.choice(("市场监督管理局", "人力资源和社会保障局", "城市管理和综合执法局"))
        return f"{loc.city}{loc.district}{body}", f"{loc.short}{loc.district[0]}{body[:2]}罚〔{y}〕{n}号"

    def _story(self, p: CasePlan) -> None:
        r, today, F = self.r, self.today, p.filed_on
        # How it ends (if it has ended by today).
        if r.random() >= NEVER_CLOSES:
            i = bisect.bisect(self.closing_cum, r.random() * self.closing_cum[-1])
            mode, _, duration = CLOSINGS[i]
            if mode == ClosingMode.REFUSED and p.instrument not in ("arbitral_award", "notarised_debt"):
                mode = ClosingMode.DISMISSED
            closed_on = self.wd(F + timedelta(days=duration(r)))
            if mode == ClosingMode.DORMANT:
                closed_on = max(closed_on, self.wd(add_months(F, 3) + timedelta(days=1)))
            if closed_on <= today:
                p.closing = (mode, closed_on)
        closed_on = p.closing[1] if p.closing else None
        cutoff = closed_on or today

        # Assignment (分案): usually within the 7-day limit, sometimes late; always before closing.
        assigned = self.wd(F + timedelta(days=r.randint(0, 5) if r.random() < 0.9 else r.randint(6, 14)))
        if assigned > cutoff:
            assigned = closed_on  # type: ignore[assignment]
        if assigned is None:
            return  # still registered, waiting for a handler
        p.assigned_on = assigned
        if p.handler is None:
            cast = p.cast
            if r.random() < 0.12:
                p.handler = r.choice(cast.judges[Team.Kind.DORMANT])
            elif p.claim < 100_000:
                p.handler = r.choice(cast.judges[Team.Kind.FAST])
            else:
                p.handler = r.choice(cast.judges[Team.Kind.COMPLEX])

        # Suspension (中止执行).
        susp = None
        if r.random() < SUSPENSION_SHARE:
            start = self.wd(max(assigned, F + timedelta(days=r.randint(20, 150))))
            if (closed_on is None and start <= today) or (closed_on is not None and start < closed_on):
                end: date | None = self.wd(start + timedelta(days=r.randint(15, 200)))
                resumed = True
                if closed_on is not None and end >= closed_on:  # type: ignore[operator]
                    end = closed_on
                    # 执行完毕 cannot close a suspended case: it is resumed that day first.
                    resumed = p.closing[0] == ClosingMode.PERFORMED  # type: ignore[index]
                elif closed_on is None and end > today:  # type: ignore[operator]
                    end = None
                susp = p.suspension = SuspensionPlan(start, end, r.choice(SUSPENSION_GROUNDS), resumed)

        def place(d: date) -> date | None:
            """A completion day, moved out of the suspension (no node work while suspended)."""
            if d > cutoff:
                return None
            if susp is not None and d >= susp.start and (susp.end is None or d < susp.end):
                if susp.end is None or not susp.resumed:
                    return None
                d = susp.end
            return d

        late = r.random
        planned = {
            "network_inquiry": self.wd(
                assigned + timedelta(days=r.randint(0, 2) if late() < 0.85 else r.randint(4, 10))
            ),
            "notice": self.wd(
                max(assigned, F + timedelta(days=r.randint(1, 8) if late() < 0.85 else r.randint(11, 30)))
            ),
            "investigation": self.wd(
                F + timedelta(days=r.randint(14, 30) if late() < 0.75 else r.randint(32, 90))
            ),
        }
        for code, day in planned.items():
            done = place(day)
            if done is not None:
                p.completions[code] = done
        if p.closing and p.closing[0] == ClosingMode.DORMANT and "notice" not in p.completions:
            p.completions["notice"] = assigned  # 终本 needs the notice sent (终本规定 Art 1)

        if r.random() < LEAD_SHARE:
            started = self.wd(F + timedelta(days=r.randint(20, 150)))
            if started <= cutoff:
                done = place(
                    self.wd(started + timedelta(days=r.randint(1, 6) if late() < 0.8 else r.randint(8, 20)))
                )
                p.lead = (started, done)

        # Extension of the term (审限规定 Art 5): asked 5–20 days before the term ends,
        # decided by the president.
        if susp is None and r.random() < EXTENSION_SHARE:
            term = self.deadlines.due(self.term, F, p.non_litigation).due
            assert term is not None
            asked = self.prev_wd(term - timedelta(days=r.randint(5, 20)))
            if assigned <= asked <= today and (closed_on is None or asked < closed_on):
                decided: date | None = self.wd(asked + timedelta(days=r.randint(1, 5)))
                status = Extension.Status.APPROVED if r.random() < 0.85 else Extension.Status.REJECTED
                if decided > today or (closed_on is not None and decided > closed_on):  # type: ignore[operator]
                    status, decided = Extension.Status.REQUESTED, None
                p.extension = (asked, status, decided)

        # Resumption (恢复执行): new property found after 终本.
        if (
            p.origin is None
            and p.closing
            and p.closing[0] == ClosingMode.DORMANT
            and r.random() < RESUME_SHARE
        ):
            resume_on = self.wd(p.closing[1] + timedelta(days=r.randint(30, 400)))
            if resume_on <= today:
                p.resume_on = resume_on


def _days(first: date, last: date) -> Iterator[date]:
    d = first
    while d <= last:
        yield d
        d += timedelta(days=1)


def _cumulative(weights: Sequence[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


# -- path 1: the real services ----------------------------------------------------------------------


@contextmanager
def business_day(day: date) -> Iterator[None]:
    """Make `timezone.localdate()` answer `day` (the services check dates against it); now() stays real."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return day if value is None else real(value, timezone)

    timezone.localdate = localdate  # type: ignore[assignment]
    try:
        yield
    finally:
        timezone.localdate = real  # type: ignore[assignment]


def run_with_services(plan: CasePlan) -> EnforcementCase:
    """Play a plan through the real services, each step on its own business day."""
    cast = plan.cast
    with business_day(plan.filed_on):
        if plan.origin is not None:
            origin = EnforcementCase.objects.get(pk=plan.origin.pk)
            case = resume_case(
                plan.handler, origin, applied_on=plan.applied_on, reason="申请执行人提供了新的财产线索"
            )
        else:
            case = file_case(
                plan.filer,
                cast.court,
                FilingData(
                    case_type="执",
                    applied_on=plan.applied_on,
                    filed_on=plan.filed_on,
                    instrument_type=plan.instrument,
                    issuing_body=plan.issuing_body,
                    basis_number=plan.basis_number,
                    effective_on=plan.effective_on,
                    performance_deadline=plan.performance_deadline,
                    principal=str(plan.principal),
                    adjudged_interest=str(plan.interest),
                    litigation_costs=str(plan.costs),
                    parties=[
                        PartyData(
                            role=role,
                            kind=s.kind,
                            name=s.name,
                            id_number=s.id_number,
                            credit_code=s.credit_code,
                            address=s.address,
                            phone=s.phone,
                            legal_representative=s.legal_representative,
                            former_names=list(s.former_names),
                        )
                        for role, s in plan.parties
                    ],
                ),
            )
    plan.pk, plan.number = case.pk, case.number
    handler, director, president = plan.handler, cast.director, cast.president
    nodes = {n.node_type.code: n for n in case.nodes.select_related("node_type")}
    events: list[tuple[date, int, Callable[[], object]]] = []
    if plan.assigned_on is not None:
        a = plan.assigned_on
        events.append((a, 0, lambda: assign_case(director, case, handler, on=a)))  # type: ignore[arg-type]
    for code, day in plan.completions.items():
        events.append(
            (
                day,
                3,
                lambda c=code, d=day: complete_node(
                    handler,
                    nodes[c],
                    document_ref=f"{plan.number}{NODE_DOCUMENTS.get(c, '')}",
                    completed_on=d,
                ),
            )
        )
    if plan.lead is not None:
        started, done = plan.lead
        lead_type = NodeType.objects.get(code="verify_lead")

        def add_lead() -> None:
            nodes["verify_lead"] = add_node(handler, case, lead_type, started_on=started, note=LEAD_NOTE)

        events.append((started, 2, add_lead))
        if done is not None:
            events.append(
                (
                    done,
                    3,
                    lambda: complete_node(
                        handler,
                        nodes["verify_lead"],
                        completed_on=done,
                        document_ref=f"{plan.number}{NODE_DOCUMENTS['verify_lead']}",
                    ),
                )
            )
    susp = plan.suspension
    if susp is not None:
        events.append(
            (
                susp.start,
                4,
                lambda: suspend_case(
                    handler, case, ground=susp.ground, start=susp.start, document_ref=f"{plan.number}之一"
                ),
            )
        )
        if susp.end is not None and susp.resumed:
            end = susp.end
            events.append(
                (
                    end,
                    1,
                    lambda: resume_execution(
                        handler, case, on=end, document_ref=f"{plan.number}恢复执行通知书"
                    ),
                )
            )
    if plan.extension is not None:
        asked, status, decided = plan.extension
        holder: list[Extension] = []
        events.append(
            (
                asked,
                5,
                lambda: holder.append(
                    request_extension(handler, case, reason="案件涉及财产处置，需延长执行期限")
                ),
            )
        )
        if decided is not None:
            decide = approve_extension if status == Extension.Status.APPROVED else reject_extension
            events.append((decided, 6, lambda: decide(president, holder[0])))
    if plan.closing is not None:
        mode, closed_on = plan.closing
        closer = handler or director
        events.append(
            (
                closed_on,
                9,
                lambda: close_case(
                    closer, case, mode=mode, closed_on=closed_on, details=plan.closing_details()
                ),
            )
        )
    for day, _, action in sorted(events, key=lambda e: (e[0], e[1])):
        with business_day(day):
            action()
    return case


# -- path 2: bulk rows ------------------------------------------------------------------------------


def _layout(model: type[models.Model], names: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """Columns for `names` (attnames) plus every other concrete field at its default, so a field another
    engineer adds with a default does not break the bulk path."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    unknown = set(names) - fields.keys()
    if unknown:
        raise CommandError(f"{model.__name__} has no field(s) {sorted(unknown)}; update seed_demo")
    extra = [f for attname, f in fields.items() if attname not in names]
    for f in extra:
        if not f.has_default() and not f.null:
            raise CommandError(f"{model.__name__}.{f.name} has no default; the bulk seeder must fill it")
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return [fields[n].column for n in names] + [f.column for f in extra], defaults


class Table:
    """Rows for one model, written with executemany (SQLite) or COPY (PostgreSQL)."""

    def __init__(self, model: type[models.Model], names: Sequence[str]) -> None:
        self.model = model
        self.columns, self.defaults = _layout(model, names)
        self.rows: list[tuple[Any, ...]] = []
        self.next_pk = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def pk(self) -> int:
        self.next_pk += 1
        return self.next_pk - 1

    def add(self, *values: Any) -> None:
        self.rows.append(values + self.defaults)

    def flush(self) -> int:
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        qn = connection.ops.quote_name
        table, cols = qn(self.model._meta.db_table), ", ".join(qn(c) for c in self.columns)
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Table and column names come from the model's metadata, quoted; values are parameters.
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608
        return len(rows)


class BulkWriter:
    """Turns plans into rows consistent with what the services would have stored."""

    def __init__(self, deadlines: Deadlines, node_kinds: dict[str, NodeKind], today: date) -> None:
        self.deadlines = deadlines
        self.today = today
        self.auto_kinds = [nk for nk in node_kinds.values() if nk.auto_create]
        self.lead_kind = node_kinds["verify_lead"]
        self.case_type = {ct.code: ct.pk for ct in CaseType.objects.all()}
        self.instrument = {it.code: it.pk for it in InstrumentType.objects.all()}
        self.counters: dict[tuple[int, int, int], int] = defaultdict(int)
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())
        self.cases = Table(
            EnforcementCase,
            (
                "id",
                "court_id",
                "case_type_id",
                "year",
                "seq",
                "number",
                "status",
                "applied_on",
                "filed_on",
                "handler_id",
                "team_id",
                "assigned_on",
                "instrument_type_id",
                "issuing_body",
                "basis_number",
                "effective_on",
                "performance_deadline",
                "non_litigation",
                "principal",
                "adjudged_interest",
                "litigation_costs",
                "application_fee",
                "paid_amount",
                "term_due",
                "next_due_on",
                "extension_months",
                "calendar_uncertain",
                "closing_mode",
                "closed_on",
                "closing_details",
                "origin_id",
                "created_by_id",
                "created_at",
            ),
        )
        self.parties = Table(
            Party,
            (
                "id",
                "case_id",
                "role",
                "kind",
                "name",
                "id_number",
                "sex",
                "birth_date",
                "address",
                "phone",
                "credit_code",
                "legal_representative",
                "is_minor",
                "id_warnings",
            ),
        )
        self.aliases = Table(PartyAlias, ("id", "party_id", "name"))
        self.nodes = Table(
            Node,
            (
                "id",
                "case_id",
                "node_type_id",
                "court_id",
                "handler_id",
                "started_on",
                "due_on",
                "status",
                "completed_on",
                "completed_by_id",
                "document_ref",
                "note",
                "alerted",
            ),
        )
        self.suspensions = Table(
            Suspension, ("id", "case_id", "ground", "start", "end", "document_ref", "resume_document_ref")
        )
        self.extensions = Table(
            Extension,
            (
                "id",
                "case_id",
                "months",
                "reason",
                "status",
                "requested_by_id",
                "requested_on",
                "decided_by_id",
                "decided_on",
            ),
        )
        self.tables = (self.cases, self.parties, self.aliases, self.nodes, self.suspensions, self.extensions)

    def add(self, p: CasePlan) -> None:
        court = p.cast.court
        type_code = "执恢" if p.origin is not None else "执"
        year = p.filed_on.year
        key = (court.pk, self.case_type[type_code], year)
        self.counters[key] += 1
        seq = self.counters[key]
        p.pk, p.number = self.cases.pk(), format_case_number(year, court.code, type_code, seq)
        handler_id = p.handler.pk if p.assigned_on and p.handler else None
        closing = p.closing
        closed_on = closing[1] if closing else None
        closer_id = handler_id or p.cast.director.pk  # type: ignore[union-attr]
        # resume_case files the 执恢 case as the judge who resumes it.
        creator_id = p.handler.pk if p.origin and p.handler else p.filer.pk
        susp = p.suspension
        ext = p.extension
        extra = 3 if ext and ext[1] == Extension.Status.APPROVED else 0
        # The pauses the last recompute saw: a suspension ended by closing was still open then.
        pauses: tuple[Pause, ...] = ()
        if susp is not None:
            pauses = (Pause(susp.start, susp.end if susp.resumed else None),)

        # Nodes: (kind, started, status, completed on, completed by, document).
        node_specs: list[tuple[NodeKind, date, str, date | None, int | None, str]] = []
        for nk in self.auto_kinds:
            started = p.applied_on if nk.anchor == NodeType.Anchor.APPLIED else p.filed_on
            done_on, by, doc = None, None, ""
            if nk.completion == NodeType.Completion.ON_FILING:
                done_on, by, doc = p.filed_on, creator_id, p.number
            elif nk.completion == NodeType.Completion.ON_ASSIGNMENT:
                if p.assigned_on:
                    done_on, by, doc = p.assigned_on, p.cast.director.pk, "分案"  # type: ignore[union-attr]
            elif nk.completion == NodeType.Completion.ON_CLOSING:
                if closing:
                    done_on, by, doc = closed_on, closer_id, p.closing_details()["document_ref"]
            elif nk.code in p.completions:
                done_on, by, doc = (
                    p.completions[nk.code],
                    handler_id,
                    f"{p.number}{NODE_DOCUMENTS.get(nk.code, '')}",
                )
            status = (
                Node.Status.DONE if done_on else Node.Status.CANCELLED if closing else Node.Status.PENDING
            )
            node_specs.append((nk, started, status, done_on, by, doc))
        if p.lead is not None:
            started, done_on = p.lead
            status = (
                Node.Status.DONE if done_on else Node.Status.CANCELLED if closing else Node.Status.PENDING
            )
            node_specs.append(
                (
                    self.lead_kind,
                    started,
                    status,
                    done_on,
                    handler_id if done_on else None,
                    f"{p.number}{NODE_DOCUMENTS['verify_lead']}" if done_on else "",
                )
            )

        term_due = next_due = None
        uncertain = False
        node_rows = []
        for nk, started, status, done_on, by, doc in node_specs:
            result = self.deadlines.due(nk, started, p.non_litigation, extra, pauses)
            due = result.due
            # Pending at the last recompute: still pending, or cancelled/closed by the closing itself.
            pending_before = status != Node.Status.DONE or nk.completion == NodeType.Completion.ON_CLOSING
            if result.missing_years and pending_before:
                uncertain = True
            if nk.completion == NodeType.Completion.ON_CLOSING:
                term_due = due
            if status == Node.Status.PENDING and due is not None and (next_due is None or due < next_due):
                next_due = due
            # Closed cases keep only their term and notice nodes (and leads) to stay near 3 nodes a case.
            if (
                closing
                and nk.completion != NodeType.Completion.ON_CLOSING
                and nk.code not in ("notice", "verify_lead")
            ):
                continue
            # complete_node replaces the note given when the lead node was added.
            note = LEAD_NOTE if nk is self.lead_kind and status != Node.Status.DONE else ""
            node_rows.append((nk.pk, started, due, status, done_on, by, doc, note))

        if closing:
            status = CaseStatus.DORMANT if closing[0] == ClosingMode.DORMANT else CaseStatus.CLOSED
        elif susp is not None and susp.end is None:
            status = CaseStatus.SUSPENDED
        else:
            status = CaseStatus.IN_PROGRESS if handler_id else CaseStatus.REGISTERED
        details = json.dumps(p.closing_details()) if closing else "{}"
        team_id = p.handler.team_id if handler_id else None  # type: ignore[union-attr]
        self.cases.add(
            p.pk,
            court.pk,
            self.case_type[type_code],
            year,
            seq,
            p.number,
            status,
            p.applied_on,
            p.filed_on,
            handler_id,
            team_id,
            p.assigned_on,
            self.instrument[p.instrument],
            p.issuing_body,
            p.basis_number,
            p.effective_on,
            p.performance_deadline,
            p.non_litigation,
            p.principal,
            p.interest,
            p.costs,
            application_fee(p.claim),
            Decimal("0.00"),
            term_due,
            None if closing else next_due,
            extra,
            uncertain,
            closing[0] if closing else "",
            closed_on,
            details,
            p.origin.pk if p.origin else None,
            creator_id,
            self.now,
        )
        for nt_pk, started, due, status_, done_on, by, doc, note in node_rows:
            self.nodes.add(
                self.nodes.pk(),
                p.pk,
                nt_pk,
                court.pk,
                handler_id,
                started,
                due,
                status_,
                done_on,
                by,
                doc,
                note,
                0,
            )
        for role, s in p.parties:
            party_pk = self.parties.pk()
            minor = s.birth_date is not None and is_minor(s.birth_date, p.filed_on)
            self.parties.add(
                party_pk,
                p.pk,
                role,
                s.kind,
                s.name,
                s.id_number,
                s.sex,
                s.birth_date,
                s.address,
                s.phone,
                s.credit_code,
                s.legal_representative,
                minor,
                s.id_warnings,
            )
            for former in s.former_names:
                self.aliases.add(self.aliases.pk(), party_pk, former)
        if susp is not None:
            self.suspensions.add(
                self.suspensions.pk(),
                p.pk,
                susp.ground,
                susp.start,
                susp.end,
                f"{p.number}之一",
                f"{p.number}恢复执行通知书" if susp.resumed and susp.end else "",
            )
        if ext is not None:
            asked, ext_status, decided = ext
            self.extensions.add(
                self.extensions.pk(),
                p.pk,
                3,
                "案件涉及财产处置，需延长执行期限",
                ext_status,
                handler_id,
                asked,
                p.cast.president.pk if decided else None,  # type: ignore[union-attr]
                decided,
            )

    def flush(self) -> dict[str, int]:
        """Write the batch in one transaction with one audit record; returns row counts."""
        first = self.cases.rows[0][0] if self.cases.rows else None
        last = self.cases.rows[-1][0] if self.cases.rows else None
        with transaction.atomic():
            counts = {t.model.__name__: t.flush() for t in self.tables}
            audit.record(
                None,
                "demo.bulk_seed",
                object_type="EnforcementCase",
                object_id=f"{first}-{last}",
                after=counts,
            )
        return counts

    def finish(self) -> None:
        """Case-number counters to the last issued number; PostgreSQL sequences past the explicit ids."""
        with transaction.atomic():
            for (court_id, type_id, year), last in self.counters.items():
                counter, _ = CaseNumberCounter.objects.get_or_create(
                    court_id=court_id, case_type_id=type_id, year=year
                )
                if counter.last < last:
                    counter.last = last
                    counter.save(update_fields=["last"])
            statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in self.tables])
            with connection.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)


@contextmanager
def bulk_load_settings() -> Iterator[None]:
    """Faster, less durable writes for the load only (a crashed demo load is simply re-run)."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA cache_size")
            cache_size = cur.fetchone()[0]
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-1048576")  # 1 GiB page cache
            cur.execute("PRAGMA temp_store=MEMORY")
        elif connection.vendor == "postgresql":
            cur.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute(f"PRAGMA cache_size={int(cache_size)}")
                cur.execute("PRAGMA temp_store=DEFAULT")
                # Full statistics: approximate ones (analysis_limit) misled the planner at 1 M cases.
                cur.execute("ANALYZE")
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            elif connection.vendor == "postgresql":
                cur.execute("SET synchronous_commit TO DEFAULT")
                if connection.get_autocommit():  # VACUUM cannot run inside a transaction
                    cur.execute("VACUUM (ANALYZE)")  # visibility map for index-only scans, and statistics
                else:
                    cur.execute("ANALYZE")


# -- the command ------------------------------------------------------------------------------------


class Command(BaseCommand):
    quiet = False
    help = "生成演示数据：广东省三级法院、团队、各岗位工作人员（密码 zhixing2026）及各种状态的执行案件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cases", type=int, default=400, help="案件数量（默认400；≥20000时使用批量写入）"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子（相同种子、相同日期生成相同数据）"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="已有法院数据时不做任何事（供启动脚本调用）"
        )
        parser.add_argument("--bulk", action="store_true", help="无论数量多少都使用批量写入（用于核对）")

    def handle(self, *args: Any, **opts: Any) -> None:
        self.quiet = opts["verbosity"] == 0
        if Court.objects.exists():
            if opts["if_empty"]:
                if not self.quiet:
                    self.stdout.write("已有法院数据，跳过演示数据生成。")
                return
            raise CommandError("数据库中已有法院数据；演示数据只能生成到空数据库（启动脚本请加 --if-empty）")
        n = opts["cases"]
        if n < 0:
            raise CommandError("--cases 不能为负数")
        bulk = opts["bulk"] or n >= BULK_THRESHOLD
        started = time.perf_counter()
        rng = FastRandom(opts["seed"])
        fake = Faker("zh_CN")
        fake.seed_instance(opts["seed"])
        today = timezone.localdate()
        judges = max(6, min(48, n // 24_000))

        if bulk:
            with transaction.atomic():
                province = build_province(fake, judges)
            made = self._bulk(province, rng, fake, today, n)
        else:
            with transaction.atomic():  # all or nothing: --if-empty then retries a failed first start
                province = build_province(fake, judges)
                made = self._with_services(province, rng, fake, today, n)
        elapsed = time.perf_counter() - started
        if not self.quiet:
            self._report(province, made, elapsed)

    def _planner(
        self, province: Province, rng: random.Random, fake: Faker, today: date
    ) -> tuple[Planner, Deadlines, dict[str, NodeKind]]:
        kinds = {
            nt.code: NodeKind(
                nt.pk,
                nt.code,
                nt.budget,
                nt.budget_non_litigation,
                nt.unit,
                nt.anchor,
                nt.roll_to_workday,
                nt.pausable,
                nt.extendable,
                nt.auto_create,
                nt.completion,
            )
            for nt in NodeType.objects.filter(active=True)
        }
        deadlines = Deadlines(current_calendar())
        return Planner(rng, People(rng, fake, today), province, today, deadlines, kinds), deadlines, kinds

    def _plans(self, planner: Planner, n: int) -> tuple[int, Callable[[], Iterator[CasePlan]]]:
        originals = n - round(n * RESUMED_SHARE)
        days = planner.filing_days(originals)

        def generate() -> Iterator[CasePlan]:
            for day in days:
                yield planner.plan(planner.court(), day)

        return originals, generate

    def _resumed(self, planner: Planner, pending: list[CasePlan], room: int) -> list[CasePlan]:
        pending.sort(key=lambda p: p.resume_on)  # type: ignore[arg-type, return-value]
        if len(pending) > room:
            pending = sorted(planner.r.sample(pending, room), key=lambda p: p.resume_on)  # type: ignore[arg-type, return-value]
        return [planner.plan(p.cast, p.resume_on, origin=p) for p in pending]  # type: ignore[arg-type]

    def _with_services(self, province: Province, rng: random.Random, fake: Faker, today: date, n: int) -> int:
        planner, _, _ = self._planner(province, rng, fake, today)
        originals, generate = self._plans(planner, n)
        pending: list[CasePlan] = []
        made = 0
        for plan in tqdm(generate(), total=originals, desc="立案", unit="件", disable=self.quiet or None):
            run_with_services(plan)
            made += 1
            if plan.resume_on:
                pending.append(plan)
        for plan in tqdm(
            self._resumed(planner, pending, n - made), desc="执恢", unit="件", disable=self.quiet or None
        ):
            run_with_services(plan)
            made += 1
        return made

    def _bulk(self, province: Province, rng: random.Random, fake: Faker, today: date, n: int) -> int:
        planner, deadlines, kinds = self._planner(province, rng, fake, today)
        writer = BulkWriter(deadlines, kinds, today)
        _, generate = self._plans(planner, n)
        pending: list[CasePlan] = []
        made = 0
        totals: dict[str, int] = defaultdict(int)
        with (
            bulk_load_settings(),
            tqdm(total=n, desc="批量生成案件", unit="件", disable=self.quiet or None) as bar,
        ):

            def write(plans: Iterator[CasePlan] | list[CasePlan]) -> None:
                nonlocal made
                for plan in plans:
                    writer.add(plan)
                    made += 1
                    if plan.resume_on:
                        pending.append(plan)
                    if len(writer.cases.rows) >= BATCH:
                        bar.update(len(writer.cases.rows))
                        for k, v in writer.flush().items():
                            totals[k] += v
                bar.update(len(writer.cases.rows))
                for k, v in writer.flush().items():
                    totals[k] += v

            write(generate())
            resumed = self._resumed(planner, pending, n - made)
            for p in pending:  # only their ids and parties are needed from here on
                p.resume_on = None
            pending = []
            write(resumed)
            writer.finish()
        if not self.quiet:
            self.stdout.write("写入行数：" + "，".join(f"{k} {v:,}" for k, v in totals.items()))
        return made

    def _report(self, province: Province, made: int, elapsed: float) -> None:
        by_status = dict(EnforcementCase.objects.values_list("status").annotate(models.Count("id")))
        today = timezone.localdate()
        overdue = EnforcementCase.objects.filter(next_due_on__lt=today).count()
        labels = dict(CaseStatus.choices)
        summary = "，".join(f"{labels[s]} {by_status.get(s, 0):,}" for s in CaseStatus.values)
        self.stdout.write(
            f"已生成 {made:,} 件案件（用时 {elapsed:.1f} 秒）：{summary}；有超期节点 {overdue:,} 件"
        )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [("用户名", "岗位", "法院"), *self._compact(province.logins)]
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            self.stdout.write(
                "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
            )

    @staticmethod
    def _compact(logins: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """More than six judges in a court: the fourth to the last are listed as a range."""
        out: list[tuple[str, str, str]] = []
        judges: dict[str, list[str]] = defaultdict(list)
        for username, role, court in logins:
            if role == Role.JUDGE.label:
                judges[court].append(username)
            out.append((username, role, court))
        for court, names in judges.items():
            if len(names) > 6:
                out = [row for row in out if row[0] not in names[3:]]
                at = max(i for i, row in enumerate(out) if row[0] in names) + 1
                out.insert(at, (f"{names[3]} … {names[-1]}", Role.JUDGE.label, court))
        return out


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
