#!/usr/bin/env python
"""Server CPU per broadcast frame per watcher (issue 18): one frame written to N loopback WebSocket
sockets the way the auction feed wrote it before (the consumer's ASGI send per socket: Channels'
session wrapper, uvicorn's framing, the write) and the way it does now (`auctions.wire`: the frame
encoded once, the same bytes written to every socket's transport).

    .venv/bin/python benchmarks/prof_ws_fanout.py --sockets 5000 --frames 20

The server is uvicorn's websockets sans-I/O protocol (the default, `ws_per_message_deflate` off as in
`config/server.py`) in this process; the clients are raw sockets in a child process that only drain
their sockets. Prints CPU µs per socket per frame (process time of the writing loop) for both.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _drain(port: int, n: int, conn: Any) -> None:
    """Child: n raw WebSocket clients that read and discard everything."""
    import selectors

    sel = selectors.DefaultSelector()
    request = (
        f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(request)
        socks.append(s)
    for s in socks:
        s.recv(4096)  # the 101 answer
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    conn.send("ready")
    while not conn.poll(0):
        for key, _ in sel.select(0.2):
            with contextlib.suppress(BlockingIOError):
                key.fileobj.recv(1 << 16)  # type: ignore[union-attr]


async def run(n: int, frames: int) -> None:
    import uvicorn
    from channels.sessions import InstanceSessionWrapper
    from django.conf import settings

    settings.configure(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
    from zhixing.auctions import wire

    sends: list[Any] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        wrapper = InstanceSessionWrapper(dict(scope, cookies={}), send)
        await wrapper.resolve_session()
        sends.append(wrapper.send)
        while (await receive())["type"] != "websocket.disconnect":
            pass

    config = uvicorn.Config(app, port=0, log_level="error", lifespan="off", ws_per_message_deflate=False)
    server = uvicorn.Server(config)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    parent, child = mp.get_context("spawn").Pipe()
    proc = mp.get_context("spawn").Process(target=_drain, args=(port, n, child), daemon=True)
    proc.start()
    while len(sends) < n:
        await asyncio.sleep(0.1)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, parent.recv)
    bid = {"code": "A1B2C3", "amount": "700100.00", "at": "2026-12-05T02:00:00+08:00", "seq": 2}
    state = {"lot": 1, "price": "700100.00", "bids": 2, "ends_at": "2026-12-06T02:00:00+00:00"}
    text = json.dumps(
        state | {"status": "bidding", "last": bid, "recent": [bid], "watchers": n, "server_now": "x" * 32},
        ensure_ascii=False,
    )
    print(f"{n} 个套接字，帧 {len(text.encode())} 字节，每种方式 {frames} 帧")
    results = {}
    for name in ("asgi", "wire"):
        cpu = 0.0
        for _ in range(frames):
            await asyncio.sleep(0.05)  # let the clients drain
            t0 = time.process_time()
            if name == "asgi":
                for send in sends:
                    await send({"type": "websocket.send", "text": text})
            else:
                encoded = wire.encode_text(text)
                for send in sends:
                    direct = wire.direct(send)  # the feed finds it once per socket at join; here per frame
                    assert direct is not None
                    direct.write(encoded)
            cpu += time.process_time() - t0
        results[name] = cpu / frames / n * 1e6
        print(f"  {name}: {results[name]:.2f} µs CPU 每套接字每帧（{cpu / frames * 1000:.1f} ms 每帧）")
    print(f"比值 asgi ÷ wire：{results['asgi'] / results['wire']:.1f}")
    parent.send("stop")
    proc.join(10)
    server.should_exit = True
    await serving


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sockets", type=int, default=2000)
    ap.add_argument("--frames", type=int, default=20)
    args = ap.parse_args()
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    import uvloop

    uvloop.run(run(args.sockets, args.frames))


if __name__ == "__main__":
    main()
