"""Who may do what in the credit domain.

Capabilities come from the shared table `zhixing.courts.roles` (`Cap.CREDIT_DECIDE`,
`Cap.CREDIT_SUPERVISE`, checked with `user.can(...)`); court scoping from `zhixing.courts.queries`.
"""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import NotPermitted
from zhixing.courts.models import Court
from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Cap


def _can(user: Any, cap: str) -> bool:
    # Anonymous users and the system actor (None) carry no capability.
    can = getattr(user, "can", None)
    return bool(getattr(user, "is_active", False) and can is not None and can(cap))


def may_write(user: Any, court: Court) -> bool:
    """The user may list, restrict, remove and lift in `court`'s cases (own court, deciding role)."""
    return _can(user, Cap.CREDIT_DECIDE) and can_write_court(user, court)


def may_read(user: Any, court: Court) -> bool:
    return bool(getattr(user, "is_active", False) and can_read_court(user, court))


def may_supervise(user: Any) -> bool:
    """The user may open the credit supervision and statistics pages (scoped to the courts they read)."""
    return bool(getattr(user, "court_id", None)) and _can(user, Cap.CREDIT_SUPERVISE)


def require_write(user: Any, court: Court) -> None:
    """Raise NotPermitted unless `user` may take a credit decision in `court`."""
    if not can_write_court(user, court):
        raise NotPermitted("只能办理本院案件的信用惩戒；上级法院只能查看")
    if not _can(user, Cap.CREDIT_DECIDE):
        raise NotPermitted("只有执行法官或执行局局长可以作出信用惩戒决定")
