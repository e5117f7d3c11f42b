"""Words in a statement line's summary or category that say which way the money went (pure, data).

They hold on any account, a bank's or a card's: "工资" is money in and "消费" money out wherever they
appear. "还款" is not here: repaying a card is income on the card and spending on the bank account
(`layout_fit` uses it only on a card statement). Names that contain such a word are removed first:
"支付宝" and "财付通" name the channel, "收款方"/"付款方" the payee or payer, and a remark ("备注:…")
is someone's free text, not what the line did.
English words are matched as whole words, case ignored ("PURCHASE", "Salary").
"""

from __future__ import annotations

import functools
import re

WORDS_IN = ("工资", "代发", "薪金", "退款", "退货", "结息", "利息收入", "存入", "现金存款", "转入", "收款")
WORDS_OUT = ("消费", "取现", "取款", "手续费", "年费", "转出", "扣款", "扣费", "缴费", "购物", "支付")
ENGLISH_IN = ("SALARY", "PAYROLL", "REFUND", "RETURN", "DEPOSIT", "INTEREST CREDIT", "TRANSFER FROM")
ENGLISH_OUT = ("PURCHASE", "WITHDRAWAL", "ATM", "FEE", "SALES", "BILL PAYMENT", "TRANSFER TO", "POS")
NOT_WORDS = ("支付宝", "财付通", "收款方", "付款方")
# A remark ("收款方备注:二维码收款") is free text someone wrote, not what the line did: left out.
_REMARK = re.compile(r"(收款方|付款方)?备注\s*[:：].*")
_ENGLISH = [(w, re.compile(rf"\b{re.escape(w)}\b", re.IGNORECASE)) for w in (*ENGLISH_IN, *ENGLISH_OUT)]


@functools.lru_cache(maxsize=4096)  # a statement repeats a few summaries over thousands of lines
def said_of(summary: str, category: str) -> tuple[str, str]:
    """("in" | "out", the word) when the line's words say one way only; ("", "") otherwise."""
    text = _REMARK.sub("", summary) + " " + _REMARK.sub("", category)
    for name in NOT_WORDS:
        text = text.replace(name, "")
    word_in = next((w for w in WORDS_IN if w in text), "")
    word_out = next((w for w in WORDS_OUT if w in text), "")
    if not word_in and not word_out and text.isascii():
        hits = [w for w, pattern in _ENGLISH if pattern.search(text)]
        word_in = next((w for w in hits if w in ENGLISH_IN), "")
        word_out = next((w for w in hits if w in ENGLISH_OUT), "")
    if bool(word_in) == bool(word_out):
        return "", ""
    return ("in", word_in) if word_in else ("out", word_out)
