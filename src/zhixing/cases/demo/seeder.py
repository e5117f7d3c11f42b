"""Generate the demo data: the province, then the cases through the services or, in bulk, as rows."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.utils import timezone
from faker import Faker
from tqdm import tqdm

from zhixing.cases.models import CaseStatus, EnforcementCase, NodeType
from zhixing.core.holidays import current_calendar
from zhixing.courts.roles import Role

from .people import FastRandom, People
from .plan import CasePlan, Deadlines, NodeKind
from .planner import Planner
from .province import DEMO_PASSWORD, Province, build_province
from .replay import run_with_services
from .showcase import SHOWCASE_CASES, SHOWCASE_MIN_TOTAL, file_showcase
from .tables import bulk_load_settings
from .writer import BulkWriter

BULK_THRESHOLD = 20_000  # from this many cases, rows are written in bulk (the services take ~50 ms a case)
BATCH = 5_000
RESUMED_SHARE = 0.03  # expected share of 执恢 cases in the total


@dataclass
class Seeder:
    """One generation run: `out` prints a line (the command's stdout), `quiet` silences the report."""

    out: Callable[[str], object]
    quiet: bool = False

    def run(self, n: int, seed: int, bulk: bool) -> int:
        """Build the province and `n` cases (bulk rows when `bulk`); returns the number of cases made."""
        started = time.perf_counter()
        rng = FastRandom(seed)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        today = timezone.localdate()
        judges = max(6, min(48, n // 24_000))
        # The hand-made showcase cases (act performance, other ID documents, 暂缓执行, late application)
        # are part of the total, filed last through the services on both paths.
        showcase = SHOWCASE_CASES if n >= SHOWCASE_MIN_TOTAL else 0

        if bulk:
            with transaction.atomic():
                province = build_province(fake, judges)
            made = self._bulk(province, rng, fake, today, n - showcase)
            if showcase:
                with transaction.atomic():
                    made += len(file_showcase(province, today))
        else:
            with transaction.atomic():  # all or nothing: --if-empty then retries a failed first start
                province = build_province(fake, judges)
                made = self._with_services(province, rng, fake, today, n - showcase)
                if showcase:
                    made += len(file_showcase(province, today))
        elapsed = time.perf_counter() - started
        if not self.quiet:
            self._report(province, made, elapsed)
        return made

    def _planner(
        self, province: Province, rng: random.Random, fake: Faker, today: date
    ) -> tuple[Planner, Deadlines, dict[str, NodeKind]]:
        kinds = {
            nt.code: NodeKind(
                nt.pk,
                nt.code,
                nt.budget,
                nt.budget_non_litigation,
                nt.unit,
                nt.anchor,
                nt.roll_to_workday,
                nt.pausable,
                nt.extendable,
                nt.auto_create,
                nt.completion,
            )
            for nt in NodeType.objects.filter(active=True)
        }
        deadlines = Deadlines(current_calendar())
        return Planner(rng, People(rng, fake, today), province, today, deadlines, kinds), deadlines, kinds

    def _plans(self, planner: Planner, n: int) -> tuple[int, Callable[[], Iterator[CasePlan]]]:
        originals = n - round(n * RESUMED_SHARE)
        days = planner.filing_days(originals)

        def generate() -> Iterator[CasePlan]:
            for day in days:
                yield planner.plan(planner.court(), day)

        return originals, generate

    def _resumed(self, planner: Planner, pending: list[CasePlan], room: int) -> list[CasePlan]:
        pending.sort(key=_resume_day)
        if len(pending) > room:
            pending = sorted(planner.r.sample(pending, room), key=_resume_day)
        return [planner.plan(p.cast, _resume_day(p), origin=p) for p in pending]

    def _with_services(self, province: Province, rng: random.Random, fake: Faker, today: date, n: int) -> int:
        planner, _, _ = self._planner(province, rng, fake, today)
        originals, generate = self._plans(planner, n)
        pending: list[CasePlan] = []
        made = 0
        for plan in tqdm(generate(), total=originals, desc="立案", unit="件", disable=self.quiet or None):
            run_with_services(plan)
            made += 1
            if plan.resume_on:
                pending.append(plan)
        for plan in tqdm(
            self._resumed(planner, pending, n - made), desc="执恢", unit="件", disable=self.quiet or None
        ):
            run_with_services(plan)
            made += 1
        return made

    def _bulk(self, province: Province, rng: random.Random, fake: Faker, today: date, n: int) -> int:
        planner, deadlines, kinds = self._planner(province, rng, fake, today)
        writer = BulkWriter(deadlines, kinds, today)
        _, generate = self._plans(planner, n)
        pending: list[CasePlan] = []
        made = 0
        totals: dict[str, int] = defaultdict(int)
        with (
            bulk_load_settings(),
            tqdm(total=n, desc="批量生成案件", unit="件", disable=self.quiet or None) as bar,
        ):

            def write(plans: Iterator[CasePlan] | list[CasePlan]) -> None:
                nonlocal made
                for plan in plans:
                    writer.add(plan)
                    made += 1
                    if plan.resume_on:
                        pending.append(plan)
                    if len(writer.cases.rows) >= BATCH:
                        bar.update(len(writer.cases.rows))
                        for k, v in writer.flush().items():
                            totals[k] += v
                bar.update(len(writer.cases.rows))
                for k, v in writer.flush().items():
                    totals[k] += v

            write(generate())
            resumed = self._resumed(planner, pending, n - made)
            for p in pending:  # only their ids and parties are needed from here on
                p.resume_on = None
            pending = []
            write(resumed)
            writer.finish()
        if not self.quiet:
            self.out("写入行数：" + "，".join(f"{k} {v:,}" for k, v in totals.items()))
        return made

    def _report(self, province: Province, made: int, elapsed: float) -> None:
        by_status = dict(EnforcementCase.objects.values_list("status").annotate(models.Count("id")))
        today = timezone.localdate()
        overdue = EnforcementCase.objects.filter(next_due_on__lt=today).count()
        labels = dict(CaseStatus.choices)
        summary = "，".join(f"{labels[s]} {by_status.get(s, 0):,}" for s in CaseStatus.values)
        self.out(f"已生成 {made:,} 件案件（用时 {elapsed:.1f} 秒）：{summary}；有超期节点 {overdue:,} 件")
        self.out("")
        self.out(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [("用户名", "岗位", "法院"), *self._compact(province.logins)]
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            self.out(
                "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
            )

    @staticmethod
    def _compact(logins: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
        """More than six judges in a court: the fourth to the last are listed as a range."""
        out: list[tuple[str, str, str]] = []
        judges: dict[str, list[str]] = defaultdict(list)
        for username, role, court in logins:
            if role == Role.JUDGE.label:
                judges[court].append(username)
            out.append((username, role, court))
        for court, names in judges.items():
            if len(names) > 6:
                out = [row for row in out if row[0] not in names[3:]]
                at = max(i for i, row in enumerate(out) if row[0] in names) + 1
                out.insert(at, (f"{names[3]} … {names[-1]}", Role.JUDGE.label, court))
        return out


def _resume_day(plan: CasePlan) -> date:
    assert plan.resume_on is not None  # only plans with a resumption day are pending
    return plan.resume_on


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)
