"""The case's deadlines read the day of an electronic service (zhixing.documents.events).

An enforcement notice served electronically on a debtor is served on the day it reached the debtor's
system (CPL-2023 Art 90, `core.service_of_documents`, method "electronic"): `record_notice_service` then
starts the notice's performance period, the asset-report order's period and completes the `notice` node,
as a notice served by hand does. A notice already recorded as served (e.g. another debtor first, or by
hand) is left as it is: the first service starts the periods.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from zhixing.core.errors import ServiceError

from .models import EnforcementCase, EnforcementNotice, Party

log = logging.getLogger("zhixing.cases.eservice")
SERVED_KINDS = ("enforcement_notice", "asset_report_order")


# rule
def on_document_served(
    sender: Any, *, document: Any, party_id: int, served_on: Any, actor: Any, **_: Any
) -> None:
    if document.kind not in SERVED_KINDS:
        return
    if not Party.objects.filter(pk=party_id, case_id=document.case_id, role=Party.Role.DEBTOR).exists():
        return
    if not EnforcementNotice.objects.filter(case_id=document.case_id, served_on__isnull=True).exists():
        return
    from .services.notice import record_notice_service

    case = EnforcementCase.objects.select_related("court").get(pk=document.case_id)
    try:
        with transaction.atomic():  # a savepoint: a refused recording leaves the delivery proof intact
            record_notice_service(actor, case, method="electronic", act_on=served_on)
    except ServiceError as exc:
        log.warning("e-service of %s not recorded on the notice: %s", document.pk, exc.message)


def install() -> None:
    from zhixing.documents.events import document_served

    document_served.connect(on_document_served, dispatch_uid="cases.notice_eservice")
