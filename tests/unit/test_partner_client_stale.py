"""A partner that closes an idle kept-alive connection: the next send is not counted as a failure."""

from __future__ import annotations

import socket
import threading

import pytest

from zhixing.core.partner_client import SignedClient, TransportError

ANSWER = b'{"results": []}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
    b"Content-Length: " + str(len(ANSWER)).encode() + b"\r\n\r\n" + ANSWER
)


def _serve(sock: socket.socket, connections: int, seen: list[int]) -> None:
    """Answer one request per connection, then close it (as a partner's idle timeout would)."""
    for _ in range(connections):
        conn, _ = sock.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(
                next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1]
            )
            while len(body) < length:
                body += conn.recv(65536)
            seen.append(len(body))
            conn.sendall(RESPONSE)


@pytest.fixture
def closing_partner():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    seen: list[int] = []
    thread = threading.Thread(target=_serve, args=(sock, 2, seen), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}", seen
    sock.close()


def test_a_connection_closed_while_idle_is_reopened_once(closing_partner):
    url, seen = closing_partner
    client = SignedClient("BORDER-GD", "s3cret", url, 5.0)
    assert client.post("batch", {"items": []}, "k-1") == {"results": []}
    # The partner closed the connection after answering: the second send reopens it and succeeds.
    assert client.post("batch", {"items": []}, "k-2") == {"results": []}
    assert len(seen) == 2


def test_a_partner_that_is_gone_is_still_a_failure():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nobody listens there
    with pytest.raises(TransportError):
        SignedClient("BORDER-GD", "s3cret", f"http://127.0.0.1:{port}", 2.0).post("batch", {}, "k-3")
