"""The credit domain's main-menu entries (信用): supervision, statistics, the public list."""

from zhixing.core.navigation import Entry, Section, always, register, register_section

from .services.access import _can, may_supervise


def _decides(user: object) -> bool:
    from zhixing.courts.roles import Cap

    return bool(getattr(user, "court_id", None)) and _can(user, Cap.CREDIT_DECIDE)


def install() -> None:
    register_section(Section("credit", "信用", 40, paths=("/credit/", "/public/")))
    register(
        Entry("credit", "credit-supervision", "信用惩戒监管", "credit_supervision", 10, may_supervise),
        Entry("credit", "credit-corrections", "纠正申请及复议", "credit_corrections", 15, _decides),
        Entry("credit", "credit-statistics", "信用惩戒统计", "credit_statistics", 20, may_supervise),
        Entry("credit", "public-blacklist", "失信名单查询", "public_blacklist", 30, always),
    )
