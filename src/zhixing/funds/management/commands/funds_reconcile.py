"""``manage.py funds_reconcile``: the daily reconciliation now, with a progress bar.

    manage.py funds_reconcile [--date 2026-03-10] [--court 粤0106] [--quiet]

Without ``--date`` it reconciles what the daily task would today (every statement day since the last
working day, nothing on a rest day); with it, that one day. Each court with a custody account gets the
custody bank's statement of the day, imported and reconciled; a day already reconciled from the bank is
not fetched again. The same service the Huey task runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from zhixing.courts.models import Court
from zhixing.funds.services import reconcile_all
from zhixing.funds.services.reconcile_actions import daily_plan


class Command(BaseCommand):
    help = "银行对账：取得托管银行对账单并与账簿核对（显示进度条）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="对账日期（YYYY-MM-DD）；不填则按每日任务的规则")
        parser.add_argument("--court", help="只处理该法院（法院代码，如 粤0106）")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **opts: Any) -> None:
        today = timezone.localdate()
        if opts["date"]:
            try:
                day = date.fromisoformat(opts["date"])
            except ValueError:
                raise CommandError(f"日期格式错误：{opts['date']}（应为YYYY-MM-DD）") from None
            courts = Court.objects.filter(custody_account__isnull=False).select_related("custody_account")
            plan = [(c, day) for c in courts.order_by("pk")]
        else:
            plan = daily_plan(today)
        if opts["court"]:
            plan = [(c, d) for c, d in plan if c.code == opts["court"]]
            if not plan and not Court.objects.filter(code=opts["court"]).exists():
                raise CommandError(f"法院不存在：{opts['court']}")
        with tqdm(
            total=len(plan), unit="户日", desc="银行对账", file=self.stderr, disable=opts["quiet"] or None
        ) as bar:
            result = reconcile_all(today, plan, on_step=bar.update)
        self.stdout.write(
            f"已对账 {result.reconciled} 户日，其中有差异 {result.with_differences} 户日，"
            f"未能取得对账单 {result.unavailable} 户日"
        )
