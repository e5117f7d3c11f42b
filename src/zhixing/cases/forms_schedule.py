"""The payment-order agreement form (清偿顺序约定, 迟延履行利息解释 Art 4)."""

from __future__ import annotations

from django import forms

from .form_fields import DateInput
from .judgment_terms import CURRENCIES
from .schedule import LEGAL_ORDER, order_label

# The orders offered on the page; the API takes any order of the four.
ORDER_CHOICES = [
    ("", f"法定顺序（{order_label(LEGAL_ORDER)}）"),
    ("doubled,costs,interest,principal", "先清偿加倍部分债务利息，再按法定顺序"),
    ("costs,principal,interest,doubled", "执行费用→本金→一般债务利息→加倍部分债务利息"),
    ("principal,interest,costs,doubled", "本金→一般债务利息→执行费用→加倍部分债务利息"),
]


class PaymentOrderForm(forms.Form):
    order = forms.ChoiceField(label="清偿顺序", choices=ORDER_CHOICES, required=False)
    agreed_on = forms.DateField(label="约定日期", widget=DateInput())
    document_ref = forms.CharField(
        label="约定文书", max_length=128, help_text="执行和解协议、谈话笔录等的编号"
    )


class JudgmentTermsForm(forms.Form):
    """The instrument's terms that change what is owed (加速到期条款, 外币, 迟延履行金)."""

    acceleration = forms.BooleanField(
        label="分期加速到期",
        required=False,
        help_text="执行依据载明任何一期未按期履行，剩余全部债务即到期",
    )
    currency = forms.ChoiceField(label="币种", choices=CURRENCIES, initial="CNY")
    fx_rate = forms.CharField(
        label="外币中间价",
        required=False,
        max_length=20,
        help_text="加倍部分债务利息起算日人民币对该外币的中间价（1单位外币折合人民币元）",
    )
    fx_in_rmb = forms.BooleanField(
        label="折合人民币计算",
        required=False,
        help_text="申请执行人主张以人民币计算加倍部分债务利息（迟延履行利息解释第5条）",
    )
    late_fee_loss = forms.CharField(
        label="迟延履行造成的损失（元）",
        required=False,
        max_length=20,
        help_text="非金钱给付义务：已造成损失的，迟延履行金为损失的双倍（民诉法解释第505条）",
    )
    late_fee_decided = forms.CharField(
        label="法院确定的迟延履行金（元）",
        required=False,
        max_length=20,
        help_text="没有造成损失的，由法院决定",
    )
    document_ref = forms.CharField(
        label="文书编号", max_length=128, help_text="载明该条款的执行依据或裁定文书编号"
    )
