"""The claims of a distribution plan (参与分配): each checked and added while the plan is a draft,
or removed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.field_lengths import text_within
from zhixing.core.id_documents import parse_subject
from zhixing.core.identity import IdentityError
from zhixing.core.money import AmountError, parse_amount

from .. import distribution_rules as dr
from ..models import DistributionClaim, DistributionPlan
from .distribution_checks import S, check_actor, day, lock
from .distribution_shares import recompute


def _legacy(c: dict[str, Any]) -> dict[str, Any]:
    """Accept the older claim dicts ({"creditor", "amount", "priority", "priority_date", "seized_on"})."""
    if "creditor_name" in c or "creditor" not in c:
        return c
    return {
        "creditor_name": c.get("creditor"),
        "amount": c.get("amount"),
        "kind": dr.SECURED if c.get("priority") else dr.ORDINARY,
        "security_date": c.get("priority_date"),
        "seized_on": c.get("seized_on"),
        "creditor_id_number": c.get("creditor_id_number", ""),
        "applied_on": c.get("applied_on"),
        "basis": c.get("basis", ""),
    }


def clean_claim(
    plan: DistributionPlan, data: dict[str, Any], row: str = "", prefix: str = ""
) -> dict[str, Any]:
    """The claim's fields checked (errors name the field, and `row` says which row of a file)."""

    def err(msg: str, field: str) -> ServiceError:
        return ServiceError(f"{row}{msg}", field=f"{prefix}{field}")

    case = plan.case
    party = None
    pid = str(data.get("party_id") or "").strip()
    if pid:
        party = next((p for p in case_queries.case_parties(case) if str(p.pk) == pid), None)
        if party is None:
            raise err("所选当事人不属于本案", "party_id")
        if party.role == Party.Role.DEBTOR:
            raise err("被执行人不能作为参与分配的债权人", "party_id")
    name = party.name if party else str(data.get("creditor_name") or "").strip()
    if not name:
        raise err("请填写债权人（或选择本案当事人）", "creditor_name")
    if len(name) > 128:
        raise err("债权人名称过长", "creditor_name")
    id_number = party.id_number or party.credit_code if party else str(data.get("creditor_id_number") or "")
    id_number = id_number.strip().upper()
    if party is None:
        if not id_number:
            raise err("案外债权人须填写身份证号码或统一社会信用代码", "creditor_id_number")
        try:
            parse_subject(id_number, timezone.localdate())
        except IdentityError as exc:
            raise err(str(exc), "creditor_id_number") from exc
    kind = str(data.get("kind") or dr.ORDINARY).strip()
    labels = {v: k for k, v in dr.KIND_LABELS.items()}
    kind = labels.get(kind, kind)
    if kind not in dr.KINDS:
        raise err("债权种类应为法定优先权、担保物权或普通债权", "kind")
    rank_text = str(data.get("rank") or "1").strip()
    if (
        not (rank_text.isascii() and rank_text.isdigit())
        or len(rank_text) > 3
        or not 1 <= int(rank_text) <= 999
    ):
        raise err("顺位应为1至999的整数", "rank")
    try:
        amount = parse_amount(data.get("amount"), field="债权金额", allow_zero=False)
    except AmountError as exc:
        raise err(str(exc), "amount") from exc
    try:
        security = day(data.get("security_date"), "security_date", "担保物权设立日")
        seized = day(data.get("seized_on"), "seized_on", "查封日")
        applied = day(data.get("applied_on"), "applied_on", "申请参与分配日") or timezone.localdate()
    except ServiceError as exc:
        raise err(exc.message, exc.field or "") from exc
    if kind == dr.SECURED and security is None:
        raise err("担保物权须填写设立（登记）日期", "security_date")
    refusal = dr.joining_refusal(applied, case.filed_on, plan.cutoff_on)
    if refusal:
        raise err(refusal, "applied_on")
    basis = str(data.get("basis") or "").strip()
    evidence = str(data.get("evidence") or "").strip()
    text_within(basis, DistributionClaim, "basis", field=f"{prefix}basis", row=row)
    text_within(evidence, DistributionClaim, "evidence", field=f"{prefix}evidence", row=row)
    refusal = dr.basis_refusal(kind, basis, party is not None)
    if refusal:
        raise err(refusal, "basis")
    return {
        "party": party,
        "creditor_name": name,
        "creditor_id_number": id_number,
        "kind": kind,
        "rank": int(rank_text),
        "amount": amount,
        "security_date": security,
        "seized_on": seized,
        "applied_on": applied,
        "basis": basis,
        "evidence": evidence,
    }


def _draft(plan: DistributionPlan) -> None:
    if plan.status != S.DRAFT:
        raise Conflict("方案已送达，参与分配已截止，不能再增减债权（如需修正请登记异议）", field="plan")


def add_claim(
    actor: Any,
    plan: DistributionPlan,
    data: dict[str, Any],
    *,
    evidence_file: Any = None,
    row: str = "",
    prefix: str = "",
) -> DistributionClaim:
    check_actor(actor, plan.case)
    with transaction.atomic():
        plan = lock(plan)
        _draft(plan)
        values = clean_claim(plan, data, row, prefix)
        claim = DistributionClaim(plan=plan, position=plan.claims.count() + 1, **values)
        if evidence_file is not None:
            claim.evidence_file = evidence_file
        claim.save()
        audit.record(
            actor,
            "funds.plan_claim_add",
            object_type="funds.DistributionClaim",
            object_id=claim.pk,
            case_id=plan.case_id,
            after={k: v for k, v in values.items() if k != "party"},
        )
        recompute(plan)
    return claim


def remove_claim(actor: Any, claim_id: int, plan: DistributionPlan) -> None:
    check_actor(actor, plan.case)
    with transaction.atomic():
        plan = lock(plan)
        _draft(plan)
        claim = plan.claims.filter(pk=claim_id).first()
        if claim is None:
            raise ServiceError("该债权不在本方案中", field="claim_id")
        audit.record(
            actor,
            "funds.plan_claim_remove",
            object_type="funds.DistributionClaim",
            object_id=claim.pk,
            case_id=plan.case_id,
            before={"creditor_name": claim.creditor_name, "amount": claim.amount},
        )
        claim.delete()
        recompute(plan)
