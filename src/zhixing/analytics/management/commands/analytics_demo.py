"""``manage.py analytics_demo``: demo statements, profiles and leads in every state (see analytics.demo)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.analytics import demo
from zhixing.analytics.models import Profile


class Command(BaseCommand):
    help = "生成履行能力分析演示数据：流水、画像及各种处理状态的财产线索（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        if Profile.objects.exists():
            if opts.get("verbosity", 1):
                self.stdout.write("已有画像数据，跳过履行能力分析演示数据。")
            return
        demo.seed(out=self.stdout.write if opts.get("verbosity", 1) else (lambda _m: None))
