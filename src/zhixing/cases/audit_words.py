"""Chinese words for the audit records the cases app writes (see `zhixing.core.audit_catalogue`).

Imported by `CasesConfig.ready()`; the catalogue test checks that every action code written under
`zhixing.cases` has words here.
"""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    action_label,
    field_words,
    has_words,
    register_actions,
    register_keys,
    register_money_keys,
    register_names,
    register_namespace,
    register_values,
)
from zhixing.core.service_of_documents import SERVICE_METHODS
from zhixing.courts.audit_words import staff_names, team_names

from .closing import CLOSING_FIELDS
from .cost_rules import ADVANCERS, COST_KINDS
from .models import (
    BankruptcyTransfer,
    CaseStatus,
    ClosingMode,
    CoerciveMeasure,
    ExcludedPeriod,
    Extension,
    Obligation,
    Party,
    Payment,
    SupervisionOrder,
    Suspension,
)
from .rules_dormant import PRECONDITIONS, STATE_LABELS

NS = ("case", "node", "extension", "party", "demo")

register_actions(
    {
        "case.file": "立案",
        "case.cost": "登记执行费用（被执行人负担）",
        "case.assign": "分案",
        "case.suspend": "中止执行",
        "case.resume_execution": "恢复执行",
        "case.resume": "恢复执行（执恢立案）",
        "case.preservation_carried": "保全案件转入执行案件（诉执衔接）",
        "case.close": "结案",
        "case.dormant.confirm": "确认终本条件（附证据）",
        "case.dormant.review": "终本条件审查并生成终本裁定书",
        "case.dormant.resume_request": "登记恢复执行申请",
        "case.exclude_start": "登记不计入执行期限的期间",
        "case.exclude_end": "不计入执行期限的期间结束",
        "case.payment": "登记履行款",
        "case.payment_order": "登记款项抵充顺序",
        "case.judgment_terms": "登记执行依据履行条款（加速到期、外币、迟延履行金）",
        "case.track_term": "启动办理期限",
        "node.complete": "办理节点",
        "node.complete_by_event": "节点随业务自动办结",
        "node.add": "添加节点",
        "node.scan": "节点期限巡检",
        "extension.request": "申请延长执行期限",
        "extension.approve": "批准延长执行期限",
        "extension.reject": "不予批准延长执行期限",
        "extension.report": "再次延长执行期限层报高级人民法院备案",
        "party.view_identity": "查看完整身份信息",
        "party.legal_rep": "登记法定代表人变更",
        "demo.bulk_seed": "生成演示数据",
        "case.supervision_order.issue": "发出督办",
        "case.supervision_order.reply": "回复督办",
        "case.notice_issue": "制作执行通知书",
        "case.notice_serve": "登记执行通知书送达",
        "case.asset_report": "登记被执行人财产报告",
        "node.notice_due_by_measure": "先行控制后执行通知书期限提前",
        "node.notice_due_by_assignment": "承办人收案后三日内发出执行通知书",
    },
    collapse=["party.view_identity"],
)
for ns, noun in (
    ("case", "案件"),
    ("node", "节点"),
    ("extension", "延长期限"),
    ("party", "当事人"),
    ("demo", "演示数据"),
):
    register_namespace(ns, noun)

register_keys(
    {
        "number": "案号",
        "key": "终本条件",
        "done_on": "办理日期",
        "evidence": "证据材料",
        "states": "各项终本条件",
        "ruling": "终本裁定书",
        "compliant": "终本合格",
        "by": "申请人",
        "channel": "提交途径",
        "requests_answered": "已办结的恢复执行申请",
        "court": "法院",
        "claim": "执行标的",
        "parties": "当事人",
        "origin": "原案件",
        "status": "状态",
        "handler": "承办人",
        "team": "团队",
        "on": "日期",
        "node": "节点",
        "document": "文书",
        "late": "超期完成",
        "started_on": "起算日",
        "note": "备注",
        "ground": "事由",
        "start": "中止日期",
        "reason": "理由",
        "term_due": "执行期限届满日",
        "mode": "结案方式",
        "closed_on": "结案日期",
        "details": "结案信息",
        "name": "姓名/名称",
        "resumed_as": "恢复执行案号",
        "kind": "期间类型",
        "end": "结束日期",
        "days": "天数",
        "obligation": "执行内容",
        "limitation_expired": "超过申请执行期间",
        "debtor_requested": "被执行人申请",
        "instrument_review": "执行依据审查",
        "event": "触发事件",
        "link": "关联业务",
        "red": "新增超期节点",
        "yellow": "新增临期节点",
        "today": "巡检日",
        "track": "办理程序",
        "term": "办理期限",
        "terms": "撤销的期限",
        "amount": "金额",
        "paid_on": "履行日期",
        "source": "来源",
        "reference": "交易流水号",
        "order": "抵充顺序",
        "agreed_on": "约定日期",
        "role": "诉讼地位",
        "performed_amount": "执行到位金额",
        "document_ref": "文书文号",
        "interview_on": "约谈申请执行人日期",
        "investigation_summary": "财产调查情况",
        "approval": "审批方式",
        "how": "履行方式",
        "rows": "写入行数",
        "cases": "案件数",
        "addressee": "被督办人",
        "due_on": "回复期限",
        "text": "督办内容",
        "reply": "回复内容",
        "interest_rate": "判决年利率（%）",
        "interest_from": "利息起算日",
        "instalments": "分期履行",
        "sequence": "第几次延长",
        "reported_to": "报备法院",
        "legal_representative": "法定代表人",
        "changed_on": "变更日期",
        "instalment_acceleration": "分期加速到期",
        "currency": "币种",
        "fx_rate": "外币中间价",
        "fx_in_rmb": "折合人民币计算",
        "late_fee_loss": "迟延履行造成的损失",
        "late_fee_decided": "法院确定的迟延履行金",
        "application_fee": "申请执行费",
        "asset_report": "同时发出报告财产令",
        "method": "送达方式",
        "served_on": "视为送达日",
        "period_ends_on": "履行期间届满日",
        "deadline": "节点期限",
        "measure_on": "控制措施日期",
        "assigned_on": "分案日期",
        "debtor": "被执行人",
        "received_on": "收到日期",
        "report_period": "报告期间",
        "report_due_on": "财产报告期限届满日",
        "report_late": "逾期报告",
    },
    namespace=NS,
)
register_money_keys(
    "claim", "performed_amount", "amount", "late_fee_loss", "late_fee_decided", "application_fee"
)
# One `status` / `kind` key serves several records of the namespace: the case's own words win a clash.
register_values(
    "status",
    {
        **dict(Extension.Status.choices),
        **dict(SupervisionOrder.Status.choices),
        **dict(CoerciveMeasure.Status.choices),
        **dict(CaseStatus.choices),
    },
    namespace=NS,
)
register_values("mode", dict(ClosingMode.choices), namespace=NS)
register_values(
    "kind",
    {**field_words(CoerciveMeasure, "kind"), **dict(ExcludedPeriod.Kind.choices)},
    namespace=NS,
)
register_values("consent", field_words(BankruptcyTransfer, "consent_by"), namespace=NS)
# 终本 preconditions (`case.dormant.confirm` names one; `case.dormant.review` keeps each one's state).
register_values("key", {p.key: p.label for p in PRECONDITIONS}, namespace=NS)
register_keys({p.key: p.label for p in PRECONDITIONS}, namespace=NS)
for _p in PRECONDITIONS:
    register_values(_p.key, STATE_LABELS, namespace=NS)
# Case tracks (繁简分流) and their internal terms (`case.track_term`): the term is a node type's code.
register_values(
    "track", {"simple": "简案快执", "complex": "繁案精办", "dormant": "无财产（拟终本）"}, namespace=NS
)
register_values("obligation", dict(Obligation.choices), namespace=NS)
register_values("role", dict(Party.Role.choices), namespace=NS)
register_values("method", SERVICE_METHODS, namespace=NS)
register_values("source", dict(Payment.Source.choices), namespace=NS)
register_values(
    "order",
    lambda v: (
        "、".join(
            {"doubled": "迟延履行金", "costs": "执行费用", "interest": "利息", "principal": "本金"}.get(p, p)
            for p in str(v).split(",")
        )
        if v
        else "法定顺序"
    ),
    namespace=NS,
)
# Closing details: the mode's fields and their choices (`how=voluntary` → 履行方式：自动履行).
_grounds: dict[str, str] = dict(Suspension.Ground.choices)
for _specs in CLOSING_FIELDS.values():
    for _spec in _specs:
        if _spec.name not in ("ground", "reason", "document_ref"):
            register_keys({_spec.name: _spec.label.removesuffix("（元）")}, namespace=NS)
        if _spec.choices and _spec.name != "ground":
            register_values(_spec.name, dict(_spec.choices), namespace=NS)
        elif _spec.choices:
            _grounds.update(dict(_spec.choices))
register_values("ground", _grounds, namespace=NS)
register_values(
    "parties",
    lambda v: (
        "、".join(
            f"{dict(Party.Role.choices).get(str(p.get('role')), '')}{p.get('name', '')}"
            for p in v
            if isinstance(p, dict)
        )
        if isinstance(v, list)
        else None
    ),
    namespace=NS,
)


def _node_names(values: set[object]) -> dict[object, str]:
    """A node type's code (a term, a node added by hand) or a node's pk (a supervision order's node) →
    the node type's name."""
    from .models import Node, NodeType

    codes = [v for v in values if isinstance(v, str)]
    pks = [v for v in values if isinstance(v, int)]
    out: dict[object, str] = {}
    if codes:
        out.update(NodeType.objects.filter(code__in=codes).values_list("code", "name"))
    if pks:
        out.update(Node.objects.filter(pk__in=pks).values_list("pk", "node_type__name"))
    return out


def party_names(values: set[object]) -> dict[object, str]:
    """Party pks → the party's name (records of other apps name parties by pk too)."""
    pks = [v for v in values if isinstance(v, int)]
    return dict(Party.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}


register_names("handler", staff_names, namespace=NS)
register_names("team", team_names, namespace=NS)
register_names("node", _node_names, namespace=NS)
register_names("term", _node_names, namespace=NS)
register_names("node", _node_names, namespace="analytics")  # a lead's field-check node
register_names("addressee", staff_names, namespace=NS)
# Parties by pk, in every app's records that name one so (a payee, a listed debtor, a served party).
register_names("party", party_names, namespace=("case", "credit", "document", "funds", "portal"))
register_names("debtor", party_names, namespace=("funds", "inquiry"))
register_names("debtors", party_names, namespace="inquiry")


def _event_words(value: object) -> str | None:
    """`node.complete_by_event` names the business event by its audit action code (the inquiry's own
    event code otherwise)."""
    if not isinstance(value, str):
        return None
    if value == "inquiry.filed":
        return "发起网络查控"
    return action_label(value) if has_words(value) else None


register_values("event", _event_words, namespace=NS)

# Enforcement costs the debtor bears (`services.costs`, rule ).
register_keys(
    {
        "cost_kind": "费用种类",
        "incurred_on": "支出日期",
        "applicant_requested": "依申请执行人申请",
        "advanced_by": "支付方",
        "article": "依据",
    },
    namespace=NS,
)
register_values("cost_kind", {k: v[0] for k, v in COST_KINDS.items()}, namespace=NS)
register_values("advanced_by", dict(ADVANCERS), namespace=NS)
