"""Response schemas of the cases API (inputs and the shared field types are in `schemas`)."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

# -- output -----------------------------------------------------------------------------------------


class CasesStaffRef(Schema):
    id: int
    name: str


class CaseRef(Schema):
    id: int
    number: str


class CaseListItem(Schema):
    id: int
    number: str
    court: str
    court_name: str
    case_type: str
    status: str
    status_display: str
    handler: CasesStaffRef | None
    filed_on: date
    claim_amount: str
    next_due_on: date | None
    term_due: date | None
    overdue: bool
    debtors: str


class CasePageOut(Schema):
    items: list[CaseListItem]
    next_cursor: str | None


class ClaimOut(Schema):
    """Amounts in yuan as strings with two decimals."""

    principal: str
    adjudged_interest: str
    litigation_costs: str
    application_fee: str = Field(description="申请执行费（诉讼费用交纳办法第14条）")
    paid_amount: str
    claim_amount: str = Field(description="执行标的额：本金＋判决利息＋诉讼费用")
    delay_interest: str = Field(
        description="加倍部分债务利息：本金×日万分之一点七五×迟延天数，扣除中止期间；"
        "尚未按到账日期扣减已执行到位款项（案款台账上线后计入）"
    )
    delay_interest_on: date = Field(description="利息计算截止日（默认今天，可用 ?on=YYYY-MM-DD 指定）")
    obligation: str = Field(description="执行内容：money 金钱给付；deliver/vacate/act 行为履行")
    obligation_display: str
    obligation_detail: str = Field(description="行为履行案件应交付的物、应迁出的房屋或应完成的行为")
    delay_charge: str = Field(
        description="行为履行案件的迟延履行金：由法院确定（民诉法解释第505条），不计算利息；金钱给付案件为空"
    )


class BasisOut(Schema):
    instrument_type: str
    instrument_type_name: str
    issuing_body: str
    basis_number: str
    effective_on: date
    performance_deadline: date
    non_litigation: bool
    interest_rate: str | None = Field(None, description="判决确定的一般债务利息年利率（%）；无为 null")
    interest_from: date | None = Field(None, description="按年利率计付利息的起算日")
    instalments: list[dict[str, str]] = Field(
        default_factory=list, description="分期履行：[{seq, due_on, amount}]；不分期为空"
    )


class NodeOut(Schema):
    id: int
    type: str
    name: str
    started_on: date
    due_on: date | None
    status: str
    color: str
    completed_on: date | None
    completed_by: str | None
    document_ref: str
    note: str
    event: str = Field("", description="由平台事件自动完成时的事件代码（如 inquiry.filed）；手动办理为空")
    link_url: str = Field("", description="完成本节点的平台记录的站内地址（查控批次、控制请求、限制消费令）")
    link_label: str = Field("", description="完成本节点的平台记录的名称")


class PartyOut(Schema):
    id: int
    role: str
    role_display: str
    kind: str
    name: str
    id_type: str = Field(description="证件类型代码，见 /reference 的 id_types")
    id_type_display: str
    nationality: str
    id_masked: str
    is_minor: bool
    legal_representative: str
    former_names: list[str]


class IdentityOut(Schema):
    id: int
    role: str
    kind: str
    name: str
    id_type: str
    nationality: str
    id_number: str
    credit_code: str
    sex: str
    birth_date: date | None
    address: str
    phone: str
    legal_representative: str
    is_minor: bool
    id_warnings: str
    former_names: list[str]


class SuspensionOut(Schema):
    id: int
    ground: str
    ground_display: str
    start: date
    end: date | None
    document_ref: str
    resume_document_ref: str


class ExcludedPeriodOut(Schema):
    id: int
    kind: str
    kind_display: str
    start: date
    end: date | None
    days: int | None = Field(description="已结束期间不计入执行期限的天数")
    document_ref: str
    end_document_ref: str
    note: str


class LimitationOut(Schema):
    last_day: date = Field(description="二年申请执行期间届满日（民事诉讼法第250条）")
    expired: bool = Field(description="申请执行日期晚于届满日（仅提示：时效抗辩由被执行人提出）")
    message: str


class HigherCourtOut(Schema):
    last_day: date | None = Field(
        description="收到申请执行书之日起六个月期间的最后一日（民事诉讼法第237条；公告、鉴定评估、管辖争议、"
        "暂缓执行、中止执行期间不计入，执行程序解释第13条）；相关期间进行中为空"
    )
    may_apply_from: date | None = Field(
        description="申请执行人可以向上一级人民法院申请执行之日（最后一日的次日）"
    )


class ExtensionOut(Schema):
    id: int
    case_id: int
    months: int
    reason: str
    status: str
    requested_by: str
    requested_on: date
    decided_by: str | None
    decided_on: date | None
    sequence: int = Field(1, description="本案第几次延长")
    reported_to: str | None = Field(None, description="再次延长时层报备案的高级人民法院代字（审限规定第5条）")
    reported_on: date | None = None


class ClosingOut(Schema):
    mode: str
    mode_display: str
    closed_on: date | None
    details: dict[str, str]


class CaseDetail(Schema):
    id: int
    number: str
    court: str
    court_name: str
    case_type: str
    case_type_name: str
    status: str
    status_display: str
    handler: CasesStaffRef | None
    team: str | None
    applied_on: date
    filed_on: date
    assigned_on: date | None
    basis: BasisOut
    claim: ClaimOut
    term_due: date | None
    next_due_on: date | None
    extension_months: int
    calendar_uncertain: bool
    nodes: list[NodeOut]
    parties: list[PartyOut]
    suspensions: list[SuspensionOut]
    excluded_periods: list[ExcludedPeriodOut]
    limitation: LimitationOut
    higher_court: HigherCourtOut
    extensions: list[ExtensionOut]
    closing: ClosingOut | None
    origin: CaseRef | None
    resumed_cases: list[CaseRef]


class HandlerCount(Schema):
    name: str
    overdue_nodes: int


class SupervisionRow(Schema):
    court: str
    court_name: str
    open_cases: int
    overdue_nodes: int
    term_overdue: int
    handlers: list[HandlerCount]


class CodeName(Schema):
    code: str
    name: str


class CaseTypeOut(CodeName):
    family: str
    is_resumption: bool


class InstrumentTypeOut(CodeName):
    non_litigation: bool


class NodeTypeOut(CodeName):
    budget: int
    budget_non_litigation: int | None
    unit: str
    anchor: str
    completion: str
    auto_create: bool
    legal_basis: str


class ClosingFieldOut(Schema):
    name: str
    label: str
    kind: str
    choices: list[CodeName]


class ClosingModeOut(CodeName):
    fields: list[ClosingFieldOut]


class ReferenceOut(Schema):
    case_types: list[CaseTypeOut]
    instrument_types: list[InstrumentTypeOut]
    node_types: list[NodeTypeOut]
    closing_modes: list[ClosingModeOut]
    suspension_grounds: list[CodeName]
    excluded_period_kinds: list[CodeName]
    obligations: list[CodeName]
    id_types: list[CodeName]


def money_text(d: Decimal) -> str:
    return f"{d:.2f}"
