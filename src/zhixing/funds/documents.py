"""The funds domain's documents on the documents capability: the distribution plan (财产分配方案), and the
case account contributed to the enforcement notice (一案一账号: the debtor pays straight into the case).
"""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import ServiceError
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Kind, NotApplicable

from .models import DistributionPlan
from .services.accounts import case_account

_RANKS = {"priority": "法定优先权", "secured": "担保物权", "ordinary": "普通债权", "surplus": "剩余款退还"}


def _line(ln: dict[str, Any]) -> str:
    claimed = ln.get("claimed")
    claim = f"债权{fields.yuan(claimed)}元，" if claimed not in (None, "", "—") else ""
    rank = _RANKS.get(ln.get("rank", ""), "普通债权")
    return f"{ln.get('creditor', '')}（{rank}）：{claim}分配{fields.yuan(ln.get('paid', 0))}元"


def plan_context(plan: DistributionPlan) -> dict[str, Any]:
    lines = [_line(ln) for ln in plan.lines]
    if not lines:
        raise NotApplicable("分配方案尚无分配明细")
    return {
        "court": plan.court.name,
        "document_number": f"{plan.case.number}之分配方案{plan.pk}",
        "case_number": plan.case.number,
        "debtor": plan.debtor.name if plan.debtor is not None else "被执行人",
        "proceeds": fields.yuan(plan.proceeds),
        "costs": fields.yuan(plan.costs),
        "lines": "\n".join(f"{i}. {t}；" for i, t in enumerate(lines, 1)),
        "date": fields.cn_date(plan.created_at),
    }


def distribution_plan(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    plan = (
        DistributionPlan.objects.select_related("case", "court", "debtor")
        .filter(case_id=case.pk, pk=object_id(source) or 0)
        .first()
    )
    if plan is None:
        raise NotApplicable("请选择本案的财产分配方案")
    return plan_context(plan)


def plan_sources(case: Any) -> list[tuple[str, str]]:
    rows = DistributionPlan.objects.filter(case_id=case.pk).order_by("-pk")[:50]
    return [(str(p.pk), f"分配方案{p.pk}（第{p.version}版，{p.get_status_display()}）") for p in rows]


def case_account_fields(case: Any, ctx: dict[str, Any]) -> dict[str, Any]:
    """The case's own sub-account, opened on first use (funds.services.accounts.case_account). A court
    without a custody account keeps the notice's "ask the bureau" wording rather than refusing the notice."""
    try:
        acc = case_account(case)
    except ServiceError:
        return {}
    return {
        "account_bank": acc.custody.bank_name,
        "account_name": acc.custody.account_name,
        "account_number": acc.number,
    }


def install() -> None:
    """Register the plan and the case-account contribution (called from FundsConfig.ready)."""
    kinds.register(
        Kind(
            "distribution_plan",
            "财产分配方案",
            distribution_plan,
            Cap.NODE_COMPLETE,
            plan_sources,
            "财产分配方案",
        )
    )
    kinds.contribute("enforcement_notice", case_account_fields)
