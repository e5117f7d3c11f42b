"""Main-menu entry of objections: the supervision page (pending objections and their clocks)."""

from zhixing.core.navigation import Entry, caps, register
from zhixing.courts.roles import Cap


def install() -> None:
    register(Entry("cases", "objections", "执行异议监管", "objections_supervision", 80, caps(Cap.SUPERVISE)))
