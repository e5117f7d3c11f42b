"""Who may run a court's auctions: the handling judge or the bureau director of that court."""

from __future__ import annotations

from typing import Any

from zhixing.core.errors import NotPermitted
from zhixing.courts.queries import can_write_court
from zhixing.courts.roles import Cap, role_can


def may_manage(actor: Any, court: Any) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and role_can(getattr(actor, "role", ""), Cap.AUCTION_MANAGE)
        and can_write_court(actor, court)
    )


def require_manage(actor: Any, court: Any) -> None:
    if not may_manage(actor, court):
        raise NotPermitted("只有本院执行法官或执行局局长可以办理网络司法拍卖")
