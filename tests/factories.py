"""Test factories: courts, staff and cases built through the real services (so audit runs too)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase
from zhixing.courts import services as court_services
from zhixing.courts.models import Court, Staff
from zhixing.courts.roles import Role

PASSWORD = "zhixing-test-pw"
_seq = itertools.count(1)

# Valid resident ID numbers (checksums verified) and credit codes for parties.
VALID_IDS = ["11010519491231002X", "440524188001010014", "360426199101010071"]
VALID_CREDIT = "91110000600037341L"


def make_id(birth: date, area: str = "440106", seq: int = 123) -> str:
    """A valid 18-digit resident ID number (ISO 7064 MOD 11-2 check digit)."""
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


def province() -> dict[str, Court]:
    """粤 high court → 粤01 intermediate → 粤0106 and 粤0104 basic; 粤03 → 粤0304 (a sibling branch)."""
    gd = court_services.create_court(None, code="粤", name="广东省高级人民法院", level="high", parent=None)
    gz = court_services.create_court(
        None, code="粤01", name="广州市中级人民法院", level="intermediate", parent=gd
    )
    sz = court_services.create_court(
        None, code="粤03", name="深圳市中级人民法院", level="intermediate", parent=gd
    )
    th = court_services.create_court(
        None, code="粤0106", name="广州市天河区人民法院", level="basic", parent=gz
    )
    yx = court_services.create_court(
        None, code="粤0104", name="广州市越秀区人民法院", level="basic", parent=gz
    )
    ft = court_services.create_court(
        None, code="粤0304", name="深圳市福田区人民法院", level="basic", parent=sz
    )
    return {"gd": gd, "gz": gz, "sz": sz, "th": th, "yx": yx, "ft": ft}


def staff(court: Court | None, role: str = Role.JUDGE, **kw: Any) -> Staff:
    n = next(_seq)
    return court_services.create_staff(
        None,
        username=kw.pop("username", f"{role}{n}"),
        full_name=kw.pop("full_name", f"{Role(role).label}{n}"),
        password=PASSWORD,
        court=court,
        role=role,
        **kw,
    )


def filing(**overrides: Any) -> services.FilingData:
    data: dict[str, Any] = {
        "case_type": "执",
        "applied_on": date(2026, 3, 2),
        "filed_on": date(2026, 3, 4),
        "instrument_type": "civil_judgment",
        "issuing_body": "广州市天河区人民法院",
        "basis_number": f"（2025）粤0106民初{next(_seq)}号",
        "effective_on": date(2025, 12, 1),
        "performance_deadline": date(2025, 12, 15),
        "principal": "100000.00",
        "parties": [
            services.PartyData(
                role="applicant",
                kind="organisation",
                name="广州某银行股份有限公司",
                credit_code=VALID_CREDIT,
                legal_representative="陈行长",
            ),
            services.PartyData(
                role="debtor", kind="person", name="张三", id_number=VALID_IDS[2], former_names=["张叁"]
            ),
        ],
    }
    data.update(overrides)
    return services.FilingData(**data)


def case(clerk: Staff, **overrides: Any) -> EnforcementCase:
    assert clerk.court is not None
    return services.file_case(clerk, clerk.court, filing(**overrides))


def serve_notice(
    case: EnforcementCase, actor: Staff | None = None, on: date | None = None, method: str = "personal"
) -> Any:
    """The case's enforcement notice issued and served on `on` (default: its filing day), as every listing
    and consumption restriction needs first (失信规定 Art 5(1); 限消规定 Art 1(1)). With the default period
    (3 days) a notice served on 2026-03-04 runs out on Monday 2026-03-09."""
    actor = actor or case.created_by
    on = on or case.filed_on
    services.issue_notice(actor, case, on=on)
    return services.record_notice_service(actor, case, method=method, act_on=on)


def dormant_ready(
    judge: Staff, case: EnforcementCase, done_on: date | None = None, skip: tuple[str, ...] = ()
) -> None:
    """Record the judge's confirmation (with a note) of every 终本 precondition the judge may confirm,
    except `skip`: the preconditions only the record can satisfy (notice, 3 months) are the test's own."""
    from zhixing.cases.rules_dormant import CONFIRMABLE

    for p in CONFIRMABLE:
        if p.key not in skip:
            services.confirm_precondition(
                judge, case, key=p.key, done_on=done_on or case.filed_on, note=f"{p.label}：已办理（测试）"
            )
