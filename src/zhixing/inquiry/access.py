"""Who may do what in network inquiry: own-court staff write, higher courts read.

Role sets live here (the courts app's capability table covers case work; these are the inquiry ones).
"""

from __future__ import annotations

from typing import Any

from zhixing.courts.models import Court
from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Role

from . import conf

# 一键查控 / 集中查控: the handling team and the command center's operators.
REQUEST_ROLES = frozenset({Role.JUDGE, Role.ASSISTANT, Role.DIRECTOR, Role.OPERATOR})
# Control orders (freeze, seize, deduct, release, renew) and triage decisions: judges and the director.
CONTROL_ROLES = frozenset({Role.JUDGE, Role.DIRECTOR})


def can_read(user: Any, court: Court) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_read_court(user, court)


def can_request(user: Any, court: Court) -> bool:
    return can_write_court(user, court) and user.is_active and user.role in REQUEST_ROLES


def can_control(user: Any, court: Court) -> bool:
    return can_write_court(user, court) and user.is_active and user.role in CONTROL_ROLES


def approval_chain() -> list[str]:
    return [r.strip() for r in conf.option("approval_chain") if r.strip()]


def next_step(approvals: list[dict[str, Any]]) -> str | None:
    """The role whose approval is still missing, or None when the chain is complete."""
    done = {a["role"] for a in approvals}
    return next((role for role in approval_chain() if role not in done), None)


def can_approve(user: Any, court: Court, approvals: list[dict[str, Any]], requester_id: int | None) -> bool:
    step = next_step(approvals)
    return (
        step is not None
        and can_write_court(user, court)
        and user.is_active
        and user.role == step
        and user.pk != requester_id
        and all(a["by"] != user.pk for a in approvals)
    )
