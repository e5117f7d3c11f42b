"""manage.py portal_demo_public — tips, rewards, petitions, query codes and published rulings (seed_demo)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.portal import demo_public


class Command(BaseCommand):
    help = "生成执行公开演示数据：举报线索、悬赏、信访各状态，查询码，公开的裁判文书"

    def handle(self, *args: Any, **opts: Any) -> None:
        counts = demo_public.seed()
        if opts["verbosity"]:
            self.stdout.write(f"执行公开演示数据：{counts}")
