"""The screening engine's own process (credit/gateway/engine_process.py), as the platform's server runs it:
started with the server, shared by its workers, started again when it dies, stopped with the server."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.live_asgi import LiveASGI, manage, migrated_data_dir
from zhixing.config.server import ScreeningEngine
from zhixing.credit.gateway import CHECK_PATH
from zhixing.credit.synthetic import synthetic_id

# The server is SQLite in its own data directory (tests/live_asgi.py): the PostgreSQL stage would repeat it.
pytestmark = [pytest.mark.backend_neutral, pytest.mark.slow]


def _engines(server_pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(server_pid)], capture_output=True, text=True
    ).stdout
    return [
        int(line.split(None, 1)[0]) for line in out.splitlines() if "zhixing.config.screening_engine" in line
    ]


def _socket_of(pid: int) -> str:
    args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return args[args.index(b"--socket") + 1].decode()


def _check(url: str, key: str, number: str) -> requests.Response:
    return requests.post(url + CHECK_PATH, json={"id": number}, headers={"X-Partner-Key": key}, timeout=60)


def _answered_again(url: str, key: str, number: str, seconds: float = 30) -> dict[str, Any]:
    """The first 200 answer within `seconds` (the engine restarting answers 500 or 503 meanwhile)."""
    deadline = time.monotonic() + seconds
    while True:
        r = _check(url, key, number)
        if r.status_code == 200:
            return dict(r.json())
        assert r.status_code in (500, 503), r.text
        if r.status_code == 503:
            assert r.headers["Retry-After"] == "1" and r.json()["code"] == "engine_unavailable"
        assert time.monotonic() < deadline, "the engine's process was not started again"
        time.sleep(0.2)


def test_the_server_answers_through_one_engine_process_started_again_when_it_dies(tmp_path: Path) -> None:
    data = migrated_data_dir(tmp_path / "live")
    out = manage(data, "credit_load_register", "--persons", "20", "--partner", "railway", "--rate", "100000")
    key = out.strip().splitlines()[-1]
    listed, free = synthetic_id(3), synthetic_id(3, listed=False)
    server = LiveASGI(data, entry="server", env={"WEB_CONCURRENCY": "2"})
    with server:
        assert server.proc is not None
        (engine,) = _engines(server.proc.pid)  # one for both workers
        path = _socket_of(engine)
        # Only the server's user may connect: a private directory, a socket of mode 0600.
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert os.stat(os.path.dirname(path)).st_mode & 0o777 == 0o700
        session = requests.Session()
        answers = [
            session.post(server.url + CHECK_PATH, json={"id": n}, headers={"X-Partner-Key": key}, timeout=60)
            for n in (listed, free) * 5
        ]
        assert [a.status_code for a in answers] == [200] * 10
        assert [a.json()["restricted"] for a in answers] == [True, False] * 5
        os.kill(engine, signal.SIGKILL)
        assert _answered_again(server.url, key, listed)["restricted"] is True
        (again,) = _engines(server.proc.pid)
        assert again != engine and _socket_of(again) == path
        # The server killed outright (it cannot stop the engine): the engine notices within a second,
        # exits and removes its socket's directory.
        os.killpg(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while (Path(f"/proc/{again}").exists() or os.path.exists(os.path.dirname(path))) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    assert not Path(f"/proc/{again}").exists()
    assert not os.path.exists(os.path.dirname(path))
    db = sqlite3.connect(str(data / "zhixing.sqlite3"))
    audited = db.execute("SELECT COUNT(*) FROM core_auditrecord WHERE action = 'screening.check'").fetchone()
    # Every answered call has its record; a call lost with the killed process may have one without its answer.
    assert audited[0] >= 11


def test_a_stopped_server_stops_its_engine_and_removes_its_socket() -> None:
    """`serve`'s own stop (Ctrl+C, SIGTERM): the engine process is stopped and its directory removed."""
    engine = ScreeningEngine()
    engine.start()
    try:
        assert os.environ["ZHIXING_SCREENING_SOCKET"] == engine.path
        deadline = time.monotonic() + 60
        while not os.path.exists(engine.path):  # Django's start-up in the new process
            assert engine.proc is not None and engine.proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        engine.stop()
    assert engine.proc is not None and engine.proc.returncode is not None
    assert not os.path.exists(engine.dir) and "ZHIXING_SCREENING_SOCKET" not in os.environ
