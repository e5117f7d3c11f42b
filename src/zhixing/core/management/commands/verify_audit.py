"""`manage.py verify_audit`: check every audit hash chain (one per court) and name the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhixing.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验各法院的操作留痕哈希链，指出第一处断裂"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"留痕链断裂：{report.reason}（已校验{report.checked}条）")
        self.stdout.write(
            self.style.SUCCESS(f"留痕链完整，共{report.checked}条记录，{len(report.chains)}条留痕链")
        )
        for chain, count in sorted(report.chains.items()):
            self.stdout.write(f"  {chain or '平台'}：{count}条")
