"""Measure every rule through the product: file cases, record relatives, import the files, profile.

The path is the user's: `cases.services.file_case` for the debtor's case (and for the cases that let
related-party discovery find a sibling at the same address or a company the debtor represents),
`services.add_related_person` for a declared spouse, `services.create_import` + `run_import` for every
statement file (quarantine mode, as a clerk would choose for a file with a few bad rows) and travel
CSV, and `services.compute_profile` with the restriction and freeze dates (the profile form's explicit
values; in production they come from the credit and inquiry domains). Findings are compared with the
generator's labels. Run it inside a transaction that is rolled back (`manage.py analytics_quality`)
or a test database; DATA_DIR should be private (`run` points it at a temporary directory).
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.test.utils import override_settings

from zhixing.cases import services as case_services
from zhixing.cases.demo.people import credit_code, resident_id
from zhixing.courts import services as court_services
from zhixing.courts.models import Court
from zhixing.courts.roles import Role

from .. import queries, services
from .labels import generate
from .model import P_END, P_START, RULES, Debtor
from .stats import score
from .writers import RATE, files, travel_csv

APPLICANT_CODE = credit_code("91", "440101", "MA5Q8A7LT")


def _court() -> Court:
    """A throw-away basic court under an unused high-court code (the measurement is rolled back)."""
    used = set(Court.objects.values_list("code", flat=True))
    high = next(c for c in "琼藏青宁新桂蒙黔滇甘晋陕吉黑辽冀豫鲁皖苏浙闽赣鄂湘川渝津沪京粤" if c not in used)
    hi = court_services.create_court(
        None, code=high, name=f"质量测评高级人民法院{high}", level="high", parent=None
    )
    mid = court_services.create_court(
        None, code=f"{high}01", name="质量测评中级人民法院", level="intermediate", parent=hi
    )
    return court_services.create_court(
        None, code=f"{high}0101", name="质量测评基层人民法院", level="basic", parent=mid
    )


def _party(role: str, kind: str, name: str, **kw: Any) -> Any:
    return case_services.PartyData(role=role, kind=kind, name=name, **kw)


def _file(judge: Any, court: Court, n: int, effective_on: date, principal: int, debtors: list[Any]) -> Any:
    data = case_services.FilingData(
        case_type="执",
        applied_on=effective_on + timedelta(days=20),
        filed_on=effective_on + timedelta(days=22),
        instrument_type="civil_judgment",
        issuing_body=court.name,
        basis_number=f"（2024）质民初{n}号",
        effective_on=effective_on,
        performance_deadline=effective_on + timedelta(days=15),
        principal=f"{principal}.00",
        parties=[
            _party(
                "applicant",
                "organisation",
                "广州质检银行股份有限公司",
                credit_code=APPLICANT_CODE,
                legal_representative="陈行长",
            ),
            *debtors,
        ],
    )
    return case_services.file_case(judge, court, data)


def _setup(deb: Debtor, judge: Any, court: Court) -> queries.DebtorRef:
    me = _party(
        "debtor",
        "person",
        deb.name,
        id_number=resident_id("440106", deb.birth, deb.index % 1000),
        address=deb.address,
    )
    case = _file(judge, court, deb.index * 10, deb.effective_on, deb.claim, [me])
    party = next(p for p in case.parties.all() if p.role == "debtor")
    ref = queries.debtor(judge, case.pk, party.pk)
    assert ref is not None
    for k, rel in enumerate(deb.relatives, start=1):
        if rel.found_by == "declared":
            services.add_related_person(
                judge,
                ref,
                name=rel.name,
                relation=rel.relation,
                account=rel.account if rel.declared_account else "",
            )
        elif rel.found_by == "address":  # the sibling is a debtor in another case of the court, same home
            birth = date(deb.birth.year + 2, deb.birth.month, deb.birth.day)
            other = _party(
                "debtor",
                "person",
                rel.name,
                id_number=resident_id("440106", birth, (deb.index + 500) % 1000),
                address=deb.address,
            )
            _file(judge, court, deb.index * 10 + k, deb.effective_on, 30000, [other])
        elif rel.found_by == "legal_rep":  # a company the debtor represents, debtor in another case
            code = credit_code("91", "440101", f"MA{deb.index:07d}")
            other = _party(
                "debtor", "organisation", rel.name, credit_code=code, legal_representative=deb.name
            )
            _file(judge, court, deb.index * 10 + k, deb.effective_on, 50000, [other])
    return ref


def _import(
    judge: Any, ref: queries.DebtorRef, deb: Debtor, seed: int, presets: dict[str, Any]
) -> dict[str, int]:
    got = {"lines": 0, "quarantined": 0, "duplicates": 0, "rejected": 0}
    uploads = [(name, "statement", presets[lay], data) for name, lay, data in files(deb, seed)]
    trips = travel_csv(deb)
    if trips:
        uploads.append((f"{deb.index}_travel.csv", "travel", None, trips))
    for name, kind, preset, data in uploads:
        job = services.create_import(
            judge, ref, kind=kind, file_name=name, data=data, preset=preset, mode="quarantine"
        )
        job = services.run_import(job.pk)
        got["lines"] += job.total_rows
        got["quarantined"] += job.quarantined
        got["duplicates"] += job.duplicates
        got["rejected"] += job.status == "rejected"
    return got


def measure(n: int, seed: int, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Generate `n` debtors with `seed`, run them through the product, and score every rule."""
    services.install_builtin_presets()
    court = _court()
    judge = court_services.create_staff(
        None,
        username=f"quality_judge_{seed}",
        full_name="质量测评法官",
        password="quality-only-pw-1",
        court=court,
        role=Role.JUDGE,
    )
    director = court_services.create_staff(
        None,
        username=f"quality_director_{seed}",
        full_name="质量测评局长",
        password="quality-only-pw-1",
        court=court,
        role=Role.DIRECTOR,
    )
    for cur, rate in RATE.items():
        if cur != "CNY":
            services.set_exchange_rate(
                director, currency=cur, valid_from=date(2020, 1, 1), rate=rate, note="质量测评"
            )
    presets = {p.code: p for p in queries.presets(judge)}
    debtors = generate(n, seed)
    fired: dict[int, set[str]] = {}
    totals: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for deb in debtors:
        ref = _setup(deb, judge, court)
        for k, v in _import(judge, ref, deb, seed, presets).items():
            totals[k] += v
        restrictions: list[tuple[date, date | None]] = (
            [(deb.restricted_from, None)] if deb.restricted_from else []
        )
        freezes = [deb.freeze_on] if deb.freeze_on else []
        prof = services.compute_profile(
            judge, ref, start=P_START, end=P_END, restrictions=restrictions, freezes=freezes
        )
        fired[deb.index] = {f["rule"] for f in prof.findings}
        if progress:
            progress(1)
    return report(debtors, fired, dict(totals), seed, time.perf_counter() - started)


def report(
    debtors: list[Debtor], fired: dict[int, set[str]], totals: dict[str, int], seed: int, seconds: float
) -> dict[str, Any]:
    rules: dict[str, Any] = {}
    for rule in RULES:
        truth = [d.labels[rule] for d in debtors]
        hit = [rule in fired[d.index] for d in debtors]
        r = score(truth, hit)
        by_variant: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for d, t, h in zip(debtors, truth, hit, strict=True):
            if t:
                v = d.variants.get(rule, "other")
                by_variant[v][0] += 1
                by_variant[v][1] += h
        r["recall_by_variant"] = {v: {"positives": a, "found": b} for v, (a, b) in sorted(by_variant.items())}
        fp_honest: dict[str, int] = defaultdict(int)
        for d, t, h in zip(debtors, truth, hit, strict=True):
            if h and not t:
                for tag in d.honest or ["—"]:
                    fp_honest[tag] += 1
        r["false_positives_by_honest_flow"] = dict(sorted(fp_honest.items()))
        rules[rule] = r
    clean = [d for d in debtors if not any(d.labels.values())]
    return {
        "seed": seed,
        "debtors": len(debtors),
        "seconds": round(seconds, 1),
        "imports": totals,
        "rules": rules,
        "no_behaviour_debtors": len(clean),
        "no_behaviour_flagged": sum(1 for d in clean if fired[d.index]),
    }


def run(n: int, seed: int, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """`measure` with DATA_DIR pointed at a temporary directory (the Parquet snapshots it writes)."""
    with tempfile.TemporaryDirectory(prefix="zx_quality_") as tmp, override_settings(DATA_DIR=tmp):
        return measure(n, seed, progress)
