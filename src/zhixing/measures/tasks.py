"""Background work for the consequence table: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhixing.core.leases import lease

from . import services


@db_periodic_task(crontab(minute="*/5"))
def consequence_retry_task() -> None:
    """Every 5 minutes: releases a partner refused are marked failed with its reason; failed
    consequences whose retry time has come are applied again (bounded, then left to a person)."""
    with lease("measures-retry"):
        services.retry_due()
