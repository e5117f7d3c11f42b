"""A lean open-loop HTTP/1.1 load generator for the screening benchmark (one thread, `select`, raw sockets).

The benchmark's load generator shares the 2-core machine with the server it measures, so every µs it
spends is taken from the server; the former asyncio generator (streams, one `wait_for` task per answer)
cost several times what this loop does per request. The measurement is the same:

* **Open loop, latency from the scheduled send time.** Connection ``c`` of ``conns`` sends request ``i``
  at ``start + c / rate + i * conns / rate``. A request whose connection is still waiting for the
  previous answer is sent late, and its latency still counts from the time it was due: a slow answer
  delays the requests behind it and they all show it (no coordinated omission, as wrk2).
* **Closed loop** (``rate == 0``): each connection sends its next request as soon as the previous one is
  answered, until ``seconds`` have passed; the latency is then from the actual send.
* The wait is `select.select` (microsecond timeout; `epoll`/`poll` and asyncio's timers round up to the
  next millisecond, which would send up to 1 ms late and count it as latency).
* An answer not complete within ``timeout`` seconds ends that connection's run and is counted under
  status 0 (the caller reports the run as failed).

Answers are parsed only as far as the status and ``Content-Length`` (keep-alive, no chunked bodies: the
gateway always sends a length).
"""

from __future__ import annotations

import select
import socket
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    lat: list[float] = field(default_factory=list)  # seconds, one per answer
    status: dict[int, int] = field(default_factory=dict)  # HTTP status → count (0: no answer in time)
    elapsed: float = 0.0  # seconds from the first scheduled send to the last answer
    cpu: float = 0.0  # this process's CPU seconds during the run


class _Conn:
    __slots__ = ("buf", "busy", "due", "next_due", "offset", "requests", "sent", "sock")

    def __init__(self, sock: socket.socket, requests: list[bytes], offset: float) -> None:
        self.sock = sock
        self.requests = requests
        self.offset = offset  # this connection's first due time
        self.sent = 0  # requests sent so far
        self.due = 0.0  # the due (or actual, closed loop) time of the request in flight
        self.busy = False
        self.buf = b""
        self.next_due = offset


def request_bytes(host: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    """One keep-alive HTTP/1.1 POST, ready to send."""
    fields = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{fields}"
    return head.encode("latin-1") + f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _answer(buf: bytes) -> tuple[int, int] | None:
    """(status, length of the whole answer) of the first complete answer in `buf`, or None."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = buf[:end].lower()
    at = head.find(b"\r\ncontent-length:")
    length = 0
    if at >= 0:
        stop = head.find(b"\r\n", at + 2)
        length = int(head[at + 17 : stop if stop > 0 else len(head)])
    total = end + 4 + length
    if len(buf) < total:
        return None
    return int(buf[9:12]), total


def run(
    port: int,
    requests: list[bytes],
    rate: int,
    seconds: float,
    conns: int,
    timeout: float = 30.0,
    host: str = "127.0.0.1",
) -> Result:
    """Send `requests` (cycled) to `host:port` over `conns` keep-alive connections; see the module doc."""
    out = Result()
    socks = []
    for _ in range(conns):
        s = socket.create_connection((host, port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setblocking(False)
        socks.append(s)
    clock = time.perf_counter
    c0 = time.process_time()
    start = clock() + 0.05
    interval = conns / rate if rate else 0.0
    per = int(rate * seconds / conns) if rate else 1 << 62
    until = start + seconds
    table = [
        _Conn(s, requests[c::conns] or requests, start + (c / rate if rate else 0.0))
        for c, s in enumerate(socks)
    ]
    by_fd = {c.sock.fileno(): c for c in table}
    live = set(by_fd)
    lat, status = out.lat, out.status
    last = start

    def send(c: _Conn, now: float) -> None:
        c.due = c.next_due if rate else now
        c.busy = True
        c.sock.sendall(c.requests[c.sent % len(c.requests)])  # ~200 bytes: never blocks on loopback
        c.sent += 1

    while live:
        now = clock()
        wake = now + 1.0
        for fd in list(live):
            c = by_fd[fd]
            if c.busy:
                if now - c.due > timeout:
                    status[0] = status.get(0, 0) + 1
                    live.discard(fd)
                continue
            if c.sent >= per or (not rate and now >= until):
                live.discard(fd)
                continue
            if c.next_due <= now:
                send(c, now)
            elif c.next_due < wake:
                wake = c.next_due
        if not live:
            break
        waiting = [c.sock for c in table if c.busy and c.sock.fileno() in live]
        readable, _, _ = select.select(waiting, [], [], max(0.0, wake - clock()))
        for s in readable:
            c = by_fd[s.fileno()]
            try:
                chunk = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            if not chunk:  # the server closed the connection
                status[0] = status.get(0, 0) + 1
                live.discard(s.fileno())
                continue
            c.buf += chunk
            got = _answer(c.buf)
            if got is None:
                continue
            done = clock()
            code, total = got
            c.buf = c.buf[total:]
            lat.append(done - c.due)
            status[code] = status.get(code, 0) + 1
            c.busy = False
            last = done
            c.next_due = c.offset + c.sent * interval
            if rate and c.sent < per and c.next_due <= done:
                send(c, done)  # already due: sent now, its latency counts from when it was due
    out.elapsed = max(last - start, 1e-9)
    out.cpu = time.process_time() - c0
    for s in socks:
        s.close()
    return out
