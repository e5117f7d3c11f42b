"""Chinese words for the audit records the documents app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    register_actions,
    register_keys,
    register_names,
    register_namespace,
    register_values,
)

from .service_models import Channel

register_namespace("document", "文书操作")
register_actions(
    {
        "document.generate": "制作文书",
        "document.generate_batch": "批量制作文书",
        "document.template_version": "上传文书模板新版本",
        "document.template_install": "安装随系统发布的文书模板",
        "document.template_current": "指定文书模板现行版本",
        "document.download": "下载文书",
    },
    collapse=("document.download",),
)
register_keys(
    {
        "kind": "文书种类",
        "title": "文书名称",
        "source": "依据对象",
        "inputs": "制作时填写的内容",
        "version": "模板版本",
        "sha256": "文件摘要",
        "path": "存储位置",
        "number": "版本号",
        "note": "修订说明",
        "count": "份数",
        "format": "格式",
    },
    namespace="document",
)

# E-service (电子送达): addresses, services, their delivery proof and the outbox worker.
register_actions(
    {
        "document.address_confirm": "登记送达地址确认书",
        "document.serve": "电子送达文书",
        "document.served": "文书电子送达成功",
        "document.serve_fallback": "电子送达改用下一渠道",
        "document.serve_failed": "电子送达失败",
        "document.opened": "当事人查阅送达文书",
        "document.dispatch_round": "发送送达/推送消息",
    }
)
register_keys(
    {
        "party": "当事人",
        "channels": "送达渠道",
        "channel": "渠道",
        "on": "日期",
        "new": "首次登记",
        "served_on": "送达日期",
        "from": "原渠道",
        "to": "改用渠道",
        "reason": "原因",
        "at": "时间",
        "delivered": "已送达",
        "retry": "待重试",
        "failed": "失败",
    },
    namespace="document",
)


def _kind_title(value: object) -> str | None:
    """A document kind's code as its title (`dormant_ruling` → 终结本次执行程序裁定书)."""
    from .kinds import get

    kind = get(str(value))
    return kind.title if kind is not None else None


register_values("kind", _kind_title, namespace="document")
for _key in ("channel", "channels", "from", "to"):
    register_values(_key, dict(Channel.choices), namespace="document")


def _document_names(values: set[object]) -> dict[object, str]:
    """Document pks → the document's title (records elsewhere keep a generated document's pk)."""
    from .models import Document

    pks = [v for v in values if isinstance(v, int)]
    return dict(Document.objects.filter(pk__in=pks).values_list("pk", "title")) if pks else {}


# A document's pk in the records of the apps that generate documents (a reference string reads as is).
register_names("document", _document_names, namespace=("case", "auctions", "inquiry", "objections", "portal"))
register_names("ruling", _document_names, namespace="case")

# What a clerk typed when generating a document (`document.generate`'s inputs).
register_keys(
    {
        "act": "妨害执行行为",
        "buyer": "买受人",
        "custody": "羁押场所",
        "hours": "拘传小时数",
        "person": "责任人员",
        "place": "搜查地点",
        "platform": "拍卖平台",
        "price": "成交价",
        "sale_date": "拍卖日期",
    },
    namespace="document",
)
