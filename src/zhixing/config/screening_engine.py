"""Entry point of the screening engine's process: ``python -m zhixing.config.screening_engine --socket PATH``.

Started by `zhixing.config.server.serve` for its web workers (`zhixing.credit.gateway.engine_process`
says what the process does); Django is set up here, before the gateway's modules are imported.
"""

from __future__ import annotations

import argparse
import os


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="智执 名单核查引擎（由 Web 服务启动）")
    parser.add_argument("--socket", required=True)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django

    django.setup()
    from zhixing.credit.gateway.engine_process import run

    run(args.socket)


if __name__ == "__main__":
    main()
