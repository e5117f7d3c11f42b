"""Chinese words for the party portal's audit records (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys

register_actions(
    {
        "portal.code_request": "当事人门户发送登录验证码",
        "portal.sign_in": "当事人登录门户",
        "portal.sign_in_failed": "当事人门户登录失败",
        "portal.party_message": "当事人发来留言或财产线索",
    }
)
register_keys(
    {
        "client": "访问地址",
        "tries": "核验次数",
        "party": "当事人",
        "kind": "类别",
        "length": "字数",
        "nodes": "节点数",
        "cases": "案件数",
        "messages": "推送条数",
    },
    namespace="portal",
)
