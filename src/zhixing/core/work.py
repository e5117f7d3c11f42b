"""Work that is due: a service says "this work is due" after its transaction commits; tasks do it.

The dependency arrow runs one way (DESIGN: `tasks` → `services`): a service never imports its app's
tasks module to enqueue a job. Instead each `tasks.py` installs a hook under a name at app ready
(`install("inquiry.dispatch", dispatch_task)`), and a service calls `due("inquiry.dispatch")` inside its
transaction; the hook runs after commit (never for a rolled-back write). A name with no hook installed
(a process that loaded no tasks, a test that switched them off) does nothing: the periodic sweeps pick
the work up from the database rows, which are the durable record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

_hooks: dict[str, Callable[..., Any]] = {}


def install(name: str, hook: Callable[..., Any]) -> None:
    """Register the callable that does `name`'s work (called by a tasks module at app ready)."""
    _hooks[name] = hook


def installed(name: str) -> Callable[..., Any] | None:
    return _hooks.get(name)


def due(name: str, *args: Any) -> None:
    """After the current transaction commits, run the hook installed for `name` (if any)."""

    def run() -> None:
        hook = _hooks.get(name)
        if hook is None:
            return
        try:
            hook(*args)
        except Exception:
            log.exception("work hook %s failed; the periodic sweep will pick the work up", name)

    transaction.on_commit(run)
