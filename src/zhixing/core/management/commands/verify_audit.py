"""`manage.py verify_audit`: check the audit hash chain and name the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhixing.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验操作留痕哈希链，指出第一处断裂"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"留痕链断裂：{report.reason}（已校验{report.checked}条）")
        self.stdout.write(self.style.SUCCESS(f"留痕链完整，共{report.checked}条记录"))
