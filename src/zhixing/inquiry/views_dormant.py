"""The dormant-case registry page (终本案件库) and its Excel export.

Who: staff who may read cases (Cap.CASE_READ) — own court, and subordinate courts for a higher court.
The export streams every matching row (`core.exports.xlsx_response`: capped, audited, the page shows
its download progress through `{% export_button %}`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhixing.core.exports import wants_xlsx, xlsx_response
from zhixing.courts.queries import readable_courts

from . import queries_dormant
from . import queries_dormant_registry as registry
from .views import forbidden

MAX_PARAM = 2**31 - 1  # a court id or page number beyond this is no court or page (SQLite: no overflow)


def _int(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value <= MAX_PARAM else None


@login_required
@require_GET
def registry_page(request: HttpRequest) -> HttpResponseBase:
    user: Any = request.user
    if not registry.may_read_registry(user):
        return forbidden(request, "您的岗位无权查看终本案件库")
    q = request.GET.get("q", "").strip()[:64]
    court_id = _int(request.GET.get("court"))
    if wants_xlsx(request):
        return xlsx_response(
            request,
            table="inquiry.dormant_registry",
            title="终本案件库",
            header=registry.EXPORT_HEADER,
            rows=registry.export_rows(user, q, court_id),
        )
    number = max(_int(request.GET.get("page")) or 1, 1)
    rows, total = registry.page(user, q, court_id, number)
    attention, attention_count = registry.attention(user, court_id)
    pages = max((total + registry.PAGE - 1) // registry.PAGE, 1)
    ctx = {
        "rows": rows,
        "total": total,
        "q": q,
        "court_id": court_id,
        "courts": list(readable_courts(user).order_by("code")) if user.court.children.exists() else [],
        "number": number,
        "pages": pages,
        "attention": attention,
        "attention_count": attention_count,
        "progress": queries_dormant.progress(user.court_id),
        "leads": list(queries_dormant.open_leads(user.court_id)[:20]),
    }
    return render(request, "inquiry/dormant_registry.html", ctx)
