"""Chinese words for the audit records of alerts, vehicle watch, dispatch and field evidence."""

from __future__ import annotations

from zhixing.core.audit_catalogue import register_actions, register_keys, register_namespace, register_values

register_actions(
    {
        "command.alert.raise": "预警",
        "command.alert.acknowledge": "签收预警",
        "command.alert.act": "处置预警",
        "command.alert.dispatch": "预警派警",
        "command.alert.close": "办结预警",
        "command.operator.create": "登记停车场运营方",
        "command.watch.sync": "同步车辆布控名单",
        "command.watch.possible": "记录疑似布控车辆出现",
        "command.watch.purge": "删除超过保存期限的疑似出现记录",
        "command.watch.promote": "疑似出现转为预警",
        "command.task.create": "派出外勤任务",
        "command.task.status": "更新外勤任务状态",
        "command.task.instruct": "下达指挥指令",
        "command.evidence.upload": "上传现场证据",
    }
)
register_namespace("command", "指挥中心")
register_keys(
    {
        "kind": "类型",
        "subject": "事项",
        "source_key": "来源标识",
        "place": "地点",
        "status": "状态",
        "note": "说明",
        "name": "名称",
        "added": "新增",
        "dropped": "撤控",
        "read_ids": "识别记录号",
        "plates": "识别车牌",
        "team": "团队",
        "vehicle": "车辆",
        "bailiffs": "司法警察",
        "starts_at": "开始时间",
        "ends_at": "结束时间",
        "alert": "来源预警",
        "filename": "文件名",
        "sha256": "内容哈希",
        "size": "大小",
        "captured_at": "拍摄时间",
        "latitude": "纬度",
        "longitude": "经度",
        "deleted": "删除条数",
        "seen_before": "出现时间早于",
        "days": "保存天数",
        "joined": "并入已有预警",
        "by_hand": "人工转为预警",
    },
    namespace="command",
)


def _register_values() -> None:
    """Alerts and field tasks share the `kind` and `status` keys; the alert's words win a clash."""
    from .models import Alert, FieldTask

    register_values("kind", {**dict(FieldTask.Kind.choices), **dict(Alert.Kind.choices)}, namespace="command")
    register_values(
        "status", {**dict(FieldTask.Status.choices), **dict(Alert.Status.choices)}, namespace="command"
    )


_register_values()

# An alert's `source_key` is the record it was raised from, kept to raise it once (`alerts.raise_alert`):
# `payout:3:overdue` reads as 发款#3（逾期）.
_SOURCES = {
    "control": "控制措施",
    "payout": "发款",
    "settlement": "和解协议",
    "objection": "异议",
    "tip": "举报线索",
    "plate": "车牌识别",
}
_SOURCE_STATES = {"overdue": "逾期", "missed": "未按期履行", "notice": "待告知", "service": "待送达"}


def _source_words(value: object) -> str | None:
    parts = str(value).split(":")
    word = _SOURCES.get(parts[0])
    if word is None or len(parts) < 2:
        return None
    state = "".join(f"（{_SOURCE_STATES.get(p, p)}）" for p in parts[2:])
    return f"{word}#{parts[1]}{state}"


register_values("source_key", _source_words, namespace="command")
