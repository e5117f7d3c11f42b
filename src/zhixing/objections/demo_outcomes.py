"""Demo of issue 19's retrial route and an interested person's online objection (run at the end of
`demo.seed`), each on a seized flat of its own so they never compete with the other demo states for the
court's few controlled assets:

* a third party's objection, rejected, served 30 days ago, with an application for retrial (申请再审)
  pending at the intermediate court instead of a suit — the flat stays blocked;
* an interested person (the flat's mortgagee, not a party) objecting online, on the public form, to the
  seizure of another flat — under review.

The flats are demo rows (as the auctions demo makes its own); the objections go through the services;
past dates are moved with one audited demo record.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import OPEN_STATUSES, EnforcementCase
from zhixing.core import audit
from zhixing.core.holidays import current_calendar
from zhixing.courts.models import Staff
from zhixing.inquiry.models import Asset, Partner

from . import acts, rules, services
from .models import Objection
from .retrial import file_retrial

# Valid demo ID numbers (check digits computed), never a real person's.
OWNER = ("刘晓燕", "440106198602020626", "该房屋系本人以全款购买并已入住，仅未办理过户登记")
MORTGAGEE = ("黄志明", "440106197906010617", "本人系该房屋的抵押权人，查封时未通知本人")
FLATS = ("粤(2023)广州市不动产权第0106771号", "粤(2023)广州市不动产权第0106772号")


def _flat(case: EnforcementCase, ref: str) -> Asset:
    """A flat of the case's debtor seized 100 days ago (a demo row, like the auctions demo's)."""
    seized_on = timezone.localdate() - timedelta(days=100)
    partner = Partner.objects.get(code="REG-ESTATE")
    return Asset.objects.create(
        case=case,
        party=case.parties.filter(role="debtor").order_by("pk")[0],
        partner=partner,
        category=partner.category,
        kind=Asset.Kind.HOUSE,
        ref=ref,
        description="演示执行异议财产",
        value=Decimal("1200000"),
        divisible=False,
        state=Asset.State.SEIZED,
        seizure_rank=1,
        registered_on=seized_on,
        effective_on=seized_on,
        control_start=seized_on,
        control_expires=seized_on + timedelta(days=3 * 365),
        found_at=timezone.now() - timedelta(days=100),
    )


def seed(court_code: str, clerk: Staff, judge: Staff, panel: list[int]) -> int:
    """The two objections; returns how many were filed (0 without open cases)."""
    taken = set(Objection.objects.values_list("case_id", flat=True))
    cases = [
        c
        for c in EnforcementCase.objects.filter(court__code=court_code, status__in=OPEN_STATUSES)
        .prefetch_related("parties")
        .order_by("pk")[:40]
        if c.pk not in taken and c.parties.filter(role="debtor").exists()
    ][:2]
    made = 0
    for case, ref, person in zip(cases, FLATS, (OWNER, MORTGAGEE), strict=False):
        if person[1] in {p.id_number or p.credit_code for p in case.parties.all()}:
            continue
        flat = _flat(case, ref)
        if person is OWNER:
            _retrial(case, flat, clerk, judge, panel)
        else:
            name, number, claim = person
            acts.file_act_objection(
                None,
                case,
                act_type="seizure",
                act_id=flat.pk,
                grounds="本人对该房屋享有抵押权，查封后法院未通知本人，损害本人优先受偿权",
                interested=services.ObjectorData(name, number, claim, "", "13800000013"),
            )
        made += 1
    return made


def _retrial(case: EnforcementCase, flat: Asset, clerk: Staff, judge: Staff, panel: list[int]) -> None:
    today = timezone.localdate()
    name, number, claim = OWNER
    data = services.ObjectorData(name, number, claim, "购房合同、付款凭证、入住证明", "13800000014")
    obj = services.file_third_party(clerk, case, flat.pk, data, received_on=today - timedelta(days=45))
    reason = "异议人未能证明在查封前已合法占有该房屋"
    obj = services.decide(judge, obj, upheld=False, panel_ids=panel, reason=reason)
    served = today - timedelta(days=30)
    with transaction.atomic():
        # The ruling was made and served in the past: move the demo dates (audited as a demo write).
        Objection.objects.filter(pk=obj.pk).update(
            decided_on=served - timedelta(days=2),
            served_on=served,
            suit_due=rules.suit_due(served, current_calendar()),
        )
        audit.record(
            None,
            "objections.demo",
            object_type="objections.Objection",
            object_id=obj.pk,
            case_id=obj.case_id,
            after={"served_on": served},
            court=obj.court,
        )
    obj.refresh_from_db()
    file_retrial(
        judge,
        obj,
        filed_on=served + timedelta(days=10),
        court="广东省广州市中级人民法院",
        number="（2026）粤01民申3301号",
    )
