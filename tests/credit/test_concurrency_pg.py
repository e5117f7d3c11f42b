"""PostgreSQL only: the same person listed and removed concurrently from two cases stays consistent."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from zhixing.credit import services
from zhixing.credit.models import ChangeEvent, RestrictedSubject
from zhixing.credit.rules import CODE_BITS

from .conftest import ADULT_ID, debtor, debtor_case, listing_data

# Skipped at collection time on SQLite, so the transactional fixture never runs (and never flushes the
# reference data other transactional tests rely on).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL row locks"
    ),
    pytest.mark.django_db(transaction=True),
]


def _run(fns: list[Any]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(fns))

    def go(fn: Any) -> None:
        try:
            barrier.wait()
            fn()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(f,)) for f in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_listing_and_removal_of_one_person(people: dict) -> None:
    a, b = debtor_case(people["clerk"]), debtor_case(people["clerk"])
    judge = people["judge"]
    assert not _run(
        [
            lambda: services.list_debtor(judge, a, debtor(a), listing_data()),
            lambda: services.list_debtor(judge, b, debtor(b), listing_data()),
        ]
    )
    row = RestrictedSubject.objects.get(subject_key=ADULT_ID)
    assert row.mask & CODE_BITS["blacklist"]
    la = services.listing.Listing.objects.get(case=a)
    lb = services.listing.Listing.objects.get(case=b)
    assert not _run(
        [
            lambda: services.remove_listing(judge, la, trigger="performed"),
            lambda: services.remove_listing(judge, lb, trigger="performed"),
        ]
    )
    row.refresh_from_db()
    assert row.mask == 0
    last = ChangeEvent.objects.filter(subject_key=ADULT_ID).order_by("-id").first()
    assert last is not None and last.new_mask == 0
