"""``manage.py inquiry_demo_preservation``: a preservation case (执保) with its seizures, and one carried
into the enforcement case filed after judgment (诉执衔接). `seed_demo` runs it; refused in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.inquiry import demo_preservation


class Command(BaseCommand):
    help = "为演示法院生成诉讼保全案件及其转入执行案件（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        made = demo_preservation.seed()
        if opts.get("verbosity", 1):
            self.stdout.write(f"已生成诉讼保全演示案件{made}件")
