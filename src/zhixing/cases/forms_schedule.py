"""The payment-order agreement form (清偿顺序约定, 迟延履行利息解释 Art 4)."""

from __future__ import annotations

from django import forms

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
    agreed_on = forms.DateField(label="约定日期", widget=forms.DateInput(attrs={"type": "date"}))
    document_ref = forms.CharField(
        label="约定文书", max_length=128, help_text="执行和解协议、谈话笔录等的编号"
    )
