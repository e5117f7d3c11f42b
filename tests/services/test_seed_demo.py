"""`seed_demo` (the `zhixing.cases.demo` package): the demo loads once, and its two paths store the same rows.

Below BULK_THRESHOLD every step runs through the services; `--bulk` writes rows directly. For the same
seed on the same day both must leave the same cases, parties and open cases' nodes (the bulk path keeps
fewer node rows of closed cases), or the 1 M-case benchmark measures different data than the demo shows.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from zhixing.cases.demo import bankruptcy as bankruptcy_demo
from zhixing.cases.demo import fidelity as fidelity_demo
from zhixing.cases.models import OPEN_STATUSES, EnforcementCase, Node, Party
from zhixing.core.models import AuditRecord
from zhixing.courts.models import Court, Staff
from zhixing.funds.management.commands import funds_demo_interest
from zhixing.inquiry import demo_preservation
from zhixing.measures import demo as measures_demo

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


def _bankruptcy_demo_cases() -> int:
    """The cases the 执转破 demo files against its candidate companies (as many as its filings pass)."""
    creditors = [name for name, _ in bankruptcy_demo.CREDITORS]
    return (
        EnforcementCase.objects.filter(parties__role="applicant", parties__name__in=creditors)
        .distinct()
        .count()
    )


def test_demo_loads_once() -> None:
    out = StringIO()
    call_command("seed_demo", cases=CASES, stdout=out)
    assert Court.objects.count() == 7 + 3  # entrust_demo: 湖南高院, 长沙中院, 岳麓区法院 (another province)
    # the measures demo and the interest demo file their own
    assert (
        EnforcementCase.objects.count()
        == CASES
        + measures_demo.NEW_CASES
        + funds_demo_interest.NEW_CASES
        + fidelity_demo.NEW_CASES
        + _bankruptcy_demo_cases()
        + demo_preservation.NEW_CASES
    )
    assert Staff.objects.filter(username__in=["admin", "th_judge1", "gd_president"]).count() == 3
    assert AuditRecord.objects.filter(action="case.file").exists()
    # issue 15: a notice waiting for service and served ones (every demo listing serves one first)
    from zhixing.cases.models import EnforcementNotice
    from zhixing.credit.models import Listing

    assert EnforcementNotice.objects.filter(served_on__isnull=True).count() == 1
    served = set(EnforcementNotice.objects.filter(served_on__isnull=False).values_list("case_id", flat=True))
    assert served and set(Listing.objects.values_list("case_id", flat=True)) <= served
    # issue 17: documents of (nearly) every kind on the demo cases, each with its template version and hash
    from zhixing.documents.models import Document

    kinds = set(Document.objects.values_list("kind", flat=True))
    assert len(kinds) >= 10 and {"enforcement_notice", "assistance_notice", "listing_decision"} <= kinds
    assert not Document.objects.filter(sha256="").exists()
    # issue 19.4: settlement agreements on track, with a missed instalment (alerted), fully performed
    from zhixing.cases.models import SettlementAgreement
    from zhixing.command.models import Alert

    assert sorted(SettlementAgreement.objects.values_list("status", flat=True)) == [
        "active",
        "breached",
        "performed",
    ]
    assert Alert.objects.filter(kind="settlement_missed").count() == 1
    # ... and the applicant's online request to resume the breached one, pending for the judge
    from zhixing.cases.models import SettlementResumeRequest

    pending = SettlementResumeRequest.objects.get()
    assert (pending.status, pending.agreement.status) == ("pending", "breached")
    assert f"已生成 {CASES} 件案件" in out.getvalue()
    assert "gd_president" in out.getvalue()

    again = StringIO()
    call_command("seed_demo", if_empty=True, stdout=again)
    assert again.getvalue() == "已有法院数据，跳过演示数据生成。\n"
    # the measures demo and the interest demo file their own
    assert (
        EnforcementCase.objects.count()
        == CASES
        + measures_demo.NEW_CASES
        + funds_demo_interest.NEW_CASES
        + fidelity_demo.NEW_CASES
        + _bankruptcy_demo_cases()
        + demo_preservation.NEW_CASES
    )
    with pytest.raises(CommandError, match="数据库中已有法院数据"):
        call_command("seed_demo", cases=1, verbosity=0)


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
