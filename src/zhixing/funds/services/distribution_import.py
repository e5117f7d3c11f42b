"""Claims of a draft plan imported from Excel (.xlsx), all or nothing: a bad row names its row number
and field, and nothing is added. `template_xlsx` is the file to fill in."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhixing.cases import queries as case_queries
from zhixing.cases.models import Party
from zhixing.core.errors import ServiceError
from zhixing.core.spreadsheet import XlsxBook

from ..models import DistributionClaim, DistributionPlan
from .distribution_checks import check_actor, lock, record
from .distribution_claims import _draft, clean_claim
from .distribution_shares import recompute

COLUMNS = (
    ("creditor_name", "债权人"),
    ("creditor_id_number", "证件号码"),
    ("kind", "债权种类"),
    ("rank", "顺位"),
    ("amount", "债权金额"),
    ("security_date", "担保物权设立日"),
    ("seized_on", "查封日"),
    ("applied_on", "申请参与分配日"),
    ("basis", "执行依据"),
    ("evidence", "证据说明"),
)
EXAMPLES = (
    [
        "某银行股份有限公司",
        "91110000600037341L",
        "担保物权",
        1,
        "500000.00",
        "2024-05-01",
        "",
        "2026-03-01",
        "（2025）粤0106民初1号",
        "抵押登记证明",
    ],
    ["张三", "", "普通债权", 1, "120000.00", "", "2026-01-05", "2026-03-02", "（2025）粤0106民初2号", ""],
)
NOTE = (
    "说明：债权种类填“法定优先权”“担保物权”或“普通债权”；本案申请执行人填其姓名即可，案外债权人须填证件号码；"
    "日期格式YYYY-MM-DD；示例行请删除。"
)
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024


def template_xlsx() -> bytes:
    book = XlsxBook()
    ws = book.sheet("债权清单")
    ws.append([label for _, label in COLUMNS])
    ws.append(EXAMPLES[0])
    ws.append(EXAMPLES[1])
    ws.append([])
    ws.append([NOTE])
    return book.to_bytes()


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    if len(content) > MAX_BYTES:
        raise ServiceError("文件过大（不超过2MB）", field="file")
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise ServiceError("无法读取文件：请上传Excel（.xlsx）格式的债权清单", field="file") from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(it, ())]
    index = {}
    for key, label in COLUMNS:
        if label not in header:
            raise ServiceError(f"第1行缺少列“{label}”（请使用下载的模板）", field="file")
        index[key] = header.index(label)
    out = []
    for n, row in enumerate(it, start=2):
        values = {k: _cell(row[i]) if i < len(row) else "" for k, i in index.items()}
        if not any(values.values()):
            continue
        if str(values["creditor_name"]).startswith("说明："):
            continue
        out.append((n, values))
        if len(out) > MAX_ROWS:
            raise ServiceError(f"一次最多导入{MAX_ROWS}行", field="file")
    wb.close()
    if not out:
        raise ServiceError("文件中没有债权", field="file")
    return out


def import_claims(actor: Any, plan: DistributionPlan, content: bytes) -> int:
    """Add every row as a claim, or none: the error names the row (and all bad rows, up to ten)."""
    check_actor(actor, plan.case)
    rows = _rows(content)
    applicants = {
        p.name: p.pk for p in case_queries.case_parties(plan.case) if p.role == Party.Role.APPLICANT
    }
    with transaction.atomic():
        plan = lock(plan)
        _draft(plan)
        cleaned, errors = [], []
        for n, values in rows:
            if values["creditor_name"] in applicants and not values["creditor_id_number"]:
                values["party_id"] = applicants[values["creditor_name"]]
            try:
                cleaned.append(clean_claim(plan, values, row=f"第{n}行："))
            except ServiceError as exc:
                errors.append(exc.message)
        if errors:
            more = f"（另有{len(errors) - 10}行错误）" if len(errors) > 10 else ""
            raise ServiceError("；".join(errors[:10]) + more + "。未导入任何债权", field="file")
        start = plan.claims.count()
        for i, values in enumerate(cleaned, start=1):
            DistributionClaim.objects.create(plan=plan, position=start + i, **values)
        recompute(plan)
        record(actor, "claims_import", plan, rows=len(cleaned))
    return len(cleaned)
