"""The PDF report's first page carries the report, not a title over blank paper (issue 13, ADR 0012).

The report printed `section{page-break-inside:avoid}`: a findings section taller than what was left of page
1 under the title moved whole to page 2, leaving page 1 about 80 % blank. Measured on the printed PDF: the
text-showing operators of each page's content stream (no PDF library is installed; Chromium's streams are
plain Flate).
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import pytest

from zhixing.analytics import queries, report

from .test_report import NO_CHROMIUM, prof  # noqa: F401 - fixture


def text_ops_per_page(pdf: bytes) -> list[int]:
    objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    kids: list[int] = []
    for body in objs.values():
        m = re.search(rb"/Type\s*/Pages\b.*?/Kids\s*\[(.*?)\]", body, re.S)
        if m:
            kids = [int(x) for x in re.findall(rb"(\d+) 0 R", m.group(1))]
    counts = []
    for k in kids:
        ref = re.search(rb"/Contents\s*(\d+) 0 R", objs[k])
        assert ref is not None
        raw = objs[int(ref.group(1))].split(b"stream", 1)[1].lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
        try:
            data = zlib.decompress(raw)
        except zlib.error:
            data = raw
        counts.append(len(re.findall(rb"T[jJ]\b", data)))
    return counts


@pytest.mark.skipif(NO_CHROMIUM, reason="no chromium")
def test_first_pdf_page_is_filled_when_the_findings_do_not_fit_under_the_title(
    prof: Any,  # noqa: F811
    people: dict[str, Any],
) -> None:
    ref = queries.debtor(people["judge"], prof.party.case_id, prof.party_id)
    assert ref is not None
    ctx = report.context(prof, ref)
    # Three findings of ten evidence lines each: taller than page 1's remainder, shorter than two pages.
    ctx["findings"] = [{**f, "rows": f["rows"] * 10} for f in ctx["findings"]] * 3
    html = report.report_html(ctx)
    assert "page-break-inside:avoid}" not in html.split("</style>")[0].split("section{")[1][:40]
    pages = text_ops_per_page(report.pdf_bytes(html))
    assert len(pages) == 3
    # Page 1 is at least as full as the next page (before the fix: 227 against 1,365 operators).
    assert pages[0] >= pages[1] > 0
