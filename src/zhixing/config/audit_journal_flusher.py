"""Entry point of the audit journal's flusher: ``python -m zhixing.config.audit_journal_flusher --root DIR``.

Started by the screening engine's process for its journal (`zhixing.credit.gateway.engine_process`);
`zhixing.core.audit_journal_flush` says what it does. It exits after a last pass once its parent is gone.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

# The lowest priority: at nice 10 a pass's CPU (and PostgreSQL's for it) still made the engine's and the
# web worker's p99 at 2,000 checks/s (7–9 ms; 4.5–4.7 ms with the flusher stopped); at 19 (or
# SCHED_IDLE, which an unprivileged process could never leave again) 4.3–5.3 ms. It still keeps up:
# ≈ 12 % of a core at 2,000 checks/s, taken from the cores' idle time.
NICENESS = 19


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="智执 核查留痕日志入链（由核查引擎启动）")
    parser.add_argument("--root", required=True)
    args = parser.parse_args(argv)
    # Background work: the engine and the web workers answer partners while it runs, and a pass's burst
    # of CPU (hashing and storing every record of the last 50 ms) made their p99 on a 2-core server. At
    # the lowest priority it takes the cores' idle time; the journal on disk holds whatever waits.
    os.nice(NICENESS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from zhixing.core.audit_journal_flush import run

    run(Path(args.root), parent=os.getppid())


if __name__ == "__main__":
    main()
