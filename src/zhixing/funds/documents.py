"""The distribution plan as a Word document (docxtpl over a template built with python-docx)."""

from __future__ import annotations

import functools
import io

from docx import Document
from docxtpl import DocxTemplate

from zhixing.core import localtime

from .models import DistributionPlan


@functools.lru_cache(maxsize=1)
def _template() -> bytes:
    doc = Document()
    doc.add_heading("{{ court }}\n财产分配方案", level=1)
    doc.add_paragraph("（{{ number }}）")
    doc.add_paragraph(
        "本院在执行{{ number }}案件中，处置被执行人财产所得款项共计{{ proceeds }}元。"
        "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百零八条、第五百一十条等规定，"
        "扣除执行费用{{ costs }}元后，按照优先受偿债权、普通债权的顺序分配如下："
    )
    doc.add_paragraph(
        "{% for l in lines %}{{ l.creditor }}（{{ l.rank_label }}）："
        "债权{{ l.claimed }}元，分配{{ l.paid }}元；\n{% endfor %}"
    )
    doc.add_paragraph("债权人或被执行人对本方案有异议的，应当自收到本方案之日起十五日内向本院书面提出。")
    doc.add_paragraph("{{ date }}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


_RANKS = {"priority": "法定优先权", "secured": "担保物权", "ordinary": "普通债权", "surplus": "剩余款退还"}


def plan_docx(plan: DistributionPlan) -> bytes:
    tpl = DocxTemplate(io.BytesIO(_template()))
    tpl.render(
        {
            "court": plan.court.name,
            "number": plan.case.number,
            "proceeds": f"{plan.proceeds:.2f}",
            "costs": f"{plan.costs:.2f}",
            "lines": [
                {**ln, "claimed": ln.get("claimed", "—"), "rank_label": _RANKS.get(ln.get("rank", ""), "")}
                for ln in plan.lines
            ],
            "date": localtime.format_date(plan.created_at, localtime.CHINESE_DATE_FORMAT),  # Beijing day
        }
    )
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
