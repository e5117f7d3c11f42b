"""``manage.py funds_scan_clocks``: run the payout-clock scan now (the Huey task runs it every 15
minutes), printing progress: every open clock of every court settled, re-dated, overdue marked."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhixing.funds.services.clocks import scan


class Command(BaseCommand):
    help = "立即扫描全部案款账户的发款期限（超期标红），并显示进度"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=None, help="每批案件数（默认见 FUNDS_CLOCK_SCAN_BATCH）"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        loud = opts.get("verbosity", 1) > 0

        def progress(done: int) -> None:
            if loud:
                self.stdout.write(f"已扫描 {done} 件案件")

        r = scan(batch=opts["batch"], progress=progress)
        if loud:
            self.stdout.write(
                f"完成：{r.cases}件案件，新建期限{r.created}个，更新{r.changed}个，"
                f"超期{r.overdue}个（本次新超期{r.newly_overdue}个）"
            )
