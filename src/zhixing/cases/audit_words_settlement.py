"""Chinese words for the cases app's settlement agreements (执行和解), their resumption requests and the
preservation carry-over (诉执衔接), issue 19 (see `zhixing.core.audit_catalogue`).

Imported by `CasesConfig.ready()` after `audit_words` and `audit_words_coercion` (a key registered here
for the case namespace, e.g. 和解当事人, overrides the earlier one, as when all lived in one module).
"""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys, register_money_keys, register_values

from .audit_words import NS

# Settlement agreements (执行和解, issue 19.4).
register_actions(
    {
        "case.settlement.record": "登记执行和解协议",
        "case.settlement.breach": "执行和解协议逾期未履行",
        "case.settlement.resume": "和解协议未履行，恢复执行原生效法律文书",
        "case.settlement.performed": "和解协议履行完毕，执行完毕结案",
    }
)
register_keys(
    {
        "parties": "和解当事人",
        "signed_on": "签订日期",
        "instalments": "分期履行（期限、金额）",
        "suspend": "中止执行",
        "keep_controls": "控制措施继续有效",
        "seq": "期次",
        "settlement_status": "和解协议履行状态",
    },
    namespace=NS,
)
register_money_keys("outstanding")
register_values(
    "settlement_status",
    {"active": "履行中", "breached": "逾期未履行", "resumed": "已恢复执行", "performed": "已履行完毕"},
    namespace=NS,
)

# Preservation carry-over (诉执衔接) and settlement agreements (执行和解), issue 19.
register_keys(
    {
        "lawsuit_number": "诉讼案号",
        "preservations_carried": "转入的保全案件",
        "carried_into": "转入的执行案件",
        "preservation": "保全案件",
        "outstanding": "未履行金额",
    },
    namespace=NS,
)

# The applicant's online request to resume after a settlement was not performed (申请恢复执行).
register_actions(
    {
        "case.settlement.resume_request": "申请执行人在线申请恢复执行（执行和解未履行）",
        "case.settlement.resume_decide": "审查恢复执行申请",
    }
)
register_keys(
    {
        "filed_on": "申请日期",
        "grounds": "事实和理由",
        "settlement": "和解协议",
        "request_status": "恢复执行申请审查结果",
        "reasons": "不予恢复执行的理由",
        "requests_granted": "一并准许的恢复执行申请",
    },
    namespace=NS,
)
register_values(
    "request_status",
    {"pending": "待审查", "granted": "已恢复执行", "refused": "不予恢复执行"},
    namespace=NS,
)
