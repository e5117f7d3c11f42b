"""The funds domain's main-menu entries (案款): finance desk, payout approvals, overview, custody."""

from typing import Any

from zhixing.core.navigation import Entry, Section, register, register_section, roles
from zhixing.courts.roles import Role

from . import conf


def _approver(user: Any) -> bool:
    return getattr(user, "court_id", None) is not None and user.role in set(conf.approval_chain(True))


def _custody(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user.role in (Role.FINANCE, Role.DIRECTOR)


def install() -> None:
    register_section(Section("funds", "案款", 50, paths=("/funds/",)))
    register(
        Entry(
            "funds",
            "funds-finance",
            "财务工作台",
            "funds_finance",
            10,
            roles(Role.FINANCE, Role.DIRECTOR, Role.PRESIDENT, court=True),
        ),
        Entry("funds", "funds-approvals", "发款审批", "funds_approvals", 20, _approver),
        Entry(
            "funds",
            "funds-director",
            "案款总览",
            "funds_director",
            30,
            roles(Role.DIRECTOR, Role.PRESIDENT, court=True),
        ),
        Entry("funds", "funds-custody", "执行款专户", "funds_custody", 40, _custody),
    )
