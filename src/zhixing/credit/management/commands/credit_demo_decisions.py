"""``manage.py credit_demo_decisions``: decisions awaiting, signed by and served after the court president,
and an exit ban delivered to border control (`zhixing.credit.demo_decisions`). Run by ``seed_demo``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhixing.credit import demo_decisions


class Command(BaseCommand):
    help = "演示：待院长审批、已签发送达的信用惩戒决定，以及推送边检的限制出境"

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能生成演示数据")
        made = demo_decisions.seed()
        if opts["verbosity"]:
            self.stdout.write(f"已生成{made}项信用惩戒决定演示数据")
