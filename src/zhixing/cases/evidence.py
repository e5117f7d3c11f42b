"""The evidence bundle of a refusal-crime referral (拒执罪移送证据包): one zip assembled from the case.

cases may not import the domains above it, so each contributes its part by registering a function here
(in its app's `ready()`), as document kinds do: analytics the debtor's ability-to-pay profile, credit the
partners' interception receipts (拦截回执). cases itself adds the case summary, the asset reports and the
coercive measures taken. A contributor gets the case and the debtor and returns (file name, text) pairs;
an empty list means it has nothing for this debtor.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .coercion import SITUATION_BY_CODE
from .models import AssetReport, CoerciveMeasure, EnforcementCase, Party

Contributor = Callable[[Any, Any], list[tuple[str, str]]]
_CONTRIBUTORS: dict[str, Contributor] = {}
# A fixed timestamp inside the zip: the same evidence gives the same bytes, so its digest identifies it.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def contribute(name: str, fn: Contributor) -> None:
    """Register (or replace) the contributor called `name`."""
    _CONTRIBUTORS[name] = fn


@dataclass(frozen=True)
class Bundle:
    data: bytes
    files: list[str]
    sha256: str


def _case_summary(case: EnforcementCase, party: Party) -> str:
    lines = [
        f"案号：{case.number}",
        f"法院：{case.court.name}",
        f"执行依据：{case.issuing_body}{case.basis_number}",
        f"立案日期：{case.filed_on:%Y-%m-%d}",
        f"执行标的：{case.claim_amount}元；已到位：{case.paid_amount}元",
        f"被执行人：{party.name}（{party.get_kind_display()}）",
    ]
    return "\n".join(lines) + "\n"


def _asset_reports(case: EnforcementCase, party: Party) -> str:
    rows = AssetReport.objects.filter(case_id=case.pk, debtor=party).order_by("received_on", "pk")
    if not rows:
        return "被执行人未提交财产报告。\n"
    return "".join(
        f"{r.received_on:%Y-%m-%d} 收到{'（逾期）' if r.late else ''}：{r.summary}\n" for r in rows
    )


def _measures(case: EnforcementCase, party: Party) -> str:
    rows = CoerciveMeasure.objects.filter(case_id=case.pk, party=party).order_by("proposed_at", "pk")
    if not rows:
        return "未采取强制措施。\n"
    out = []
    for m in rows:
        qty = m.amount if m.amount is not None else (m.days or m.hours or "")
        out.append(f"{m.get_kind_display()} {qty} {m.get_status_display()}：{m.act}\n")
    return "".join(out)


def bundle(case: EnforcementCase, party: Party, situations: list[str]) -> Bundle:
    """The zip of every part, in a fixed order: the case's own files, then each contributor's by name."""
    parts: list[tuple[str, str]] = [
        ("01_案件概况.txt", _case_summary(case, party)),
        (
            "02_拒不执行情形.txt",
            "".join(
                f"{SITUATION_BY_CODE[c].article}：{SITUATION_BY_CODE[c].text}\n"
                for c in situations
                if c in SITUATION_BY_CODE
            )
            or "未选择\n",
        ),
        ("03_财产报告.txt", _asset_reports(case, party)),
        ("04_强制措施.txt", _measures(case, party)),
    ]
    for name in sorted(_CONTRIBUTORS):
        parts.extend(_CONTRIBUTORS[name](case, party))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fname, text in parts:
            z.writestr(zipfile.ZipInfo(fname, date_time=_ZIP_TIME), text.encode("utf-8"))
    data = buf.getvalue()
    return Bundle(data, [f for f, _ in parts], hashlib.sha256(data).hexdigest())
