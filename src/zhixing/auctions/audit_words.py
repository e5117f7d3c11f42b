"""Chinese words for the audit records the auctions app writes (see `zhixing.core.audit_catalogue`)."""

from __future__ import annotations

from zhixing.core.audit_catalogue import (
    field_words,
    register_actions,
    register_keys,
    register_money_keys,
    register_names,
    register_namespace,
    register_values,
)

NS = "auctions"

register_actions(
    {
        "auctions.reference_price": "确定财产处置参考价",
        "auctions.price_set_aside": "撤销财产处置参考价（参考价异议成立）",
        "auctions.lot_create": "制作拍卖标的（合议庭决定）",
        "auctions.lot_publish": "发布拍卖公告",
        "auctions.lot_suspend": "中止拍卖（案外人异议或参考价异议）",
        "auctions.bidder_register": "竞买人实名注册",
        "auctions.join": "竞买报名",
        "auctions.deposit_paid": "交纳拍卖保证金",
        "auctions.bid": "竞买出价",
        "auctions.lot_close": "竞价结束",
        "auctions.balance_paid": "买受人付清尾款",
        "auctions.sale_confirm": "裁定确认拍卖成交",
        "auctions.ruling_served": "成交裁定送达买受人",
        "auctions.set_off_served": "以物抵债裁定送达承受人",
        "auctions.default": "认定悔拍",
        "auctions.set_off": "以物抵债",
        "auctions.lot_resume": "恢复拍卖（中止事由消失）",
        "auctions.lot_cancel": "撤回拍卖",
    }
)
register_namespace(NS, "网络司法拍卖")
register_keys(
    {
        "asset": "财产",
        "method": "确定方式",
        "amount": "金额",
        "reported_on": "结果日",
        "set_aside_on": "撤销日",
        "round": "拍次",
        "start_price": "起拍价",
        "increment": "加价幅度",
        "deposit": "保证金",
        "panel": "合议庭成员",
        "starts_at": "竞价开始",
        "ends_at": "竞价结束",
        "status": "状态",
        "announced_on": "公告日",
        "code": "竞买号",
        "rank": "优先顺位",
        "deposit_due": "应交保证金",
        "bank_txn": "银行流水号",
        "seq": "序号",
        "at": "出价时间",
        "price": "成交价",
        "winner": "买受人",
        "released": "已退保证金的报名",
        "document": "文书",
        "served_on": "送达日",
        "forfeited": "不予退还的保证金",
        "bidder": "竞买人",
        "creditor": "抵债受让人",
        "lot": "标的",
        "name": "姓名",
        "id_number": "身份证号",
        "reason": "原因",
        "suspended_at": "中止拍卖时间",
        "cause": "中止拍卖事由",
        "mode": "恢复竞价方式",
        "manual": "法官手动恢复",
    },
    namespace=NS,
)


def _register_values() -> None:
    from .models import Lot, ReferencePrice

    register_values("status", dict(Lot.Status.choices), namespace=NS)
    register_values("cause", field_words(Lot, "suspension_cause"), namespace=NS)
    register_values("method", field_words(ReferencePrice, "method"), namespace=NS)
    register_values(
        "mode", {"remaining": "按中止时剩余的竞价时间继续", "restart": "重新起算竞价期间"}, namespace=NS
    )


_register_values()


def _lot_names(values: set[object]) -> dict[object, str]:
    """Lot pks → the lot's title (a sale's asset and round)."""
    from .models import Lot

    pks = [v for v in values if isinstance(v, int)]
    return dict(Lot.objects.filter(pk__in=pks).values_list("pk", "title")) if pks else {}


# Lots by pk, here and in the consequences a sale sets off. Bidders stay as their anonymous 竞买号.
register_names("lot", _lot_names, namespace=(NS, "measures"))
register_names("lots", _lot_names, namespace=(NS, "measures"))
register_money_keys("start_price", "increment", "deposit_due", "forfeited")
