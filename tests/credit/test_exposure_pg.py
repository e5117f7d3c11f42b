"""PostgreSQL only: workers claiming due exposure notices at once never take the same row."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from zhixing.credit import services
from zhixing.credit.models import ExposureNotice
from zhixing.credit.services import delivery

from .conftest import debtor, debtor_case, listing_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_claims_are_disjoint(people: dict[str, Any]) -> None:
    for i in range(12):
        services.create_partner(None, name=f"媒体{i}", kind="media", area_code="44", code=f"MEDIA-P{i}")
    c = debtor_case(people["clerk"])
    x = services.list_debtor(people["judge"], c, debtor(c), listing_data())
    assert len(services.expose(people["judge"], x)) == 12
    got: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            got.append(delivery.claim(5))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [pk for ids in got for pk in ids]
    assert len(claimed) == len(set(claimed)) == 12
    assert set(ExposureNotice.objects.values_list("attempts", flat=True)) == {1}
    assert delivery.claim(100) == []  # all leased
