"""The assistance notice (协助执行通知书) of a request: HTML for the screen, .docx (docxtpl) to download.

The notice is rebuilt from the persisted request and its case every time, so it never drifts from what
was sent; its number is stored on the request.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from docx import Document
from docxtpl import DocxTemplate

from zhixing.core import localtime
from zhixing.core.identity import mask_id
from zhixing.core.money import yuan

from .models import Action, InquiryRequest

ACTION_TEXT = {
    Action.QUERY: "查询被执行人名下的财产及相关信息",
    Action.FREEZE: "冻结被执行人的存款/资金",
    Action.DEDUCT: "扣划被执行人已被冻结的存款/资金至本院执行款专户",
    Action.SEIZE: "查封（扣押）被执行人的财产",
    Action.RELEASE: "解除对被执行人财产的冻结/查封",
    Action.RENEW: "续行冻结/查封被执行人的财产",
}


def context(req: InquiryRequest) -> dict[str, Any]:
    case, party = req.case, req.party
    return {
        "number": req.notice_number,
        "court": case.court.name,
        "partner": req.partner.name,
        "case_number": case.number,
        "basis": f"{case.issuing_body}{case.basis_number}",
        "debtor": party.name,
        "debtor_id": mask_id(party.id_number or party.credit_code),
        "action": ACTION_TEXT.get(Action(req.action), req.get_action_display()),
        "asset": f"{req.asset.get_kind_display()} {req.asset.ref}" if req.asset else "名下全部财产",
        "amount": yuan(req.amount) if req.amount is not None else "",
        "date": localtime.format_date(req.created_at),  # the day in Beijing, not the UTC day
    }


def html(req: InquiryRequest) -> str:
    return render_to_string("inquiry/notice.html", {"n": context(req)})


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    """A plain Word template with Jinja tags, built once with python-docx (no binary file in the repo)."""
    doc = Document()
    doc.add_heading("{{ court }}", level=1)
    doc.add_heading("协助执行通知书", level=2)
    doc.add_paragraph("{{ number }}")
    doc.add_paragraph("{{ partner }}：")
    doc.add_paragraph(
        "本院依据{{ basis }}执行{{ case_number }}一案，依照《中华人民共和国民事诉讼法》的有关规定，"
        "请协助{{ action }}：被执行人{{ debtor }}（身份号码{{ debtor_id }}），{{ asset }}"
        "{% if amount %}，金额人民币{{ amount }}元{% endif %}。"
    )
    doc.add_paragraph("{{ court }}（印）")
    doc.add_paragraph("{{ date }}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx(req: InquiryRequest) -> bytes:
    tpl = DocxTemplate(io.BytesIO(_template_bytes()))
    tpl.render(context(req))
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
