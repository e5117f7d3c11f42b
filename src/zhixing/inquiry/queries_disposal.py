"""What the auctions domain reads of the asset register: seized assets it may put up for sale."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Asset

SALEABLE = (Asset.State.SEIZED, Asset.State.QUEUED)


def seized_assets(case_id: int) -> QuerySet[Asset]:
    """The case's seized (first-rank or queued) non-money assets: houses, vehicles, vessels, shares."""
    return (
        Asset.objects.filter(case_id=case_id, state__in=SALEABLE)
        .exclude(kind__in=(Asset.Kind.INFO, Asset.Kind.ACCOUNT))
        .select_related("party", "partner")
        .order_by("pk")
    )


def asset(asset_id: int) -> Asset | None:
    return Asset.objects.filter(pk=asset_id).select_related("party", "partner", "case").first()


def is_real_estate(a: Asset) -> bool:
    """Real estate and other property rights (网拍规定 Art 12): houses, shares, securities."""
    return a.kind in (Asset.Kind.HOUSE, Asset.Kind.EQUITY, Asset.Kind.SECURITIES)


def is_seized(a: Asset) -> bool:
    return a.state in SALEABLE


def court_seized_assets(court_ids: list[int], limit: int = 200) -> list[Asset]:
    """Seized non-money assets in the cases of these courts (the clerk picks one to put up for sale)."""
    return list(
        Asset.objects.filter(case__court_id__in=court_ids, state__in=SALEABLE)
        .exclude(kind__in=(Asset.Kind.INFO, Asset.Kind.ACCOUNT))
        .select_related("case", "party")
        .order_by("-pk")[:limit]
    )
