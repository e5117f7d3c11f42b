"""``manage.py analytics_quality``: measure every rule against the independent behaviour generator.

    manage.py analytics_quality --debtors 300 --seed 2026 --write docs/analytics-quality-figures.json

Generates debtors with realistic behaviour (`analytics.behaviour`), files their cases, imports their
statement files through the product's importer, computes profiles, and prints precision and recall of
every rule with Wilson 95 % intervals. Everything is written inside one transaction that is rolled back
and under a temporary DATA_DIR: the database is left as it was. `--write` stores the figures together
with those of the gate's small fixed sample (`--gate-debtors`, `--gate-seed`) that
tests/analytics/test_quality_gate.py re-runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from zhixing.analytics.behaviour import figures, measure

ARGS = ("debtors", "seed", "gate_debtors", "gate_seed", "write")


class _Rollback(Exception):
    pass


def measured(n: int, seed: int, bar: bool) -> dict[str, Any]:
    """`measure.run` inside a transaction that is always rolled back."""
    box: dict[str, Any] = {}
    progress = tqdm(total=n, desc=f"seed {seed}", disable=not bar)
    try:
        with transaction.atomic():
            box["result"] = measure.run(n, seed, progress.update)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        progress.close()
    return box["result"]


class Command(BaseCommand):
    help = (
        "用独立生成的行为数据经导入、关联人发现与画像全流程测评每条规则的精确率与召回率（结果回滚，不留数据）"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--debtors", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--gate-debtors", type=int, default=24)
        parser.add_argument("--gate-seed", type=int, default=17)
        parser.add_argument("--write", type=Path, help="figures file to write (JSON)")
        parser.add_argument(
            "--gate-only",
            action="store_true",
            help="keep the full figures of --write, re-measure the gate sample",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["debtors"] < 1 or opts["gate_debtors"] < 1:
            raise CommandError("--debtors and --gate-debtors must be positive")
        bar = opts.get("verbosity", 1) > 0
        if opts["gate_only"]:
            if not opts["write"] or not opts["write"].exists():
                raise CommandError("--gate-only needs an existing --write file")
            result = figures.load(opts["write"])["full"]
        else:
            result = measured(opts["debtors"], opts["seed"], bar)
        opts["debtors"], opts["seed"] = result["debtors"], result["seed"]
        self.stdout.write(figures.markdown(result))
        self.stdout.write("")
        self.stdout.write(figures.variants_markdown(result))
        if opts["write"]:
            gate = measured(opts["gate_debtors"], opts["gate_seed"], bar)
            out = {
                "command": "manage.py analytics_quality "
                + " ".join(f"--{k.replace('_', '-')} {opts[k]}" for k in ARGS),
                "full": result,
                "gate": {k: gate[k] for k in ("seed", "debtors", "seconds", "rules")},
            }
            figures.dump(out, opts["write"])
            self.stdout.write(figures.gate_markdown(out))
            done = f"gate sample: {gate['debtors']} debtors, {gate['seconds']} s"
            self.stdout.write(f"written {opts['write']} ({done})")
