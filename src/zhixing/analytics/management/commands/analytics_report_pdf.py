"""Write a profile's report as PDF (Chromium prints the report HTML; no LibreOffice needed).

manage.py analytics_report_pdf --user th_judge PROFILE_ID OUT.pdf
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhixing.analytics import queries, report, services


class Command(BaseCommand):
    help = "导出被执行人画像报告（PDF）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("profile", type=int)
        parser.add_argument("out")
        parser.add_argument("--user", required=True)

    def handle(self, *args: Any, **opts: Any) -> None:
        user = get_user_model().objects.filter(username=opts["user"]).first()
        prof = queries.profile(user, opts["profile"]) if user else None
        ref = queries.debtor(user, prof.party.case_id, prof.party_id) if prof else None
        if prof is None or ref is None:
            raise CommandError("画像不存在或无权查看")
        ctx = report.context(prof, ref)
        Path(opts["out"]).write_bytes(report.pdf_bytes(report.report_html(ctx)))
        services.record_export(
            user, prof, "report.pdf", rows=report.rows_shown(ctx), filters={"via": "command"}
        )
        self.stdout.write(f"已写入 {opts['out']}")
