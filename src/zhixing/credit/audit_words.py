"""Chinese words for the audit records the credit app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    register_actions,
    register_keys,
    register_money_keys,
    register_names,
    register_namespace,
    register_values,
)

from .models import (
    BorderNotice,
    Correction,
    CreditRepair,
    ExposureNotice,
    Listing,
    ListingNotice,
    Partner,
    Proposal,
    Restriction,
)
from .rules import ENUMERATION_REASONS, GROUND_CHOICES, NOTICE_EVENTS, REMOVAL_TRIGGERS, SERVICE_METHODS
from .rules.consumption import CODE_LABELS, CONSUMPTION_ITEMS

NS = ("credit", "screening")

# `screening.{kind}` is written by `services.audit_screening` with the kinds the partner API uses.
SCREENING_KINDS = {
    "check": "合作单位核查单个身份",
    "batch": "合作单位批量核查",
    "private": "合作单位隐私模式核查",
    "changes": "合作单位拉取名单变动",
    "private_changes": "合作单位拉取名单变动（哈希）",
}

register_actions(
    {
        "credit.application": "登记纳入失信申请",
        "credit.register_load": "批量登记受限人员（压测）",
        "credit.application_reject": "不予纳入失信名单",
        "credit.list": "纳入失信被执行人名单",
        "credit.extend": "延长失信期限",
        "credit.correction_file": "登记纠正申请",
        "credit.correction_decide": "审查纠正申请",
        "credit.correction_served": "登记纠正申请驳回决定的送达",
        "credit.correct": "纠正失信信息",
        "credit.correction_reconsideration": "登记纠正申请的复议申请",
        "credit.correction_review": "上一级法院作出纠正复议决定",
        "credit.correction_apply": "按纠正申请纠正失信信息",
        "credit.remove": "删除失信信息",
        "credit.carry_over": "恢复执行案件承继原案失信名单及限制措施",
        "credit.removal_due": "登记失信删除事由",
        "credit.publish": "失信信息公布",
        "credit.restrict_consumption": "限制消费",
        "credit.restrict_exit": "限制出境",
        "credit.lift": "解除限制措施",
        "credit.private_consumption": "审查消费申请",
        "credit.private_window": "准许消费期间开始或届满",
        "credit.exit_served": "限制出境决定送达",
        "credit.exit_reconsideration": "登记限制出境复议申请",
        "credit.exit_review": "限制出境复议决定",
        "credit.expose": "失信曝光",
        "credit.exposure_withdraw": "撤回曝光",
        "credit.exposure_resend": "重新推送曝光",
        "credit.exposure_delivery": "媒体回执",
        "credit.exposure_report": "媒体报告展示次数",
        "credit.partner_create": "新增联合惩戒单位",
        "credit.partner_revoke": "停用联合惩戒单位",
        "credit.propose": "提请院长签发信用惩戒决定",
        "credit.approve": "院长签发信用惩戒决定",
        "credit.sign_own": "法官自行签发信用惩戒决定（配置为无需院长签发）",
        "credit.approve_reject": "院长不予批准信用惩戒决定",
        "credit.served": "信用惩戒决定送达被执行人",
        "credit.border_delivery": "边检回执（限制出境布控/撤控）",
        "screening.intercept": "合作单位报告拦截",
        "screening.enumeration_alert": "疑似枚举查询告警",
        "screening.privacy_enable": "开启隐私核查模式",
        "screening.privacy_rotate": "更换隐私核查密钥",
        "screening.privacy_ready": "隐私核查表生成完毕",
        "screening.privacy_only": "限定为隐私模式（仅哈希接口）",
        **{f"screening.{kind}": words for kind, words in SCREENING_KINDS.items()},
    }
)
register_namespace("credit", "信用惩戒")
register_namespace("screening", "联合惩戒核查")

register_keys(
    {
        "carried_from": "原案件",
        "ability_confirmed": "已查明有履行能力",
        "controlled": "已控制财产",
        "owed": "未履行金额",
        "decision_due": "决定期限",
        "dishonest_act": "失信行为",
        "document_number": "决定书文号",
        "expires_on": "失信期限届满日",
        "extension_years": "延长年数",
        "fix_due": "纠正期限",
        "ground": "事由",
        "guarantee_confirmed": "已提供担保",
        "order_confirmed": "已发出报告财产令",
        "initiation": "启动方式",
        "party": "被执行人",
        "publish_on": "公布日期",
        "received_on": "收到日期",
        "reconsideration_due": "复议期限",
        "review_due": "审查期限",
        "decided_on": "决定日期",
        "filed_on": "申请日期",
        "served_on": "送达日期",
        "result": "结果",
        "effective_on": "生效日期",
        "granted": "准许",
        "items": "措施",
        "lifted": "解除的措施",
        "listing": "失信记录",
        "listings": "失信记录",
        "persons": "限制对象",
        "purpose": "消费事项",
        "codes": "准许事项",
        "valid_from": "准许起始日",
        "valid_until": "准许截止日",
        "window_state": "期间状态",
        "trigger": "事由",
        "trigger_on": "事由发生日",
        "removal_due": "删除期限",
        "removed_on": "删除日期",
        "restrictions": "限制措施",
        "area": "曝光地区",
        "media": "媒体",
        "notices": "推送通知",
        "impressions": "展示次数",
        "partner": "合作单位",
        "attempts": "推送次数",
        "status": "状态",
        "asked": "核查人数",
        "added": "新增人数",
        "present": "已在名单人数",
        "mask": "限制编码",
        "since": "受限起始日",
        "hits": "命中人数",
        "channel": "渠道",
        "place": "地点",
        "code": "单位代码",
        "name": "名称",
        "kind": "类别",
        "rate_per_minute": "每分钟限额",
        "revoked_at": "停用时间",
        "cursor": "同步位置",
        "privacy_mode": "隐私模式",
        "full_sync": "可全量同步",
        "format": "格式",
        "preparing": "核查表生成中",
        "extra": "附加信息",
        "note": "备注",
        "reason": "理由",
        "reasons": "告警原因",
        "sequential_share": "连号比例",
        "higher_review_due": "复议审查期限",
        "correction": "纠正申请",
        "subject_key": "身份号码",
        "sex": "性别",
        "age": "年龄",
        "legal_representative": "法定代表人/负责人",
        "obligation": "生效法律文书确定的义务",
        "performance": "履行情况",
        "decision": "决定类型",
        "summary": "决定要点",
        "approver": "签发人",
        "signer_title": "签发人职务",
        "service_method": "送达方式",
        "previous_id": "原身份号码",
        "cause": "变更原因",
        "method": "送达方式",
        "on": "送达行为日期",
        "awaiting_service": "待送达生效",
        "action": "事项",
        "partner_ref": "对方编号",
    },
    namespace=NS,
)
register_money_keys("owed", "controlled")
register_values(
    "ground", {**{str(k): v for k, v in GROUND_CHOICES}, **dict(Correction.Ground.choices)}, namespace=NS
)
register_values("result", {"upheld": "维持原决定", "revoked": "撤销原决定"}, namespace=NS)
# a restriction's items are kept as their numbers (限制消费规定第3条): 操作留痕 reads the items
register_values("items", {str(n): label for n, label in CONSUMPTION_ITEMS.items()}, namespace=NS)
register_values("initiation", dict(Listing.Initiation.choices), namespace=NS)
register_values("kind", dict(Partner.Kind.choices), namespace=NS)
register_values(
    "status",
    {
        **dict(Correction.Status.choices),
        **dict(Listing.Status.choices),
        **dict(Restriction.Status.choices),
        **dict(Proposal.Status.choices),
        **dict(BorderNotice.Status.choices),
    },
    namespace=NS,
)
register_values("format", {"csv": "CSV文件", "compact": "紧凑格式"}, namespace=NS)
register_values("reasons", ENUMERATION_REASONS, namespace=NS)
register_values("decision", dict(Proposal.Kind.choices), namespace=NS)
register_values("method", SERVICE_METHODS, namespace=NS)
register_values("service_method", SERVICE_METHODS, namespace=NS)
register_values(
    "cause",
    {"performance": "履行情况", "correction": "更正公布信息", "legal_rep": "法定代表人变更"},
    namespace=NS,
)
register_values("action", dict(BorderNotice.Action.choices), namespace=NS)

# Issue 14 items 7 and 9 (Art 8 notices, re-listing, credit repair, legal representative, 履行情况).
register_actions(
    {
        "credit.debtor_profile": "登记被执行人通报信息",
        "credit.art8_queue": "生成失信通报",
        "credit.art8_delivery": "失信通报送达回执",
        "credit.art8_resend": "重新发送失信通报",
        "credit.repair_apply": "登记信用修复申请",
        "credit.repair_decide": "作出信用修复决定",
        "credit.legal_rep_change": "登记法定代表人变更",
        "credit.performance": "更新履行情况",
    }
)
register_keys(
    {
        "state_functionary": "公职人员",
        "employer": "所在单位",
        "unit_nature": "单位性质",
        "superior": "上级单位",
        "event": "通报事项",
        "recipients": "通报对象",
        "recipient": "通报对象",
        "ref": "对方编号",
        "applied_on": "申请日期",
        "settled": "和解已履行或申请人同意",
        "corrected": "已纠正失信行为",
        "conditions": "修复条件",
        "certificate": "信用修复证明",
        "changed_on": "变更日期",
        "former_released": "原法定代表人获准解除",
        "imposed": "新采取的限制",
    },
    namespace=NS,
)
register_values("event", {**NOTICE_EVENTS, "listed": "纳入失信名单", "removed": "删除失信信息"}, namespace=NS)
# One `status` key for every record of the app (this replaces the first table above, so it holds all of
# them: a proposal's 已签发 and a border notice's 边检已接收 were once left as codes).
register_values(
    "status",
    {
        **dict(ExposureNotice.Status.choices),
        **dict(BorderNotice.Status.choices),
        **dict(Proposal.Status.choices),
        **dict(Correction.Status.choices),
        **dict(Listing.Status.choices),
        **dict(Restriction.Status.choices),
        **dict(ListingNotice.Status.choices),
        **dict(CreditRepair.Status.choices),
    },
    namespace=NS,
)
register_values("persons", dict(Restriction.Bound.choices), namespace=NS)  # [[bound, name], …]


def _trigger_words(value: object) -> str | None:
    """A listing's removal trigger or a restriction's lifting trigger (`credit.lift`)."""
    from .services.lifting import LIFT_TRIGGERS

    return REMOVAL_TRIGGERS.get(str(value)) or LIFT_TRIGGERS.get(str(value))


register_values("trigger", _trigger_words, namespace=NS)


def _notice_states(value: object) -> str | None:
    """`credit.exposure_withdraw` keeps {notice id: state}: 第7项：撤回中."""
    if not isinstance(value, dict):
        return None
    words = dict(ExposureNotice.Status.choices)
    return "；".join(f"第{k}项：{words.get(str(v), str(v))}" for k, v in value.items())


register_values("notices", _notice_states, namespace=NS)


def _listing_names(values: set[object]) -> dict[object, str]:
    """Listing pks → the listed debtor's name (`失信记录：王五`)."""
    pks = [v for v in values if isinstance(v, int)]
    return dict(Listing.objects.filter(pk__in=pks).values_list("pk", "name")) if pks else {}


register_names("listing", _listing_names, namespace=NS)
register_names("listings", _listing_names, namespace=NS)

# A credit repair's conditions (`credit.repair_decide`, 信用修复).
register_keys(
    {"min_days": "已届满最短公示期", "no_other_listing": "无其他失信记录", "performed": "已履行完毕"},
    namespace=NS,
)


def _restriction_names(values: set[object]) -> dict[object, str]:
    """Restriction pks → `限制消费（张三）`: the measure and the person it binds."""
    pks = [v for v in values if isinstance(v, int)]
    kinds = dict(Restriction.Kind.choices)
    rows = Restriction.objects.filter(pk__in=pks).values_list("pk", "kind", "name") if pks else []
    return {pk: f"{kinds.get(kind, kind)}（{name}）" for pk, kind, name in rows}


register_names("lifted", _restriction_names, namespace=NS)
register_names("imposed", _restriction_names, namespace=NS)
register_names("restrictions", _restriction_names, namespace=NS)

# A partner's interception report (`screening.intercept`): `code` is the restriction it enforced.
register_keys({"code": "拦截事项"}, namespace="screening")
register_values("code", dict(CODE_LABELS), namespace="screening")
