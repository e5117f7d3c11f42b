"""Typed request/response bodies of the credit API (public query, partner screening, staff actions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

MAX_BATCH = 10_000


class PublicEntry(Schema):
    name: str
    kind: str
    sex: str | None
    age: int | None
    id_masked: str
    legal_representative: str | None
    obligation: str
    performance: str
    dishonest_act: str
    basis_issuer: str
    basis_number: str
    case_number: str
    filed_on: date
    court: str
    published_on: date


class PublicOut(Schema):
    count: int
    results: list[PublicEntry]


class CheckIn(Schema):
    id: str = Field(..., max_length=32, description="18位身份证号或统一社会信用代码")


class Hit(Schema):
    """One measure behind a hit, with only the fields the partner's kind may see (`visibility.VIEWS`)."""

    measure: str | None = None
    since: date | None = None
    court: str | None = None
    case_number: str | None = None


class CheckOut(Schema):
    id: str
    restricted: bool
    restrictions: list[str]
    labels: list[str]
    since: date | None = Field(None, description="最早可见措施的起始日；本单位类型不可见时不出现")
    cases: list[Hit]


class BatchIn(Schema):
    ids: list[str] = Field(..., max_length=MAX_BATCH, description="最多10000个身份号码")


class BatchOut(Schema):
    asked: int
    restricted: dict[str, list[str]]
    invalid: list[str]
    invalid_reasons: dict[str, str] = Field(
        default_factory=dict, description="无效号码 → 原因：format（格式错误）或 check_digit（校验码错误）"
    )


class PrivateIn(Schema):
    hashes: list[str] = Field(
        ..., max_length=MAX_BATCH, description="HMAC-SHA256(共享密钥, 身份证号) 十六进制"
    )


class PrivateOut(Schema):
    asked: int
    restricted: dict[str, list[str]]
    cases: dict[str, list[Hit]]


class ChangeOut(Schema):
    seq: int
    id: str
    action: str
    restrictions: list[str]
    at: datetime


class FeedOut(Schema):
    changes: list[ChangeOut]
    cursor: int


class PrivateChangeOut(Schema):
    seq: int
    hash: str = Field(..., description="HMAC-SHA256(共享密钥, 身份号码) 的64位十六进制值；从不返回明文号码")
    action: str
    restrictions: list[str]
    at: datetime


class PrivateFeedOut(Schema):
    changes: list[PrivateChangeOut]
    cursor: int


class InterceptIn(Schema):
    id: str = Field(..., max_length=32)
    restriction: str = Field(..., max_length=16, description="被拦截的限制事项编码，如 flight")
    at: datetime
    channel: str = Field(..., max_length=64)
    place: str = Field(..., max_length=128)


class InterceptOut(Schema):
    receipt: int
    case_number: str | None


class ImpressionsIn(Schema):
    impressions: int = Field(..., ge=0)


class ListIn(Schema):
    party_id: int
    ground: int | None = None
    dishonest_act: str = Field("", max_length=300)
    guarantee_confirmed: bool = Field(False, description="第1项：已核实未提供充分有效担保（第3条第1项）")
    order_confirmed: bool = Field(False, description="第1项：已核实履行顺序不在后（第3条第3项）")
    ability_confirmed: bool = Field(False, description="第1项：已核实不属其他不应纳入情形（第3条第4项）")
    serious: bool = False
    extension_years: int = 0
    grace_months: int = 0


class RemoveIn(Schema):
    trigger: str
    trigger_on: date | None = None
    note: str = Field("", max_length=200)


class Ground1Out(Schema):
    """The register's answer to 失信规定 Art 3(ii), read before the judge decides a ground-1 listing."""

    applicable: bool = Field(..., description="金钱给付案件才核查已控制财产")
    controlled: Decimal = Field(..., description="已控制财产（元）：查封、扣押、冻结、扣划合计")
    owed: Decimal = Field(..., description="尚欠（元）：本金、利息、迟延履行利息、费用减已付")
    covered: bool = Field(..., description="已控制财产足以清偿：不得以第1项情形纳入")
    figures: str
    refusal: str
    confirm: list[str] = Field(..., description="法官须确认的事项（ListIn 的字段名）")


class ListingOut(Schema):
    id: int
    name: str
    ground: int
    controlled_amount: Decimal | None
    owed_amount: Decimal | None
    guarantee_confirmed: bool
    order_confirmed: bool
    ability_confirmed: bool
    status: str
    document_number: str
    publish_on: date
    expires_on: date | None
    removal_trigger: str
    trigger_on: date | None
    removal_due: date | None
    removed_on: date | None


class TriggerIn(Schema):
    trigger: str = Field(..., max_length=32, description="删除事由，如 applicant_request（失信规定第10条）")
    trigger_on: date = Field(..., description="删除事由发生日；3个工作日内删除")


class ExitServedIn(Schema):
    served_on: date = Field(..., description="限制出境决定书送达日（送达行为之日）")
    method: str = Field(
        "personal",
        description="送达方式：personal、residence、electronic、post、entrusted、publication（公告：30日后视为送达）",
    )


class ExitFiledIn(Schema):
    filed_on: date = Field(..., description="收到复议申请日（送达后10日内）")


class ExitReviewIn(Schema):
    result: str = Field(..., max_length=16, description="upheld 维持 / revoked 撤销")
    decided_on: date


class RestrictionOut(Schema):
    id: int
    kind: str
    name: str
    status: str
    served_on: date | None
    reconsideration_due: date | None
    reconsideration_filed_on: date | None
    review_due: date | None
    review_result: str
    reviewed_on: date | None


class ConsumptionIn(Schema):
    """An application to consume with personal property or for necessities (限制消费规定 Arts 3(2), 8)."""

    applied_on: date
    purpose: str = Field(..., max_length=200, description="消费事项，如 就医乘坐飞机")
    granted: bool
    reason: str = Field(..., max_length=200)
    codes: list[str] = Field(
        default_factory=list, max_length=16, description="准许期间不予拦截的限制事项编码，如 flight、hsr"
    )
    valid_from: date | None = Field(None, description="准许起始日")
    valid_until: date | None = Field(None, description="准许截止日（含）")


class ConsumptionOut(Schema):
    id: int
    granted: bool
    codes: list[str]
    valid_from: date | None
    valid_until: date | None
    window_state: str


class ExposeIn(Schema):
    address: str = Field("", max_length=200, description="户籍地址（推送时只保留行政区划）；为空用当事人地址")


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=200, description="撤回原因，如 失信信息已删除")


class WithdrawOut(Schema):
    withdrawn: int


class ExposureOut(Schema):
    id: int
    listing_id: int
    partner: str
    partner_code: str
    area_code: str
    area_name: str
    status: str = Field(..., description="queued/sent/refused/failed/withdrawing/withdrawn/withdraw_failed")
    status_label: str
    reason: str = Field(..., description="媒体拒收理由、发送失败原因或待重试说明")
    attempts: int
    due_at: datetime | None
    sent_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str
    impressions: int
    reported_at: datetime | None
