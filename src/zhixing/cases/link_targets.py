"""Who may open the case pages a flow node's stored link points at (`zhixing.core.link_access`)."""

from __future__ import annotations

from typing import Any

from zhixing.core import link_access

from .queries import get_case


def may_read_case(user: Any, pk: int, **_: Any) -> bool:
    """The case page and its sub-pages that only read the case (the case page's own rule)."""
    return get_case(user, pk) is not None


def install() -> None:
    link_access.register("case_detail", may_read_case)
    link_access.register("case_notice", may_read_case)
