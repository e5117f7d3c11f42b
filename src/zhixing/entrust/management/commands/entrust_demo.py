"""``manage.py entrust_demo``: demo entrustments in every state (see `zhixing.entrust.demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.entrust import demo


class Command(BaseCommand):
    help = "生成委托执行演示数据（收件箱、发件箱各状态）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境不能生成演示数据")
        n = demo.seed()
        if opts["verbosity"]:
            self.stdout.write(f"委托执行演示数据：{n} 件")
