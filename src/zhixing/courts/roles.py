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


_ALL_CASE_WORK = {
    Cap.CASE_READ,
    Cap.NODE_COMPLETE,
    Cap.CASE_SUSPEND,
    Cap.EXTENSION_REQUEST,
    Cap.CASE_CLOSE,
    Cap.CASE_RESUME,
    Cap.IDENTITY_VIEW,
}

ROLE_CAPS: dict[str, frozenset[str]] = {
    Role.JUDGE: frozenset(_ALL_CASE_WORK | {Cap.CASE_FILE, Cap.CREDIT_DECIDE}),
    Role.ASSISTANT: frozenset(
        {Cap.CASE_READ, Cap.CASE_FILE, Cap.NODE_COMPLETE, Cap.EXTENSION_REQUEST, Cap.IDENTITY_VIEW}
    ),
    Role.CLERK: frozenset({Cap.CASE_READ, Cap.CASE_FILE, Cap.NODE_COMPLETE}),
    Role.BAILIFF: frozenset({Cap.CASE_READ}),
    Role.OPERATOR: frozenset({Cap.CASE_READ, Cap.SUPERVISE, Cap.CREDIT_SUPERVISE}),
    Role.FINANCE: frozenset({Cap.CASE_READ}),
    Role.DIRECTOR: frozenset(
        _ALL_CASE_WORK
        | {Cap.CASE_FILE, Cap.CASE_ASSIGN, Cap.SUPERVISE, Cap.CREDIT_DECIDE, Cap.CREDIT_SUPERVISE}
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
        }
    ),
}


def role_can(role: str, cap: str) -> bool:
    """Whether a role carries a capability (court scoping is checked separately)."""
    return cap in ROLE_CAPS.get(role, frozenset())
