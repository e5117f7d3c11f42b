"""Reads for income withholding (CPL-2023 Art 254): a case's orders with what each has brought in, and
the text of the assistance notice sent to the payer."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from zhixing.cases.models import EnforcementCase

from .models import IncomeWithholding, Receipt
from .queries import AccountView, account_view
from .withholding_rules import living_reserve, remaining

ZERO = Decimal("0.00")
COUNTED = (Receipt.Status.BOOKED, Receipt.Status.CLAIMED)


@dataclass(frozen=True)
class WithholdingRow:
    order: IncomeWithholding
    received: Decimal  # what the payer has sent to the case under this order
    remaining: Decimal  # what the order may still bring in
    receipts: int
    reserve: Decimal  # the living necessities kept each month

    @property
    def complete(self) -> bool:
        return self.remaining <= 0

    @property
    def state_label(self) -> str:
        if self.order.status == IncomeWithholding.Status.LIFTED:
            return "已解除"
        return "已扣足" if self.complete else "扣留中"


def _receipts(order: IncomeWithholding) -> Q:
    """The receipts of the order's case from its payer (by name, or by account when given) since it
    started, up to its lifting."""
    who = Q(payer_name=order.payer_name)
    if order.payer_account:
        who |= Q(payer_account=order.payer_account)
    q = Q(case_id=order.case_id, status__in=COUNTED, value_date__gte=order.start_on) & who
    if order.lifted_on:
        q &= Q(value_date__lte=order.lifted_on)
    return q


def withholding_row(order: IncomeWithholding) -> WithholdingRow:
    got = Receipt.objects.filter(_receipts(order)).aggregate(total=Sum("amount"), n=Count("id"))
    received = got["total"] or ZERO
    return WithholdingRow(
        order=order,
        received=received,
        remaining=remaining(order.limit, received),
        receipts=int(got["n"] or 0),
        reserve=living_reserve(order.living_standard, order.dependants),
    )


def case_withholdings(case: EnforcementCase) -> list[WithholdingRow]:
    """The case's orders, newest first (one query per order: a case has a handful)."""
    orders = (
        IncomeWithholding.objects.filter(case=case).select_related("debtor", "ordered_by").order_by("-id")
    )
    return [withholding_row(o) for o in orders]


def notice_account(case: EnforcementCase) -> AccountView | None:
    """The case's sub-account the payer is told to pay into (一案一账号)."""
    return account_view(case)
