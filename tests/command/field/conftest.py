"""Fixtures for the command center's alerts, vehicle watch, dispatch and field app."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from zhixing.cases.models import EnforcementCase
from zhixing.command import plate_operators, plate_watchlist
from zhixing.command.models import CarPark, TeamPost, Vehicle, WatchedPlate
from zhixing.courts.models import Team
from zhixing.courts.roles import Role


@pytest.fixture
def field(people: dict[str, Any], courts: dict[str, Any]) -> dict[str, Any]:
    """天河: a case handled by the judge, two teams with posts, a vehicle, bailiffs, a watched plate and a
    parking operator with one car park near team 1."""
    th = courts["th"]
    case = factories.case(people["clerk"])
    EnforcementCase.objects.filter(pk=case.pk).update(handler=people["judge"])
    case.refresh_from_db()
    t1 = Team.objects.create(court=th, name="执行一团队")
    t2 = Team.objects.create(court=th, name="执行二团队")
    TeamPost.objects.create(team=t1, label="珠江新城", latitude=23.119, longitude=113.321)
    TeamPost.objects.create(team=t2, label="从化", latitude=23.548, longitude=113.586)
    people["bailiff"].team = t1
    people["bailiff"].save(update_fields=["team"])
    b2 = factories.staff(th, Role.BAILIFF, username="th_bailiff2", team=t2)
    vehicle = Vehicle.objects.create(court=th, plate="粤A00001", name="执行车1号")
    from django.utils import timezone

    watch = WatchedPlate.objects.create(
        plate="粤AB5218", asset_id=990001, case=case, court=th, description="白色轿车", since=timezone.now()
    )
    op, key = plate_operators.create_operator(None, "广州智慧停车")
    park = CarPark.objects.create(
        operator=op,
        code="P01",
        name="天河城停车场",
        address="天河路208号",
        latitude=23.132,
        longitude=113.327,
    )
    CarPark.objects.create(
        operator=op,
        code="P02",
        name="体育西停车场",
        address="体育西路1号",
        latitude=23.135,
        longitude=113.322,
    )
    plate_watchlist.invalidate()
    return {
        "case": case,
        "t1": t1,
        "t2": t2,
        "b2": b2,
        "vehicle": vehicle,
        "watch": watch,
        "operator": op,
        "key": key,
        "park": park,
    }
