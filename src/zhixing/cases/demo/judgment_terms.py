"""Demo for issue 15 §6.3 judgment terms, on cases the showcase already filed (no new case): the
迟延履行金 of the vacate case (double a proven loss, 民诉解释 Art 505) and a Hong Kong creditor's HKD
judgment enforced in RMB at the start day's central parity (迟延履行利息解释 Art 5)."""

from __future__ import annotations

from zhixing.cases.models import EnforcementCase, Obligation
from zhixing.cases.services import JudgmentTerms, record_judgment_terms
from zhixing.courts.models import Staff
from zhixing.courts.roles import Role


def _judge(case: EnforcementCase) -> Staff | None:
    if case.handler_id:
        handler = Staff.objects.filter(pk=case.handler_id, role=Role.JUDGE, is_active=True).first()
        if handler is not None:
            return handler
    return Staff.objects.filter(court=case.court, role=Role.JUDGE, is_active=True).order_by("pk").first()


def seed_judgment_terms_demo() -> int:
    """Record the terms on the showcase's vacate case and HK creditor's case; returns how many."""
    done = 0
    picks = [
        (
            EnforcementCase.objects.filter(obligation=Obligation.VACATE, parties__name="陈志明"),
            JudgmentTerms(late_fee_loss="6000.00", document_ref="迟延履行损失认定笔录"),
        ),
        (
            EnforcementCase.objects.filter(obligation=Obligation.MONEY, parties__name="香港恒信贸易有限公司"),
            JudgmentTerms(currency="HKD", fx_rate="0.9132", document_ref="判决书（港币给付）"),
        ),
    ]
    for qs, terms in picks:
        case = qs.select_related("court").order_by("pk").first()
        judge = _judge(case) if case is not None else None
        if case is None or judge is None:
            continue
        record_judgment_terms(judge, case, terms)
        done += 1
    return done
