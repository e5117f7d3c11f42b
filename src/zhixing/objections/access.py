"""Who may do what with objections (court scoping from `courts.queries` on top of the role).

* filing at the counter (窗口立案): whoever may file cases (`Cap.CASE_FILE`) in the enforcement court;
* deciding (合议庭审查) and recording service and suits: the court's judges and its director;
* the supervision pages: the court's and higher courts' supervisors (`Cap.SUPERVISE`), read-only above.
"""

from __future__ import annotations

from typing import Any

from zhixing.courts.queries import can_read_court, can_write_court
from zhixing.courts.roles import Cap, Role

DECIDER_ROLES = frozenset({Role.JUDGE, Role.DIRECTOR})
PANEL_MIN = 3  # a collegial panel (合议庭) has at least three judges (执行异议复议规定 Art 11)


def can_file(user: Any, court: Any) -> bool:
    return bool(can_write_court(user, court) and user.can(Cap.CASE_FILE))


def can_decide(user: Any, court: Any) -> bool:
    return bool(can_write_court(user, court) and getattr(user, "role", "") in DECIDER_ROLES)


def can_read(user: Any, court: Any) -> bool:
    return bool(can_read_court(user, court) and user.can(Cap.CASE_READ))


def can_supervise(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.can(Cap.SUPERVISE))


def can_decide_review(user: Any, obj: Any) -> bool:
    """The 复议 court's judges and director decide a pending 复议 (CPL-2023 Art 236)."""
    return bool(
        obj.review_status == "pending"
        and obj.review_court_id is not None
        and can_write_court(user, obj.review_court)
        and getattr(user, "role", "") in DECIDER_ROLES
    )
