"""Fault-injection points for crash tests: a named point can be armed to kill the process there.

`point(name)` does nothing unless a test armed it with `arm(name)` (in-process: raises `Crash`, a
`BaseException` that no service catches, so the open transaction rolls back exactly as if the process
died) or the environment variable ``ZHIXING_FUNDS_CRASH_AT`` names it (the process SIGKILLs itself —
used by subprocess crash tests).
"""

from __future__ import annotations

import os
import signal

_armed: set[str] = set()


class Crash(BaseException):
    """Simulated process death at a fault point."""


def arm(name: str) -> None:
    _armed.add(name)


def disarm(name: str | None = None) -> None:
    if name is None:
        _armed.clear()
    else:
        _armed.discard(name)


def point(name: str) -> None:
    if os.environ.get("ZHIXING_FUNDS_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if name in _armed:
        _armed.discard(name)
        raise Crash(name)
