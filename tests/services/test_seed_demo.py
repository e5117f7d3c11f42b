"""`seed_demo` (the `zhixing.cases.demo` package): refusals, and its two paths store the same rows (that the
demo loads once is checked on a shared demo load: tests/services/test_demo_world.py).

Below BULK_THRESHOLD every step runs through the services; `--bulk` writes rows directly. For the same
seed on the same day both must leave the same cases, parties and open cases' nodes (the bulk path keeps
fewer node rows of closed cases), or the 1 M-case benchmark measures different data than the demo shows.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Node, Party
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Court, Staff

pytestmark = pytest.mark.django_db

CASES = 40


def _rows() -> dict[str, list[Any]]:
    cases = list(
        EnforcementCase.objects.order_by("number").values_list(
            "number",
            "status",
            "court__code",
            "applied_on",
            "filed_on",
            "handler__username",
            "team__name",
            "assigned_on",
            "term_due",
            "next_due_on",
            "extension_months",
            "closing_mode",
            "closed_on",
            "principal",
            "application_fee",
            "origin__number",
        )
    )
    parties = list(
        Party.objects.order_by("case__number", "role", "name", "id_number", "credit_code").values_list(
            "case__number", "role", "kind", "name", "id_number", "credit_code", "is_minor"
        )
    )
    nodes = list(
        Node.objects.filter(case__status__in=OPEN_STATUSES)
        .order_by("case__number", "node_type__code", "started_on")
        .values_list("case__number", "node_type__code", "handler__username", "started_on", "due_on", "status")
    )
    return {"cases": cases, "parties": parties, "nodes": nodes}


def test_negative_size_is_refused() -> None:
    with pytest.raises(CommandError, match="--cases 不能为负数"):
        call_command("seed_demo", cases=-1, verbosity=0)
    assert not Court.objects.exists()


def test_production_never_gets_the_demo_and_its_public_password(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据"):
        call_command("seed_demo", if_empty=True, verbosity=0)
    assert not Court.objects.exists()
    assert not Staff.objects.exists()


# Transactional: the bulk path sets SQLite's synchronous pragma, which cannot change inside a transaction.
# The services run is rolled back; the bulk run commits and is flushed afterwards (the reference data the
# migrations load is restored from the serialized copy).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_bulk_path_stores_what_the_services_store() -> None:
    """The case generator's two paths (seed_demo's other domains' demo commands then act on chosen
    cases; which ones differs with the rows each path leaves, so they are not part of the comparison)."""
    from zhixing.cases.demo import Seeder

    with transaction.atomic():
        Seeder(out=lambda _: None, quiet=True).run(CASES, 2026, False)
        through_services = _rows()
        transaction.set_rollback(True)
    assert not Court.objects.exists()

    Seeder(out=lambda _: None, quiet=True).run(CASES, 2026, True)
    in_bulk = _rows()

    assert len(in_bulk["cases"]) == CASES
    assert {c[1] for c in in_bulk["cases"]} >= {"in_progress", "closed", "dormant"}
    for table in ("cases", "parties", "nodes"):
        assert in_bulk[table] == through_services[table], table
    # One batch of original cases, one of the resumed (执恢) cases planned after them.
    assert AuditRecord.objects.filter(action="demo.bulk_seed").count() == 2
