"""Chinese names for the codes the funds pages show (receipt sources, approval roles, ledger kinds)."""

from __future__ import annotations

from zhixing.courts.roles import Role

RECEIPT_SOURCES = {
    "notice": "银行来款通知",
    "statement": "对账单",
    "deduction": "扣划",
    "manual": "手工登记",
}

TRANSACTION_KINDS = {
    "receipt": "来款",
    "claim": "不明款认领",
    "payout": "发款",
    "fee": "申请执行费",
    "costs": "执行费用",
    "hold": "提存",
    "release": "解除提存",
    "return": "不明款退回",
    "reversal": "冲正",
    "reward": "悬赏金",
}


def source_label(code: str) -> str:
    return RECEIPT_SOURCES.get(code, code or "—")


def role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def kind_label(code: str) -> str:
    return TRANSACTION_KINDS.get(code, code)
