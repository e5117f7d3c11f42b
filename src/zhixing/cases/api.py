"""Cases API (`/api/v1/...`): thin handlers over `zhixing.cases.services` (writes) and `.queries` (reads).

Court scoping is the UI's: a user reads their own court's cases and, in a higher court, those of every
subordinate court; they write only their own court's. A case (or its node, party or extension) the
caller cannot read is answered 404, so other courts cannot even learn it exists; a write on a case the
caller may read but not write is answered 403 before the service runs; the service then checks the
caller's role. Every error is `{"detail", "field", "code"}` (see `zhixing.config.api`).
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query

from zhixing.core.errors import NotPermitted, ServiceError
from zhixing.courts.roles import Cap

from . import queries, services
from .api_support import (
    _CURSOR,
    MAX_PAGE_SIZE,
    _case_detail,
    _ok,
    _party,
    _party_out,
    _readable_case,
    _staff_ref,
    _user,
    router,
)
from .closing import CLOSING_FIELDS
from .models import (
    CaseType,
    ClosingMode,
    ExcludedPeriod,
    InstrumentType,
    NodeType,
    Obligation,
    Party,
    Suspension,
)
from .schemas import (
    CaseListQuery,
    Id,
    ISODate,
)
from .schemas_out import (
    CaseDetail,
    CasePageOut,
    IdentityOut,
    PartyOut,
    ReferenceOut,
    SupervisionRow,
    money_text,
)


@router.get("/cases", response=_ok(CasePageOut), summary="案件列表（按法院范围，游标翻页）")
def list_cases(request: HttpRequest, q: Query[CaseListQuery]) -> Any:
    user = _user(request)
    cursor = q.cursor.strip()
    if cursor:
        m = _CURSOR.fullmatch(cursor)
        try:
            valid = m is not None and bool(date.fromisoformat(m.group(1)))
        except ValueError:
            valid = False
        if not valid:
            raise ServiceError("翻页游标“cursor”无效，请使用上一页返回的 next_cursor", field="cursor")
    filters = queries.CaseFilters(
        court=q.court.strip(),
        handler=q.handler,
        status=q.status.value if q.status else "",
        overdue=q.overdue,
        debtor=q.debtor.strip(),
        filed_from=q.filed_from,
        filed_to=q.filed_to,
        mine=q.mine,
        q=q.q.strip(),
        applicant=q.applicant.strip(),
    )
    page = queries.case_page(user, filters, cursor=cursor or None, size=min(q.size, MAX_PAGE_SIZE))
    today = timezone.localdate()
    items = [
        {
            "id": c.pk,
            "number": c.number,
            "court": c.court.code,
            "court_name": c.court.name,
            "case_type": c.case_type.code,
            "status": c.status,
            "status_display": c.get_status_display(),
            "handler": _staff_ref(c.handler),
            "filed_on": c.filed_on,
            "claim_amount": money_text(c.claim_amount),
            "next_due_on": c.next_due_on,
            "term_due": c.term_due,
            "overdue": bool(c.is_open and c.next_due_on and c.next_due_on < today),
            "debtors": getattr(c, "debtor_names", ""),
        }
        for c in page.rows
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.get("/cases/{case_id}", response=_ok(CaseDetail), summary="案件详情")
def case_detail(request: HttpRequest, case_id: Path[Id], on: Query[ISODate | None] = None) -> Any:
    """`on` (YYYY-MM-DD) computes the delay interest up to that date instead of today."""
    return _case_detail(_user(request), case_id, on)


@router.get("/cases/{case_id}/parties", response=_ok(list[PartyOut]), summary="案件当事人（身份号码脱敏）")
def case_parties(request: HttpRequest, case_id: Path[Id]) -> Any:
    case = _readable_case(_user(request), case_id)
    return [_party_out(p) for p in queries.case_parties(case)]


@router.get(
    "/parties/{party_id}/identity",
    response=_ok(IdentityOut),
    summary="查看当事人完整身份信息（留痕，需相应权限）",
)
def party_identity(request: HttpRequest, party_id: Path[Id]) -> Any:
    user = _user(request)
    party = services.view_party_identity(user, _party(user, party_id))
    return {
        "id": party.pk,
        "role": party.role,
        "kind": party.kind,
        "name": party.name,
        "id_type": party.id_type,
        "nationality": party.nationality,
        "id_number": party.id_number,
        "credit_code": party.credit_code,
        "sex": party.sex,
        "birth_date": party.birth_date,
        "address": party.address,
        "phone": party.phone,
        "legal_representative": party.legal_representative,
        "is_minor": party.is_minor,
        "id_warnings": party.id_warnings,
        "former_names": [a.name for a in party.aliases.all()],
    }


@router.get("/supervision", response=_ok(list[SupervisionRow]), summary="节点监管：各法院、承办人超期数")
def supervision(request: HttpRequest) -> Any:
    user = _user(request)
    if not user.can(Cap.SUPERVISE):
        raise NotPermitted("仅有节点监管权限的人员可以查看")
    return [
        {
            "court": r.court.code,
            "court_name": r.court.name,
            "open_cases": r.open_cases,
            "overdue_nodes": r.overdue_nodes,
            "term_overdue": r.term_overdue,
            "handlers": [{"name": h.name, "overdue_nodes": h.count} for h in r.handlers],
        }
        for r in queries.overdue_counts(user)
    ]


@router.get(
    "/reference",
    response=_ok(ReferenceOut),
    summary="参考数据（类型、节点、结案方式、中止事由、不计入期限的期间、执行内容、证件类型）",
)
def reference(request: HttpRequest) -> Any:
    return {
        "case_types": [
            {"code": t.code, "name": t.name, "family": t.family, "is_resumption": t.is_resumption}
            for t in CaseType.objects.filter(active=True)
        ],
        "instrument_types": [
            {"code": t.code, "name": t.name, "non_litigation": t.non_litigation}
            for t in InstrumentType.objects.all()
        ],
        "node_types": [
            {
                "code": t.code,
                "name": t.name,
                "budget": t.budget,
                "budget_non_litigation": t.budget_non_litigation,
                "unit": t.unit,
                "anchor": t.anchor,
                "completion": t.completion,
                "auto_create": t.auto_create,
                "legal_basis": t.legal_basis,
            }
            for t in NodeType.objects.filter(active=True)
        ],
        "closing_modes": [
            {
                "code": mode.value,
                "name": mode.label,
                "fields": [
                    {
                        "name": f.name,
                        "label": f.label,
                        "kind": f.kind,
                        "choices": [{"code": c, "name": n} for c, n in f.choices],
                    }
                    for f in CLOSING_FIELDS.get(mode.value, ())
                ],
            }
            for mode in ClosingMode
        ],
        "suspension_grounds": [{"code": g.value, "name": g.label} for g in Suspension.Ground],
        "excluded_period_kinds": [{"code": k.value, "name": k.label} for k in ExcludedPeriod.Kind],
        "obligations": [{"code": o.value, "name": o.label} for o in Obligation],
        "id_types": [{"code": t.value, "name": t.label} for t in Party.IdType],
    }


# Write endpoints register on the same router.
from . import (  # noqa: E402
    api_actions,  # noqa: F401
    api_asset_reports,  # noqa: F401
    api_assignment,  # noqa: F401
    api_coercion,  # noqa: F401  (issue 20: coercive measures, refusal referral)
    api_costs,  # noqa: F401
    api_dormant,  # noqa: F401
    api_notice,  # noqa: F401
    api_preservation,  # noqa: F401  (issue 19: 诉执衔接)
    api_schedule,  # noqa: F401
    api_settlement,  # noqa: F401  (issue 19.4: settlement agreements)
    api_supervision,  # noqa: F401
)
