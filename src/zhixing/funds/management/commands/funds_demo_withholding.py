"""``manage.py funds_demo_withholding``: demo income withholding (扣留收入, CPL-2023 Art 254) — an active
order with the employer's first transfer booked and a lifted one (`zhixing.funds.demo_withholding`).
`seed_demo` runs it after the custody accounts. Refused in production; running it again adds nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.funds import demo_withholding


class Command(BaseCommand):
    help = "生成演示扣留收入：扣留中（已到账一期）与已解除各一（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        order = demo_withholding.seed()
        if opts.get("verbosity", 1):
            if order is None:
                self.stdout.write("演示扣留收入已存在或没有可用的演示案件，未作更改")
            else:
                self.stdout.write(
                    f"{order.case.number}：扣留收入 {order.notice_number}，每月{order.monthly_amount}元"
                )
