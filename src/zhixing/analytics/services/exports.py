"""Auditing what leaves the platform: one audit record per export (who, what, which filter, how many rows)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhixing.core import audit

from ..models import Profile


def record_export(user: Any, profile: Profile, what: str, *, rows: int, filters: dict[str, Any]) -> None:
    """Audit one download of a profile's report or evidence (`what`: evidence.csv, report.docx, ...).

    A download is a read, but what it carries (transactions, accounts, counterparties) leaves the
    platform, so it is recorded like a look-up of a person's property: on the case's chain.
    """
    with transaction.atomic():
        audit.record(
            user,
            "analytics.export",
            object_type="Profile",
            object_id=profile.pk,
            case_id=profile.party.case_id,
            court=profile.court,
            after={"what": what, "filter": filters, "rows": rows},
        )
