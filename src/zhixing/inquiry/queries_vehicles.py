"""Seized vehicles in the asset register, for the command center's vehicle watch (车辆布控).

The command center keeps its watchlist from these rows (it may not read inquiry's models): a vehicle is
watched while its seizure (查封, including 轮候) is in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Asset

WATCHED_STATES = (Asset.State.SEIZED, Asset.State.QUEUED)


@dataclass(frozen=True)
class SeizedVehicle:
    asset_id: int
    plate: str
    case_id: int
    court_id: int
    description: str


def seized_vehicles(limit: int = 2_000_000) -> list[SeizedVehicle]:
    """Every vehicle whose seizure is in force (the register's `ref` of a vehicle is its plate)."""
    rows = (
        Asset.objects.filter(kind=Asset.Kind.VEHICLE, state__in=WATCHED_STATES)
        .values_list("pk", "ref", "case_id", "case__court_id", "description")
        .order_by("pk")[:limit]
    )
    return [SeizedVehicle(*r) for r in rows]
