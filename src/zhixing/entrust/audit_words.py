"""Chinese words for the audit records the entrust app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    field_words,
    register_actions,
    register_keys,
    register_namespace,
    register_values,
)

register_namespace("entrust", "委托执行")
register_actions(
    {
        "entrust.send": "发出委托",
        "entrust.start": "受托法院开始办理",
        "entrust.progress": "受托法院函告办理情况",
        "entrust.done": "受托法院办结并函复",
        "entrust.filed": "受托法院立案（整案委托）",
        "entrust.closed": "委托法院销案（整案委托）",
    }
)
register_keys(
    {
        "kind": "委托类型",
        "matter": "委托事项",
        "case_number": "委托法院案号",
        "to_court": "受托法院",
        "status": "状态",
        "start_by": "开始办理期限",
        "report_by": "函复期限",
        "renewed": "委托前续行的控制",
        "started_on": "开始办理日",
        "on": "日期",
        "text": "内容",
        "number": "受托法院案号",
        "filed_on": "立案日期",
        "delegate_number": "受托法院案号",
    },
    namespace="entrust",
)


def _register_values() -> None:
    from .models import Entrustment

    for key in ("kind", "matter", "status"):
        register_values(key, field_words(Entrustment, key), namespace="entrust")


_register_values()
