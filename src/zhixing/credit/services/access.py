"""Who may do what in the credit domain (court scoping from `zhixing.courts.queries`)."""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import NotPermitted
from zhixing.courts.models import Court
from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Role

# Listing, restricting and removing are judicial decisions: the handling judge or the bureau director.
CREDIT_WRITERS = frozenset({Role.JUDGE, Role.DIRECTOR})
# Credit supervision (removals due/overdue) and statistics.
CREDIT_SUPERVISORS = frozenset({Role.DIRECTOR, Role.PRESIDENT, Role.OPERATOR})


def may_write(user: Any, court: Court) -> bool:
    return bool(
        getattr(user, "is_active", False) and user.role in CREDIT_WRITERS and can_write_court(user, court)
    )


def may_read(user: Any, court: Court) -> bool:
    return bool(getattr(user, "is_active", False) and can_read_court(user, court))


def may_supervise(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and user.court_id and user.role in CREDIT_SUPERVISORS)


def require_write(user: Any, court: Court) -> None:
    if not can_write_court(user, court):
        raise NotPermitted("只能办理本院案件的信用惩戒；上级法院只能查看")
    if getattr(user, "role", None) not in CREDIT_WRITERS:
        raise NotPermitted("只有执行法官或执行局局长可以作出信用惩戒决定")
