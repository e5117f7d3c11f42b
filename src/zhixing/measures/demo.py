"""Demo states for the measures pages (`make run`): three 天河 cases walked through the real services.

1. paid in full with two accounts frozen and the debtor listed: proposals open (freeze, consumption, listing);
2. the same, then the judge accepts the release and declines the listing removal with a reason;
3. closed as 终结执行: restrictions lifted and listing removed automatically; the bank refuses the release
   of a frozen account (the answer a partner sends), so the consequence shows the bank's reason and waits
   for its retry.

The partners' answers to the freezes are applied through inquiry's feedback service, as the dispatcher
does when a partner answers; nothing reaches into the sandbox.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.closing import CLOSING_FIELDS
from zhixing.cases.models import CaseStatus, EnforcementCase, Party
from zhixing.cases.services.performance import record_payment
from zhixing.core.identity import IdentityError, check_resident_id
from zhixing.courts.models import Staff
from zhixing.credit import services as credit_services
from zhixing.inquiry import queries as inquiry_queries
from zhixing.inquiry import services as inquiry_services
from zhixing.inquiry.models import Asset, InquiryRequest, Partner
from zhixing.inquiry.services import feedback

from . import services
from .models import Proposal


def _answer(req: InquiryRequest, answer: dict[str, Any]) -> None:
    InquiryRequest.objects.filter(pk=req.pk).update(status=InquiryRequest.Status.SENDING)
    feedback.apply_control(req, {"key": req.idempotency_key, **answer})


def _frozen_account(
    judge: Staff, director: Staff, case: EnforcementCase, party: Party, ref: str, amount: str
) -> Asset:
    bank = Partner.objects.get(code="BANK-ICBC")
    asset = Asset.objects.create(
        case=case,
        party=party,
        partner=bank,
        category=bank.category,
        kind=Asset.Kind.ACCOUNT,
        ref=ref,
        value=Decimal(amount) + Decimal("1000"),
        found_at=timezone.now(),
    )
    req = inquiry_services.approve(
        director, inquiry_services.request_control(judge, asset, "freeze", amount=amount)
    )
    _answer(req, {"status": "done", "result": {"frozen": amount, "partial": False}})
    return asset


def _candidates(judge: Staff) -> list[tuple[EnforcementCase, Party]]:
    today = timezone.localdate()
    out = []
    # Cases no other demo has touched: no controls yet, nobody listed (inquiry_demo_controls runs first).
    for case in (
        EnforcementCase.objects.filter(
            court=judge.court, handler=judge, status=CaseStatus.IN_PROGRESS, principal__gt=0
        )
        .exclude(pk__in=Asset.objects.values("case_id"))
        .exclude(pk__in=InquiryRequest.objects.values("case_id"))
        .order_by("pk")
    ):
        party = case.parties.filter(role=Party.Role.DEBTOR, kind=Party.Kind.PERSON).first()
        if party is None:
            continue
        try:
            rid = check_resident_id(party.id_number, today)
        except IdentityError:
            continue
        if (today - rid.birth_date).days > 19 * 366:  # an adult (a minor may never be listed, 失信规定 Art 4)
            out.append((case, party))
        if len(out) == 3:
            break
    return out


def _restrict(judge: Staff, case: EnforcementCase, party: Party) -> None:
    credit_services.list_debtor(
        judge,
        case,
        party,
        credit_services.ListingData(ground=4, dishonest_act="拒不报告财产，经传唤无正当理由拒不到庭"),
    )
    credit_services.restrict_exit(judge, case, party, initiation="ex_officio", bound_persons=[])


def _pay_all(case: EnforcementCase) -> None:
    case.refresh_from_db()
    owed = inquiry_queries.case_claim(case).outstanding
    record_payment(
        case.pk,
        owed,
        timezone.localdate(),
        source="direct",
        reference=f"DEMO-PAY-{case.pk}",
        note="被执行人直接向申请执行人履行（演示）",
    )


def seed(judge: Staff, director: Staff) -> int:
    """Build the three demo cases; returns how many were made (fewer when the demo has too few cases)."""
    picked = _candidates(judge)
    for i, (case, party) in enumerate(picked):
        half = (case.principal / 2).quantize(Decimal("0.01"))
        _restrict(judge, case, party)
        _frozen_account(judge, director, case, party, f"6222 0210 0{case.pk:04d} 001", str(half))
        _frozen_account(
            judge, director, case, party, f"6222 0210 0{case.pk:04d} 002", str(case.principal - half)
        )
        if i < 2:
            _pay_all(case)
        if i == 1:
            services.accept(judge, Proposal.objects.get(case=case, measure="freeze", status="open"))
            services.decline(
                judge,
                Proposal.objects.get(case=case, measure="listing", status="open"),
                "申请执行人称部分款项尚未到账，待核实后再删除",
            )
        if i == 2:
            details = {
                s.name: s.choices[0][0] if s.kind == "choice" else f"（{date.today().year}）粤0106执恢演示号"
                for s in CLOSING_FIELDS["terminated"]
            }
            case_services.close_case(
                judge, case, mode="terminated", closed_on=timezone.localdate(), details=details
            )
            first = InquiryRequest.objects.filter(case=case, action="release").order_by("pk").first()
            if first is not None:
                _answer(first, {"status": "error", "error": "该账户已被其他法院续行冻结，本次解除需人工核实"})
                services.watch_releases()
    return len(picked)
