"""``manage.py funds_demo_custody``: a custody account (执行款专户) at the sandbox bank for every court that
has none, so the embedded demo (`make run`) can show transfers, payouts and the party portal.

`seed_demo` runs it after loading the demo courts. The accounts are made up: account number ``4400`` +
the court's id in 8 digits, sub-account prefix ``88`` + the id in 4 digits (all prefixes the same length,
so none is the start of another and a sub-account number names exactly one court). Refused in
production, like the demo itself; a court that already has an account keeps it (running it again does
nothing).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.courts.models import Court
from zhixing.funds.models import CustodyAccount
from zhixing.funds.services import set_custody_account


class Command(BaseCommand):
    help = "为尚未设置执行款专户的法院在沙箱托管银行开立演示专户（仅限演示环境）"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(
                "生产环境（ZHIXING_PRODUCTION=1）不能开立演示专户，请按 docs/deploy.md 设置真实专户"
            )
        have = set(CustodyAccount.objects.values_list("court_id", flat=True))
        # Demo prefixes are numbered 1, 2, … skipping those in use, not by the court's id: ids grow past
        # 9,999 on a database whose sequences are never reset (PostgreSQL test runs, long-lived demos).
        used = set(CustodyAccount.objects.values_list("sub_prefix", flat=True))
        numbers = (n for n in range(1, 10_000) if f"88{n:04d}" not in used)
        opened = 0
        for court in Court.objects.exclude(pk__in=have).order_by("pk"):
            n = next(numbers, None)
            if n is None:
                raise CommandError("演示专户子账号前缀已用尽（最多9999个法院）")
            set_custody_account(
                None,
                court,
                bank_name="沙箱托管银行",
                account_name=f"{court.name}执行款专户",
                account_no=f"4400{n:08d}",
                sub_prefix=f"88{n:04d}",
            )
            opened += 1
        if opts.get("verbosity", 1):
            self.stdout.write(f"已开立演示执行款专户 {opened} 个")
