"""Demo parties: names, addresses and valid identity numbers (resident ID, unified social credit code)."""

from __future__ import annotations

import operator
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, TypeVar

from faker import Faker

from zhixing.cases.models import Party
from zhixing.core.identity import check_resident_id
from zhixing.courts.demo_names import Names

from .province import Locale

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

_T = TypeVar("_T")

OTHER_AREAS = ("440604", "440605", "440106", "441302", "440402", "445102", "440703", "441202")

BANKS = (
    "中国工商银行股份有限公司",
    "中国建设银行股份有限公司",
    "中国银行股份有限公司",
    "招商银行股份有限公司",
    "平安银行股份有限公司",
    "中国农业银行股份有限公司",
    "交通银行股份有限公司",
)


class FastRandom(random.Random):
    """`random.Random` with cheaper `randint`/`randrange`/`choice` (called tens of millions of times at 1 M
    cases); the tiny bias of scaling `random()` does not matter for demo data."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            return int(self.random() * start)
        return start + int(self.random() * (stop - start))

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
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
        self.names = Names(rng)
        self.streets = sorted({fake.street_name() for _ in range(3000)})
        self.issued: set[str] = set()
        self.recent_debtors: list[PartySpec] = []
        self._warnings: dict[tuple[str, int], str] = {}
        self._banks: dict[str, PartySpec] = {}

    def name(self, surname: str | None = None, sex: str | None = None, born: int | None = None) -> str:
        """A realistic name (zhixing.courts.demo_names): 姓 + a one- or two-character given name."""
        return self.names.person(sex=sex, born=born, surname=surname)

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
        sex = "M" if int(number[16]) % 2 else "F"
        surname = self.names.surname()
        name = self.name(surname, sex, birth.year)
        former: tuple[str, ...] = ()
        if r.random() < 0.05:  # 曾用名: the same surname, another given name of the same cohort
            former = tuple(
                f
                for f in dict.fromkeys(
                    self.name(surname, sex, birth.year) for _ in range(r.choice((1, 1, 2)))
                )
                if f != name
            )
        return PartySpec(
            kind=Party.Kind.PERSON,
            name=name,
            id_number=number,
            address=self.address(locale),
            phone=self.phone(),
            former_names=former,
            birth_date=birth,
            sex=sex,
            id_warnings=self._warnings[key],
        )

    def organisation(self, locale: Locale) -> PartySpec:
        r = self.rng
        place = locale.city if r.random() < 0.8 else locale.city + locale.district
        name = self.names.company(place)
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
