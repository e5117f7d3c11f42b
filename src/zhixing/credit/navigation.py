"""The credit domain's main-menu entries (信用): supervision, statistics, the public list."""

from zhixing.core.navigation import Entry, Section, always, register, register_section

from .services.access import may_supervise


def install() -> None:
    register_section(Section("credit", "信用", 40, paths=("/credit/", "/public/")))
    register(
        Entry("credit", "credit-supervision", "信用惩戒监管", "credit_supervision", 10, may_supervise),
        Entry("credit", "credit-statistics", "信用惩戒统计", "credit_statistics", 20, may_supervise),
        Entry("credit", "public-blacklist", "失信名单查询", "public_blacklist", 30, always),
    )
