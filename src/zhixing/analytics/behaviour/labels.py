"""The world's debtors and the ground truth of every rule, derived from what was generated (pure).

`generate(n, seed)` is deterministic: the same (n, seed) gives the same debtors, events and labels.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from . import behaviours as b
from . import honest as h
from . import people
from .model import LUXURY_TAGS, P_END, P_START, RESTRICTED_TAGS, RULES, Debtor, Relative
from .world import Life, business, ordinary_life, salary

REGULAR = {
    "org_monthly",
    "org_biweekly",
    "org_weekly",
    "person_monthly",
    "person_biweekly",
    "person_alipay",
    "person_masked",
}
BANKS = ("cmb", "boc")
WALLETS = ("alipay", "wechat")


def _relatives(x: Life, deb: Debtor) -> None:
    rng = x.rng
    if rng.random() < 0.55:  # married: the clerk records the spouse (from the marriage register)
        deb.relatives.append(
            Relative(people.person(rng), "spouse", "declared", people.card(rng), rng.random() < 0.5)
        )
    if rng.random() < 0.35:  # a sibling with a case at the same court, same address: discovery finds them
        deb.relatives.append(
            Relative(people.person(rng, deb.name[0]), "sibling", "address", people.card(rng))
        )
    if rng.random() < 0.4:  # a parent, not recorded anywhere
        deb.relatives.append(Relative(people.person(rng, deb.name[0]), "parent", "unknown", people.card(rng)))
    if rng.random() < 0.15:  # a company the debtor represents, party to a case at the same court
        deb.relatives.append(
            Relative(
                f"广州{rng.choice(['鑫盛', '宏达', '恒通', '佳和'])}{deb.index}贸易有限公司",
                "company",
                "legal_rep",
                people.card(rng),
            )
        )


def debtor(seed: int, i: int) -> Debtor:
    x = Life(seed, i)
    rng = x.rng
    eff = date(2024, 2, 1) + timedelta(days=rng.randint(0, 150))
    restricted = rng.random() < 0.6
    layouts = [rng.choice(BANKS + WALLETS)]
    if rng.random() < 0.45:
        layouts = [rng.choice(BANKS), rng.choice(WALLETS)]
    deb = Debtor(
        index=i,
        name=people.person(rng),
        birth=date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        address=people.address(rng, i),
        claim=rng.randint(20, 200) * 1000,
        effective_on=eff,
        restricted_from=eff + timedelta(days=rng.randint(45, 120)) if restricted else None,
        freeze_on=eff + timedelta(days=rng.randint(90, 240)) if rng.random() < 0.9 else None,
        layouts=layouts,
        overlap=rng.random() < 0.1,
        typos=rng.choice([0] * 8 + [1, 3]),
    )
    _relatives(x, deb)
    ordinary_life(x, deb)
    has_bank = any(lay in BANKS for lay in layouts)
    sweeper = has_bank and rng.random() < 0.18
    salary(x, deb, "org_monthly" if sweeper and rng.random() < 0.6 else None)
    if rng.random() < 0.1:
        business(x, deb)
    if rng.random() < 0.2:
        b.luxury(x, deb)
    if rng.random() < 0.15:
        b.trips(x, deb, rng.randint(1, 5), restricted=False)
    if deb.restricted_from and rng.random() < 0.35:
        b.trips(x, deb, rng.randint(1, 4), restricted=True)
    if rng.random() < 0.18:
        b.tipping(x, deb)
    elif rng.random() < 0.12:
        h.tipping_lookalikes(x, deb)
    linked = [r for r in deb.relatives if r.found_by != "unknown"]
    if linked and rng.random() < 0.35:
        rel = rng.choice(linked)
        variant = (
            "exact"
            if rel.relation == "company"
            else rng.choices(
                ["exact", "alipay", "wechat", "masked", "pinyin", "account"], [35, 20, 10, 15, 10, 10]
            )[0]
        )
        b.relative_transfers(x, deb, rel, variant, planted=True)
    spouse = next((r for r in deb.relatives if r.relation == "spouse"), None)
    if spouse and "related_transfers" not in deb.variants:
        b.relative_transfers(x, deb, spouse, rng.choice(["exact", "alipay", "masked"]), planted=False)
    if rng.random() < 0.12:
        b.round_trip(x, deb)
    elif rng.random() < 0.08:
        h.deposit_refund(x, deb)
    if deb.freeze_on and rng.random() < 0.16:
        b.evasion(x, deb)
    if rng.random() < 0.25:
        b.property_payments(x, deb)
    if rng.random() < 0.1:
        h.payee_lookalikes(x, deb, deb.relatives)
    roll = rng.random()
    if roll < 0.08:
        h.medical(x, deb, deb.relatives)
    elif roll < 0.14:
        h.car_sale(x, deb)
    elif roll < 0.22:
        h.family_support(x, deb, deb.relatives)
    if rng.random() < 0.12:
        h.foreign_online(x, deb)
    if sweeper:
        threshold = rng.choices([50000, 20000, 10000, 30000, 5000], [30, 20, 20, 20, 10])[0]
        deb.variants["balance_threshold"] = f"under_{threshold}"
        x.truth["sweep"] = threshold
    deb.events = [e for e in deb.events if P_START <= e.ts.date() <= P_END]
    deb.events.sort(key=lambda e: e.ts)
    deb.labels = labels(deb, x.truth)
    return deb


def labels(deb: Debtor, truth: dict[str, object]) -> dict[str, bool]:
    ev = [e for e in deb.events if e.mark not in ("closed", "reversal")]
    kind = str(truth.get("salary", "none"))
    income = sum((e.amount for e in ev if e.income and e.currency == "CNY"), Decimal("0"))
    lux = sum(
        (-e.amount * (Decimal("7") if e.currency != "CNY" else 1) for e in ev if e.tag in LUXURY_TAGS),
        Decimal("0"),
    )
    lux += sum((t.amount for t in deb.trips if t.tag in RESTRICTED_TAGS), Decimal("0"))
    restricted_trips = sum(1 for t in deb.trips if t.tag in RESTRICTED_TAGS)
    tips = sum((-e.amount for e in ev if e.tag == "tip"), Decimal("0"))
    rf = deb.restricted_from
    violation = rf is not None and (
        any(e.tag in RESTRICTED_TAGS and e.ts.date() >= rf for e in ev)
        or any(t.tag in RESTRICTED_TAGS and t.end.date() >= rf for t in deb.trips)
    )
    related = sum(
        (-e.amount for e in ev if e.tag == "related" and e.ts.date() >= deb.effective_on), Decimal("0")
    )
    out = {
        "regular_income": kind in REGULAR,
        "hidden_salary": kind in REGULAR and kind.startswith("person"),
        "inflow_vs_claim": income >= deb.claim,
        "luxury_spending": lux >= 5000 or restricted_trips >= 3,
        "tipping": tips >= 1000,
        "restriction_violation": violation,
        "related_transfers": related >= 5000,
        "round_tripping": any(e.tag == "rt_out" for e in ev),
        "evasion": any(e.tag == "evasion" for e in ev),
        "balance_threshold": "sweep" in truth,
        "regular_payees": any(e.tag == "property" for e in ev),
    }
    assert set(out) == set(RULES)
    return out


def generate(n: int, seed: int) -> list[Debtor]:
    return [debtor(seed, i) for i in range(n)]
