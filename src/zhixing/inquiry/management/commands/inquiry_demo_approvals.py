"""``manage.py inquiry_demo_approvals``: control orders waiting for approval on each basic court (run
last by `seed_demo`); refused in production, like the demo itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhixing.inquiry import demo


class Command(BaseCommand):
    help = "为各基层法院生成待审批的冻结请求（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        with transaction.atomic():
            made = demo.seed_awaiting_approval()
        if opts.get("verbosity", 1):
            self.stdout.write(f"已生成待审批的冻结请求{made}件")
