"""Request and response schemas of the cases API (`/api/v1/...`).

Input decisions, applied to every field here:

* **Amounts** (`Amount`) are accepted as a JSON string (recommended: ``"1234.56"``) or a JSON number.
  A number is turned into its shortest decimal text (``1234.56`` → ``"1234.56"``) before the service
  parses it with :func:`zhixing.core.money.parse_amount`, so the decimal the client wrote is the one that
  is checked: more than two decimal places, negative, NaN/Infinity and amounts above the ceiling are all
  refused with 422. Numbers with more than 15 significant digits cannot be represented exactly by a
  JSON parser; send such amounts as strings. Booleans are refused.
* **Dates** (`ISODate`) must be ISO ``YYYY-MM-DD`` strings between 1900-01-01 and 2099-12-31; timestamps,
  datetimes and other date spellings are refused.
* **Strings** (`TextN`) are length-bounded so nothing oversized reaches the database, and may not
  contain control characters (other than tab and line breaks) or unpaired surrogates, which some
  databases cannot store.
* **Ids** (`Id`) are positive 63-bit integers, the range of the primary keys.
"""

import re
from datetime import date
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from zhixing.core.inputguard import bad_text

from .models import CaseStatus, ClosingMode, ExcludedPeriod, IdType, Obligation, Party, Suspension

MAX_ID = 2**63 - 1
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2099, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _clean_text(value: str) -> str:
    if bad_text(value):  # the request guard's rule (core.inputguard): Cc but tab and line breaks, Cs
        raise ValueError("含有不允许的控制字符")
    return value


_Clean = AfterValidator(_clean_text)
Text3 = Annotated[str, StringConstraints(max_length=3), _Clean]
Text16 = Annotated[str, StringConstraints(max_length=16), _Clean]
Text32 = Annotated[str, StringConstraints(max_length=32), _Clean]
Text40 = Annotated[str, StringConstraints(max_length=40), _Clean]
Text64 = Annotated[str, StringConstraints(max_length=64), _Clean]
Text128 = Annotated[str, StringConstraints(max_length=128), _Clean]
Text200 = Annotated[str, StringConstraints(max_length=200), _Clean]
Text500 = Annotated[str, StringConstraints(max_length=500), _Clean]


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"“{value}”不是有效的日期") from None
    else:
        raise ValueError("应为YYYY-MM-DD格式的日期")
    if not MIN_DATE <= parsed <= MAX_DATE:
        raise ValueError(f"日期须在{MIN_DATE.isoformat()}至{MAX_DATE.isoformat()}之间")
    return parsed


ISODate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"}),
]


def _amount_text(value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("金额应为文本或数字")
    if isinstance(value, float):
        return repr(value)  # the shortest text that round-trips: 1234.56 -> "1234.56"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if len(value) > 32:
            raise ValueError("金额不能超过32个字符")
        return value
    raise ValueError("金额应为文本或数字")


Amount = Annotated[
    str,
    BeforeValidator(_amount_text),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "maxLength": 32}, {"type": "number"}],
            "description": '金额（元），最多两位小数；建议以字符串提交，如 "1234.56"',
        }
    ),
]


def _enum(choices: Any) -> WithJsonSchema:
    """Document a Django choices enum inline (ninja merges the named schemas of all domains by name)."""
    description = "；".join(f"{c.value} {c.label}" for c in choices)
    return WithJsonSchema({"type": "string", "enum": list(choices.values), "description": description})


PartyRole = Annotated[Party.Role, _enum(Party.Role)]
PartyKind = Annotated[Party.Kind, _enum(Party.Kind)]
SuspensionGround = Annotated[Suspension.Ground, _enum(Suspension.Ground)]
ExcludedKind = Annotated[ExcludedPeriod.Kind, _enum(ExcludedPeriod.Kind)]
ObligationChoice = Annotated[Obligation, _enum(Obligation)]
IdTypeChoice = Annotated[IdType, _enum(IdType)]
ClosingModeChoice = Annotated[ClosingMode, _enum(ClosingMode)]
CaseStatusChoice = Annotated[CaseStatus, _enum(CaseStatus)]


# -- errors -----------------------------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str | None
    detail: str


class ErrorOut(Schema):
    """Every 4xx body: a Chinese message naming the field, the field, a machine-readable code."""

    detail: str
    field: str | None = None
    code: str
    errors: list[FieldErrorOut] | None = Field(None, description="请求格式错误（422）时逐项列出")


# -- filing -----------------------------------------------------------------------------------------


class PartyIn(Schema):
    role: PartyRole
    kind: PartyKind
    name: Text128
    id_type: IdTypeChoice | None = Field(
        None, description="证件类型；省略则自然人为居民身份证、单位为统一社会信用代码"
    )
    id_number: Text32 = Field(
        "", description="自然人的证件号码；无统一社会信用代码单位的组织机构代码或境外登记号码"
    )
    nationality: Text3 = Field("", description="护照签发国或境外登记地（ISO 3166-1三位字母代码）")
    birth_date: ISODate | None = Field(None, description="证件号码不含出生日期时（如护照）填写")
    credit_code: Text32 = Field("", description="单位的18位统一社会信用代码")
    address: Text200 = ""
    phone: Text32 = ""
    legal_representative: Text64 = ""
    former_names: list[Text128] = Field(default_factory=list, max_length=10)


class InstalmentIn(Schema):
    due_on: ISODate = Field(description="该期履行期限届满日")
    amount: Amount


class FilingIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "applied_on": "2026-03-09",
                    "filed_on": "2026-03-10",
                    "instrument_type": "civil_judgment",
                    "issuing_body": "广州市天河区人民法院",
                    "basis_number": "（2025）粤0106民初1234号",
                    "effective_on": "2025-12-01",
                    "performance_deadline": "2025-12-15",
                    "principal": "100000.00",
                    "adjudged_interest": "0",
                    "litigation_costs": "1200.00",
                    "parties": [
                        {
                            "role": "applicant",
                            "kind": "organisation",
                            "name": "广州某银行股份有限公司",
                            "credit_code": "91110000600037341L",
                        },
                        {
                            "role": "debtor",
                            "kind": "person",
                            "name": "张三",
                            "id_number": "360426199101010071",
                        },
                    ],
                }
            ]
        }
    )

    court: Text16 | None = Field(None, description="立案法院代字；省略则为本院。只能在本院立案")
    case_type: Text3 = Field("执", description="类型代字，如 执")
    applied_on: ISODate
    filed_on: ISODate
    instrument_type: Text32 = Field(description="执行依据类型代码，见 /reference")
    issuing_body: Text64
    basis_number: Text64
    effective_on: ISODate
    performance_deadline: ISODate
    obligation: ObligationChoice = Field(Obligation.MONEY, description="执行内容")
    obligation_detail: Text200 = Field(
        "", description="行为履行案件必填：应交付的物、应迁出的房屋或应完成的行为"
    )
    principal: Amount
    adjudged_interest: Amount = "0"
    litigation_costs: Amount = "0"
    interest_rate: Text16 = Field(
        "", description="执行依据判令按年利率计付的一般债务利息的年利率（%），如 3.45；无则省略"
    )
    interest_from: ISODate | None = Field(None, description="按年利率计付利息的起算日（含当日）")
    instalments: list[InstalmentIn] = Field(
        default_factory=list,
        max_length=120,
        description="分期履行：各期履行期限届满日与金额；之和等于本金与诉讼费用之和，最后一期即履行期限届满日",
    )
    application_fee: Amount = Field(
        "", description="仅无执行金额的案件：申请执行费50–500元（诉讼费用交纳办法第14条），省略按本院默认"
    )
    parties: list[PartyIn] = Field(min_length=1, max_length=50)
    confirm_duplicate: bool = False
    lawsuit_number: Text64 = Field(
        "", description="仅保全案件（执保）：作出保全裁定的诉讼案号；执行依据文号填保全裁定书文号"
    )
    preservation_case: Text64 = Field(
        "",
        description="执行案件：选定转入的保全案件案号（诉执衔接）。省略时，本院以本案执行依据文号为诉讼案号、"
        "当事人一致的在办保全案件自动转入",
    )


# -- actions ----------------------------------------------------------------------------------------


class AssignIn(Schema):
    handler_id: Id
    team_id: Id | None = None


class CompleteNodeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"document_ref": "（2026）粤0106执1号查控", "note": "已发起网络查控"}]
        }
    )

    document_ref: Text128
    completed_on: ISODate | None = None
    note: Text200 = ""


class AddNodeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"node_type": "verify_lead", "note": "申请人提供车辆线索"}]}
    )

    node_type: Text32 = Field(description="节点类型代码，如 verify_lead")
    started_on: ISODate | None = None
    note: Text200 = ""


class SuspendIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"ground": "objection", "start": "2026-03-10", "document_ref": "（2026）粤0106执1号之一"}
            ]
        }
    )

    ground: SuspensionGround
    start: ISODate  # 中止裁定送达之日：送达后立即生效（民事诉讼法第269条）
    document_ref: Text128
    debtor_requested: bool = False  # 因被执行人申请（迟延履行利息解释第3条第3款）
    instrument_review: bool = False  # 因审查执行依据而中止（其他情形）


class ExcludedPeriodIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "deferral",
                    "start": "2026-03-10",
                    "document_ref": "（2026）粤0106执1号暂缓执行决定书",
                }
            ]
        }
    )

    kind: ExcludedKind
    start: ISODate
    document_ref: Text128
    note: Text200 = ""
    debtor_requested: bool = False  # 因被执行人申请（迟延履行利息解释第3条第3款）


class EndExcludedPeriodIn(Schema):
    end: ISODate
    document_ref: Text128 = ""


class ResumeExecutionIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"on": "2026-03-10", "document_ref": "恢复执行通知书"}]}
    )

    on: ISODate
    document_ref: Text128


class ExtensionIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "财产处置尚未完成"}]})

    reason: Text200


class CloseIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "mode": "terminated",
                    "closed_on": "2026-03-10",
                    "details": {"document_ref": "（2026）粤0106执1号之二", "ground": "applicant_withdraws"},
                }
            ]
        }
    )

    mode: ClosingModeChoice
    closed_on: ISODate
    details: dict[Text32, Text500] = Field(default_factory=dict, max_length=20)


class ResumeIn(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"applied_on": "2026-03-10", "reason": "申请执行人发现被执行人新的财产"}]
        }
    )

    applied_on: ISODate
    reason: Text200


class CaseListQuery(Schema):
    court: Text16 = Field("", description="法院代字")
    handler: Id | None = Field(None, description="承办人ID")
    status: CaseStatusChoice | None = None
    overdue: bool = Field(False, description="只看有超期未完成节点的在办案件")
    debtor: Text128 = Field("", description="被执行人姓名/曾用名前缀，或完整身份证号/统一社会信用代码")
    filed_from: ISODate | None = None
    filed_to: ISODate | None = None
    mine: bool = Field(False, description="只看我承办的案件")
    q: Text64 = Field("", description="案号任意部分、当事人姓名/曾用名前缀、证件号码（完整或后4位以上）")
    applicant: Text64 = Field("", description="申请执行人姓名/曾用名前缀，或完整证件号码")
    cursor: Text40 = Field("", description="上一页返回的 next_cursor")
    size: int = Field(50, ge=1, description="每页条数，超过200按200计")
