"""``manage.py objections_demo``: demo objections in every state (run by `seed_demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.objections import demo, demo_valuation


class Command(BaseCommand):
    help = "为演示法院生成各种状态的执行异议（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        made = demo.seed() + demo_valuation.seed()
        if opts.get("verbosity", 1):
            self.stdout.write(demo.describe(made))
