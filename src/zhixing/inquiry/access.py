"""Who may do what in network inquiry: own-court staff write, higher courts read, roles per the table.

Which roles may ask partners, order controls, see a case's asset register or export the inquiry log
is data in the platform's one capability table (`zhixing.courts.roles`: `Cap.INQUIRY_*`,
`Cap.ASSET_REGISTER_VIEW`); approving a control order follows the configured approval chain of roles.
"""

from __future__ import annotations

from typing import Any

from zhixing.courts.models import Court
from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Cap

from . import conf

REGISTER_REFUSED = "您的岗位不能查看财产登记（查控结果）"
LOG_EXPORT_REFUSED = "您的岗位不能导出查控日志"


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def can_read(user: Any, court: Court) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can_read_court(user, court)


def can_request(user: Any, court: Court) -> bool:
    """一键查控 / 集中查控: the handling team and the command center's operators of the court."""
    return _active(user) and can_write_court(user, court) and user.can(Cap.INQUIRY_REQUEST)


def can_control(user: Any, court: Court) -> bool:
    """Control orders (freeze, seize, deduct, release, renew) and triage decisions."""
    return _active(user) and can_write_court(user, court) and user.can(Cap.INQUIRY_CONTROL)


def can_view_register(user: Any, court: Court) -> bool:
    """The asset register of a case the user reads: the roles whose work needs a person's property."""
    return _active(user) and can_read_court(user, court) and user.can(Cap.ASSET_REGISTER_VIEW)


def reads_registers(user: Any) -> bool:
    """Whether the user's post opens case registers at all (which cases: `can_view_register`)."""
    return _active(user) and bool(user.can(Cap.ASSET_REGISTER_VIEW))


def can_export_log(user: Any) -> bool:
    """The inquiry log (own court and subordinates) as a file: supervision roles only."""
    return _active(user) and getattr(user, "court", None) is not None and user.can(Cap.INQUIRY_LOG_EXPORT)


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


# -- triage (繁简分流) -----------------------------------------------------------------------------------
TRIAGE_REFUSED = "您的岗位不能查看繁简分流"
DECIDE_REFUSED = "只有本院执行局局长可以确定繁简分流"
FLAG_REFUSED = "只有本院执行法官或局长可以标注分流事实"
DESIGNATE_REFUSED = "只有上级法院执行局局长或院长可以指定执行"


def can_view_triage(user: Any, court: Court) -> bool:
    """A case's triage (its reasons speak of the property found): who sees the register, who decides,
    and the higher courts' presidents who designate."""
    return (
        _active(user)
        and can_read_court(user, court)
        and any(user.can(c) for c in (Cap.ASSET_REGISTER_VIEW, Cap.TRIAGE_DECIDE, Cap.TRIAGE_DESIGNATE))
    )


def can_decide_triage(user: Any, court: Court) -> bool:
    """Accept or change the proposal: the bureau of the case's court (it moves the case between teams)."""
    return _active(user) and can_write_court(user, court) and user.can(Cap.TRIAGE_DECIDE)


def can_flag(user: Any, court: Court) -> bool:
    """Record likely settlement, disputed law, major local impact: the case's own court."""
    return _active(user) and can_write_court(user, court) and user.can(Cap.TRIAGE_FLAG)


def can_designate(user: Any, court: Court) -> bool:
    """指定执行: a user of a court above the case's court (never the case's own court)."""
    own = getattr(user, "court", None)
    return _active(user) and own is not None and own.is_ancestor_of(court) and user.can(Cap.TRIAGE_DESIGNATE)


QUEUE_REFUSED = "分流队列仅限执行局局长、院长和指挥中心人员查看"


def can_see_triage_queue(user: Any) -> bool:
    """The court-wide queue of proposals: those who decide, designate or supervise (own and lower courts)."""
    court = getattr(user, "court", None)
    return (
        court is not None
        and can_view_triage(user, court)
        and any(user.can(c) for c in (Cap.TRIAGE_DECIDE, Cap.TRIAGE_DESIGNATE, Cap.SUPERVISE))
    )
