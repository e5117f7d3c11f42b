"""One WebSocket frame, encoded once, written as the same bytes to every watcher socket of a worker.

A lot's feed (`auctions.feed`) sends the same text to thousands of sockets. Through the ASGI `send`
each socket costs a Channels session-wrapper call, uvicorn's per-socket framing (websockets' `Frame`
built and serialised again) and a write: the framing is identical for every socket (a server's
frames are not masked), so it is done once here and the bytes are handed to each socket's transport.

`direct(send)` finds the uvicorn connection behind a consumer's ASGI `send` (through Channels'
session wrapper) when it is uvicorn's websockets sans-I/O protocol with no extension negotiated (the
documented server declines permessage-deflate, `config/server.py`); otherwise it returns None and the
feed uses the ASGI `send` (tests' communicators, other servers, a compressed connection).

A socket whose transport holds more than `MAX_BUFFERED` unsent bytes (a client that stopped reading
for hundreds of frames) is aborted rather than buffered without bound; its page reconnects and gets
the snapshot (or polls the API meanwhile).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from websockets.frames import Frame, Opcode

log = logging.getLogger(__name__)

MAX_BUFFERED = 4 * 1024 * 1024  # bytes a watcher may lag behind before it is dropped
_UNWRAP_DEPTH = 8  # send wrappers between a consumer and the server (Channels: the session wrapper)


def encode_text(text: str) -> bytes:
    """A complete unmasked text frame (FIN set) as the server writes it."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])


class Direct:
    """A uvicorn WebSocket connection written to with pre-encoded frames."""

    __slots__ = ("protocol",)

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol

    def write(self, frame: bytes) -> bool:
        """Write one frame; False when the socket is closing, gone, or dropped for lagging."""
        p = self.protocol
        if p.close_sent or p.disconnected:
            return False
        transport = p.transport
        if transport.is_closing():
            return False
        if transport.get_write_buffer_size() > MAX_BUFFERED:
            log.warning(
                "auction watcher %s dropped: %d bytes unsent", p.client, transport.get_write_buffer_size()
            )
            transport.abort()
            return False
        transport.write(frame)
        return True


def _protocol_class() -> type | None:
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    except ImportError:  # pragma: no cover - uvicorn is the documented server
        return None
    return WebSocketsSansIOProtocol


def direct(send: Callable[..., Any]) -> Direct | None:
    """The uvicorn connection behind an ASGI `send`, if frames may be written to it directly."""
    cls = _protocol_class()
    if cls is None:
        return None
    fn: Any = send
    for _ in range(_UNWRAP_DEPTH):
        owner: Any = getattr(fn, "__self__", None)
        if owner is None:
            return None
        if isinstance(owner, cls):
            conn = getattr(owner, "conn", None)
            if conn is None or getattr(conn, "extensions", None) or getattr(owner, "transport", None) is None:
                return None  # a compressed connection: uvicorn frames (and deflates) it
            return Direct(owner)
        fn = getattr(owner, "real_send", None)  # channels.sessions.InstanceSessionWrapper
    return None
