"""Entry point of the audit journal's flusher: ``python -m zhixing.config.audit_journal_flusher --root DIR``.

Started by the screening engine's process for its journal (`zhixing.credit.gateway.engine_process`);
`zhixing.core.audit_journal_flush` says what it does. It exits after a last pass once its parent is gone.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="智执 核查留痕日志入链（由核查引擎启动）")
    parser.add_argument("--root", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from zhixing.core.audit_journal_flush import run

    run(Path(args.root), parent=os.getppid())


if __name__ == "__main__":
    main()
