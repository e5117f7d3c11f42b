"""``manage.py inquiry_demo_controls``: demo controls in every state of the controls-over-time pages
(expiring, lapsed with its alert, queued 轮候, queued then taken effect). `seed_demo` runs it after
loading the demo cases; refused in production, like the demo itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.inquiry import demo


class Command(BaseCommand):
    help = "为演示法院生成即将到期、已失效、轮候查封等控制措施及预警（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示控制措施")
        made = demo.seed()
        if opts.get("verbosity", 1):
            self.stdout.write(f"已为{made.courts}个法院生成演示控制措施{made.assets}项")
