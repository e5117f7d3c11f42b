"""The administration entry of the main menu (管理): the back office, for staff accounts."""

from typing import Any

from zhixing.core.navigation import Entry, Section, register, register_section


def _admin(user: Any) -> bool:
    return bool(getattr(user, "is_staff", False)) and bool(getattr(user, "is_active", False))


def install() -> None:
    register_section(Section("admin", "管理", 90, paths=("/admin/",)))
    register(Entry("admin", "admin", "后台管理", "admin:index", 10, _admin))
