"""Who may open the credit pages a flow node's stored link points at (`zhixing.core.link_access`)."""

from __future__ import annotations

from typing import Any

from zhixing.cases.queries import get_case
from zhixing.core import link_access


def may_read_case_credit(user: Any, pk: int, **_: Any) -> bool:
    """A case's 信用惩戒 page: whoever reads the case (the page's own rule, `views.case_credit`)."""
    return get_case(user, pk) is not None


def install() -> None:
    link_access.register("credit_case", may_read_case_credit)
