"""Issue 20's main-menu entries under 案件: 委托执行 (inbox, outbox, statistics), the president's approval
queue of coercive measures, and the 执转破 screening (the last two are cases' pages, listed here so the
cases skeleton stays as it is)."""

from zhixing.core.navigation import Entry, caps, register
from zhixing.courts.roles import Cap


def install() -> None:
    register(
        Entry(
            "cases",
            "entrust",
            "委托执行",
            "entrust_boxes",
            60,
            caps(Cap.ENTRUST_SEND, Cap.ENTRUST_HANDLE, court=True),
        ),
        Entry(
            "cases",
            "coercion-approvals",
            "强制措施审批",
            "coercion_approvals",
            70,
            caps(Cap.COERCION_APPROVE, court=True),
        ),
        Entry(
            "cases",
            "bankruptcy",
            "执转破筛查",
            "bankruptcy_screening",
            80,
            caps(Cap.SUPERVISE, Cap.COERCION_PROPOSE, Cap.BANKRUPTCY_TRANSFER, court=True),
        ),
    )
