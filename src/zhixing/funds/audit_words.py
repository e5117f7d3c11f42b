"""Chinese words for the audit records the funds app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    register_actions,
    register_keys,
    register_money_keys,
    register_namespace,
    register_ref_prefix,
    register_values,
)

from .distribution_rules import FORM_CHOICES
from .labels import RECEIPT_SOURCES, TRANSACTION_KINDS, role_label
from .models import (
    DistributionClaim,
    DistributionPlan,
    IncomeWithholding,
    InterestCredit,
    Payout,
    Receipt,
    Reconciliation,
    ReconciliationItem,
)
from .statement_layouts import AMOUNT_MODES, DATE_FORMATS, ENCODINGS

NS = "funds"

# `funds.plan_{action}` is written by `services.distribution.record` with these actions.
PLAN_ACTIONS = {
    "create": "制作财产分配方案",
    "claims_import": "导入分配方案债权",
    "serve": "送达财产分配方案",
    "objection": "登记分配方案异议",
    "counter": "登记异议的反对意见",
    "suit": "登记分配方案异议之诉",
    "judgment": "登记异议之诉裁判结果",
    "amend": "修改财产分配方案",
    "final": "财产分配方案生效",
    "paid": "按分配方案发款完毕",
}

register_actions(
    {
        "funds.receipt": "案款到账",
        "funds.claim": "认领不明款",
        "funds.fee": "结算申请执行费",
        "funds.costs": "列支执行费用",
        "funds.withholding_order": "裁定扣留、提取收入",
        "funds.withholding_lift": "解除扣留收入",
        "funds.payout_propose": "提出发款申请",
        "funds.reward_propose": "提出悬赏金发款申请",
        "funds.deposit_refund_order": "发起拍卖保证金退还（银行支付指令待审批）",
        "funds.deposit_refund_account": "登记保证金退还账户",
        "funds.payout_decide": "审批发款",
        "funds.payout_cancel": "撤回发款申请",
        "funds.payout_send": "发送发款指令",
        "funds.payout_unanswered": "发款指令银行未应答",
        "funds.payout_result": "银行发款结果",
        "funds.return": "不明款退回结果",
        "funds.return_send": "发送不明款退回指令",
        "funds.return_unanswered": "退回指令银行未应答",
        "funds.case_account_open": "开立案款子账户",
        "funds.case_account_backfill": "补开案款子账户",
        "funds.case_account_close": "关闭案款子账户",
        "funds.custody_account": "登记案款专户",
        "funds.layout_save": "保存对账单格式",
        "funds.layout_delete": "删除对账单格式",
        "funds.statement_import": "导入银行对账单",
        "funds.reconcile": "银行对账",
        "funds.reconcile_match": "确认对账差异为同一笔款",
        "funds.reconcile_book": "按对账单补记来款",
        "funds.reconcile_unavailable": "对账单无法获取",
        "funds.notice_conflict": "来款通知冲突",
        "funds.interest_record": "登记专户利息",
        "funds.interest_allocate": "分配专户利息",
        "funds.hold_place": "暂停发款（提存）",
        "funds.hold_lift": "解除暂停发款",
        "funds.clock_overdue": "发款期限超期",
        "funds.portal_token": "生成申请人领款链接",
        "funds.portal_check_failed": "领款身份核验失败",
        "funds.portal_verified": "领款身份核验通过",
        "funds.portal_account": "申请人确认收款账户",
        "funds.plan_claim_add": "分配方案增加债权",
        "funds.plan_claim_remove": "分配方案删除债权",
        **{f"funds.plan_{action}": words for action, words in PLAN_ACTIONS.items()},
    }
)
register_namespace(NS, "案款")

register_keys(
    {
        "account_no": "账号",
        "amount": "金额",
        "approve": "同意",
        "article": "依据条款",
        "bank": "开户银行",
        "bank_balance": "银行余额",
        "ledger_balance": "账面余额",
        "booked": "已入账",
        "cases": "案件",
        "chain": "审批流程",
        "client": "客户端",
        "clocks": "发款期限",
        "closed": "已关闭",
        "created": "新建",
        "creditor_name": "债权人",
        "date": "日期",
        "differences": "差异",
        "due_on": "到期日",
        "end": "结束日期",
        "error": "错误",
        "expires_at": "有效期至",
        "failed": "失败",
        "failures": "失败次数",
        "locked": "已锁定",
        "fee": "申请执行费",
        "fee_settled": "已结算申请执行费",
        "file": "文件",
        "first_case": "首个案件",
        "last_case": "最后一个案件",
        "followup_due": "跟进期限",
        "lines": "行数",
        "matched_ref": "匹配的流水号",
        "mismatch": "不一致",
        "next_attempt_at": "下次重试时间",
        "not_to_cases": "未分配到案件",
        "to_cases": "分配到案件",
        "open_amount": "未发金额",
        "opened": "已开立",
        "order_key": "指令流水号",
        "party": "收款人",
        "payment": "款项",
        "period": "计息期间",
        "policy": "分配方式",
        "receipt": "来款",
        "receipt_status": "来款状态",
        "reference": "交易流水号",
        "ref": "交易流水号",
        "source": "来源",
        "step": "审批环节",
        "suspension": "中止执行",
        "txn": "交易流水号",
        "what": "费用项目",
        "proceeds": "可分配金额",
        "costs": "执行费用",
        "first_seizing_court": "首封法院",
        "debtor": "被执行人",
        "debtor_form": "被执行人类型",
        "served_on": "送达日期",
        "objection_due": "异议期届满日",
        "objection": "异议",
        "by": "提出人",
        "claim": "债权",
        "proposed": "主张金额",
        "disputed": "争议金额",
        "suit_due": "起诉期限",
        "sued_on": "起诉日期",
        "suit_number": "案号",
        "held": "提存金额",
        "upheld": "异议成立",
        "released": "解除提存金额",
        "new_plan": "新方案",
        "amounts": "分配金额",
        "finalised_on": "生效日期",
        "version": "版本",
        "amended_from": "原方案",
        "payouts": "发款",
        "rows": "行数",
        "on": "日期",
        "status": "状态",
        "attempts": "尝试次数",
        "name": "名称",
        "kind": "类型",
        # `funds.reward_paid` (services.rewards): the tip the reward is for, who received it, the offer.
        "tip": "线索",
        "payee": "领取人",
        "offer": "悬赏",
        "tipster": "举报人",
    },
    namespace=NS,
)
register_money_keys(
    "proposed",
    "disputed",
    "held",
    "released",
    "bank_balance",
    "ledger_balance",
    "fee",
    "open_amount",
    "proceeds",
    "costs",
    "not_to_cases",
    "to_cases",
)
register_values(
    "source",
    {**dict(Reconciliation.Source.choices), "auction": "拍卖成交价款", **RECEIPT_SOURCES},
    namespace=NS,
)
register_values("debtor_form", dict(FORM_CHOICES), namespace=NS)
register_values("kind", {**dict(DistributionClaim.Kind.choices), **TRANSACTION_KINDS}, namespace=NS)
register_values("step", lambda v: role_label(str(v)) if isinstance(v, str) else None, namespace=NS)
register_values("chain", lambda v: role_label(str(v)) if isinstance(v, str) else None, namespace=NS)
register_values("policy", dict(InterestCredit.Policy.choices), namespace=NS)
# One `status` key serves every record of the app; the payout's and the plan's words win a clash.
register_values(
    "status",
    {
        **dict(IncomeWithholding.Status.choices),
        **dict(InterestCredit.Status.choices),
        **dict(ReconciliationItem.Status.choices),
        **dict(Reconciliation.Status.choices),
        **dict(Receipt.Status.choices),
        **dict(Payout.Status.choices),
        **dict(DistributionPlan.Status.choices),
    },
    namespace=NS,
)
register_values("income_kind", dict(IncomeWithholding.IncomeKind.choices), namespace=NS)


def _hold_reason(value: object) -> str | None:
    """A hold's reason code as its label, from the configured table (`FUNDS_HOLD_REASONS`)."""
    from .conf import hold_reasons

    reason = hold_reasons().get(str(value))
    return reason.label if reason is not None else None


register_values("reason", _hold_reason, namespace=NS)
register_values("approve", {"True": "同意", "False": "不同意"}, namespace=NS)

# Receipts booked from a network deduction carry `ded-<inquiry request key>` as their bank serial.
register_ref_prefix("ded-", "扣划")
register_ref_prefix("DEMO-DED-", "扣划")
register_ref_prefix("payout-", "发款指令")
register_ref_prefix("return-", "退回指令")
# Statement layouts (the layouts page shows a built-in layout's spec through `|word:"funds:…"`).
register_values("encoding", dict(ENCODINGS), namespace=NS)
register_values("date_format", dict(DATE_FORMATS), namespace=NS)
register_values("amount_mode", dict(AMOUNT_MODES), namespace=NS)

# Income withholding (扣留、提取收入, CPL-2023 Art 254): `services.withholding`.
register_keys(
    {
        "payer_name": "协助执行单位",
        "payer_account": "协助单位付款账号",
        "income_kind": "收入种类",
        "monthly_income": "每月收入",
        "living_standard": "当地最低生活保障标准",
        "dependants": "所扶养家属人数",
        "monthly_amount": "每月扣留金额",
        "limit": "扣留总额上限",
        "ruling_number": "裁定书文号",
        "notice_number": "协助执行通知书文号",
        "start_on": "起扣日期",
        "lifted_on": "解除日期",
        "reason": "理由",
    },
    namespace=NS,
)
register_money_keys("monthly_income", "living_standard", "monthly_amount", "limit")

# Auction deposits (services.auction_deposits, issue 18).
register_actions(
    {
        "funds.auction_deposit": "拍卖保证金入账",
        "funds.deposit_release": "退还拍卖保证金（旧流程，无银行指令）",
        "funds.deposit_apply": "拍卖保证金转入案款",
    }
)

# Deposits, the custody account and distribution claims: the rest of their detail keys.
register_keys(
    {
        "key": "业务编号",
        "memo": "摘要",
        "bank_name": "开户银行",
        "account_name": "账户名称",
        "sub_prefix": "案款子账号前缀",
        "applied_on": "申请参与分配日期",
        "basis": "执行依据",
        "creditor_id_number": "债权人证件号码",
        "evidence": "证明材料",
        "rank": "受偿顺位",
        "security_date": "担保物权设立日期",
        "counter_due": "反对意见提出期限",
    },
    namespace=NS,
)
