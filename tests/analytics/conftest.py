"""Fixtures for ability-to-pay analysis: a debtor of a 天河 case, built-in presets, private DATA_DIR."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests import factories
from zhixing.analytics import columnar_layout, parsing, queries, services

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path("/work/shared/data/statements")


@pytest.fixture(autouse=True)
def _data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(autouse=True)
def _compiled_reader_matches_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every statement any analytics test reads is read twice — with the compiled layout
    (`compiled_layout`, what imports use) and per line only — and the two must agree exactly: the same
    `Line` for every row, the same error for every bad row (identity over every layout fixture) — and
    a third time with the column-wise reader (`columnar_layout`) in front of the compiled one."""
    lines = parsing.Statement.lines

    def checked(
        self: Any, preset: Any, convert: Any = None, *, compiled: bool = True, columnar: bool = False
    ) -> Any:
        slow = list(lines(self, preset, convert, compiled=False))
        if compiled:
            fast = list(lines(self, preset, convert, compiled=True))
            for a, b in zip(fast, slow, strict=True):
                assert a == b, f"compiled reader differs from the per-line reader at row {a[0]}: {a} != {b}"
            # the column-wise reader (DuckDB) on every file, however short
            monkeypatch.setattr(columnar_layout, "MIN_ROWS", 0)
            wide = list(lines(self, preset, convert, compiled=True, columnar=True))
            for a, b in zip(wide, slow, strict=True):
                assert a == b, f"columnar reader differs from the per-line reader at row {a[0]}: {a} != {b}"
        yield from slow

    monkeypatch.setattr(parsing.Statement, "lines", checked)


RATES = [
    ("USD", date(2020, 1, 1), "7.1234"),
    ("USD", date(2026, 3, 21), "7.2"),
    ("HKD", date(2020, 1, 1), "0.91"),
]


@pytest.fixture
def rates(people: dict[str, Any]) -> list[Any]:
    """Conversion rates to CNY: USD 7.1234 (7.2 from 2026-03-21), HKD 0.91; no other currency."""
    return [
        services.set_exchange_rate(people["director"], currency=c, valid_from=d, rate=r, note="测试")
        for c, d, r in RATES
    ]


@pytest.fixture
def presets(db: Any, rates: list[Any]) -> dict[str, Any]:
    services.install_builtin_presets()
    return {p.code: p for p in queries.presets(None)}


@pytest.fixture
def debtor(people: dict[str, Any], presets: dict[str, Any]) -> queries.DebtorRef:
    case = factories.case(people["clerk"])
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(people["judge"], case.pk, party.pk)
    assert ref is not None
    return ref


def load(
    ref: queries.DebtorRef, user: Any, preset: Any, data: bytes, mode: str = "strict", name: str = "f.csv"
) -> Any:
    job = services.create_import(
        user, ref, kind="statement", file_name=name, data=data, preset=preset, mode=mode
    )
    return services.run_import(job.pk)


def load_travel(ref: queries.DebtorRef, user: Any, text: str) -> Any:
    job = services.create_import(user, ref, kind="travel", file_name="t.csv", data=text.encode())
    return services.run_import(job.pk)
