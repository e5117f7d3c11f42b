"""Built-in layout presets for the real exports in shared/data/statements (see docs/analytics.md).

They are installed as `StatementPreset` rows (builtin=True) by `services.install_builtin_presets`; a
court user adds a preset for any other layout on the preset page or in admin, without code.
"""

from __future__ import annotations

from typing import Any

_WECHAT: dict[str, Any] = {
    "institution": "财付通（微信支付）",
    "encoding": "utf-8",
    "header_marker": "交易时间",
    "date_column": "交易时间",
    "amount_column": "金额(元)",
    "direction_column": "收/支",
    "direction_in": "收入",
    "direction_out": "支出",
    "direction_neutral": "/",
    "counterparty_column": "交易对方",
    "summary_column": "商品",
    "category_column": "交易类型",
    "txn_id_column": "交易单号",
    "status_column": "当前状态",
    "merchant_column": "备注",
}

BUILTIN: dict[str, dict[str, Any]] = {
    "alipay": {
        "name": "支付宝账单（GBK，含前言）",
        "institution": "支付宝",
        "encoding": "gbk",
        "header_marker": "交易时间",
        "date_column": "交易时间",
        "amount_column": "金额",
        "direction_column": "收/支",
        "direction_in": "收入",
        "direction_out": "支出",
        "direction_neutral": "不计收支",
        "counterparty_column": "交易对方",
        "counterparty_account_column": "对方账号",
        "summary_column": "商品说明",
        "category_column": "交易分类",
        "txn_id_column": "交易订单号",
        "status_column": "交易状态",
        "ignored_statuses": "交易关闭",
    },
    "wechat": {"name": "微信支付账单（CSV）", **_WECHAT},
    "wechat-xlsx": {"name": "微信支付账单（Excel）", "file_format": "xlsx", **_WECHAT},
    "icbc": {
        "name": "工商银行借记卡明细",
        "institution": "中国工商银行",
        "header_marker": "交易日期",
        "footer_prefixes": "人民币合计|合计",
        "date_column": "交易日期",
        "in_column": "记账金额(收入)",
        "out_column": "记账金额(支出)",
        "currency_column": "记账币种",
        "counterparty_column": "对方户名",
        "merchant_column": "交易场所",
        "summary_column": "摘要",
        "balance_column": "余额",
    },
    "cmb": {
        "name": "招商银行借记卡明细",
        "institution": "招商银行",
        "header_row": 1,
        "date_column": "记账日期",
        "amount_column": "交易金额",
        "currency_column": "货币",
        "balance_column": "联机余额",
        "summary_column": "交易摘要",
        "counterparty_column": "对手信息",
        "split_account": True,
        "merchant_column": "客户摘要",
    },
    "abc": {
        "name": "农业银行借记卡明细",
        "institution": "中国农业银行",
        "header_row": 1,
        "date_column": "交易日期",
        "time_column": "交易时间",
        "amount_column": "交易金额",
        "balance_column": "本次余额",
        "summary_column": "交易摘要",
        "counterparty_column": "对手信息",
        "split_account": True,
        "txn_id_column": "日 志 号",
        "category_column": "交易渠道",
        "merchant_column": "交易附言",
    },
    "boc": {
        "name": "中国银行借记卡明细",
        "institution": "中国银行",
        "header_marker": "记账日期",
        "date_column": "记账日期",
        "time_column": "记账时间",
        "amount_column": "金额",
        "currency_column": "币别",
        "balance_column": "余额",
        "summary_column": "交易名称",
        "category_column": "渠道",
        "counterparty_column": "对方账户名",
        "counterparty_account_column": "对方卡号/账号",
        "merchant_column": "附言",
    },
}

# Travel records: one simple CSV layout (UTF-8, header on line 1), documented in docs/analytics.md.
TRAVEL_COLUMNS = [
    "类型",
    "开始时间",
    "结束时间",
    "出发地",
    "目的地",
    "航班车次或酒店",
    "舱位座席或星级",
    "金额",
    "国家或地区",
]
TRAVEL_KINDS = {
    "航班": "flight",
    "飞机": "flight",
    "flight": "flight",
    "火车": "train",
    "高铁": "train",
    "train": "train",
    "酒店": "hotel",
    "住宿": "hotel",
    "hotel": "hotel",
}
