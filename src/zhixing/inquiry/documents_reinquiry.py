"""The result of a dormant case's periodic re-inquiry as a document (财产查询结果告知书), served on the
applicants electronically (终本规定 Art 9(2): "将查询结果告知申请执行人"; rules.md §5).

Each settled round records its `ReinquiryNotice` (`services.dormant.tell_applicant`). When an applicant
confirmed an address that consents to e-service (送达地址确认书), the notice is made into this document
and served on them through `zhixing.documents.eservice` (portal, SMS, e-mail with fallback and proof);
the first delivery marks the notice served (`on_served`). An applicant without such an address is told
by other means: the notice stays "to serve" in the dormant registry.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhixing.cases.parties import Party
from zhixing.core import audit
from zhixing.courts.queries import object_id
from zhixing.courts.roles import Cap
from zhixing.documents import fields, kinds
from zhixing.documents.kinds import Kind, NotApplicable

from .dormant_notices import ReinquiryNotice

KIND = "reinquiry_notice"
TITLE = "财产查询结果告知书"


def result_text(outcome: str, found: int) -> str:
    """What the round found, as told to the applicant (FOUND / EMPTY; a failed round is not told)."""
    if outcome == "found":
        return f"查得被执行人可能可供执行的财产{found}项，本院将依法核实并恢复执行。"
    return "未发现被执行人有可供执行的财产。"


def _names(case: Any, role: str) -> str:
    return fields.names(
        list(Party.objects.filter(case_id=case.pk, role=role).order_by("pk").values_list("name", flat=True))
    )


def reinquiry_notice(case: Any, source: str, inputs: dict[str, str]) -> dict[str, Any]:
    notice = (
        ReinquiryNotice.objects.select_related("round")
        .filter(case_id=case.pk, pk=object_id(source) or 0)
        .first()
    )
    if notice is None:
        raise NotApplicable("请选择本案一次终本定期查询的结果", field="source")
    rnd = notice.round
    return {
        "court": case.court.name,
        "document_number": f"{case.number}之查询告知{notice.pk}",
        "case_number": case.number,
        "applicants": _names(case, Party.Role.APPLICANT),
        "debtors": _names(case, Party.Role.DEBTOR),
        "basis": f"{case.issuing_body}{case.basis_number}",
        "closed_on": fields.cn_date(case.closed_on, "终结本次执行程序之日"),
        "run_on": fields.cn_date(rnd.run_on),
        "result": result_text(rnd.outcome, rnd.found),
        "date": fields.cn_date(notice.created_at or timezone.now()),
    }


def notice_sources(case: Any) -> list[tuple[str, str]]:
    qs = ReinquiryNotice.objects.filter(case_id=case.pk).select_related("round").order_by("-id")
    return [(str(n.pk), f"{n.round.run_on:%Y-%m-%d} 定期查询 · {n.get_status_display()}") for n in qs[:50]]


def on_served(sender: Any, *, document: Any, served_on: Any, channel: str, **_: Any) -> None:
    """Receiver of `documents.events.document_served` (in the delivery's transaction): the first
    delivery of the notice to an applicant marks it served, once."""
    if document.kind != KIND or not str(document.source).isdigit():
        return
    now = timezone.now()
    marked = ReinquiryNotice.objects.filter(
        pk=int(document.source), case_id=document.case_id, status=ReinquiryNotice.Status.TO_SERVE
    ).update(status=ReinquiryNotice.Status.SERVED, served_at=now)
    if marked:
        audit.record(
            None,
            "inquiry.dormant.notice_served",
            object_type="ReinquiryNotice",
            object_id=int(document.source),
            case_id=document.case_id,
            after={"document": document.pk, "channel": channel, "served_on": served_on},
        )


def install() -> None:
    """Register the kind and the served receiver (called from InquiryConfig.ready)."""
    from zhixing.documents.events import document_served

    kinds.register(Kind(KIND, TITLE, reinquiry_notice, Cap.INQUIRY_REQUEST, notice_sources, "终本定期查询"))
    document_served.connect(on_served, dispatch_uid="inquiry.reinquiry_notice_served")
