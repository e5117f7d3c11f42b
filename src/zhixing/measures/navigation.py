"""The measures domain's main-menu entries (措施): open proposals and the consequence table."""

from typing import Any

from zhixing.core.navigation import Entry, Section, register, register_section
from zhixing.courts.roles import Cap

_WHO = (Cap.CASE_ASSIGN, Cap.CREDIT_DECIDE, Cap.INQUIRY_CONTROL, Cap.SUPERVISE)


def may_decide(user: Any) -> bool:
    """Who works the proposal queue: those who decide measures or supervise them."""
    return any(user.can(c) for c in _WHO)


def install() -> None:
    register_section(Section("measures", "措施", 30, paths=("/measures/",)))
    register(
        Entry("measures", "measures", "措施联动建议", "measures_queue", 10, may_decide),
        Entry("measures", "measures-table", "联动规则表", "measures_table", 20, may_decide),
    )
