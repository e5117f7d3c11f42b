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

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.closing import CLOSING_FIELDS
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.services import FilingData, PartyData
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


PRINCIPALS = ("86000.00", "120000.00", "45000.00")
NEW_CASES = len(PRINCIPALS)  # filed on top of seed_demo's --cases


def _template(court_id: int) -> tuple[Party, Party] | None:
    """An applicant and an adult person debtor of one of the court's demo cases, to file new cases with."""
    today = timezone.localdate()
    for debtor in Party.objects.filter(
        case__court_id=court_id, role=Party.Role.DEBTOR, kind=Party.Kind.PERSON, is_minor=False
    ).order_by("pk")[:200]:
        try:
            rid = check_resident_id(debtor.id_number, today)
        except IdentityError:
            continue
        applicant = Party.objects.filter(case_id=debtor.case_id, role=Party.Role.APPLICANT).first()
        if applicant is not None and (today - rid.birth_date).days > 19 * 366:  # adults only (失信规定 Art 4)
            return applicant, debtor
    return None


def _as_data(p: Party) -> PartyData:
    return PartyData(
        role=p.role,
        kind=p.kind,
        name=p.name,
        id_number=p.id_number,
        credit_code=p.credit_code,
        address=p.address,
        phone=p.phone,
        legal_representative=p.legal_representative,
    )


def _new_cases(clerk: Staff, director: Staff, judge: Staff) -> list[tuple[EnforcementCase, Party]]:
    """Three new cases of the demo court, filed and assigned through the services: the measures demo
    never depends on what the other demos did to the existing cases."""
    pair = _template(judge.court_id) if judge.court_id else None
    if pair is None or clerk.court is None:
        return []
    applicant, debtor = pair
    today = timezone.localdate()
    out = []
    for i, principal in enumerate(PRINCIPALS, start=1):
        data = FilingData(
            case_type="执",
            applied_on=today - timedelta(days=40),
            filed_on=today - timedelta(days=38),
            instrument_type="civil_judgment",
            issuing_body=clerk.court.name,
            basis_number=f"（{today.year - 1}）{clerk.court.code}民初{9000 + i}号",
            effective_on=today - timedelta(days=90),
            performance_deadline=today - timedelta(days=60),
            principal=principal,
            parties=[_as_data(applicant), _as_data(debtor)],
            confirm_duplicate=True,
        )
        case = case_services.file_case(clerk, clerk.court, data)
        case = case_services.assign_case(director, case, judge, on=today)
        out.append((case, case.parties.get(role=Party.Role.DEBTOR)))
    return out


def _restrict(judge: Staff, case: EnforcementCase, party: Party) -> None:
    case_services.issue_and_serve_notice(judge, case, on=case.filed_on)  # 失信规定 Art 5(1)
    credit_services.list_debtor(
        judge,
        case,
        party,
        # Ground 1 (no term): the Art 10(1) events delete it, so the demo shows the listing consequences
        # (a fixed-term listing stays until expiry, 失信规定 Art 10(2)).
        credit_services.ListingData(
            ground=1,
            dishonest_act="有履行能力而拒不履行，经传唤无正当理由拒不到庭",
            guarantee_confirmed=True,
            order_confirmed=True,
            ability_confirmed=True,
        ),
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


def _released(case: EnforcementCase) -> None:
    """The bank's answers to the release orders still waiting (the demo's freezes were never at the
    sandbox, so the orders are answered here rather than dispatched to it)."""
    for req in InquiryRequest.objects.filter(
        case=case, action="release", status=InquiryRequest.Status.PENDING
    ).select_related("asset"):
        held = req.asset.frozen_amount if req.asset else Decimal("0")
        _answer(req, {"status": "done", "result": {"released": str(req.amount or held)}})


def seed(clerk: Staff, judge: Staff, director: Staff) -> int:
    """File and walk the three demo cases; returns how many were made (none without a template debtor)."""
    picked = _new_cases(clerk, director, judge)
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
            _released(case)
            services.decline(
                judge,
                Proposal.objects.get(case=case, measure="listing", status="open"),
                "申请执行人称部分款项尚未到账，待核实后再删除",
            )
        if i == 2:
            details = {
                s.name: s.choices[0][0]
                if s.kind == "choice"
                else timezone.localdate().isoformat()
                if s.kind == "date"
                else f"（{timezone.localdate().year}）粤0106执恢演示号"
                for s in CLOSING_FIELDS["terminated"]
            }
            case_services.close_case(
                judge, case, mode="terminated", closed_on=timezone.localdate(), details=details
            )
            first = InquiryRequest.objects.filter(case=case, action="release").order_by("pk").first()
            if first is not None:
                _answer(first, {"status": "error", "error": "该账户已被其他法院续行冻结，本次解除需人工核实"})
                _released(case)
                services.watch_releases()
    return len(picked)
