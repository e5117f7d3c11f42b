"""``manage.py auctions_demo``: demo lots in every state (run by `seed_demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.auctions import demo
from zhixing.courts.models import Staff


class Command(BaseCommand):
    help = "为演示法院生成各状态的网络司法拍卖标的（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        judge = Staff.objects.filter(username="th_judge1").first()
        if judge is None:
            raise CommandError("请先运行 seed_demo 生成演示法院和人员")
        made = demo.seed(judge)
        if opts.get("verbosity", 1):
            self.stdout.write(f"网络司法拍卖演示标的 {made} 个")
