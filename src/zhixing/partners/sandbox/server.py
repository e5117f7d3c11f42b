"""Serving the sandbox: as its own process (`python -m zhixing.partners.sandbox --port 8001`) or as a
daemon thread inside the demo launcher (`start_in_thread`)."""

from __future__ import annotations

import argparse
import threading
import time
import urllib.request

import uvicorn


def config(host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        "zhixing.partners.sandbox.app:app", host=host, port=port, log_level="warning", lifespan="off"
    )


def start_in_thread(host: str = "127.0.0.1", port: int = 8001) -> uvicorn.Server:
    """Serve the sandbox on a daemon thread; returns once it answers (or after 10 s)."""
    server = uvicorn.Server(config(host, port))
    # uvicorn installs no signal handlers outside the main thread: the launcher keeps Ctrl+C.
    threading.Thread(target=server.run, name="partner-sandbox", daemon=True).start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/_sandbox/stats", timeout=1):
                break
        except OSError:
            time.sleep(0.05)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description="智执 联动单位模拟服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    uvicorn.Server(config(args.host, args.port)).run()


if __name__ == "__main__":
    main()
