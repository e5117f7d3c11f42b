"""Chinese words for the audit records the analytics app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    field_words,
    register_actions,
    register_keys,
    register_namespace,
    register_values,
)

from .layouts import StatementPreset
from .models import ImportJob, PropertyLead, RelatedPerson, Transaction
from .rules import LABELS as RULE_LABELS

NS = "analytics"

register_actions(
    {
        "analytics.import.create": "上传流水待导入",
        "analytics.import.done": "流水导入完成",
        "analytics.import.reject": "流水导入被拒收",
        "analytics.batch.create": "发起批量履行能力分析",
        "analytics.batch.done": "批量履行能力分析完成",
        "analytics.batch.refused": "批量履行能力分析未执行",
        "analytics.profile.compute": "生成履行能力画像",
        "analytics.related.add": "登记关联人",
        "analytics.export": "下载分析报告或证据",
        "analytics.preset.install": "安装内置流水格式",
        "analytics.preset.save": "保存流水格式",
        "analytics.preset.delete": "删除流水格式",
        "analytics.preset.copy": "复制流水格式为本院格式",
        "analytics.transaction.correct": "更正流水",
        "analytics.rate.set": "设置汇率",
        "analytics.lead.follow": "跟进财产线索",
        "analytics.lead.settle": "财产线索查询有结果",
        "analytics.lead.field_result": "登记线索实地核查结果",
    }
)
register_namespace(NS, "履行能力分析")
register_keys(
    {
        "category": "类别",
        "currency": "币种",
        "document": "文书",
        "duplicates": "重复行数",
        "errors": "问题行",
        "file": "文件",
        "filter": "筛选条件",
        "imported": "导入行数",
        "kind": "类型",
        "name": "名称",
        "note": "备注",
        "quarantined": "隔离行数",
        "rate": "汇率",
        "reason": "原因",
        "relation": "关系",
        "rows": "行数",
        "rules": "命中规则",
        "ruleset": "规则版本",
        "score": "评分",
        "total": "人数",
        "urgent": "紧急",
        "valid_from": "生效日期",
        "what": "下载内容",
        "sha256": "文件指纹",
        "mode": "导入方式",
        "level": "级别",
        "state": "状态",
        "status": "状态",
        "source": "复制自",
        "changes": "调整的字段",
        "direction": "收支",
        "amount": "金额",
        "counterparty": "交易对方",
        "excluded": "不计入指标",
        "row": "文件行号",
        "job": "导入任务",
        # a lead's snapshot (`services.leads`)
        "request": "定向查询请求",
        "asset": "登记的财产",
        "node": "核查节点",
        "due_on": "核查期限",
        "outcome": "核查结果",
    },
    namespace=NS,
)
register_values("kind", {**dict(ImportJob.Kind.choices), **dict(PropertyLead.Kind.choices)}, namespace=NS)
register_values("mode", dict(ImportJob.Mode.choices), namespace=NS)
register_values("direction", dict(Transaction.Direction.choices), namespace=NS)
register_values("status", dict(ImportJob.Status.choices), namespace=NS)
register_values("state", dict(PropertyLead.State.choices), namespace=NS)
register_values("relation", dict(RelatedPerson.Relation.choices), namespace=NS)
register_values(
    "what",
    {"evidence.csv": "证据清单（CSV）", "report.docx": "分析报告（Word）", "report.pdf": "分析报告（PDF）"},
    namespace=NS,
)


register_values("rules", dict(RULE_LABELS), namespace=NS)
# A statement preset's settings (`analytics.preset.save` / `.copy`): each field by its label and choice.
register_keys(
    {f.name: str(f.verbose_name) for f in StatementPreset._meta.get_fields() if hasattr(f, "verbose_name")},
    namespace=NS,
)
register_values("file_format", field_words(StatementPreset, "file_format"), namespace=NS)
register_values("amount_sign", field_words(StatementPreset, "amount_sign"), namespace=NS)
register_values(
    "changes",
    {f.name: str(f.verbose_name) for f in StatementPreset._meta.get_fields() if hasattr(f, "verbose_name")},
    namespace=NS,
)
