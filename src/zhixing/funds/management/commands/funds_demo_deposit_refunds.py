"""``manage.py funds_demo_deposit_refunds``: auction-deposit refund orders in every state (run by
`seed_demo` after `auctions_demo`; see `zhixing.funds.demo_deposit_refunds`). Refused in production;
running it again finds no untouched order and does nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.funds import demo_deposit_refunds


class Command(BaseCommand):
    help = "将拍卖结束后生成的保证金退还指令推进到各个状态（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        made = demo_deposit_refunds.seed()
        if opts.get("verbosity", 1):
            self.stdout.write(f"保证金退还演示数据：{made}")
