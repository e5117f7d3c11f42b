"""Chinese words for the audit records objections write (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    field_words,
    register_actions,
    register_keys,
    register_namespace,
    register_values,
)

register_actions(
    {
        "objections.file": "执行异议立案",
        "objections.decide": "执行异议裁定",
        "objections.served": "异议裁定送达",
        "objections.suit": "登记执行异议之诉",
        "objections.suit_ended": "执行异议之诉终结",
        "objections.withdraw": "撤回执行异议",
        "objections.demo": "生成演示执行异议",
        "objections.review_filed": "申请复议",
        "objections.review_decided": "复议裁定",
    }
)
register_namespace("objections", "执行异议")
register_keys(
    {
        "number": "异议案号",
        "kind": "异议类型",
        "asset": "执行标的",
        "objector": "异议人",
        "channel": "提交方式",
        "received_on": "收到异议日期",
        "decision_due": "审查期限",
        "status": "状态",
        "decided_on": "裁定日期",
        "late": "超期裁定",
        "panel": "合议庭",
        "document": "裁定书",
        "served_on": "送达日期",
        "suit_due": "起诉期限",
        "suit_filed_on": "起诉日期",
        "suit_number": "诉讼案号",
        "suit_ended_on": "诉讼终结日期",
        "reason": "理由",
        "recalled": "撤回的扣划请求",
        "act": "执行行为",
        "undone": "撤销的执行行为",
        "review_due": "复议申请期限",
        "review_filed_on": "申请复议日期",
        "review_decision_due": "复议审查期限",
        "review_status": "复议结果",
    },
    namespace="objections",
)

# Act objections (执行行为异议): the date by which the objector is told the result.
register_keys({"notify_due": "告知期限"}, namespace="objections")

# Issue 19 item 1: the parties told of the filing, the ruling served electronically; item 2: an
# interested person (利害关系人) objecting to an act.
register_actions({"objections.notified": "通知当事人异议立案"})
register_keys(
    {
        "notified_on": "通知日期",
        "method": "通知或送达方式",
        "interested": "利害关系人提出",
        "service_due": "裁定送达期限",
        "e_served": "电子送达当事人数",
    },
    namespace="objections",
)

# Issue 19: the outcome of a third-party objection decides the claimed asset's lot and controls.
register_actions({"objections.final": "异议裁定生效（起诉期间届满未起诉）"})
register_keys(
    {"suit_outcome": "诉讼结果", "final_on": "异议结果确定日", "cause": "原因"},
    namespace="objections",
)

# Issue 19: the retrial route (依照审判监督程序办理) after a third-party objection's ruling.
register_actions(
    {
        "objections.retrial_filed": "登记再审申请（审判监督程序）",
        "objections.retrial_decided": "登记再审审查结果",
    }
)
register_keys(
    {
        "retrial_filed_on": "申请再审日期",
        "retrial_court": "再审审查法院",
        "retrial_number": "再审案号",
        "retrial_state": "再审申请",
        "retrial_decided_on": "再审审查结果日期",
        "retrial_document_ref": "再审裁定书文号",
        "suspension": "中止执行",
    },
    namespace="objections",
)


def _register_values() -> None:
    from .models import Objection

    for key, field in ((k, k) for k in ("kind", "channel", "status", "review_status")):
        register_values(key, field_words(Objection, field), namespace="objections")


_register_values()
