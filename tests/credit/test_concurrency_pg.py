"""PostgreSQL only: concurrent listing/removal of one person, and concurrent scans, stay consistent."""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connections

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import AuditRecord
from zhixing.credit import services
from zhixing.credit.models import ChangeEvent, Listing, RestrictedSubject
from zhixing.credit.rules import CODE_BITS
from zhixing.inquiry.models import Action, InquiryBatch, InquiryRequest, PartnerCategory
from zhixing.inquiry.models import Partner as InquiryPartner

from .conftest import ADULT_ID, OTHER_ID, debtor, debtor_case, open_listing_data

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
            lambda: services.list_debtor(judge, a, debtor(a), open_listing_data()),
            lambda: services.list_debtor(judge, b, debtor(b), open_listing_data()),
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


def test_concurrent_scans_delete_and_raise_each_trigger_once(people: dict) -> None:
    judge = people["judge"]
    a = debtor_case(people["clerk"])
    b = debtor_case(people["clerk"], name="李四", id_number=OTHER_ID)
    la = services.list_debtor(judge, a, debtor(a), open_listing_data())
    lb = services.list_debtor(judge, b, debtor(b), open_listing_data())
    services.record_trigger(judge, la, trigger="applicant_request", trigger_on=la.decided_on)
    # Case b: dormant, two empty inquiry rounds since.
    EnforcementCase.objects.filter(pk=b.pk).update(
        status="dormant", closing_mode="dormant", closed_on=lb.decided_on
    )
    cat = PartnerCategory.objects.create(code="t_deposit", name="存款", asset_kind="funds")
    bank = InquiryPartner.objects.create(
        code="t_bank", name="测试银行", category=cat, actions=["query"], shared_secret="s"
    )
    tz = ZoneInfo("Asia/Shanghai")
    for i, day in enumerate((date(2026, 4, 1), date(2026, 5, 6))):
        with time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=tz), tick=False):
            batch = InquiryBatch.objects.create(court=b.court, requested_by=judge, categories=["t_deposit"])
            InquiryRequest.objects.create(
                batch=batch, case=b, court=b.court, party=debtor(b), partner=bank, action=Action.QUERY,
                status="done", idempotency_key=f"pg{i}", notice_number=f"n{i}", outcome={"found": 0},
                completed_at=datetime(day.year, day.month, day.day, 15, tzinfo=tz),
            )  # fmt: skip
    with time_machine.travel(datetime(2026, 5, 7, 9, tzinfo=tz), tick=False):
        assert not _run([services.scan_credit, services.scan_credit])
    assert Listing.objects.get(pk=la.pk).status == "removed"
    assert AuditRecord.objects.filter(action="credit.remove", object_id=str(la.pk)).count() == 1
    x = Listing.objects.get(pk=lb.pk)
    assert (x.status, x.removal_trigger, x.trigger_on) == ("active", "dormant_no_assets", date(2026, 5, 6))
    assert AuditRecord.objects.filter(action="credit.removal_due", object_id=str(lb.pk)).count() == 1
