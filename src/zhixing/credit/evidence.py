"""credit's part of a refusal-crime evidence bundle (`zhixing.cases.evidence`): the partners'
interception receipts (拦截回执) of the debtor on the case — attempts to fly, ride or consume while
restricted, the typical proof of "violating a 限制消费令" (法释〔2024〕13号 Art 3(4))."""

from __future__ import annotations

from typing import Any

from .models import Interception


def interceptions(case: Any, party: Any) -> list[tuple[str, str]]:
    keys = {k for k in (party.id_number, getattr(party, "credit_code", "")) if k}
    rows = (
        Interception.objects.filter(case_id=case.pk, subject_key__in=keys)
        .select_related("partner")
        .order_by("at", "pk")
    )
    text = "".join(f"{r.at:%Y-%m-%d %H:%M} {r.partner.name} {r.code} {r.channel} {r.place}\n" for r in rows)
    return [("06_拦截回执.txt", text or "无拦截回执。\n")]


def install() -> None:
    from zhixing.cases import evidence

    evidence.contribute("credit", interceptions)
