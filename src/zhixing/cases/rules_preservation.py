"""Whether an enforcement filing continues a preservation case (诉执衔接): pure, no ORM.

A party is known by its subject key: the identity number (resident ID, passport …) or the unified social
credit code, and the name only where it has neither. A preservation case's applicants must all be
applicants of the enforcement case and its debtors all debtors of it: the judgment may name more parties
than the preservation ruling did, but the property was preserved for these applicants against these
debtors (CPL-2023 Art 103), so another pair of parties cannot take its controls.
"""

from __future__ import annotations

from collections.abc import Iterable

APPLICANT = "applicant"
DEBTOR = "debtor"
ROLE_WORDS = {APPLICANT: "申请执行人", DEBTOR: "被执行人"}


def subject_key(id_number: str, credit_code: str, name: str) -> str:
    """The key a party is matched by across cases."""
    return (id_number or "").strip().upper() or (credit_code or "").strip().upper() or f"name:{name.strip()}"


def normalise_number(number: str) -> str:
    """A document number compared across cases: half/full-width brackets and spaces do not matter."""
    return (number or "").replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "").strip()


def number_variants(number: str) -> list[str]:
    """A case number as typed, and in both bracket widths (the platform's own numbers use one of them)."""
    full = normalise_number(number)
    return sorted({(number or "").strip(), full, full.replace("（", "(").replace("）", ")")})


def parties_problem(
    preserved: Iterable[tuple[str, str]], filed: Iterable[tuple[str, str]], number: str
) -> str | None:
    """Why the filed case's parties (role, key) cannot take over preservation case `number`.

    None if they can."""
    filed_set = set(filed)
    for role, key in sorted(set(preserved)):
        if (role, key) not in filed_set:
            who = key if not key.startswith("name:") else key[5:]
            word = ROLE_WORDS.get(role, role)
            return f"保全案件{number}的{word}（{who}）不是本案的{word}，当事人不一致的不能转入"
    return None
