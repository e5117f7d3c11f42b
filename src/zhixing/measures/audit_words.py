"""Chinese words for the audit records the measures app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys, register_namespace, register_values

from .models import ACTIONS, EVENTS, MEASURES, Consequence, Proposal

NS = "measures"

register_actions(
    {
        "measures.consequence": "措施联动执行",
        "measures.propose": "提出措施联动建议",
        "measures.accept": "采纳措施联动建议",
        "measures.decline": "不予采纳措施联动建议",
        "measures.moot": "措施联动建议已无对象",
        "measures.refused": "合作单位拒绝联动措施",
        "measures.retry": "重试措施联动",
    }
)
register_namespace(NS, "措施联动")
register_keys(
    {
        "event": "触发事件",
        "measure": "措施",
        "action": "处理",
        "article": "法律依据",
        "targets": "对象",
        "requests": "控制请求",
        "status": "状态",
        "reason": "理由",
        "error": "未能执行的原因",
        "attempts": "尝试次数",
        # what a sale's or an objection's consequence acts on (targets.py)
        "asset": "财产",
        "lot": "拍卖标的",
        "lots": "拍卖标的",
        "objection": "异议",
        "period": "不计入期间",
        "price": "参考价",
        "ref": "编号",
    },
    namespace=NS,
)
register_values("event", dict(EVENTS), namespace=NS)
register_values("measure", dict(MEASURES), namespace=NS)
register_values("action", dict(ACTIONS), namespace=NS)
register_values("status", {**dict(Proposal.Status.choices), **dict(Consequence.Status.choices)}, namespace=NS)
register_keys({"payer": "付款人", "receipt_key": "来款编号"}, namespace=NS)
