"""The inquiry log (查控日志) as an Excel workbook, streamed row by row (openpyxl write-only)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from zhixing.core.identity import mask_id

from .models import InquiryRequest

HEADER = [
    "请求号",
    "案号",
    "被执行人",
    "身份号码",
    "联动单位",
    "操作",
    "金额",
    "状态",
    "发送次数",
    "提起人",
    "提起时间",
    "反馈时间",
    "反馈/错误",
    "文书号",
]


def workbook(rows: Iterable[InquiryRequest]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("查控日志")
    ws.append(HEADER)
    for r in rows:
        ws.append(
            [
                r.pk,
                r.case.number,
                r.party.name,
                mask_id(r.party.id_number or r.party.credit_code),
                r.partner.name,
                r.get_action_display(),
                str(r.amount) if r.amount is not None else "",
                r.get_status_display(),
                r.attempts,
                str(r.requested_by) if r.requested_by_id else "系统",
                r.created_at.strftime("%Y-%m-%d %H:%M:%S") if r.created_at else "",
                r.completed_at.strftime("%Y-%m-%d %H:%M:%S") if r.completed_at else "",
                r.last_error or (str(r.outcome) if r.outcome else ""),
                r.notice_number,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
