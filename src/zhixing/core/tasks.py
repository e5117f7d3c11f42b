"""Huey tasks of the infrastructure (thin): the periodic signed audit checkpoint; the consumer's
start-up hook that settles its heap."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup
from huey.exceptions import TaskLockedException

from .checkpoint_key import CheckpointKeyError
from .checkpoints import CheckpointError, make_checkpoint, signing_key
from .heap import settle
from .leases import lease

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/15"))
def audit_checkpoint_task() -> int | None:
    """Every 15 minutes: sign every chain's length and head (docs/audit.md); the seq signed, or None.

    Without a key (embedded/demo setups) it does nothing; production refuses to start without one.
    A refusal to sign means a chain shrank or was rewritten: logged as an error for the operators.
    """
    try:
        if not signing_key():
            return None
        with lease("core-audit-checkpoint"):
            cp = make_checkpoint()
    except TaskLockedException:
        return None
    except (CheckpointError, CheckpointKeyError) as exc:
        log.error("audit checkpoint refused: %s", exc)
        return None
    return cp.seq if cp else None


@on_startup()
def settle_consumer() -> None:
    """A consumer's worker starting: its loaded heap frozen, the young collections spaced out
    (`core.heap`; once per process, whichever worker thread starts first)."""
    settle()
