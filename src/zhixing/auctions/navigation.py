"""The auctions domain's main-menu entries (拍卖): lot management and the statistics."""

from typing import Any

from zhixing.core.navigation import Entry, Section, register, register_section
from zhixing.courts.roles import Cap


def may_manage(user: Any) -> bool:
    return bool(user.can(Cap.AUCTION_MANAGE))


def may_read(user: Any) -> bool:
    return bool(user.can(Cap.AUCTION_MANAGE) or user.can(Cap.SUPERVISE))


def install() -> None:
    register_section(Section("auctions", "拍卖", 35, paths=("/auctions/manage/",)))
    register(
        Entry("auctions", "auctions", "拍卖标的管理", "auctions_manage", 10, may_manage),
        Entry("auctions", "auctions-stats", "拍卖统计", "auctions_statistics", 20, may_read),
    )
