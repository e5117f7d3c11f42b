"""Hand-made demo cases of 天河 (粤0106) showing what the generated ones do not (issue 11 item 9).

Filed through the services on the seeding day, after the generated cases (both seeding paths end with
them, so they store the same rows):

1. an act-performance case (迁出房屋) with no money claim, the debtor holding a 港澳居民来往内地通行证;
2. an overseas applicant (境外登记号码, HKG) against a 台湾 resident-permit holder and a company without a
   unified social credit code (组织机构代码);
3. a debtor with a foreign passport, the case in a running 暂缓执行 period (the term paused);
4. an application made after the 2-year period (民事诉讼法第250条): filed, with the warning.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from zhixing.cases.models import EnforcementCase
from zhixing.cases.services import (
    FilingData,
    PartyData,
    assign_case,
    file_case,
    start_excluded_period,
)

from .people import credit_code, resident_id
from .province import Province
from .replay import business_day

SHOWCASE_CASES = 4
SHOWCASE_MIN_TOTAL = 20  # smaller demos (tests) keep only generated cases


def _org_code(body8: str) -> str:
    """GB 11714-1997 check character (see zhixing.core.id_documents)."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return body8 + {10: "X", 11: "0"}.get(c9, str(c9))


def _filing(today: date, n: int, parties: list[PartyData], **kw: object) -> FilingData:
    data: dict[str, object] = {
        "case_type": "执",
        "applied_on": today,
        "filed_on": today,
        "instrument_type": "civil_judgment",
        "issuing_body": "广州市天河区人民法院",
        "basis_number": f"（{today.year - 1}）粤0106民初9{n:03d}号",
        "effective_on": today - timedelta(days=90),
        "performance_deadline": today - timedelta(days=75),
        "principal": "0",
        "parties": parties,
    }
    data.update(kw)
    return FilingData(**data)  # type: ignore[arg-type]


def file_showcase(province: Province, today: date) -> list[EnforcementCase]:
    """File the four showcase cases in 天河 on `today`; returns them."""
    cast = next(c for c in province.basic if c.court.code == "粤0106")
    clerk, director = cast.filers[0], cast.director
    judge = cast.all_judges()[0]
    bank = PartyData(
        role="applicant",
        kind="organisation",
        name="广州恒丰农村商业银行股份有限公司天河支行",
        credit_code=credit_code("91", "440106", "MA5DEK8L1"),
        legal_representative="周国栋",
    )
    landlord = PartyData(
        role="applicant",
        kind="person",
        name="黄美玲",
        id_number=resident_id("440106", date(1975, 8, 8), 24),
        address="广州市天河区天河路385号",
    )
    cases: list[EnforcementCase] = []
    with business_day(today):
        filings = [
            _filing(
                today,
                1,
                [
                    landlord,
                    PartyData(
                        role="debtor",
                        kind="person",
                        name="陈志明",
                        id_type="hk_macao_permit",
                        id_number="H60218834",
                        birth_date=date(1982, 3, 14),
                        address="香港九龙旺角弥敦道600号",
                    ),
                ],
                obligation="vacate",
                obligation_detail="迁出广州市天河区体育西路191号1203房并交还钥匙",
                instrument_type="mediation",
            ),
            _filing(
                today,
                2,
                [
                    PartyData(
                        role="applicant",
                        kind="organisation",
                        name="香港恒信贸易有限公司",
                        id_type="foreign_registration",
                        id_number="2718281",
                        nationality="HKG",
                        legal_representative="梁启文",
                    ),
                    PartyData(
                        role="debtor",
                        kind="person",
                        name="林建宏",
                        id_type="hmt_residence",
                        id_number=resident_id("830000", date(1978, 11, 2), 31),
                    ),
                    PartyData(
                        role="debtor",
                        kind="organisation",
                        name="广州市天河区五山机械厂",
                        id_type="org_code",
                        id_number=_org_code("73048519"),
                        legal_representative="吴建华",
                    ),
                ],
                principal="386500.00",
                litigation_costs="3698.00",
            ),
            _filing(
                today,
                3,
                [
                    bank,
                    PartyData(
                        role="debtor",
                        kind="person",
                        name="James Walker",
                        id_type="passport",
                        id_number="533380006",
                        nationality="GBR",
                        birth_date=date(1969, 6, 21),
                        address="广州市天河区珠江新城华夏路8号",
                    ),
                ],
                principal="152000.00",
                adjudged_interest="4120.50",
            ),
            _filing(
                today,
                4,
                [
                    bank,
                    PartyData(
                        role="debtor",
                        kind="person",
                        name="赵国强",
                        id_number=resident_id("440106", date(1970, 1, 23), 57),
                    ),
                ],
                principal="58000.00",
                effective_on=today - timedelta(days=3 * 365 + 30),
                performance_deadline=today - timedelta(days=3 * 365 + 15),
            ),
        ]
        for data in filings:
            case = file_case(clerk, cast.court, data)
            case = assign_case(director, case, judge, on=today)
            cases.append(case)
        start_excluded_period(
            judge,
            cases[2],
            kind="deferral",
            start=today,
            document_ref=f"{cases[2].number}暂缓执行决定书",
            note="被执行人提供担保，申请执行人同意暂缓执行",
        )
    assert cases[0].application_fee == Decimal("50.00")
    return cases
