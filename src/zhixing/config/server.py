"""The web server: uvicorn on the platform's ASGI app, configured in this one place.

Both `make run` (`zhixing.config.launcher`) and the documented deployment (`python -m
zhixing.config.server`, docs/deploy.md) start uvicorn through `serve`, so they share its settings:

* `proxy_headers=False`: uvicorn otherwise believes X-Forwarded-For and X-Forwarded-Proto from
  loopback peers and rewrites the client address before the platform sees it, so a local client (or a
  same-host proxy passing the header through) could pick any address and escape the per-client limits.
  The platform decides the client address itself, from `TRUSTED_PROXIES` only
  (`zhixing.core.clientaddr`).
* `server_header=False`: no server banner.

Usage: ``python -m zhixing.config.server [--host 127.0.0.1] [--port 8000] [--workers N]``.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

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


def serve(host: str, port: int, *, workers: int = 1, log_level: str = "warning") -> None:
    """Run uvicorn on the platform's ASGI app until stopped."""
    import uvicorn

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    uvicorn.run(APP, host=host, port=port, workers=workers, log_level=log_level, **UVICORN_OPTIONS)


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
