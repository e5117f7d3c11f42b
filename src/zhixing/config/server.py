"""The web server: uvicorn on the platform's ASGI app, configured in this one place.

Both `make run` (`zhixing.config.launcher`) and the documented deployment (`python -m
zhixing.config.server`, docs/deploy.md) start uvicorn through `serve`, so they share its settings:

* `proxy_headers=False`: uvicorn otherwise believes X-Forwarded-For and X-Forwarded-Proto from
  loopback peers and rewrites the client address before the platform sees it, so a local client (or a
  same-host proxy passing the header through) could pick any address and escape the per-client limits.
  The platform decides the client address itself, from `TRUSTED_PROXIES` only
  (`zhixing.core.clientaddr`).
* `server_header=False`: no server banner.

Partner screening's check and batch are answered by the screening engine's own process
(`zhixing.credit.gateway.engine_process`, entry `zhixing.config.screening_engine`), which `serve`
starts with uvicorn, starts again if it dies and stops after it; every web worker forwards those
requests to it over a private Unix socket (docs/adr/0014-screening-gateway.md). An ASGI server started
otherwise (and the tests' in-process clients) runs the same engine as a thread of its own process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from zhixing.core.kept_process import KeptProcess

APP = "zhixing.config.asgi:application"

UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "server_header": False,
    "lifespan": "off",
    # Live pages (auction lots, situation screens, alerts) push small JSON frames to many sockets.
    # Per-message deflate compresses each frame once per socket (≈ 14 µs of CPU per socket for a
    # 572-byte frame, measured in benchmarks/bench_auction_bids.py: 0.14 s per frame at 10,000
    # watchers) and keeps a compression buffer per socket; on loopback and court intranets the bytes
    # saved are not worth it. Browsers fall back to uncompressed frames when the server declines.
    "ws_per_message_deflate": False,
}


SOCKET_VARIABLE = "ZHIXING_SCREENING_SOCKET"  # read by credit.gateway.asgi in every worker


class ScreeningEngine:
    """The screening engine's process for this server's workers: started, watched (started again when
    it dies), stopped. Its socket lives in a private temporary directory (mode 0700, the socket 0600)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="zx-screening-")
        self.path = os.path.join(self.dir, "engine.sock")
        # A session of its own: the terminal's Ctrl+C reaches the server, which stops it (`stop`) after its
        # workers; were it stopped first, the workers' last requests could not be answered.
        self.process = KeptProcess(
            "screening engine",
            [sys.executable, "-m", "zhixing.config.screening_engine", "--socket", self.path],
            new_session=True,
        )

    @property
    def proc(self) -> subprocess.Popen[bytes] | None:
        return self.process.proc

    def start(self) -> None:
        """Start the process and tell the workers where it listens. Not waited for: it sets Django up
        while uvicorn does; a worker's first screening request waits for its socket (`remote`)."""
        self.process.start()
        os.environ[SOCKET_VARIABLE] = self.path

    def stop(self) -> None:
        self.process.stop(timeout=10, kill=True)
        os.environ.pop(SOCKET_VARIABLE, None)
        shutil.rmtree(self.dir, ignore_errors=True)


def serve(host: str, port: int, *, workers: int = 1, log_level: str = "warning") -> None:
    """Run uvicorn on the platform's ASGI app until stopped (with the screening engine's process)."""
    import uvicorn

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    engine = ScreeningEngine()
    engine.start()
    try:
        uvicorn.run(APP, host=host, port=port, workers=workers, log_level=log_level, **UVICORN_OPTIONS)
    finally:
        engine.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="智执 Web 服务（uvicorn，客户端地址仅由 TRUSTED_PROXIES 决定）"
    )
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    serve(args.host, args.port, workers=args.workers, log_level=args.log_level)


if __name__ == "__main__":
    main()
