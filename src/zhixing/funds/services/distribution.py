"""Distribution plans (财产分配方案): the draft, its claims (参与分配) and the computed shares.

The objection lifecycle is in `distribution_objections`, the Excel import in `distribution_import`,
the tie to the case's money (payouts, paid) in `distribution_money`. Rules: `funds.distribution_rules`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import queries as case_queries
from zhixing.cases.models import EnforcementCase, Party
from zhixing.core import audit
from zhixing.core.errors import Conflict, NotPermitted, ServiceError
from zhixing.core.id_documents import parse_subject
from zhixing.core.identity import IdentityError
from zhixing.core.money import AmountError, parse_amount
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Role
from zhixing.inquiry.queries_seizure import first_seizure

from .. import distribution_rules as dr
from ..models import DistributionClaim, DistributionPlan
from . import fees

PLAN_ROLES = {Role.JUDGE, Role.DIRECTOR}
S = DistributionPlan.Status
OPEN = (S.DRAFT, S.SERVED, S.OBJECTED, S.COUNTERED, S.SUING, S.FINAL)
CLAIM_FIELDS = (
    "party_id",
    "creditor_name",
    "creditor_id_number",
    "kind",
    "rank",
    "amount",
    "security_date",
    "seized_on",
    "applied_on",
    "basis",
    "evidence",
)


def check_actor(actor: Any, case: EnforcementCase) -> None:
    if not can_write_court(actor, case.court) or getattr(actor, "role", "") not in PLAN_ROLES:
        raise NotPermitted("只有本院执行法官或局长可以办理财产分配")


def record(actor: Any, action: str, plan: DistributionPlan, **after: Any) -> None:
    audit.record(
        actor,
        f"funds.plan_{action}",
        object_type="funds.DistributionPlan",
        object_id=plan.pk,
        case_id=plan.case_id,
        after=after,
    )


def lock(plan: DistributionPlan) -> DistributionPlan:
    return (
        DistributionPlan.objects.select_for_update(of=("self",))
        .select_related("case", "court")
        .get(pk=plan.pk)
    )


def money(value: Any, field: str, label: str, *, allow_zero: bool = False) -> Decimal:
    try:
        return parse_amount(value, field=label, allow_zero=allow_zero)
    except AmountError as exc:
        raise ServiceError(str(exc), field=field) from exc


def day(value: Any, field: str, label: str, *, required: bool = False) -> date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(f"请填写{label}", field=field)
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ServiceError(f"{label}格式应为YYYY-MM-DD：{value}", field=field) from exc


def available(case: EnforcementCase) -> Decimal:
    """What a plan may distribute: the case balance less payouts already promised."""
    return fees.case_balance(case.pk) - fees.committed(case.pk)


def _debtor(case: EnforcementCase) -> Party | None:
    return next((p for p in case_queries.case_parties(case) if p.role == Party.Role.DEBTOR), None)


def _plan_debtor(plan: DistributionPlan) -> Party | None:
    """The debtor whose property the plan distributes (plans before issue 15: the case's first)."""
    return plan.debtor if plan.debtor_id else _debtor(plan.case)


# rule
def choose_debtor(case: EnforcementCase, debtor_id: Any, form: str) -> tuple[Party | None, str]:
    """The debtor whose property is distributed and its legal form — every debtor of the case is
    considered: with several, the judge names the one; the form decides how ordinary claims share
    (`distribution_rules.DEBTOR_FORMS`); without one, the form the case's record suggests."""
    debtors = [p for p in case_queries.case_parties(case) if p.role == Party.Role.DEBTOR]
    raw = str(debtor_id or "").strip()
    if raw:
        debtor = next((p for p in debtors if str(p.pk) == raw), None)
        if debtor is None:
            raise ServiceError("所选被执行人不是本案的被执行人", field="debtor_id")
    elif len(debtors) > 1:
        names = "、".join(p.name for p in debtors)
        raise ServiceError(
            f"本案有{len(debtors)}名被执行人（{names}），请选择被分配财产所属的被执行人", field="debtor_id"
        )
    else:
        debtor = debtors[0] if debtors else None
    form = (form or "").strip()
    if debtor is None:
        return None, form or dr.ENTERPRISE
    suggested = dr.infer_form(debtor.kind, debtor.name, debtor.credit_code)
    if not form:
        return debtor, suggested
    if form not in dr.DEBTOR_FORMS:
        raise ServiceError(f"被执行人类型无效：{form}", field="debtor_form")
    if (debtor.kind == Party.Kind.PERSON) != (form == dr.PERSON) and suggested != dr.PERSON:
        raise ServiceError(
            f"被执行人{debtor.name}为{debtor.get_kind_display()}，类型不能选“{dr.DEBTOR_FORMS[form][0]}”",
            field="debtor_form",
        )
    return debtor, form


def create_plan(
    actor: Any,
    case: EnforcementCase,
    *,
    proceeds: Any = "",
    costs: Any = "",
    cutoff_on: Any = None,
    first_seizing_court: str = "",
    claims: list[dict[str, Any]] | None = None,
    debtor_id: Any = "",
    debtor_form: str = "",
) -> DistributionPlan:
    """A draft plan over the case's money (never more than its balance), by the first-seizing court."""
    check_actor(actor, case)
    avail = available(case)
    total = avail if str(proceeds or "").strip() == "" else money(proceeds, "proceeds", "分配财产总额")
    if total <= 0:
        raise Conflict(f"本案案款余额为{avail:,.2f}元，没有可分配的款项", field="proceeds")
    if total > avail:
        raise Conflict(f"分配财产总额{total:,.2f}元超过本案案款余额{avail:,.2f}元", field="proceeds")
    cost = min(fees.outstanding_fee(case), total) if str(costs or "").strip() == "" else None
    if cost is None:
        cost = money(costs, "costs", "执行费用", allow_zero=True)
    if cost > total:
        raise ServiceError("执行费用不能超过分配财产总额", field="costs")
    fact = first_seizure(case.pk)
    if fact is not None:
        if not fact.first:
            raise Conflict(
                f"本案对被执行财产为轮候查封（{fact.label}），应由首先查封的法院主持分配（执行工作规定第五十六条）",
                field="first_seizing_court",
            )
        first, basis = case.court.name, f"查控记录：{fact.label}"
    else:
        first = (first_seizing_court or "").strip()
        refusal = dr.seizure_refusal(case.court.name, first)
        if refusal:
            raise Conflict(refusal, field="first_seizing_court")
        basis = "承办人登记（本案无查控记录）"
    cutoff = day(cutoff_on, "cutoff_on", "参与分配截止日")
    debtor, form = choose_debtor(case, debtor_id, debtor_form)
    with transaction.atomic():
        fees.lock_case_account(case)
        live = DistributionPlan.objects.filter(case_id=case.pk, status__in=OPEN).first()
        if live is not None:
            raise Conflict(f"本案已有进行中的分配方案#{live.pk}（{live.get_status_display()}）", field="plan")
        plan = DistributionPlan.objects.create(
            court_id=case.court_id,
            case=case,
            proceeds=total,
            costs=cost,
            debtor=debtor,
            debtor_kind=form,
            first_seizing_court=first,
            seizure_basis=basis,
            cutoff_on=cutoff,
        )
        record(
            actor,
            "create",
            plan,
            proceeds=total,
            costs=cost,
            first_seizing_court=first,
            debtor=debtor.name if debtor else "",
            debtor_form=form,
        )
        for i, c in enumerate(claims or []):
            add_claim(actor, plan, _legacy(c), row=f"第{i + 1}项债权：", prefix=f"claims[{i}].")
        recompute(plan)
    return plan


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
    if not rank_text.isdigit() or not 1 <= int(rank_text) <= 999:
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
    basis = str(data.get("basis") or "").strip()[:128]
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
        "evidence": str(data.get("evidence") or "").strip()[:500],
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


def claim_inputs(
    claims: list[DistributionClaim], amounts: dict[int, Decimal] | None = None, case_basis: str = ""
) -> list[dr.ClaimIn]:
    """The claims for the pure allocation; each names its instrument (the case's own for its parties)."""
    amounts = amounts or {}
    return [
        dr.ClaimIn(
            ref=str(c.pk),
            kind=c.kind,
            amount=amounts.get(c.pk, c.amount),
            rank=c.rank,
            security_date=c.security_date,
            seized_on=c.seized_on,
            instrument=(c.basis or (case_basis if c.party_id else "")).strip(),
        )
        for c in claims
    ]


def allocation(plan: DistributionPlan, amounts: dict[int, Decimal] | None = None) -> dr.Allocation:
    return dr.allocate(
        plan.proceeds,
        plan.costs,
        claim_inputs(list(plan.claims.all()), amounts, plan.case.basis_number),
        enterprise_debtor=not dr.pro_rata(plan.debtor_kind or dr.PERSON),
    )


def recompute(plan: DistributionPlan) -> None:
    """Store the shares of the plan's claims (and the surplus to the debtor) in `lines`."""
    claims = {str(c.pk): c for c in plan.claims.all()}
    result = allocation(plan)
    debtor = _plan_debtor(plan)
    lines: list[dict[str, Any]] = [
        {
            "claim_id": int(ln.ref),
            "party_id": claims[ln.ref].party_id,
            "creditor": claims[ln.ref].creditor_name,
            "rank": ln.kind,
            "order": claims[ln.ref].rank,
            "tier": ln.tier,
            "claimed": str(ln.claimed),
            "paid": str(ln.paid),
        }
        for ln in result.lines
    ]
    lines.append(
        {
            "claim_id": None,
            "party_id": debtor.pk if debtor else None,
            "creditor": f"{debtor.name if debtor else '被执行人'}（剩余款退还）",
            "rank": "surplus",
            "paid": str(result.surplus),
        }
    )
    plan.lines = lines
    plan.save(update_fields=["lines"])
