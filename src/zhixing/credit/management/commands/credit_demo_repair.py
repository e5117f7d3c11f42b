"""``manage.py credit_demo_repair``: Art 8 notices, credit repair, legal-rep change demo (`demo_repair`),
listings due for removal (`demo_removals`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ... import demo_removals, demo_repair


class Command(BaseCommand):
    help = "生成失信通报、信用修复、法定代表人变更的演示数据"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        judge = get_user_model().objects.filter(username="th_judge1").first()
        made = demo_repair.seed(judge)
        # listings due for removal on the supervision page (the demo walk found none in any court)
        removals = demo_removals.seed(judge)
        if opts.get("verbosity", 1):
            self.stdout.write(f"已生成失信通报与信用修复演示数据：{made}；待删除的失信信息{removals}条")
