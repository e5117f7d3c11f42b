"""Import a statement or travel file for one debtor from the command line, with a progress bar.

manage.py import_statement --user th_judge --case 12 --party 34 --preset alipay FILE [--quarantine]
    [--period 2024-12-01 2025-01-15]   (statement period, for layouts whose dates have no year)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from zhixing.analytics import queries, services
from zhixing.analytics.models import ImportJob
from zhixing.core.errors import ServiceError


class Command(BaseCommand):
    help = "导入被执行人的银行/支付流水或出行记录（显示进度条）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="以该工作人员身份导入（须为本案法院人员）")
        parser.add_argument("--case", type=int, required=True)
        parser.add_argument("--party", type=int, required=True)
        parser.add_argument("--preset", help="版式预设代码，如 alipay、wechat、icbc")
        parser.add_argument("--travel", action="store_true", help="导入出行住宿记录")
        parser.add_argument("--quarantine", action="store_true", help="隔离错误行而不是整体拒收")
        parser.add_argument(
            "--period",
            nargs=2,
            type=date.fromisoformat,
            metavar=("START", "END"),
            help="账单起止日期（YYYY-MM-DD），日期不含年份的版式据此确定年份",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        services.install_builtin_presets()
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{opts['user']}")
        ref = queries.debtor(user, opts["case"], opts["party"])
        if ref is None:
            raise CommandError("找不到该被执行人，或无权查看该案件")
        preset = None
        if not opts["travel"]:
            preset = queries.preset_by_code(user, opts["preset"] or "")
            if preset is None:
                raise CommandError(f"版式预设不存在：{opts['preset']}")
        path = Path(opts["file"])
        # call_command(period=[...]) skips argparse's `type`: the days may still be text.
        period = [d if isinstance(d, date) else date.fromisoformat(d) for d in opts["period"] or []]
        try:
            job = services.create_import(
                user,
                ref,
                kind="travel" if opts["travel"] else "statement",
                file_name=path.name,
                data=path.read_bytes(),
                preset=preset,
                mode="quarantine" if opts["quarantine"] else "strict",
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        with tqdm(total=job.total_rows, unit="行", desc=path.name, file=self.stderr) as bar:
            job = services.run_import(job.pk, progress=bar.update)
        for e in job.errors[:50]:
            self.stderr.write(f"第{e['row']}行：{e['reason']}")
        for n in job.notes:
            if n.get("level") == "warning":
                self.stderr.write(f"注意：{n['text']}")
        if job.status == ImportJob.Status.REJECTED:
            raise CommandError(f"文件已整体拒收（{len(job.errors)}处错误）")
        self.stdout.write(
            f"导入{job.imported}行，重复{job.duplicates}行，忽略{job.ignored}行，隔离{job.quarantined}行"
        )
