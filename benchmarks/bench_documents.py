#!/usr/bin/env python
"""Document generation benchmark (文书): N documents of mixed kinds as Word, fast path vs one at a time.

    .venv/bin/python benchmarks/bench_documents.py --documents 10000 [--db sqlite|postgres] [--pdf 20]

1. A fresh database (SQLite in a temporary DATA_DIR, or a new PostgreSQL database on DATABASE_URL's
   server), migrated and seeded with ``seed_demo --cases M`` (not timed).
2. The mixed batch: every kind the demo cases can have (``documents.demo.candidates``: notices, orders,
   assistance notices, rulings, decisions, plans, closing documents), repeated round-robin to N.
3. Timed, the product's batch path ``documents.services.generate_many`` in chunks of ``--chunk``: each
   template version compiled once, contexts built from the cases' data, files written, one insert and one
   audit append per court per chunk.
4. The naive baseline in the same run: ``documents.services.generate`` one document at a time (docxtpl's
   documented render, one transaction and one audit record each) on ``--sample`` documents, extrapolated.
5. With ``--pdf K``: K PDFs drawn from stored Word files (fpdf2 + Noto CJK), documents/s.

Prints documents/s for both paths, the ratio, and PASS/FAIL against the target (≥ 50 Word documents/s).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_cases import cleanup, prepare  # noqa: E402 - the same fresh-database set-up

TARGET = 50.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--documents", type=int, default=10000)
    ap.add_argument("--cases", type=int, default=400, help="demo cases to seed (the documents' sources)")
    ap.add_argument("--chunk", type=int, default=500)
    ap.add_argument("--sample", type=int, default=300, help="documents made one at a time for the baseline")
    ap.add_argument("--pdf", type=int, default=20)
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--data-dir")
    ap.add_argument("--skip-seed", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    env = prepare(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        if not args.skip_seed:
            call_command("migrate", verbosity=0)
            t = time.perf_counter()
            call_command("seed_demo", cases=args.cases, verbosity=0)
            print(f"seed_demo --cases {args.cases}: {time.perf_counter() - t:.1f} s (not timed below)")
        run(args)
    finally:
        cleanup(env, args.keep)


def run(args: argparse.Namespace) -> None:
    from django.apps import apps

    from zhixing.documents import demo, pdf, queries, services
    from zhixing.documents.models import Document

    Case = apps.get_model("cases", "EnforcementCase")
    cases = list(Case.objects.select_related("court", "handler").filter(handler__isnull=False).order_by("pk"))
    mix = demo.candidates(cases, per_kind=40)
    kinds_in_mix = sorted({r.kind for r in mix})
    print(f"mix: {len(mix)} distinct documents of {len(kinds_in_mix)} kinds: {', '.join(kinds_in_mix)}")
    # Every request made by its case's handler (court scope and capability are checked, as on a page).
    stream = list(itertools.islice(itertools.cycle(mix), args.documents))
    before = Document.objects.count()

    t, cpu = time.perf_counter(), time.process_time()
    made = 0
    for i in range(0, len(stream), args.chunk):
        chunk = stream[i : i + args.chunk]
        by_handler: dict[object, list[services.Request]] = {}
        for r in chunk:
            by_handler.setdefault(r.case.handler, []).append(r)
        for handler, rs in by_handler.items():
            made += len(services.generate_many(handler, rs))
    fast_s, fast_cpu = time.perf_counter() - t, time.process_time() - cpu
    fast_rate = made / fast_s

    sample = stream[: args.sample]
    t, cpu = time.perf_counter(), time.process_time()
    for r in sample:
        services.generate(r.case.handler, r.case, r.kind, r.source, r.inputs)
    naive_s, naive_cpu = time.perf_counter() - t, time.process_time() - cpu
    naive_rate = len(sample) / naive_s

    print()
    print(f"{'path':<44}{'documents':>10}{'seconds':>10}{'docs/s':>10}{'CPU s':>8}{'docs/CPU s':>12}")
    batch, naive = "batch (generate_many, compiled templates)", "naive (generate, one at a time, docxtpl)"
    print(f"{batch:<44}{made:>10}{fast_s:>10.1f}{fast_rate:>10.1f}{fast_cpu:>8.1f}{made / fast_cpu:>12.1f}")
    print(
        f"{naive:<44}{len(sample):>10}{naive_s:>10.1f}{naive_rate:>10.1f}{naive_cpu:>8.1f}"
        f"{len(sample) / naive_cpu:>12.1f}"
    )
    ratio = fast_rate / naive_rate
    print(f"ratio batch/naive: {ratio:.1f}x; naive extrapolated to {made}: {made / naive_rate:.0f} s")
    verdict = "PASS" if fast_rate >= TARGET else "FAIL"
    print(f"target ≥ {TARGET:.0f} Word documents/s: {verdict} ({fast_rate:.1f}/s)")
    print(f"rows written: {Document.objects.count() - before}; load average {os.getloadavg()[0]:.1f}")
    print(
        "(on a shared machine the CPU-second rate is what an idle 2-core machine's one process would reach;"
    )
    print(" database work in another process, e.g. PostgreSQL, is not in it)")

    if args.pdf and pdf.support() == "":
        docs = list(Document.objects.select_related("case").order_by("-id")[: args.pdf])
        t = time.perf_counter()
        for d in docs:
            pdf.docx_to_pdf(queries.content(d), d.title)
        s = time.perf_counter() - t
        print(f"PDF (fpdf2 + Noto CJK, from stored Word): {len(docs)} in {s:.1f} s = {len(docs) / s:.1f}/s")


if __name__ == "__main__":
    main()
