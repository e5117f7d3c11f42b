"""Statement files in the real layouts of the built-in presets, and travel-record CSVs (pure).

`files(deb, seed)` splits a debtor's events over their accounts (a bank card and/or a wallet), runs the
bank balance (sweeping it under a threshold when the debtor does), and writes each account's export
the way the institution does: Alipay in GBK with its preamble and padded cells, WeChat with ¥ amounts
and "/" for neutral lines, CMB with signed amounts and the account glued to the name, BOC with a title
line and dash runs. Some exports overlap by a month (duplicates) and some carry typos (quarantined).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

from . import people
from .model import Debtor, Event

RATE = {"CNY": Decimal("1"), "HKD": Decimal("0.9"), "JPY": Decimal("0.05"), "USD": Decimal("7.1")}
BOC_CURRENCY = {"CNY": "人民币", "USD": "美元", "HKD": "港币", "JPY": "日元"}
DASH = "-------------------"
TRAVEL_HEADER = "类型,开始时间,结束时间,出发地,目的地,航班车次或酒店,舱位座席或星级,金额,国家或地区"


def _channels(deb: Debtor, rng: random.Random) -> dict[str, list[Event]]:
    out: dict[str, list[Event]] = {lay: [] for lay in deb.layouts}
    bank = next((lay for lay in deb.layouts if lay in ("cmb", "boc")), None)
    wallet = next((lay for lay in deb.layouts if lay in ("alipay", "wechat")), None)
    for e in deb.events:
        if e.channel == "bank":
            lay = bank or wallet
        elif e.channel == "wallet":
            lay = wallet or bank
        else:
            lay = rng.choice([x for x in (bank, wallet) if x])
        assert lay is not None
        if lay in ("alipay", "wechat") and e.currency != "CNY":  # a wallet pays abroad in yuan
            e = Event(
                e.ts,
                (e.amount * RATE[e.currency]).quantize(Decimal("0.01")),
                e.cp,
                e.account,
                e.summary,
                e.category,
                "CNY",
                e.channel,
                e.mark,
                e.tag,
                e.income,
            )
        if lay in ("cmb", "boc") and e.mark in ("neutral", "closed"):
            continue  # wallet-only line kinds
        if lay == "wechat" and e.mark == "closed":
            continue
        out[lay].append(e)
    return out


def _balances(deb: Debtor, events: list[Event], rng: random.Random) -> list[tuple[Event, Decimal | None]]:
    """Each line with the balance after it.

    A sweeper parks the account just under a round threshold: surplus goes to their own account at
    another bank, and when spending takes the balance well under, they top it up again from there.
    """
    threshold = (
        int(deb.variants["balance_threshold"].split("_")[1]) if "balance_threshold" in deb.variants else 0
    )
    own = people.card(rng)

    def keep() -> Decimal:
        return (Decimal(threshold) * Decimal(str(1 - rng.uniform(0.003, 0.06)))).quantize(Decimal("0.01"))

    opening = keep() if threshold else Decimal("500")
    rows: list[tuple[Event, Decimal | None]] = []
    for _ in range(6):
        bal, low, rows = opening, Decimal("0"), []
        for e in events:
            if e.currency != "CNY":
                rows.append((e, None))
                continue
            bal += e.amount
            rows.append((e, bal))
            low = min(low, bal)
            if threshold and (bal > threshold or bal < Decimal(threshold) * Decimal("0.85")):
                target = keep()
                summary = "他行转出" if bal > target else "他行转入"
                rows.append(
                    (
                        Event(e.ts + timedelta(hours=2), target - bal, deb.name, own, summary, tag="sweep"),
                        target,
                    )
                )
                bal = target
        if low >= 0:
            return rows
        opening += -low + Decimal(rng.randint(100, 3000))
    return rows


def _typo(row: list[str], rng: random.Random, date_col: int) -> list[str]:
    row = list(row)
    row[date_col] = row[date_col].replace("0", "O", 1) if rng.random() < 0.5 else "2024-13-05"
    return row


def _txid(prefix: str, e: Event, n: int) -> str:
    return f"{prefix}{e.ts:%Y%m%d}{n:014d}"


def _alipay(deb: Debtor, rows: list[tuple[Event, Decimal | None]]) -> tuple[list[str], list[list[str]], str]:
    pre = [
        "-" * 60,
        "导出信息：",
        f"姓名：{deb.name}",
        "支付宝账户：1**********",
        "起始时间：[2024-01-01 00:00:00]    终止时间：[2025-12-31 23:59:59]",
        "导出交易类型：[全部]",
        f"共{len(rows)}笔记录",
        "",
        "特别提示：",
        "1.本回单内容可表明支付宝受理了相应支付交易申请；",
        "",
        "-" * 24 + "支付宝（中国）网络技术有限公司  电子客户回单" + "-" * 24,
    ]
    header = [
        "交易时间",
        "交易分类",
        "交易对方",
        "对方账号",
        "商品说明",
        "收/支",
        "金额",
        "收/付款方式",
        "交易状态",
        "交易订单号",
        "商家订单号",
        "备注",
        "",
    ]
    out = []
    for n, (e, _) in enumerate(rows):
        direction = "不计收支" if e.mark in ("neutral", "refund") else ("收入" if e.amount > 0 else "支出")
        status = {"closed": "交易关闭", "refund": "退款成功"}.get(e.mark, "交易成功")
        out.append(
            [
                f"{e.ts:%Y-%m-%d %H:%M:%S} ",
                f"{e.category or '其他':<12}",
                f"{e.cp or '/':<16}",
                e.account or "/",
                e.summary or "/",
                direction,
                f"{abs(e.amount):.2f}",
                "余额",
                status,
                _txid("2024", e, n) + "\t",
                "\t",
                "",
                "",
            ]
        )
    return pre, [header, *out], "gbk"


def _wechat(deb: Debtor, rows: list[tuple[Event, Decimal | None]]) -> tuple[list[str], list[list[str]], str]:
    pre = [
        "微信支付账单明细",
        f"微信昵称：[{deb.name[0]}*]",
        "起始时间：[2024-01-01 00:00:00] 终止时间：[2025-12-31 23:59:59]",
        "导出类型：[全部]",
        "",
        f"共{len(rows)}笔记录",
        "",
        "----------------------微信支付账单明细列表--------------------",
    ]
    header = [
        "交易时间",
        "交易类型",
        "交易对方",
        "商品",
        "收/支",
        "金额(元)",
        "支付方式",
        "当前状态",
        "交易单号",
        "商户单号",
        "备注",
    ]
    out = []
    for n, (e, _) in enumerate(rows):
        if e.mark == "neutral":
            kind, direction = "零钱通转入", "/"
        elif e.mark == "refund":
            kind, direction = f"{e.category}-退款", "收入"
        else:
            kind, direction = (e.category or "商户消费"), ("收入" if e.amount > 0 else "支出")
        out.append(
            [
                f"{e.ts:%Y-%m-%d %H:%M:%S}",
                kind,
                e.cp or "/",
                e.summary or "/",
                direction,
                f"¥{abs(e.amount):.2f}",
                "零钱",
                "支付成功",
                _txid("4200", e, n) + "\t",
                "/",
                "/",
            ]
        )
    return pre, [header, *out], "utf-8"


def _cmb(deb: Debtor, rows: list[tuple[Event, Decimal | None]]) -> tuple[list[str], list[list[str]], str]:
    header = ["记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息", "客户摘要"]
    out = []
    for e, bal in rows:
        who = f"{e.cp} {e.account}".strip() if e.account else e.cp
        out.append(
            [
                f"{e.ts:%Y-%m-%d}",
                e.currency,
                f"{e.amount:,.2f}",
                "" if bal is None else f"{bal:,.2f}",
                e.summary,
                who,
                e.category,
            ]
        )
    return [], [header, *out], "utf-8"


def _boc(deb: Debtor, rows: list[tuple[Event, Decimal | None]]) -> tuple[list[str], list[list[str]], str]:
    header = [
        "记账日期",
        "记账时间",
        "币别",
        "金额",
        "余额",
        "交易名称",
        "渠道",
        "网点名称",
        "附言",
        "对方账户名",
        "对方卡号/账号",
        "对方开户行",
        "借记卡号",
    ]
    out = []
    for e, bal in rows:
        acct = (e.account[:4] + "******" + e.account[-4:]) if len(e.account) > 8 else (e.account or DASH)
        out.append(
            [
                f"{e.ts:%Y-%m-%d}",
                f"{e.ts:%H:%M:%S}",
                BOC_CURRENCY[e.currency],
                f"{e.amount:.2f}",
                "" if bal is None else f"{bal:,.2f}",
                e.summary or DASH,
                "手机银行",
                DASH,
                e.category or DASH,
                e.cp or DASH,
                acct,
                DASH,
                "3167",
            ]
        )
    return ["中国银行交易流水明细单"], [header, *out], "utf-8"


WRITERS = {"alipay": _alipay, "wechat": _wechat, "cmb": _cmb, "boc": _boc}
DATE_COL = {"alipay": 0, "wechat": 0, "cmb": 0, "boc": 0}


def _encode(pre: list[str], table: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO()
    for line in pre:
        buf.write(line + "\n")
    csv.writer(buf, lineterminator="\n").writerows(table)
    return buf.getvalue().encode(encoding, errors="replace")


def files(deb: Debtor, seed: int) -> list[tuple[str, str, bytes]]:
    """[(file name, preset code, bytes)] of the debtor's statement exports."""
    rng = random.Random(seed * 7_919 + deb.index)
    out = []
    for k, (lay, events) in enumerate(_channels(deb, rng).items()):
        rows: list[tuple[Event, Decimal | None]] = (
            _balances(deb, events, rng) if lay in ("cmb", "boc") else [(e, None) for e in events]
        )
        pre, table, enc = WRITERS[lay](deb, rows)
        body = table[1:]
        for i in rng.sample(range(len(body)), min(deb.typos, len(body))) if k == 0 else []:
            body[i] = _typo(body[i], rng, DATE_COL[lay])
        parts = [body]
        if deb.overlap and k == 0 and len(body) > 40:  # exported twice: Jan–Jul 2025 and Jun–Dec 2025
            cut = len(body) // 2
            parts = [body[: cut + len(body) // 12], body[cut:]]
        for j, part in enumerate(parts):
            out.append((f"{deb.index}_{lay}_{j}.csv", lay, _encode(pre, [table[0], *part], enc)))
    return out


def travel_csv(deb: Debtor) -> bytes | None:
    if not deb.trips:
        return None
    lines = [TRAVEL_HEADER]
    for t in deb.trips:
        lines.append(
            ",".join(
                [
                    t.kind,
                    f"{t.start:%Y-%m-%d %H:%M}",
                    f"{t.end:%Y-%m-%d %H:%M}",
                    t.origin,
                    t.destination,
                    t.carrier,
                    t.seat,
                    f"{t.amount:.2f}",
                    t.country,
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def stamp(d: datetime) -> str:
    return f"{d:%Y-%m-%d %H:%M:%S}"
