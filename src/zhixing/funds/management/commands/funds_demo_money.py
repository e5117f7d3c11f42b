"""``manage.py funds_demo_money``: demo receipts, unidentified receipts and payouts in every state, on the
first six open cases of the first demo court (`zhixing.funds.demo_money`). `seed_demo` runs it after
`funds_demo_custody`. Refused in production; running it again adds nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.funds import demo_money


class Command(BaseCommand):
    help = "生成演示案款：来款、不明款、各状态的发款（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示案款")
        made = demo_money.seed()
        if opts.get("verbosity", 1):
            if made is None:
                self.stdout.write("演示案款已存在或没有可用的演示案件，未作更改")
            else:
                states = "，".join(f"{k} {v}" for k, v in sorted(made.payouts.items()))
                self.stdout.write(f"{made.court}：演示来款{made.receipts}笔，发款（{states}）")
