"""Chinese words for the cases app's coercive measures (强制措施), the refusal-crime referral (拒执移送) and
the transfer to bankruptcy review (执转破), issue 20 (see `zhixing.core.audit_catalogue`).

Imported by `CasesConfig.ready()` after `audit_words` (a key registered here for the case namespace
overrides the general one there, as when both lived in one module).
"""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys

from .audit_words import NS

# Issue 20: coercive measures and the refusal-crime referral (appended).
register_actions(
    {
        "case.coercion.propose": "提请强制措施",
        "case.coercion.approve": "院长批准强制措施",
        "case.coercion.refuse": "院长不予批准强制措施",
        "case.coercion.serve": "登记强制措施决定书送达",
        "case.coercion.review": "登记申请复议",
        "case.coercion.start": "登记拘留/拘传开始时间",
        "case.coercion.family_notice": "登记通知被拘留人家属",
        "case.refusal.refer": "移送涉嫌拒不执行判决、裁定罪",
        "case.bankruptcy.transfer": "执行案件移送破产审查",
    }
)
register_keys(
    {
        "person": "责任人员",
        "hours": "拘传小时数",
        "review_apply_by": "复议申请期限",
        "applied_on": "申请复议日期",
        "review_decide_by": "复议决定期限",
        "started_at": "开始时间",
        "family_notice_due": "通知家属期限",
        "ends_at": "拘传询问截止",
        "notified_at": "通知家属时间",
        "situations": "拒不执行情形",
        "receiver": "移送机关",
        "evidence": "证据包摘要",
        "consent": "书面同意",
        "served_on": "送达日期",
        "party": "当事人",
    },
    namespace=NS,
)
