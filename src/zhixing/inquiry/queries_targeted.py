"""Reads for targeted queries and for the domains above that follow them (analytics' leads, profiles).

`outcomes` says what a settled targeted query found: the register row of the lead's asset (the asset
whose reference is the target, or any asset of the category when the query went by identity number),
or the information a registry returned; `register_summary` gives a debtor's controlled, frozen,
deducted and released totals in one case for a profile page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .info_words import info_fields
from .models import Action, Asset, InquiryRequest, Partner

S = InquiryRequest.Status


def query_partner(category_code: str) -> Partner | None:
    """The active partner that answers queries in a category (national hub first), or None."""
    for p in (
        Partner.objects.filter(active=True, category__code=category_code)
        .select_related("category")
        .order_by("-channel", "code")
    ):
        if p.supports(Action.QUERY):
            return p
    return None


def covered_categories(codes: Iterable[str]) -> set[str]:
    """Which of these category codes some active partner can query."""
    return {c for c in set(codes) if query_partner(c) is not None}


@dataclass(frozen=True)
class Outcome:
    """What a targeted query came to: `status` is pending, found, not_found or failed."""

    status: str
    asset_id: int | None = None
    label: str = ""
    error: str = ""


def _found_label(asset: Asset) -> str:
    if asset.kind == Asset.Kind.INFO:  # in words (工作单位：…；住房公积金余额：…元), never the answer's keys
        shown = {k: v for k, v in asset.details.items() if v not in ("", None, [], 0, False)}
        return "；".join(str(f) for f in info_fields(shown))
    return f"{asset.get_kind_display()} {asset.ref} {asset.description}".strip()


def _has_information(details: dict[str, object]) -> bool:
    return any(v not in ("", None, [], 0, False, "0", "0.00") for v in details.values())


def outcomes(request_ids: Iterable[int]) -> dict[int, Outcome]:
    """The outcome of each targeted query, keyed by request id (missing ids are left out)."""
    reqs = list(
        InquiryRequest.objects.filter(pk__in=list(request_ids), action=Action.QUERY).select_related(
            "partner__category"
        )
    )
    if not reqs:
        return {}
    cond = Q()
    for r in reqs:
        cond |= Q(case_id=r.case_id, party_id=r.party_id, partner_id=r.partner_id)
    assets: dict[tuple[int, int, int], list[Asset]] = {}
    for a in Asset.objects.filter(cond).order_by("id"):
        assets.setdefault((a.case_id, a.party_id, a.partner_id), []).append(a)
    out: dict[int, Outcome] = {}
    for r in reqs:
        if r.status == S.FAILED:
            out[r.pk] = Outcome("failed", error=r.last_error)
            continue
        if r.status != S.DONE:
            out[r.pk] = Outcome("pending")
            continue
        mine = assets.get((r.case_id, r.party_id, r.partner_id), [])
        if r.target_ref and r.partner.category.asset_kind != "info":  # a register of assets: that asset
            hit = next((a for a in mine if a.ref == r.target_ref), None)
        else:  # by identity number, or an information register (the employer, the policies)
            hit = next((a for a in mine if a.kind != Asset.Kind.INFO), None) or next(
                (a for a in mine if a.kind == Asset.Kind.INFO and _has_information(a.details)), None
            )
        out[r.pk] = Outcome("found", hit.pk, _found_label(hit)) if hit else Outcome("not_found")
    return out


@dataclass
class RegisterSummary:
    """A debtor's register in one case: counts and amounts by control state."""

    assets: int = 0
    controlled: Decimal = Decimal("0")
    frozen: Decimal = Decimal("0")
    seized: Decimal = Decimal("0")
    deducted: Decimal = Decimal("0")
    released: int = 0
    uncontrolled: int = 0
    rows: list[Asset] = field(default_factory=list)


def register_summary(case_id: int, party_id: int) -> RegisterSummary:
    """Controlled, frozen, seized, deducted and released figures of a debtor's assets in a case."""
    out = RegisterSummary()
    for a in (
        Asset.objects.filter(case_id=case_id, party_id=party_id)
        .exclude(kind=Asset.Kind.INFO)
        .select_related("category")
        .order_by("category__order", "id")
    ):
        out.assets += 1
        out.rows.append(a)
        out.controlled += a.controlled_value
        out.deducted += a.deducted_amount
        if a.state == Asset.State.FROZEN:
            out.frozen += a.frozen_amount
        elif a.state in (Asset.State.SEIZED, Asset.State.QUEUED):
            out.seized += a.value
        elif a.state == Asset.State.RELEASED:
            out.released += 1
        elif a.state == Asset.State.NONE:
            out.uncontrolled += 1
    return out
