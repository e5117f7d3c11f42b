"""File the periodic re-inquiry of due 终本 cases now (终本规定 Art 9(2)), with a progress bar.

manage.py inquiry_dormant_reinquiry [--court 粤0106] [--limit 500]

The same service the daily task runs; running it again the same day files nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from zhixing.core.errors import ServiceError
from zhixing.courts.models import Court
from zhixing.inquiry import queries_dormant, services


class Command(BaseCommand):
    help = "终本案件定期查询：对到期的终本案件自动发起网络查控（显示进度条）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--court", help="只处理该法院（法院代码，如 粤0106）的案件")
        parser.add_argument("--limit", type=int, help="本次最多发起的案件数")
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="只选取到期案件并按页排入后台队列（与每日定时任务相同），不在本进程发起",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        court_id = None
        if opts["court"]:
            court = Court.objects.filter(code=opts["court"]).first()
            if court is None:
                raise CommandError(f"法院不存在：{opts['court']}")
            court_id = court.pk
        if opts["limit"] is not None and opts["limit"] <= 0:
            raise CommandError("--limit 必须为正整数")
        today = timezone.localdate()
        if opts["queue"]:
            swept = services.reinquiry_sweep(today, court_id)
            self.stdout.write(f"已选取到期案件 {swept.selected} 件，排入后台队列 {swept.pages} 页")
            return
        total = queries_dormant.due_count(today, court_id)
        if opts["limit"] is not None:
            total = min(total, opts["limit"])
        with tqdm(
            total=total, unit="件", desc="终本案件定期查询", file=self.stderr, disable=opts["quiet"] or None
        ) as bar:
            try:
                result = services.reinquiry_run(today, court_id, opts["limit"], on_case=bar.update)
            except ServiceError as exc:
                raise CommandError(exc.message) from None
        for number, reason in result.skipped[:50]:
            self.stderr.write(f"未发起 {number}：{reason}")
        self.stdout.write(
            f"已发起 {result.filed} 件，查询请求 {result.requests} 条，未发起 {len(result.skipped)} 件"
        )
