"""Chinese words for the audit records the inquiry app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    register_actions,
    register_keys,
    register_money_keys,
    register_names,
    register_namespace,
    register_values,
)
from zhixing.courts.audit_words import staff_names
from zhixing.courts.roles import Role
from zhixing.documents.models import Channel

from .dormant_notices import ReinquiryNotice
from .models import Action, Asset, DormantRound, InquiryRequest, Partner, PartnerCategory
from .triage_records import CaseTriage, TriageFlag

NS = "inquiry"

# `inquiry.{action}.request` (services.controls) and `inquiry.{action}.result` (services.feedback)
# are built from `Action`: a control order filed and its partner's answer.
_ACTION_WORDS = {
    "query": "查询",
    "freeze": "冻结",
    "deduct": "扣划",
    "seize": "查封/扣押",
    "release": "解除控制",
    "renew": "续行控制",
}
DYNAMIC = {
    **{f"inquiry.{a}.request": f"申请{w}" for a, w in _ACTION_WORDS.items()},
    **{f"inquiry.{a}.result": f"{w}结果反馈" for a, w in _ACTION_WORDS.items()},
    # `services.requests.file_round(action=...)`: a judge's round (default) and the 终本 re-inquiry.
    "inquiry.start": "发起网络查控",
    "inquiry.dormant.reinquiry": "终本案件定期查控",
}

register_actions(
    {
        "inquiry.view.register": "查看财产登记信息",
        "inquiry.export": "导出查控信息",
        "inquiry.centralised": "集中查控",
        "inquiry.targeted": "定向查询",
        "inquiry.results": "查询结果反馈",
        "inquiry.approve": "批准控制措施",
        "inquiry.reject": "不予批准控制措施",
        "inquiry.release": "解除控制",
        "inquiry.cancel": "撤回查控请求",
        "inquiry.title_passed": "登记财产所有权转移",
        "inquiry.release_excess": "解除超标的控制",
        "inquiry.renew.bulk": "批量续行控制",
        "inquiry.renew.request": "申请续行控制",
        "inquiry.control.warned": "控制措施即将到期提醒",
        "inquiry.control.lapsed": "控制措施到期失效",
        "inquiry.control.queue_advanced": "轮候查封顺位前移",
        "inquiry.control.queue_effective": "轮候查封转为正式查封",
        "inquiry.freeze.remainder": "部分冻结后续冻其他账户",
        "inquiry.deduction_booked": "扣划款已入案款账",
        "inquiry.dormant.lead": "终本查控发现财产",
        "inquiry.dormant.result": "终本查控结果",
        "inquiry.dormant.notice": "终本定期查询结果告知申请执行人（待送达）",
        "inquiry.dormant.notice_served": "终本定期查询结果已电子送达申请执行人",
        "inquiry.carry_over": "恢复执行案件承继原案财产及控制措施",
        "inquiry.preservation_carried": "诉讼保全查封冻结措施转入执行案件",
        "inquiry.dormant.attention": "终本案件无法定期查询，列入需关注",
        "inquiry.triage.evaluated": "案件分流评估",
        "inquiry.triage.flag_set": "登记分流情形",
        "inquiry.triage.flag_cleared": "撤销分流情形",
        "inquiry.triage.decided": "决定案件分流",
        "inquiry.demo.controls": "生成演示控制措施",
        **DYNAMIC,
    },
    collapse=["inquiry.view.register"],
)
register_namespace(NS, "查控")

register_keys(
    {
        "answer": "反馈",
        "round": "定期查询",
        "case": "案件",
        "content": "告知内容",
        "served_on": "送达日期",
        "partner": "协助单位",
        "receipt": "案款到账记录",
        "trigger": "触发原因",
        "asset": "财产",
        "assets": "财产",
        "bulk": "批量",
        "capped": "已截断",
        "cases": "案件",
        "categories": "查询类别",
        "category": "查询类别",
        "day": "日期",
        "debtor": "被执行人",
        "debtors": "被执行人",
        "effective_on": "生效日期",
        "excess": "超标的金额",
        "expires": "控制到期日",
        "filter": "筛选条件",
        "found": "发现财产",
        "frozen": "冻结金额",
        "outcome": "结果",
        "parent": "原请求",
        "proposed": "建议分流",
        "rank": "轮候顺位",
        "reasons": "理由",
        "ref": "编号",
        "refused": "未办理",
        "renewed": "已续行",
        "requested_by": "申请人",
        "requests": "请求数",
        "results": "结果",
        "rounds": "查控轮次",
        "run_on": "查控日期",
        "set_by": "登记人",
        "state": "控制状态",
        "step": "环节",
        "target": "查询对象",
        "track": "分流",
        "via": "途径",
        "waiting": "待满足条件",
        "what": "导出内容",
        "why": "原因",
        "amount": "金额",
        "money": "金额",
        "kind": "情形",
        "action": "措施",
        "status": "状态",
    },
    namespace=NS,
)
register_money_keys("excess", "frozen", "money")
register_values("state", dict(Asset.State.choices), namespace=NS)
register_values("action", dict(Action.choices), namespace=NS)
register_values("outcome", dict(DormantRound.Outcome.choices), namespace=NS)
register_values("track", dict(CaseTriage.Track.choices), namespace=NS)
register_values("proposed", dict(CaseTriage.Track.choices), namespace=NS)
register_values("kind", {**dict(Asset.Kind.choices), **dict(TriageFlag.Kind.choices)}, namespace=NS)
# One `status` key serves requests, triage and 终本 re-inquiry notices; the request's words win a clash.
register_values(
    "status",
    {
        **dict(ReinquiryNotice.Status.choices),
        **dict(CaseTriage.Status.choices),
        **dict(InquiryRequest.Status.choices),
    },
    namespace=NS,
)
register_values("proposal", dict(CaseTriage.Track.choices), namespace=NS)
# Who moved a queued seizure's rank (`services.expiry.set_rank`): the platform, or the registry partner.
register_values(
    "source",
    {"platform": "平台按控制措施记录推算", "demo": "演示数据"},  # else the partner code that told us
    namespace=NS,
)
register_values("assets", dict(Asset.State.choices), namespace=NS)  # [asset, case, state, expiry] rows
register_values("step", lambda v: str(Role(v).label) if v in Role.values else None, namespace=NS)
register_values("channel", dict(Channel.choices), namespace=NS)
register_values("error", {"account_closed": "账户已销户", "no_such_asset": "财产不存在"}, namespace=NS)
register_values(
    "trigger", {"round": "查控轮次完成", "sweep": "定期巡检", "flag": "标注案件情形"}, namespace=NS
)


def _reason_words(value: object) -> str | None:
    """A triage criterion's code as the reason it gives, with the configured amounts."""
    from .queries_triage import config
    from .rules_triage import BY_CODE, reason

    return reason(str(value), config()).text if str(value) in BY_CODE else None


register_values("reasons", _reason_words, namespace=NS)


def _category_names(values: set[object]) -> dict[object, str]:
    """Network-inquiry category codes → their names (`real_estate` → 不动产)."""
    codes = [str(v) for v in values]
    return dict(PartnerCategory.objects.filter(code__in=codes).values_list("code", "name"))


def asset_names(values: set[object]) -> dict[object, str]:
    """Asset pks → `存款 6222000000368` (its kind and account, certificate or plate number)."""
    pks = [v for v in values if isinstance(v, int)]
    kinds = dict(Asset.Kind.choices)
    rows = Asset.objects.filter(pk__in=pks).values_list("pk", "kind", "ref") if pks else []
    return {pk: f"{kinds.get(kind, kind)} {ref}".strip() for pk, kind, ref in rows}


register_names("categories", _category_names, namespace=(NS, "analytics"))
register_names("category", _category_names, namespace=(NS, "analytics"))
# Assets by pk, in every app's records that name one so (a lot's asset, an objection's 执行标的).
register_names("asset", asset_names, namespace=(NS, "auctions", "objections", "analytics", "measures"))


def _partner_names(values: set[object]) -> dict[object, str]:
    """A partner's code (`MOHRSS-SI`) → its name (人力资源和社会保障部)."""
    codes = [v for v in values if isinstance(v, str)]
    return dict(Partner.objects.filter(code__in=codes).values_list("code", "name"))


register_names("partner", _partner_names, namespace=NS)
register_names("handler", staff_names, namespace=NS)  # a triage decision's new handler
register_names("requested_by", staff_names, namespace=NS)
register_values(
    "via",
    {"web": "网页", "api": "接口", "page": "网页", "export": "导出", "analytics": "履行能力分析"},
    namespace=NS,
)

# Controls carried from a preservation case, and title passed on a sale (issues 18–20).
register_keys(
    {
        "control_expires": "控制期限届满日",
        "seizure_rank": "查封顺位",
        "title_passed_on": "权属转移日期",
    },
    namespace=NS,
)

# Triage decisions, dormant re-inquiry rounds and freeze results: the rest of their detail keys.
register_keys(
    {
        "proposal": "建议分流",
        "team": "团队",
        "team_from": "原团队",
        "handler": "承办人",
        "term": "办理期限",
        "term_due": "期限届满日",
        "basis": "依据",
        "skipped_debtors": "未查询的被执行人",
        "partial": "部分冻结",
        "released": "解除金额",
    },
    namespace=NS,
)
register_values("proposal", dict(CaseTriage.Track.choices), namespace=NS)
register_money_keys("released")
