"""Background work of the documents capability: the e-service / node-push outbox worker."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task
from huey.exceptions import TaskLockedException

from zhixing.core.leases import lease

from . import dispatch


@db_periodic_task(crontab(minute="*"))
def eservice_dispatch_task() -> None:
    """Every minute: send due service messages, node pushes and sign-in codes, retried with backoff
    (rows are leased: a worker that dies leaves them due again, sent under the same key)."""
    try:
        with lease("documents-eservice-dispatch"):
            dispatch.drain(rounds=50)
    except TaskLockedException:
        pass  # the previous minute's round is still sending
