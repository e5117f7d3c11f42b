"""``manage.py measures_demo``: demo proposals and consequences in every state (run by `seed_demo`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.courts.models import Staff
from zhixing.measures import demo


class Command(BaseCommand):
    help = "为演示法院生成措施联动建议与联动记录（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        judge = Staff.objects.filter(username="th_judge1").first()
        director = Staff.objects.filter(username="th_director").first()
        clerk = Staff.objects.filter(username="th_clerk").first()
        if judge is None or director is None or clerk is None:
            raise CommandError("请先运行 seed_demo 生成演示法院和人员")
        made = demo.seed(clerk, judge, director)
        if opts.get("verbosity", 1):
            self.stdout.write(f"措施联动演示案件 {made} 件")
