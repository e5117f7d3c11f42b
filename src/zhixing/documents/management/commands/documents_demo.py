"""manage.py documents_demo — documents of every kind on the first basic court's demo cases (seed_demo).

Each kind is made for up to --per-kind records through the batch path (`services.generate_many`), by the
case's handler, so the case pages' document lists have content on `make run`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser

from zhixing.documents import demo, services


class Command(BaseCommand):
    help = "为演示案件制作各类文书（执行通知书、裁定书、决定书等）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--per-kind", type=int, default=3, help="每种文书最多制作几份（默认3）")
        parser.add_argument("--cases", type=int, default=400, help="最多查看多少件案件（默认400）")

    def handle(self, *args: Any, **opts: Any) -> None:
        Case = apps.get_model("cases", "EnforcementCase")
        cases = list(
            Case.objects.select_related("court", "handler")
            .filter(handler__isnull=False)
            .order_by("court_id", "pk")[: opts["cases"]]
        )
        batch = demo.candidates(cases, opts["per_kind"])
        by_handler: dict[Any, list[services.Request]] = {}
        for r in batch:
            by_handler.setdefault(r.case.handler, []).append(r)
        made = sum(len(services.generate_many(h, rs, check=False)) for h, rs in by_handler.items())
        if opts["verbosity"]:
            self.stdout.write(f"已制作演示文书{made}份（{len({r.kind for r in batch})}种）")
