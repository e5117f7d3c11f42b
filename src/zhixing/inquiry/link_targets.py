"""Who may open the inquiry pages a flow node's stored link points at (`zhixing.core.link_access`)."""

from __future__ import annotations

from typing import Any

from zhixing.cases.queries import get_case
from zhixing.core import link_access

from . import access
from .models import InquiryRequest


def may_view_register(user: Any, pk: int, **_: Any) -> bool:
    """A case's asset register (`views.case_inquiry`): the case is readable and the role's work needs a
    person's property (the clerk and the president are refused)."""
    case = get_case(user, pk)
    return case is not None and access.can_view_register(user, case.court)


def may_read_request(user: Any, pk: int, **_: Any) -> bool:
    """An assistance notice on screen (`views.notice`): a request of a court the user reads."""
    req = InquiryRequest.objects.select_related("court").filter(pk=pk).first()
    return req is not None and access.can_read(user, req.court)


def install() -> None:
    link_access.register("inquiry_case", may_view_register)
    link_access.register("inquiry_case_requests", may_view_register)
    link_access.register("inquiry_notice", may_read_request)
