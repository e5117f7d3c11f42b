"""The words every app shares (detail keys, levels, channels, admin and export actions)."""

from __future__ import annotations

from .registry import register_actions, register_keys, register_namespace, register_prefix, register_values

# -- words every app shares ---------------------------------------------------------------------------

register_keys(
    {
        "detail": "详情",
        "amount": "金额",
        "status": "状态",
        "reason": "理由",
        "note": "备注",
        "name": "名称",
        "code": "代码",
        "date": "日期",
        "on": "日期",
        "start": "开始日期",
        "end": "结束日期",
        "days": "天数",
        "error": "错误",
        "errors": "错误",
        "total": "合计",
        "rows": "行数",
        "row": "行号",
        "level": "级别",
        "kind": "类型",
        "role": "角色",
        "court": "法院",
        "username": "用户名",
        "selected": "所选记录",
        "admin_message": "管理后台说明",
        "file": "文件",
        "filter": "筛选条件",
        "what": "内容",
        "why": "原因",
        "source": "来源",
        "ref": "编号",
        "reference": "参考号",
        "document": "文书",
        "number": "编号",
        "count": "数量",
        "year": "年份",
        "today": "当日",
        "event": "事件",
        "state": "状态",
        "step": "环节",
        "result": "结果",
        "results": "结果",
        "attempts": "尝试次数",
        "channel": "渠道",
        "via": "途径",
        "party": "当事人",
        "case": "案件",
        "cases": "案件",
        "type": "类型",
        "id": "编号",
        "pk": "编号",
    }
)
register_values(
    "level",
    {
        "info": "提示",
        "warning": "警告",
        "error": "错误",
        "higher": "高级人民法院",
        "intermediate": "中级人民法院",
        "basic": "基层人民法院",
    },
)
register_values(
    "encoding", {"": "自动识别", "utf-8": "UTF-8 编码", "gbk": "GBK 编码", "gb18030": "GB18030 编码"}
)
register_values("via", {"web": "网页", "api": "接口", "admin": "管理后台", "system": "系统"})
register_values("channel", {"web": "网页", "api": "接口", "admin": "管理后台", "system": "系统"})
register_actions(
    {
        "admin.add": "管理后台新增记录",
        "admin.change": "管理后台修改记录",
        "admin.delete": "管理后台删除记录",
        "calendar.load_year": "载入年度节假日安排",
        "export.xlsx": "导出Excel表格",
    }
)
register_prefix("admin.action.", lambda code: "管理后台批量操作")
register_namespace("admin", "管理后台")
register_namespace("calendar", "节假日")
register_namespace("export", "导出")
register_keys(
    {"table": "表格", "title": "表格名称", "rows": "行数", "capped": "超出上限被截断", "filters": "筛选条件"},
    namespace=("export",),
)
