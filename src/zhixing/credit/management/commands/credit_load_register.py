"""``manage.py credit_load_register --persons N``: N synthetic persons on the screening register.

For load tests and `benchmarks/bench_credit.py`: persons `synthetic.synthetic_id(start … start+N-1)`
(valid resident IDs) are put on the register through `services.register.load_register`, restricted
from every consumption item and published as dishonest (the common mask), in chunks with one audit
record each (on PostgreSQL by COPY). Refused in production. A progress bar on standard error after
each chunk; optionally creates a screening partner through `services.create_partner` and prints its key
(``--partner railway``), once, on the last line of standard output.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.credit.models import Partner
from zhixing.credit.screening import COMMON_MASK
from zhixing.credit.services import create_partner
from zhixing.credit.services.register import load_register
from zhixing.credit.synthetic import synthetic_id


class Command(BaseCommand):
    help = "压测：批量登记合成的受限人员（有效身份证号），可同时创建一个联合惩戒单位并输出其密钥"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="登记人数")
        parser.add_argument("--start", type=int, default=0, help="合成序号起点（默认0）")
        parser.add_argument("--chunk", type=int, default=100_000, help="每个事务登记的人数")
        parser.add_argument("--partner", choices=Partner.Kind.values, default="", help="同时创建该类单位")
        parser.add_argument("--rate", type=int, default=1_000_000, help="该单位每分钟调用上限")

    def handle(self, *args: Any, **opts: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产环境（ZHIXING_PRODUCTION=1）不能登记合成数据")
        start, n = opts["start"], opts["persons"]
        began = time.monotonic()
        bar = ProgressBar(self.stderr, n, began)
        try:
            added, present = load_register(
                None,
                (synthetic_id(i) for i in range(start, start + n)),
                mask=COMMON_MASK,
                since=timezone.localdate(),
                chunk=opts["chunk"],
                progress=bar.show,
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        bar.end()
        self.stdout.write(f"登记 {added} 人（已在名单 {present} 人），用时 {time.monotonic() - began:.1f} 秒")
        if opts["partner"]:
            kind = opts["partner"]
            _, key = create_partner(None, name=f"压测单位（{kind}）", kind=kind, rate_per_minute=opts["rate"])
            self.stdout.write(key)


class ProgressBar:
    """``[#######.............]  35%  350,000/1,000,000 人  12.3 秒`` on standard error after each chunk:
    redrawn in place on a terminal, one line per chunk otherwise (a log)."""

    WIDTH = 30

    def __init__(self, out: Any, total: int, began: float) -> None:
        self.out, self.total, self.began = out, max(total, 1), began
        self.tty = bool(getattr(out, "isatty", lambda: False)())

    def line(self, done: int) -> str:
        share = min(done / self.total, 1.0)
        filled = int(share * self.WIDTH)
        return (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%}  {done:,}/{self.total:,} 人  "
            f"{time.monotonic() - self.began:.1f} 秒"
        )

    def show(self, added: int, present: int) -> None:
        if self.tty:
            self.out.write("\r" + self.line(added + present), ending="")
            self.out.flush()
        else:
            self.out.write(self.line(added + present))

    def end(self) -> None:
        if self.tty:
            self.out.write("")
