"""Staff roles and what each may do.

A role grants capabilities; court scoping (own court writes, higher court reads) is applied on top
by `zhixing.courts.queries`. Kept as data so a court can see the whole matrix in one place.
"""

from django.db import models


class Role(models.TextChoices):
    JUDGE = "judge", "执行法官"
    ASSISTANT = "assistant", "法官助理"
    CLERK = "clerk", "书记员"
    BAILIFF = "bailiff", "司法警察"
    OPERATOR = "operator", "指挥中心操作员"
    FINANCE = "finance", "财务人员"
    DIRECTOR = "director", "执行局局长"
    PRESIDENT = "president", "院长"


class Cap(models.TextChoices):
    CASE_READ = "case.read", "查看案件"
    CASE_FILE = "case.file", "立案"
    CASE_ASSIGN = "case.assign", "分案（指定承办人）"
    NODE_COMPLETE = "node.complete", "办理流程节点"
    CASE_SUSPEND = "case.suspend", "中止/恢复执行"
    EXTENSION_REQUEST = "extension.request", "申请延长执行期限"
    EXTENSION_APPROVE = "extension.approve", "批准延长执行期限"
    CASE_CLOSE = "case.close", "结案"
    CASE_RESUME = "case.resume", "恢复执行（执恢立案）"
    IDENTITY_VIEW = "identity.view", "查看当事人完整身份信息"
    SUPERVISE = "supervise", "节点监管"
    # 失信规定 Art 5 / 限制消费规定 Art 5: listing, restricting and removing are judicial decisions.
    CREDIT_DECIDE = "credit.decide", "信用惩戒决定（纳入失信、限制消费、限制出境、删除、解除）"
    CREDIT_SUPERVISE = "credit.supervise", "信用惩戒监管与统计（删除期限、复议期限）"
    # 失信决定书 and 限制消费令 are signed by the court president (限制消费规定 Art 5; 善意文明执行意见).
    CREDIT_APPROVE = "credit.approve", "审批信用惩戒决定（签发纳入失信决定书、限制消费令）"
    # Ability-to-pay analysis (analytics): one capability per kind of write.
    ANALYTICS_IMPORT = "analytics.import", "导入流水与出行记录、登记关联人"
    ANALYTICS_PROFILE = "analytics.profile", "生成被执行人履行能力画像"
    ANALYTICS_BATCH = "analytics.batch", "发起全院批量履行能力分析"
    ANALYTICS_PRESET = "analytics.preset", "维护本院流水版式预设"
    ANALYTICS_RATE = "analytics.rate", "维护外币折算汇率"
    # Network inquiry and control (inquiry). Approving a control order follows the configured approval
    # chain of roles (settings ZHIXING_INQUIRY["approval_chain"]), not a capability.
    INQUIRY_REQUEST = "inquiry.request", "发起网络查控（一键查控、集中查控）"
    INQUIRY_CONTROL = "inquiry.control", "采取控制措施（冻结、查封、扣划、解除、续行）"
    ASSET_REGISTER_VIEW = "inquiry.register", "查看财产登记（查控结果）"
    INQUIRY_LOG_EXPORT = "inquiry.log_export", "导出查控日志"
    # 繁简分流 (seed 004): the bureau decides the track and moves the case to that track's team; the
    # handling judge records what the platform cannot know; a higher court designates (指定执行).
    TRIAGE_DECIDE = "triage.decide", "确定繁简分流（采纳或调整分流建议，移送相应团队）"
    TRIAGE_FLAG = "triage.flag", "标注分流事实（可能和解、法律关系冲突、辖区重大影响）"
    TRIAGE_DESIGNATE = "triage.designate", "上级法院指定执行（标注下级法院案件）"
    # Command center (issue 21 items 1, 2, 7): situation screens, quality metrics, supervision.
    COMMAND_SCREEN = "command.screen", "查看态势大屏"
    COMMAND_METRICS = "command.metrics", "查看与导出执行质效指标"
    COMMAND_SUPERVISE = "command.supervise", "执行监督（下级法院异常事项、督办）"
    # Online judicial auctions (issue 18): pricing, lots, settlement; the panel's decisions are recorded.
    AUCTION_MANAGE = "auction.manage", "网络司法拍卖（参考价、拍卖标的、成交确认、流拍与悔拍处理）"
    # Command center (issue 21 items 3-6): the alert stream, vehicle watch, dispatch, the field app.
    COMMAND_ALERTS = "command.alerts", "查看与处理本院全部预警、维护车辆布控"
    COMMAND_DISPATCH = "command.dispatch", "指挥调度（派出外勤任务、下达指令）"
    FIELD_WORK = "command.field", "外勤执行（移动执行任务、现场取证上传）"
    # Coercive measures (CPL-2023 Arts 118-119): the team proposes, the court president approves.
    COERCION_PROPOSE = "coercion.propose", "提请强制措施（罚款、拘留、拘传、搜查）、移送拒执罪"
    COERCION_APPROVE = "coercion.approve", "批准强制措施（签发决定书、搜查令）"
    # Entrustment between courts (委托执行规定; CPL-2023 Art 240).
    ENTRUST_SEND = "entrust.send", "委托执行、事项委托（发出）"
    ENTRUST_HANDLE = "entrust.handle", "办理他院委托事项（受托）"
    # Enforcement to bankruptcy (执转破指导意见 Art 5: the president signs the transfer decision).
    BANKRUPTCY_TRANSFER = "bankruptcy.transfer", "执行转破产审查（移送决定）"


_ALL_CASE_WORK = {
    Cap.CASE_READ,
    Cap.NODE_COMPLETE,
    Cap.CASE_SUSPEND,
    Cap.EXTENSION_REQUEST,
    Cap.CASE_CLOSE,
    Cap.CASE_RESUME,
    Cap.IDENTITY_VIEW,
}

# The handling team's analysis work: preparing data (import, layouts) and reading it into a profile.
_ANALYSIS_WORK = {Cap.ANALYTICS_IMPORT, Cap.ANALYTICS_PROFILE, Cap.ANALYTICS_PRESET}
# Who finds and controls property: the handling judge's team asks, the judge orders controls.
_INQUIRY_WORK = {Cap.INQUIRY_REQUEST, Cap.ASSET_REGISTER_VIEW}

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.JUDGE: frozenset(
        _ALL_CASE_WORK
        | _ANALYSIS_WORK
        | _INQUIRY_WORK
        | {Cap.CASE_FILE, Cap.CREDIT_DECIDE, Cap.INQUIRY_CONTROL, Cap.TRIAGE_FLAG}
    ),
    Role.ASSISTANT: frozenset(
        {Cap.CASE_READ, Cap.CASE_FILE, Cap.NODE_COMPLETE, Cap.EXTENSION_REQUEST, Cap.IDENTITY_VIEW}
        | _ANALYSIS_WORK
        | _INQUIRY_WORK
    ),
    # The clerk keeps the file: enters imported data and layouts, sees no property register.
    Role.CLERK: frozenset({Cap.CASE_READ, Cap.CASE_FILE, Cap.NODE_COMPLETE} | _ANALYSIS_WORK),
    Role.BAILIFF: frozenset({Cap.CASE_READ}),
    # The command center runs centralised inquiry and court-wide analysis, and supervises the inquiry log.
    Role.OPERATOR: frozenset(
        {Cap.CASE_READ, Cap.SUPERVISE, Cap.CREDIT_SUPERVISE, Cap.ANALYTICS_BATCH, Cap.INQUIRY_LOG_EXPORT}
        | _INQUIRY_WORK
    ),
    Role.FINANCE: frozenset({Cap.CASE_READ, Cap.ANALYTICS_RATE}),
    Role.DIRECTOR: frozenset(
        _ALL_CASE_WORK
        | _ANALYSIS_WORK
        | _INQUIRY_WORK
        | {
            Cap.CASE_FILE,
            Cap.CASE_ASSIGN,
            Cap.SUPERVISE,
            Cap.CREDIT_DECIDE,
            Cap.CREDIT_SUPERVISE,
            Cap.ANALYTICS_BATCH,
            Cap.ANALYTICS_RATE,
            Cap.INQUIRY_CONTROL,
            Cap.INQUIRY_LOG_EXPORT,
            Cap.TRIAGE_DECIDE,
            Cap.TRIAGE_FLAG,
            Cap.TRIAGE_DESIGNATE,
        }
    ),
    # 审限规定 Art 5: extensions of the enforcement term are approved by the court president.
    Role.PRESIDENT: frozenset(
        {
            Cap.CASE_READ,
            Cap.SUPERVISE,
            Cap.EXTENSION_APPROVE,
            Cap.IDENTITY_VIEW,
            Cap.CASE_ASSIGN,
            Cap.CREDIT_SUPERVISE,
            Cap.CREDIT_APPROVE,
            Cap.INQUIRY_LOG_EXPORT,
            Cap.TRIAGE_DESIGNATE,
        }
    ),
}


def _grant(extra: dict[str, set[str]]) -> None:
    """Add capabilities to roles (each feature appends its grants here, never editing the table above)."""
    for role, caps in extra.items():
        ROLE_CAPS[role] = ROLE_CAPS[role] | frozenset(caps)


# Command center (issue 21 items 1, 2, 7): the operator watches the screens and the figures; the bureau
# director and the president also supervise (their own court and, in a higher court, those below it).
_grant(
    {
        Role.OPERATOR: {Cap.COMMAND_SCREEN, Cap.COMMAND_METRICS},
        Role.DIRECTOR: {Cap.COMMAND_SCREEN, Cap.COMMAND_METRICS, Cap.COMMAND_SUPERVISE},
        Role.PRESIDENT: {Cap.COMMAND_SCREEN, Cap.COMMAND_METRICS, Cap.COMMAND_SUPERVISE},
    }
)
# Online judicial auctions (issue 18): the handling judge and the bureau director run them.
_grant({Role.JUDGE: {Cap.AUCTION_MANAGE}, Role.DIRECTOR: {Cap.AUCTION_MANAGE}})
# Issue 20: coercive measures, entrustment and enforcement-to-bankruptcy.
_grant(
    {
        Role.JUDGE: {Cap.COERCION_PROPOSE, Cap.ENTRUST_SEND, Cap.ENTRUST_HANDLE},
        Role.ASSISTANT: {Cap.ENTRUST_HANDLE},
        Role.CLERK: {Cap.ENTRUST_HANDLE},
        Role.DIRECTOR: {Cap.COERCION_PROPOSE, Cap.ENTRUST_SEND, Cap.ENTRUST_HANDLE},
        Role.PRESIDENT: {Cap.COERCION_APPROVE, Cap.BANKRUPTCY_TRANSFER},
    }
)
# Issue 21 items 3-6: the command center watches and dispatches; the teams' judges, assistants and
# bailiffs work their field tasks.
_grant(
    {
        Role.OPERATOR: {Cap.COMMAND_ALERTS, Cap.COMMAND_DISPATCH},
        Role.DIRECTOR: {Cap.COMMAND_ALERTS, Cap.COMMAND_DISPATCH},
        Role.PRESIDENT: {Cap.COMMAND_ALERTS},
        Role.JUDGE: {Cap.FIELD_WORK},
        Role.ASSISTANT: {Cap.FIELD_WORK},
        Role.BAILIFF: {Cap.FIELD_WORK},
    }
)


def role_can(role: str, cap: str) -> bool:
    """Whether a role carries a capability (court scoping is checked separately)."""
    return cap in ROLE_CAPS.get(role, frozenset())
