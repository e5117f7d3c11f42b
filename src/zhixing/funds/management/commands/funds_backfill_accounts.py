"""Open the case sub-account (一案一账号) of every case that has none yet."""

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.courts.queries import court_by_code
from zhixing.funds.services import backfill_case_accounts


class Command(BaseCommand):
    help = "为尚未开立案款子账号的案件批量开立（仅限已设置执行款专户的法院）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--court", default="", help="只处理该法院代字，如 粤0106")

    def handle(self, *args: Any, court: str = "", **opts: Any) -> None:
        c = court_by_code(court) if court else None
        n = backfill_case_accounts(c)
        self.stdout.write(f"已开立案款子账号 {n} 个")
