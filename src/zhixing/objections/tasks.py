"""Background work of objections: thin wrappers over services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhixing.core.leases import lease

from . import finality


@db_periodic_task(crontab(minute="17"))
def objection_finality_task() -> None:
    """Every hour: a third-party objection ruling whose 15-day window to sue lapsed without a suit
    becomes final — a rejection resumes the claimed asset's suspended lot, an upheld claim releases the
    asset's controls (through the measures consequence table)."""
    with lease("objections-finality"):
        finality.sweep()
