"""``manage.py command_demo``: warm the situation screens' figures of every court (run by seed_demo last,
after every domain's demo data), so the first screen opened shows its figures without computing them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhixing.command import situation
from zhixing.courts.models import Court


class Command(BaseCommand):
    help = "演示数据：预先计算各法院态势大屏的数字"

    def handle(self, *args: Any, **opts: Any) -> None:
        ids = list(Court.objects.values_list("pk", flat=True))
        situation.refresh(ids)
        if opts["verbosity"]:
            self.stdout.write(f"已计算{len(ids)}个法院的态势数字。")
