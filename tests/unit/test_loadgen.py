"""The screening benchmark's load generator (benchmarks/loadgen.py): open loop, latency from the time a
request was due, so a slow answer shows in every request queued behind it (no coordinated omission)."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

_spec = importlib.util.spec_from_file_location(
    "loadgen", Path(__file__).resolve().parents[2] / "benchmarks" / "loadgen.py"
)
assert _spec and _spec.loader
loadgen = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("loadgen", loadgen)  # its dataclasses look their module up
_spec.loader.exec_module(loadgen)


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the gateway
    disable_nagle_algorithm = True
    answered = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).answered += 1
        if type(self).answered == 1:
            time.sleep(0.2)  # the first answer is slow
        body = b'{"ok": true}'  # one write: no delayed-ACK wait between head and body
        self.wfile.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Any:
    _Slow.answered = 0
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _requests() -> list[bytes]:
    return [loadgen.request_bytes("127.0.0.1", "/x", {"Content-Type": "application/json"}, b'{"id": "1"}')]


def test_paced_latency_counts_from_the_scheduled_send_time(server: Any) -> None:
    # One connection at 50/s: requests due every 20 ms; the first answer takes 200 ms.
    r = loadgen.run(server.server_address[1], _requests(), rate=50, seconds=0.6, conns=1)
    assert r.status == {200: 30} and len(r.lat) == 30
    # The nine requests due while the first was outstanding were sent late, and each shows it
    # (≈ 180, 160, … 20 ms); a closed-loop generator would report one slow answer.
    slow = [x for x in r.lat if x > 0.015]
    assert len(slow) >= 9
    assert r.lat[0] >= 0.2 and r.lat[1] >= 0.17
    assert r.elapsed > 0.55 and r.cpu >= 0


def test_closed_loop_sends_each_request_when_the_previous_is_answered(server: Any) -> None:
    r = loadgen.run(server.server_address[1], _requests(), rate=0, seconds=0.4, conns=2)
    assert set(r.status) == {200} and r.status[200] == len(r.lat) > 10
    assert sum(x > 0.15 for x in r.lat) == 1  # only the slow answer itself


def test_an_answer_is_parsed_by_its_length_across_reads() -> None:
    answer = b"HTTP/1.1 429 Too Many\r\ncontent-type: application/json\r\ncontent-length: 5\r\n\r\nab"
    assert loadgen._answer(answer) is None  # body incomplete
    assert loadgen._answer(answer + b"cdeHTTP/1.1") == (429, len(answer) + 3)
